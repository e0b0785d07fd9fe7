// Number formatting for narrow table cells. Pure.

const UNITS = ['B', 'K', 'M', 'G', 'T', 'P'];

/** Compact binary size: 512B, 12K, 1.5M, 980M, 2.0G (at most 4 characters + unit). */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '-';
  let i = 0;
  let v = n;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const s = v >= 10 || i === 0 ? Math.round(v).toString() : v.toFixed(1);
  return `${s}${UNITS[i]}`;
}

/** Rate per second, compact: 0, 12K, 1.5M (unit "/s" left to the column header). */
export function rate(n: number): string {
  if (!Number.isFinite(n) || n < 0.5) return '0';
  return bytes(n);
}

export function percent(p: number): string {
  if (!Number.isFinite(p)) return '-';
  return p >= 99.95 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of `width` cells from the last values; scale is max(floor, largest value). */
export function sparkline(values: readonly number[], width: number, floor = 100): string {
  if (width <= 0) return '';
  const tail = values.slice(-width);
  const top = Math.max(floor, ...tail);
  const cells = tail.map((v) => BARS[Math.min(BARS.length - 1, Math.max(0, Math.round((v / top) * (BARS.length - 1))))]);
  return ' '.repeat(width - cells.length) + cells.join('');
}

const SURROGATE = /[\ud800-\udfff]/;

/** Pads or cuts `s` to exactly `w` terminal cells (ASCII-width assumption, ellipsis when cut). */
export function fit(s: string, w: number, align: 'left' | 'right' = 'left'): string {
  if (w <= 0) return '';
  // no surrogate pairs: one code unit per character (the common case, without an array)
  if (s.length <= w && !SURROGATE.test(s)) {
    if (s.length === w) return s;
    const pad = ' '.repeat(w - s.length);
    return align === 'left' ? s + pad : pad + s;
  }
  const chars = [...s];
  if (chars.length > w) return w === 1 ? '…' : chars.slice(0, w - 1).join('') + '…';
  const pad = ' '.repeat(w - chars.length);
  return align === 'left' ? s + pad : pad + s;
}

/**
 * A bar graph `height` rows tall of the last `width` values, scaled to `top` (at least the
 * largest value); rows top first, eighth-blocks for the partial cell. Pure.
 */
export function blockGraph(values: readonly number[], width: number, height: number, top?: number): string[] {
  if (width <= 0 || height <= 0) return [];
  const tail = values.slice(-width);
  const max = Math.max(top ?? 0, ...tail, 1e-9);
  const levels = tail.map((v) => Math.max(0, Math.round((v / max) * height * 8)));
  const rows: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    let line = ' '.repeat(width - tail.length);
    for (const lv of levels) {
      const inCell = lv - r * 8;
      line += inCell >= 8 ? '█' : inCell <= 0 ? ' ' : BARS[inCell - 1];
    }
    rows.push(line);
  }
  return rows;
}

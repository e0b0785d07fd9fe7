// Pane rectangles, computed the way tmux's layout-set.c arranges panes, so panes land where
// tmux users expect them. Panes are separated by 1-cell borders; there is no outer border.
// Pure functions: a window size and a pane count in, one rectangle per pane out.

export type LayoutName = 'tiled' | 'even-horizontal' | 'even-vertical' | 'main-horizontal' | 'main-vertical';

export const LAYOUTS: readonly LayoutName[] = ['even-horizontal', 'even-vertical', 'main-horizontal', 'main-vertical', 'tiled'];

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LayoutOptions {
  /** tmux's main-pane-width (default 80) */
  mainPaneWidth?: number;
  /** tmux's main-pane-height (default 24) */
  mainPaneHeight?: number;
}

export function isLayoutName(s: string): s is LayoutName {
  return (LAYOUTS as readonly string[]).includes(s);
}

/** The layout after `name` in tmux's `next-layout` order. */
export function nextLayout(name: LayoutName, step = 1): LayoutName {
  const i = LAYOUTS.indexOf(name);
  return LAYOUTS[(((i + step) % LAYOUTS.length) + LAYOUTS.length) % LAYOUTS.length]!;
}

/** Splits `size` cells among `n` children separated by 1-cell borders; the last one takes the remainder (layout_spread_cell). */
export function spread(size: number, n: number): number[] {
  if (n <= 0) return [];
  if (n === 1) return [size];
  const each = Math.max(1, Math.floor((size - (n - 1)) / n));
  const out = new Array<number>(n).fill(each);
  const remainder = size - (n * (each + 1) - 1);
  out[n - 1] = Math.max(1, each + remainder);
  return out;
}

function tiled(W: number, H: number, n: number): Rect[] {
  let rows = 1;
  let cols = 1;
  while (rows * cols < n) {
    rows++;
    if (rows * cols < n) cols++;
  }
  const width = Math.max(1, Math.floor((W - (cols - 1)) / cols));
  const height = Math.max(1, Math.floor((H - (rows - 1)) / rows));
  const rects: Rect[] = [];
  const rowStarts: number[] = [];
  let placed = 0;
  for (let j = 0; j < rows && placed < n; j++) {
    rowStarts.push(rects.length);
    const y = j * (height + 1);
    const count = Math.min(cols, n - placed);
    if (count === 1 && (n - j * cols === 1 || cols === 1)) {
      rects.push({ x: 0, y, w: W, h: height });
      placed++;
      continue;
    }
    for (let i = 0; i < count; i++) rects.push({ x: i * (width + 1), y, w: width, h: height });
    placed += count;
    const used = count * (width + 1) - 1;
    if (W > used) rects[rects.length - 1]!.w += W - used;
  }
  // The last row takes the height left over.
  const used = rows * height + rows - 1;
  if (H > used) {
    const last = rowStarts[rowStarts.length - 1]!;
    for (let k = last; k < rects.length; k++) rects[k]!.h += H - used;
  }
  return rects;
}

function even(W: number, H: number, n: number, horizontal: boolean): Rect[] {
  const sizes = spread(horizontal ? W : H, n);
  const rects: Rect[] = [];
  let at = 0;
  for (const s of sizes) {
    rects.push(horizontal ? { x: at, y: 0, w: s, h: H } : { x: 0, y: at, w: W, h: s });
    at += s + 1;
  }
  return rects;
}

/** main-pane size as tmux 3.3 clamps it: leave at least one cell (plus border) for the others. */
function mainSize(total: number, wanted: number): number {
  // one cell for the border, at least one for the other panes
  if (wanted + 2 >= total) return Math.max(1, total - 2);
  return wanted;
}

function main(W: number, H: number, n: number, vertical: boolean, opts: LayoutOptions): Rect[] {
  const others = n - 1;
  const total = vertical ? W : H;
  const m = mainSize(total, vertical ? (opts.mainPaneWidth ?? 80) : (opts.mainPaneHeight ?? 24));
  const rest = total - m - 1;
  const rects: Rect[] = [vertical ? { x: 0, y: 0, w: m, h: H } : { x: 0, y: 0, w: W, h: m }];
  const sizes = spread(vertical ? H : W, others);
  let at = 0;
  for (const s of sizes) {
    rects.push(vertical ? { x: m + 1, y: at, w: rest, h: s } : { x: at, y: m + 1, w: s, h: rest });
    at += s + 1;
  }
  return rects;
}

/** Rectangles for `n` panes in a window of `cols` x `rows` cells, in pane order. */
export function computeLayout(name: LayoutName, cols: number, rows: number, n: number, opts: LayoutOptions = {}): Rect[] {
  if (n <= 0) return [];
  if (n === 1) return [{ x: 0, y: 0, w: cols, h: rows }];
  switch (name) {
    case 'tiled':
      return tiled(cols, rows, n);
    case 'even-horizontal':
      return even(cols, rows, n, true);
    case 'even-vertical':
      return even(cols, rows, n, false);
    case 'main-horizontal':
      return main(cols, rows, n, false, opts);
    case 'main-vertical':
      return main(cols, rows, n, true, opts);
  }
}

/** The smallest pane inner size berth still draws as a pane; below it the workspace shows a tab list. */
export const MIN_PANE = { w: 10, h: 3 };

/** Whether every rectangle is big enough to be useful. */
export function layoutFits(rects: Rect[], min = MIN_PANE): boolean {
  return rects.every((r) => r.w >= min.w && r.h >= min.h);
}

// The header line's text and colours, from the store's state. Pure: drawn either through
// Ink or straight into the screen writer.
import { colorOf, type Theme } from '../../config/theme.js';
import type { AppState } from '../../dashboard/store.js';
import { totals } from '../../dashboard/store.js';
import { bytes, fit, percent } from '../../lib/format.js';
import type { Segment } from '../../term/paint.js';

/** `s` in `w` characters, its middle replaced by "…" when it is longer. */
export function elideMiddle(s: string, w: number): string {
  if (s.length <= w) return s;
  if (w < 5) return fit(s, w);
  const tail = Math.floor((w - 1) / 2);
  return `${s.slice(0, w - 1 - tail)}…${s.slice(s.length - tail)}`;
}

export function headerSegments(s: Pick<AppState, 'engine' | 'containers' | 'projects' | 'stats' | 'gpu'> & Partial<Pick<AppState, 'attention'>>, width: number, theme: Theme): Segment[] {
  const c = (role: Parameters<typeof colorOf>[1]) => colorOf(theme, role);
  const engine = s.engine;
  const t = totals(s);
  const gpuLine = s.gpu?.problem ? 'GPU ?' : (s.gpu?.line ?? null);
  if (engine.kind === 'down') {
    // the figures are stale while the engine is away: the whole line says why, then where
    const why = fit(` berth  DOWN: ${engine.error} — reconnecting to ${engine.address}`, width);
    return [
      { text: why.slice(0, 8), fg: c('header'), bold: true },
      { text: why.slice(8), fg: c('error'), bold: true },
    ];
  }
  if (engine.kind === 'stalled') {
    // connected, but frozen or overloaded: the figures may be stale; say since when
    const since = new Date(engine.since).toTimeString().slice(0, 8);
    const why = fit(` berth  NOT ANSWERING since ${since}: ${engine.address} (frozen or overloaded; figures may be stale)`, width);
    return [
      { text: why.slice(0, 8), fg: c('header'), bold: true },
      { text: why.slice(8), fg: c('warning'), bold: true },
    ];
  }
  const left = ` berth  ${engine.address}`;
  const engineText =
    engine.kind === 'connected' ? ` ${engine.version}` : ' connecting…';
  const right =
    `${t.projects} projects  ${t.running}/${t.containers} running  ` +
    `CPU ${percent(t.cpuPct)}  MEM ${bytes(t.memUsed)}${gpuLine ? `  ${gpuLine}` : ''} `;
  // agents waiting for the user come first on the right: the one figure that asks for action
  const need = s.attention ? `${s.attention} need${s.attention === 1 ? 's' : ''} you (N)  ` : '';
  const rightText = need.length + right.length > width ? fit(need + right, width) : need + right;
  const room = Math.max(0, width - rightText.length - 1);
  // too long (a deep socket path): the address loses its middle, not its end (the socket's
  // name), and the version goes; `?` shows both in full
  const whole = left + engineText;
  const leftText = whole.length <= room ? fit(whole, room) : fit(` berth  ${elideMiddle(engine.address, room - 8)}`, room);
  const split = Math.min(left.length, leftText.length);
  const shownNeed = rightText.slice(0, Math.min(need.length, rightText.length));
  return [
    { text: leftText.slice(0, split), fg: c('header'), bold: true },
    { text: leftText.slice(split), fg: c('dim') },
    { text: ' ' },
    ...(shownNeed ? [{ text: shownNeed, fg: c('warning'), bold: true }] : []),
    { text: rightText.slice(shownNeed.length) },
  ];
}

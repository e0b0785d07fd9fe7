// Copy mode, tmux's vi keys: a cursor over the pane's screen and scrollback, search, a
// selection (space or v starts it) and y/Enter to copy it. Pure over the pane's headless
// terminal: the workspace keeps the state, draws it (compose.ts) and does what a key asks
// (copy to the paste buffer and the outer terminal's clipboard, leave, prompt for a search).
import type { Terminal } from '@xterm/headless';

export interface Point {
  /** Absolute line in the terminal's buffer (scrollback included). */
  y: number;
  x: number;
}

export interface CopyModeState {
  /** Lines scrolled back from the bottom. */
  offset: number;
  search: string;
  /** Absolute buffer line of the current match. */
  match?: number;
  cursor: Point;
  /** Where the selection started, while one is being made. */
  mark?: Point;
}

export type CopyKeyResult =
  | { type: 'stay' }
  | { type: 'leave' }
  | { type: 'search'; backwards: boolean }
  | { type: 'copy'; text: string }
  | { type: 'not-found'; search: string };

/** Copy mode entered on a pane: the cursor where the program's cursor is, at the bottom. */
export function enterCopyMode(term: Terminal): CopyModeState {
  const buf = term.buffer.active;
  return { offset: 0, search: '', cursor: { y: buf.baseY + buf.cursorY, x: buf.cursorX } };
}

/** The first buffer line on screen. */
export function viewTop(term: Terminal, s: CopyModeState): number {
  return Math.max(0, term.buffer.active.baseY - s.offset);
}

function lineText(term: Terminal, y: number): string {
  return term.buffer.active.getLine(y)?.translateToString(true) ?? '';
}

/** Scrolls just enough to show the cursor's line in `rows` rows. */
function follow(term: Terminal, s: CopyModeState, rows: number): void {
  const baseY = term.buffer.active.baseY;
  const top = viewTop(term, s);
  if (s.cursor.y < top) s.offset = baseY - s.cursor.y;
  else if (s.cursor.y >= top + rows) s.offset = baseY - (s.cursor.y - rows + 1);
  s.offset = Math.max(0, Math.min(baseY, s.offset));
}

function moveTo(term: Terminal, s: CopyModeState, y: number, x: number, rows: number): void {
  const last = term.buffer.active.length - 1;
  s.cursor = { y: Math.max(0, Math.min(last, y)), x: Math.max(0, Math.min(term.cols - 1, x)) };
  follow(term, s, rows);
}

/** Scrolls the view by `lines` (up when positive), as the mouse wheel does; the cursor stays in view. */
export function scrollView(term: Terminal, s: CopyModeState, lines: number, rows: number): void {
  const baseY = term.buffer.active.baseY;
  s.offset = Math.max(0, Math.min(baseY, s.offset + lines));
  const top = viewTop(term, s);
  s.cursor = { y: Math.max(top, Math.min(top + rows - 1, s.cursor.y)), x: s.cursor.x };
}

/** Looks for `s.search` from the line after (or before) `from`, wrapping; moves the cursor there. */
export function searchFrom(term: Terminal, s: CopyModeState, rows: number, backwards: boolean, from = s.cursor.y): boolean {
  const buf = term.buffer.active;
  const total = buf.length;
  const needle = s.search.toLowerCase();
  if (!needle) return false;
  for (let i = 1; i <= total; i++) {
    const y = (from + (backwards ? -i : i) + total * 2) % total;
    const x = lineText(term, y).toLowerCase().indexOf(needle);
    if (x >= 0) {
      s.match = y;
      moveTo(term, s, y, x, rows);
      // bring the match to the middle when it had to scroll
      const top = viewTop(term, s);
      if (y === top || y === top + rows - 1) s.offset = Math.max(0, Math.min(buf.baseY, buf.baseY - (y - Math.floor(rows / 2))));
      return true;
    }
  }
  return false;
}

/** The selection's two ends in reading order. */
export function selectionBounds(s: CopyModeState): [Point, Point] | null {
  if (!s.mark) return null;
  const a = s.mark;
  const b = s.cursor;
  return a.y < b.y || (a.y === b.y && a.x <= b.x) ? [a, b] : [b, a];
}

export function inSelection(s: CopyModeState, y: number, x: number): boolean {
  const sel = selectionBounds(s);
  if (!sel) return false;
  const [a, b] = sel;
  if (y < a.y || y > b.y) return false;
  if (y === a.y && x < a.x) return false;
  if (y === b.y && x > b.x) return false;
  return true;
}

/** The text between two points (both included), lines joined as the program wrote them. */
export function textBetween(term: Terminal, a: Point, b: Point): string {
  const buf = term.buffer.active;
  let out = '';
  for (let y = a.y; y <= b.y; y++) {
    const line = buf.getLine(y);
    if (!line) continue;
    const start = y === a.y ? a.x : 0;
    const end = y === b.y ? b.x + 1 : term.cols;
    const text = line.translateToString(false, start, end);
    const next = buf.getLine(y + 1);
    // a line the terminal wrapped goes on in the next one: no newline, spaces kept
    if (y < b.y && next?.isWrapped) out += text;
    else out += text.replace(/\s+$/, '') + (y < b.y ? '\n' : '');
  }
  return out;
}

/** Does what a key means in copy mode. `rows` is the pane's height. */
export function copyModeKey(term: Terminal, s: CopyModeState, key: string, rows: number): CopyKeyResult {
  const { y, x } = s.cursor;
  const page = Math.max(1, rows - 1);
  const half = Math.max(1, Math.floor(rows / 2));
  switch (key) {
    case 'h':
    case '\x1b[D':
    case '\x1bOD':
      moveTo(term, s, y, x - 1, rows);
      break;
    case 'l':
    case '\x1b[C':
    case '\x1bOC':
      moveTo(term, s, y, x + 1, rows);
      break;
    case 'k':
    case '\x1b[A':
    case '\x1bOA':
      moveTo(term, s, y - 1, x, rows);
      break;
    case 'j':
    case '\x1b[B':
    case '\x1bOB':
      moveTo(term, s, y + 1, x, rows);
      break;
    case '0':
    case '\x1b[H':
      moveTo(term, s, y, 0, rows);
      break;
    case '$':
    case '\x1b[F':
      moveTo(term, s, y, Math.max(0, lineText(term, y).length - 1), rows);
      break;
    case '\x1b[5~':
    case '\x02':
      moveTo(term, s, y - page, x, rows);
      break;
    case '\x1b[6~':
    case '\x06':
      moveTo(term, s, y + page, x, rows);
      break;
    case '\x15':
      moveTo(term, s, y - half, x, rows);
      break;
    case '\x04':
      moveTo(term, s, y + half, x, rows);
      break;
    case 'g':
      moveTo(term, s, 0, 0, rows);
      break;
    case 'G':
      moveTo(term, s, term.buffer.active.length - 1, 0, rows);
      break;
    case ' ':
    case 'v':
      s.mark = s.mark ? undefined : { ...s.cursor };
      break;
    case 'y':
    case '\r':
    case '\n': {
      const sel = selectionBounds(s);
      if (!sel) return key === 'y' ? { type: 'stay' } : { type: 'leave' };
      return { type: 'copy', text: textBetween(term, sel[0], sel[1]) };
    }
    case '/':
      return { type: 'search', backwards: false };
    case '?':
      return { type: 'search', backwards: true };
    case 'n':
    case 'N': {
      // as tmux: n repeats the search upwards (towards older output), N the other way
      if (!s.search) break;
      if (!searchFrom(term, s, rows, key === 'n')) return { type: 'not-found', search: s.search };
      break;
    }
    case 'q':
    case '\x1b':
    case '\x03':
      return { type: 'leave' };
  }
  return { type: 'stay' };
}

/** The OSC 52 sequence that puts `text` on the outer terminal's clipboard (works over SSH). */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

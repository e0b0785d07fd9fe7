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

interface CopyKeyContext {
  term: Terminal;
  s: CopyModeState;
  rows: number;
  key: string;
}

/**
 * Copy mode's key table (tmux's copy-mode-vi, with its emacs-style page keys): each
 * command's keys, the label and help shown by `C-b ?` and in the README, and what it does.
 * Adding a command is one entry here.
 */
export const COPY_MODE_KEYS: Array<{ keys: string[]; label: string; help: string; run: (c: CopyKeyContext) => CopyKeyResult | void }> = [
  { keys: ['h', '\x1b[D', '\x1bOD'], label: 'h ←', help: 'left', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y, s.cursor.x - 1, rows) },
  { keys: ['l', '\x1b[C', '\x1bOC'], label: 'l →', help: 'right', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y, s.cursor.x + 1, rows) },
  { keys: ['k', '\x1b[A', '\x1bOA'], label: 'k ↑', help: 'up', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y - 1, s.cursor.x, rows) },
  { keys: ['j', '\x1b[B', '\x1bOB'], label: 'j ↓', help: 'down', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y + 1, s.cursor.x, rows) },
  { keys: ['0', '\x1b[H'], label: '0 Home', help: 'start of the line', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y, 0, rows) },
  {
    keys: ['$', '\x1b[F'],
    label: '$ End',
    help: 'end of the line',
    run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y, Math.max(0, lineText(term, s.cursor.y).length - 1), rows),
  },
  { keys: ['\x1b[5~', '\x02'], label: 'PgUp C-b', help: 'a page up', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y - Math.max(1, rows - 1), s.cursor.x, rows) },
  { keys: ['\x1b[6~', '\x06'], label: 'PgDn C-f', help: 'a page down', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y + Math.max(1, rows - 1), s.cursor.x, rows) },
  { keys: ['\x15'], label: 'C-u', help: 'half a page up', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y - Math.max(1, Math.floor(rows / 2)), s.cursor.x, rows) },
  { keys: ['\x04'], label: 'C-d', help: 'half a page down', run: ({ term, s, rows }) => moveTo(term, s, s.cursor.y + Math.max(1, Math.floor(rows / 2)), s.cursor.x, rows) },
  { keys: ['g'], label: 'g', help: 'the oldest line kept', run: ({ term, s, rows }) => moveTo(term, s, 0, 0, rows) },
  { keys: ['G'], label: 'G', help: 'the newest line', run: ({ term, s, rows }) => moveTo(term, s, term.buffer.active.length - 1, 0, rows) },
  {
    keys: [' ', 'v'],
    label: 'space v',
    help: 'start (or drop) the selection',
    run: ({ s }) => {
      s.mark = s.mark ? undefined : { ...s.cursor };
    },
  },
  {
    keys: ['y', '\r', '\n'],
    label: 'y enter',
    help: 'copy the selection (to the terminal\'s clipboard too, over SSH) and leave; enter without one leaves',
    run: ({ term, s, key }) => {
      const sel = selectionBounds(s);
      if (!sel) return key === 'y' ? { type: 'stay' } : { type: 'leave' };
      return { type: 'copy', text: textBetween(term, sel[0], sel[1]) };
    },
  },
  { keys: ['/', '?'], label: '/ ?', help: 'search back through the output (type the text, enter)', run: () => ({ type: 'search', backwards: true }) },
  {
    keys: ['n', 'N'],
    label: 'n N',
    help: 'repeat the search upwards (towards older output) / the other way, as tmux',
    run: ({ term, s, rows, key }) => {
      if (!s.search) return;
      if (!searchFrom(term, s, rows, key === 'n')) return { type: 'not-found', search: s.search };
    },
  },
  { keys: ['q', '\x1b', '\x03'], label: 'q esc', help: 'leave copy mode', run: () => ({ type: 'leave' }) },
];

const COPY_KEY_INDEX = new Map(COPY_MODE_KEYS.flatMap((b) => b.keys.map((k) => [k, b] as const)));

/** Does what a key means in copy mode (COPY_MODE_KEYS). `rows` is the pane's height. */
export function copyModeKey(term: Terminal, s: CopyModeState, key: string, rows: number): CopyKeyResult {
  return COPY_KEY_INDEX.get(key)?.run({ term, s, rows, key }) ?? { type: 'stay' };
}

/** The copy-mode keys as a Markdown table (README.md holds a copy, checked by a test). */
export function copyModeKeyTableMarkdown(): string {
  const rows = ['| keys | what they do |', '| --- | --- |'];
  for (const b of COPY_MODE_KEYS) rows.push(`| \`${b.label}\` | ${b.help} |`);
  return rows.join('\n');
}

/** The OSC 52 sequence that puts `text` on the outer terminal's clipboard (works over SSH). */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

// Composes the workspace screen as cells: pane contents (already cells, from their
// snapshots), pane titles with status badges, borders, the status line and overlays
// (help, copy mode). The screen writer's diff then sends only the cells that changed.
// Pane contents are cells from the start, so they are not turned into text for Ink and
// parsed back: this keeps a flood of pane output cheap.
import type { PaneSnapshot } from '../panes/snapshot.js';
import { lineCells } from '../panes/snapshot.js';
import { needsUser, type AgentStatus } from '../panes/status.js';
import { wrapWords } from '../lib/textLine.js';
import { prefixHelpRows } from './paneCommands.js';
import type { Workspace, WorkspacePane } from '../panes/workspace.js';
import { COPY_MODE_KEYS } from './copyMode.js';
import { widthOf, type Cell } from '../term/cells.js';
import { inSelection, viewTop, type CopyModeState } from './copyMode.js';

export type { CopyModeState } from './copyMode.js';
import stringWidth from 'string-width';

export interface Overlay {
  /** The help box, scrolled this many lines. */
  help?: { scroll: number };
  /** A question or prompt shown in the status line (confirm, rename, send). */
  prompt?: string;
  copy?: CopyModeState;
  message?: string;
  prefixArmed?: boolean;
  /** C-b q: each visible pane's number drawn in its middle. */
  numbers?: boolean;
  /** The session tree (C-b s / C-b w): its rows and the selected one. */
  tree?: { rows: string[]; cursor: number };
}

export interface ComposedScreen {
  cells: Cell[][];
  /** Where the terminal cursor goes, or null to hide it. */
  cursor: { x: number; y: number } | null;
}

export const STYLES = {
  border: '2',
  title: '2',
  titleFocused: '1;7',
  status: '7',
  prefix: '1;33;7',
  help: '0',
  match: '7;33',
  selection: '7',
  alert: '1;7;33',
  badge: {
    done: '32',
    working: '1;33',
    // the states that need the user stand out in reverse video, with or without colour
    waiting: '1;7;35',
    error: '1;7;31',
    exited: '31',
  } satisfies Record<AgentStatus, string>,
};

export const BADGE: Record<AgentStatus, string> = { done: 'done', working: 'working', waiting: 'waiting', error: 'error', exited: 'exited' };

/** Cells are replaced, never changed in place, so one blank cell can fill every row. */
const BLANK: Cell = Object.freeze({ ch: ' ', style: '' });

function blank(cols: number, rows: number): Cell[][] {
  const out: Cell[][] = [];
  for (let y = 0; y < rows; y++) out.push(new Array<Cell>(cols).fill(BLANK));
  return out;
}

/** Writes `text` at (x, y), at most `max` columns; returns the column after it. */
export function put(cells: Cell[][], x: number, y: number, text: string, style: string, max = Infinity): number {
  const row = cells[y];
  if (!row) return x;
  const end = Math.min(row.length, x + max);
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    const w = c >= 0x20 && c < 0x7f ? 1 : widthOf(ch);
    if (w === 0) continue;
    if (x + w > end) break;
    row[x] = { ch, style };
    if (w === 2) row[x + 1] = { ch: '', style };
    x += w;
  }
  return x;
}

export function paneBadge(p: WorkspacePane): string {
  const exit = p.session.exit;
  if (p.status === 'exited' && exit) return exit.signal ? `exited: signal ${exit.signal}` : `exited ${exit.code}`;
  // an error says its kind (rate limit, auth, crash)
  if (p.status === 'error' && p.reason) return `${BADGE.error}: ${p.reason}`;
  return BADGE[p.status];
}

function drawTitle(cells: Cell[][], p: WorkspacePane, index: number, x: number, y: number, w: number, focused: boolean, extra = '', where = false): void {
  const style = focused ? STYLES.titleFocused : STYLES.title;
  for (let i = 0; i < w; i++) put(cells, x + i, y, '─', STYLES.border);
  // panes of a session that spans containers say which one they run in
  const at0 = where && p.spec.container ? ` @${p.spec.container}` : '';
  let at = put(cells, x, y, `${index} ${p.title}${at0}${extra}${p.muted ? ' (muted)' : ''} `, style, w);
  const badge = paneBadge(p);
  at = put(cells, at, y, `[${badge}]`, STYLES.badge[p.status], x + w - at);
  // its program called the user (bell, notification): tmux's bell flag
  if (p.alert && at < x + w - 2) {
    put(cells, at, y, ' ', STYLES.title, 1);
    put(cells, at + 1, y, '!', STYLES.alert, 1);
  }
}

function drawPane(cells: Cell[][], snap: PaneSnapshot | undefined, x: number, y: number, w: number, h: number): void {
  if (!snap) return;
  for (let r = 0; r < h && r < snap.lines.length; r++) {
    const src = snap.lines[r]!;
    const row = cells[y + r];
    if (!row) break;
    for (let c = 0; c < w && c < src.length; c++) {
      if (x + c >= row.length) break;
      row[x + c] = src[c]!;
    }
    // a wide character cut at the pane's right edge
    if (w < src.length && src[w]?.ch === '' && row[x + w - 1]) row[x + w - 1] = { ch: ' ', style: '' };
  }
}

function drawCopy(cells: Cell[][], p: WorkspacePane, copy: CopyModeState): void {
  const term = p.session.term;
  const buf = term.buffer.active;
  const r = p.rect;
  const top = viewTop(term, copy);
  for (let i = 0; i < r.h; i++) {
    const line = top + i;
    const src = lineCells(term, line, r.w);
    const hit = copy.match === line;
    const row = cells[r.y + i];
    if (!row) break;
    for (let c = 0; c < r.w; c++) {
      const cell = src[c]!;
      if (inSelection(copy, line, c)) row[r.x + c] = { ch: cell.ch, style: STYLES.selection };
      else row[r.x + c] = hit ? { ch: cell.ch, style: STYLES.match } : cell;
    }
  }
  const pos = `[${copy.offset}/${buf.baseY}]`;
  put(cells, r.x + Math.max(0, r.w - pos.length), r.y, pos, STYLES.match);
}

/** A box in the middle of the screen with `lines` in it; `selected` is drawn inverted. */
function drawBox(cells: Cell[][], cols: number, rows: number, lines: string[], selected = -1, scroll = 0): void {
  const w = Math.min(cols - 2, Math.max(...lines.map((l) => stringWidth(l))) + 4);
  const h = Math.min(rows - 2, lines.length + 2);
  const x0 = Math.max(0, Math.floor((cols - w) / 2));
  const y0 = Math.max(0, Math.floor((rows - h) / 2));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const edge = y === 0 || y === h - 1 ? (x === 0 ? (y === 0 ? '┌' : '└') : x === w - 1 ? (y === 0 ? '┐' : '┘') : '─') : x === 0 || x === w - 1 ? '│' : ' ';
      put(cells, x0 + x, y0 + y, edge, STYLES.help);
    }
  }
  lines.slice(scroll, scroll + h - 2).forEach((l, i) => {
    const style = scroll + i === selected ? STYLES.selection : STYLES.help;
    if (style !== STYLES.help) for (let x = 1; x < w - 1; x++) put(cells, x0 + x, y0 + 1 + i, ' ', style);
    put(cells, x0 + 2, y0 + 1 + i, l, style, w - 4);
  });
}

function drawTree(cells: Cell[][], cols: number, rows: number, tree: NonNullable<Overlay['tree']>): void {
  const room = Math.max(1, rows - 4);
  const scroll = Math.max(0, Math.min(tree.cursor - Math.floor(room / 2), tree.rows.length - room));
  drawBox(cells, cols, rows, tree.rows, tree.cursor, scroll);
}

/** The workspace help's lines at this width: long ones wrapped, the continuation under the text. */
export function helpLines(prefixName: string, cols: number): string[] {
  const w = Math.max(20, cols - 6);
  const lines = [`workspace keys: ${prefixName} then`];
  // the continuations stand under the text, past the keys' column
  const under = ' '.repeat(11);
  const wrap = (lead: string, text: string) => wrapWords(text, w - lead.length, w - under.length).forEach((piece, i) => lines.push((i === 0 ? lead : under) + piece));
  for (const [label, help] of prefixHelpRows(prefixName)) wrap(`${label.padEnd(10)} `, help);
  wrap('', `copy mode: ${COPY_MODE_KEYS.map((b) => b.label.split(' ')[0]).join(' ')}`);
  lines.push('j/k scroll, any other key closes this help');
  return lines;
}

function drawHelp(cells: Cell[][], cols: number, rows: number, prefixName: string, scroll: number): void {
  const lines = helpLines(prefixName, cols);
  // drawBox keeps a row above and below the box, and the box's own border
  const room = Math.max(1, rows - 4);
  drawBox(cells, cols, rows, lines, -1, Math.max(0, Math.min(scroll, lines.length - room)));
}

export interface ComposeOptions {
  snapshot: (p: WorkspacePane) => PaneSnapshot | undefined;
  overlay?: Overlay;
  prefixName?: string;
}

export function composeWorkspace(ws: Workspace, opts: ComposeOptions): ComposedScreen {
  const cols = ws.cols;
  const rows = ws.rows;
  const cells = blank(cols, rows);
  const ov = opts.overlay ?? {};
  const focused = ws.focused();
  const prefixName = opts.prefixName ?? 'C-b';

  const manyContainers = new Set(ws.allPanes().map((p) => p.spec.container).filter(Boolean)).size > 1;
  if (ws.mode === 'panes') {
    ws.panes.forEach((p, i) => {
      const r = p.rect;
      drawTitle(cells, p, i, r.x, r.y - 1, r.w, i === ws.focus, '', manyContainers);
      drawPane(cells, opts.snapshot(p), r.x, r.y, r.w, r.h);
      const bx = r.x + r.w;
      if (bx < cols) for (let y = r.y - 1; y < r.y + r.h; y++) put(cells, bx, y, '│', STYLES.border);
    });
  } else if (focused) {
    const r = focused.rect;
    if (ws.mode === 'zoom') {
      drawTitle(cells, focused, ws.focus, 0, 0, cols, true, ' (zoomed)', manyContainers);
    } else {
      // tabs: too many panes for the window
      let x = 0;
      ws.panes.forEach((p, i) => {
        if (x >= cols) return;
        const label = `${i}:${p.title} ${paneBadge(p)}`;
        x = put(cells, x, 0, ` ${label} `, i === ws.focus ? STYLES.titleFocused : STYLES.badge[p.status], cols - x) + 1;
      });
    }
    drawPane(cells, opts.snapshot(focused), r.x, r.y, r.w, r.h);
  }

  if (ov.copy && focused) drawCopy(cells, focused, ov.copy);

  // status line: the last row, one column short (never write the bottom-right cell)
  const sy = rows - 1;
  const status = cells[sy]!;
  status.length = Math.max(0, cols - 1);
  for (let x = 0; x < status.length; x++) status[x] = { ch: ' ', style: STYLES.status };
  let sx = 0;
  if (ov.prefixArmed) sx = put(cells, sx, sy, ` ${prefixName} `, STYLES.prefix) + 1;
  const left = ov.prompt ?? ov.message ?? (ov.copy ? `copy mode  hjkl move  / search${ov.copy.search ? ` (${ov.copy.search}) n N` : ''}  space select  y copy  q quit` : windowList(ws));
  const tail = `${ws.sessionName}  ${ws.mode === 'tabs' ? 'tabs' : ws.layoutLabel}  ${ws.panes.length} pane${ws.panes.length === 1 ? '' : 's'}  ${prefixName} ? help `;
  if (left) sx = put(cells, sx, sy, ` ${left}`, STYLES.status, status.length - sx);
  const tw = stringWidth(tail);
  if (status.length - tw > sx + 1) put(cells, status.length - tw, sy, tail, STYLES.status);

  if (ov.help) drawHelp(cells, cols, rows - 1, prefixName, ov.help.scroll);
  if (ov.tree) drawTree(cells, cols, rows - 1, ov.tree);
  if (ov.numbers) {
    for (const p of ws.visible()) {
      const label = ` ${ws.panes.indexOf(p)} `;
      const x = p.rect.x + Math.max(0, Math.floor((p.rect.w - label.length) / 2));
      const y = p.rect.y + Math.floor(p.rect.h / 2);
      put(cells, x, y, label, p === focused ? STYLES.selection : STYLES.prefix, Math.max(0, p.rect.w));
    }
  }

  let cursor: ComposedScreen['cursor'] = null;
  if (ov.prompt) cursor = { x: Math.min(status.length - 1, (ov.prefixArmed ? prefixName.length + 3 : 0) + 1 + stringWidth(ov.prompt)), y: sy };
  else if (ov.tree) cursor = null;
  else if (ov.copy && !ov.help && focused) {
    // copy mode's own cursor
    const y = ov.copy.cursor.y - viewTop(focused.session.term, ov.copy);
    if (y >= 0 && y < focused.rect.h && ov.copy.cursor.x < focused.rect.w) cursor = { x: focused.rect.x + ov.copy.cursor.x, y: focused.rect.y + y };
  } else if (!ov.help && !ov.copy && !ov.tree && focused && focused.session.running) {
    const snap = opts.snapshot(focused);
    if (snap?.cursor.visible && snap.cursor.x < focused.rect.w && snap.cursor.y < focused.rect.h) {
      cursor = { x: focused.rect.x + snap.cursor.x, y: focused.rect.y + snap.cursor.y };
    }
  }
  return { cells, cursor };
}

/**
 * tmux's window list: "0:agents* 1:shell", the window shown marked *, a window with a pane
 * that needs the user (waiting, error) marked !. One window and nothing to say: empty.
 */
export function windowList(ws: Workspace): string {
  if (ws.windows.length < 2) return '';
  return ws.windows
    .map((w, i) => {
      const alert = i !== ws.current && w.panes.some(needsUser);
      return `${i}:${ws.windowName(i)}${i === ws.current ? '*' : alert ? '!' : ''}`;
    })
    .join(' ');
}

/** The composed screen as plain text rows (tests, debugging). */
export function screenText(s: ComposedScreen): string[] {
  return s.cells.map((row) => row.map((c) => c.ch).join('').replace(/\s+$/, ''));
}

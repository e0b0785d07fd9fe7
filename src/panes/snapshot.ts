// Turns the visible screen of an @xterm/headless terminal into rows of cells: one entry per
// column with its character and the SGR parameters that draw it from a reset state (the
// same shape as the screen writer's cells, so a pane can be composed into a frame as is).
import type { IBufferCell, Terminal } from '@xterm/headless';

export interface PaneCell {
  /** The character(s) in this column; '' for the second column of a wide character. */
  ch: string;
  /** SGR parameters, e.g. "1;38;5;196", or '' for the default style. */
  style: string;
}

export interface StyledRun {
  text: string;
  style: string;
}

export interface PaneSnapshot {
  cols: number;
  rows: number;
  lines: PaneCell[][];
  cursor: { x: number; y: number; visible: boolean };
  alternate: boolean;
  /** Bumped on every snapshot of this pane. */
  seq: number;
}

function colour(cell: IBufferCell, fg: boolean): string {
  if (fg ? cell.isFgDefault() : cell.isBgDefault()) return '';
  const c = fg ? cell.getFgColor() : cell.getBgColor();
  if (fg ? cell.isFgRGB() : cell.isBgRGB()) {
    return `${fg ? 38 : 48};2;${(c >> 16) & 255};${(c >> 8) & 255};${c & 255}`;
  }
  if (c < 8) return String((fg ? 30 : 40) + c);
  if (c < 16) return String((fg ? 90 : 100) + c - 8);
  return `${fg ? 38 : 48};5;${c}`;
}

/** The SGR parameters of a cell ('' when it has the default style). */
export function cellStyle(cell: IBufferCell): string {
  if (cell.isAttributeDefault()) return '';
  const parts: string[] = [];
  if (cell.isBold()) parts.push('1');
  if (cell.isDim()) parts.push('2');
  if (cell.isItalic()) parts.push('3');
  if (cell.isUnderline()) parts.push('4');
  if (cell.isBlink()) parts.push('5');
  if (cell.isInverse()) parts.push('7');
  if (cell.isInvisible()) parts.push('8');
  if (cell.isStrikethrough()) parts.push('9');
  const fg = colour(cell, true);
  if (fg) parts.push(fg);
  const bg = colour(cell, false);
  if (bg) parts.push(bg);
  return parts.join(';');
}

/** One buffer line (absolute index `y` in the active buffer) as `cols` cells. */
export function lineCells(term: Terminal, y: number, cols = term.cols): PaneCell[] {
  const buf = term.buffer.active;
  const line = buf.getLine(y);
  const out: PaneCell[] = [];
  const cell = buf.getNullCell();
  for (let x = 0; x < cols; x++) {
    if (!line || !line.getCell(x, cell)) {
      out.push({ ch: ' ', style: '' });
      continue;
    }
    const w = cell.getWidth();
    if (w === 0) {
      out.push({ ch: '', style: cellStyle(cell) });
      continue;
    }
    if (w === 2 && x === cols - 1) {
      out.push({ ch: ' ', style: '' });
      continue;
    }
    const chars = cell.getChars();
    out.push({ ch: chars === '' ? ' ' : chars, style: cellStyle(cell) });
  }
  return out;
}

/** The visible screen of `term`. */
export function snapshotTerminal(term: Terminal, cursorVisible: boolean, seq = 0): PaneSnapshot {
  const buf = term.buffer.active;
  const lines: PaneCell[][] = [];
  for (let y = 0; y < term.rows; y++) lines.push(lineCells(term, buf.viewportY + y));
  return {
    cols: term.cols,
    rows: term.rows,
    lines,
    cursor: { x: buf.cursorX, y: buf.cursorY, visible: cursorVisible },
    alternate: buf.type === 'alternate',
    seq,
  };
}

/** Merges neighbouring cells of one style into runs. */
export function runsOf(row: PaneCell[]): StyledRun[] {
  const runs: StyledRun[] = [];
  for (const c of row) {
    const last = runs[runs.length - 1];
    if (last && last.style === c.style) last.text += c.ch;
    else runs.push({ text: c.ch, style: c.style });
  }
  return runs;
}

/** The plain text of a snapshot, one string per row with trailing blanks removed. */
export function snapshotText(s: PaneSnapshot): string[] {
  return s.lines.map((row) => row.map((c) => c.ch).join('').replace(/\s+$/, ''));
}

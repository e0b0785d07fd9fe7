// What the log view shows: which buffer lines, cut into which rows, with which search
// matches marked. Computes only the rows that fit (a 200,000-character line costs a few
// slices, not a full wrap). Pure: no React, no engine.
import type { LogBuffer, LogLine } from '../engine/logs/buffer.js';
import type { LogViewState } from './store.js';

export interface LogRow {
  /** Absolute line number (buffer.dropped + index). */
  abs: number;
  source: number;
  stream: 'stdout' | 'stderr';
  /** Name and timestamp prefix ('' on continuation rows, which get the same width of spaces). */
  prefix: string;
  name: string;
  body: string;
  cont: boolean;
  /** [start, end) of search matches within body. */
  marks: Array<[number, number]>;
  current: boolean;
}

export function matches(text: string, needle: string): boolean {
  if (!needle) return true;
  return text.toLowerCase().includes(needle.toLowerCase());
}

let compiled: { filter: string; test: (text: string) => boolean } | null = null;

/**
 * Whether a line passes the log filter: a regular expression (case-insensitive), or plain
 * text when it is not a valid one; `!pattern` keeps the lines that do not match (k9s).
 */
export function passesFilter(text: string, filter: string): boolean {
  if (!filter) return true;
  if (compiled?.filter !== filter) compiled = { filter, test: compileFilter(filter) };
  return compiled.test(text);
}

function compileFilter(filter: string): (text: string) => boolean {
  const invert = filter.startsWith('!') && filter.length > 1;
  const pattern = invert ? filter.slice(1) : filter;
  let test: (text: string) => boolean;
  try {
    const re = new RegExp(pattern, 'i');
    test = (t) => re.test(t);
  } catch {
    test = (t) => matches(t, pattern);
  }
  return invert ? (t) => !test(t) : test;
}

function marksIn(body: string, needle: string): Array<[number, number]> {
  if (!needle) return [];
  const hay = body.toLowerCase();
  const n = needle.toLowerCase();
  const out: Array<[number, number]> = [];
  let i = hay.indexOf(n);
  while (i >= 0) {
    out.push([i, i + n.length]);
    i = hay.indexOf(n, i + n.length);
  }
  return out;
}

export function timeLabel(line: LogLine): string {
  return line.ts ? line.ts.slice(11, 23).padEnd(12, '0') : ''.padEnd(12);
}

/** The index (0-based in the buffer) of the line at the bottom of the view. */
export function bottomIndex(buf: LogBuffer, view: LogViewState): number {
  const last = buf.length - 1;
  if (view.follow || view.anchor === null) return last;
  return Math.max(0, Math.min(last, view.anchor - buf.dropped));
}

/** Next (dir 1) or previous (-1) line matching `needle` (and the filter), from index `from` excluded. */
export function findLine(buf: LogBuffer, needle: string, filter: string, from: number, dir: 1 | -1): number | null {
  if (!needle && !filter) return null;
  for (let i = from + dir; i >= 0 && i < buf.length; i += dir) {
    const t = buf.at(i).text;
    if (passesFilter(t, filter) && (!needle || matches(t, needle))) return i;
  }
  return null;
}

const matchCounts = new WeakMap<LogBuffer, { key: string; at: number | null; total: number }>();

/**
 * Where the current search match stands among all matches of the buffer ("3/16"); the
 * count is kept per buffer until the buffer, the search, the filter or the match changes,
 * so a log flood does not rescan it on every frame. `match` is absolute (dropped lines count).
 */
export function matchPosition(buf: LogBuffer, needle: string, filter: string, match: number | null): { at: number | null; total: number } {
  const key = `${buf.length}\0${buf.dropped}\0${needle}\0${filter}\0${match}`;
  const cached = matchCounts.get(buf);
  if (cached?.key === key) return cached;
  let total = 0;
  let at: number | null = null;
  for (let i = 0; i < buf.length; i++) {
    const t = buf.at(i).text;
    if (!passesFilter(t, filter) || !matches(t, needle)) continue;
    total++;
    if (match !== null && buf.dropped + i === match) at = total;
  }
  const out = { key, at, total };
  matchCounts.set(buf, out);
  return out;
}

/** Moves the bottom line by `delta` visible (filtered) lines; returns the new index. */
export function stepLines(buf: LogBuffer, filter: string, from: number, delta: number): number {
  let i = from;
  const dir = delta < 0 ? -1 : 1;
  let left = Math.abs(delta);
  while (left > 0) {
    const next = findLine(buf, '', filter, i, dir as 1 | -1) ?? (filter ? null : i + dir);
    if (next === null || next < 0 || next >= buf.length) break;
    i = next;
    left--;
  }
  return i;
}

export interface LayoutOptions {
  width: number;
  height: number;
  /** Container names for project logs (a prefix per line); omitted for one container. */
  names?: string[];
}

/** The rows to draw, bottom line last. */
export function layoutRows(buf: LogBuffer, view: LogViewState, opts: LayoutOptions): LogRow[] {
  const { width, height } = opts;
  if (height <= 0 || width <= 0 || buf.length === 0) return [];
  const nameW = opts.names && opts.names.length > 1 ? Math.min(24, Math.max(...opts.names.map((n) => n.length))) : 0;
  const prefixW = (nameW ? nameW + 3 : 0) + (view.timestamps ? 13 : 0);
  const avail = Math.max(8, width - prefixW);
  const out: LogRow[][] = [];
  let used = 0;
  let i = bottomIndex(buf, view);
  // The bottom line itself must pass the filter; walk up to one that does.
  if (view.filter && !passesFilter(buf.at(i).text, view.filter)) {
    const up = findLine(buf, '', view.filter, i + 1, -1);
    if (up === null) return [];
    i = up;
  }
  const matchIdx = view.match === null ? -1 : view.match - buf.dropped;
  let first = true;
  while (i >= 0 && used < height) {
    const line = buf.at(i);
    if (!view.filter || passesFilter(line.text, view.filter)) {
      const name = nameW ? (opts.names![line.source] ?? '?') : '';
      const prefix = (nameW ? `${name.slice(0, nameW).padEnd(nameW)} │ ` : '') + (view.timestamps ? `${timeLabel(line)} ` : '');
      const len = line.text.length;
      const total = view.wrap ? Math.max(1, Math.ceil(len / avail)) : 1;
      const room = height - used;
      // The bottom line shows its beginning when it is taller than the view; a line
      // above it shows its end (the part next to the line below).
      const take = Math.min(total, room);
      const from = first ? 0 : total - take;
      const rows: LogRow[] = [];
      for (let k = from; k < from + take; k++) {
        let body: string;
        if (view.wrap) body = line.text.slice(k * avail, (k + 1) * avail);
        else body = len > avail ? `${line.text.slice(0, avail - 1)}…` : line.text;
        rows.push({
          abs: buf.dropped + i,
          source: line.source,
          stream: line.stream,
          prefix: k === 0 ? prefix : ' '.repeat(prefix.length),
          name,
          body,
          cont: k > 0,
          marks: marksIn(body, view.search),
          current: i === matchIdx,
        });
      }
      out.push(rows);
      used += take;
      first = false;
    }
    i--;
  }
  return out.reverse().flat();
}

/** The lines the view would show with its filter (all of the buffer, not only one screen). */
export function visibleLines(buf: LogBuffer, filter: string): LogLine[] {
  const out: LogLine[] = [];
  for (let i = 0; i < buf.length; i++) {
    const l = buf.at(i);
    if (passesFilter(l.text, filter)) out.push(l);
  }
  return out;
}

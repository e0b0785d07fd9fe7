import { describe, expect, it } from 'vitest';
import { loadTheme } from '../../../src/config/theme.js';
import { layoutColumns } from '../../../src/ui/dashboard/columns.js';
import { paintTable } from '../../../src/ui/dashboard/tablePainter.js';

const theme = loadTheme('default', {});
const cols = layoutColumns(40).slice(0, 3);
const text = (rows: { ch: string }[][]) => rows.map((r) => r.map((c) => c.ch).join(''));

describe('paintTable', () => {
  it('paints rows of exactly the table width and height, styled per column, with the selection highlighted', () => {
    const width = cols.reduce((n, c) => n + c.width, 0) + cols.length - 1;
    const out = paintTable({
      rows: [
        { key: 'a', parts: [{ text: 'web' }, { text: 'running', color: 'running' }, { text: '-' }], selected: false },
        { key: 'b', parts: [{ text: 'db' }, { text: 'exit 1', color: 'error' }, { text: '-' }], selected: true },
      ],
      cols,
      width,
      height: 4,
      focused: true,
      theme,
      empty: 'no containers',
    });
    expect(out).toHaveLength(4);
    for (const r of out) expect(r).toHaveLength(width);
    expect(text(out)[0]!.startsWith('web')).toBe(true);
    const stateCol = cols[0]!.width + 1;
    expect(out[0]![stateCol]!.style).toBe('32'); // green "running"
    expect(out[1]![0]!.style).toBe('30;46'); // black on cyan: the selection
    expect(text(out)[2]!.trim()).toBe('');
  });
  it('says so when there is nothing to show, and uses reverse video in monochrome', () => {
    const mono = loadTheme('default', { NO_COLOR: '1' });
    const empty = paintTable({ rows: [], cols, width: 30, height: 2, focused: true, theme: mono, empty: 'no containers' });
    expect(text(empty)[0]!.trim()).toBe('no containers');
    const sel = paintTable({ rows: [{ key: 'a', parts: [{ text: 'x' }], selected: true }], cols, width: 30, height: 1, focused: true, theme: mono, empty: '' });
    expect(sel[0]![0]!.style).toBe('7');
  });
  it('reuses the rows that show the same as last time (the writer then skips them), and paints the others anew', () => {
    const cache = new Map();
    const row = (key: string, cpu: string, selected = false) => ({ key, parts: [{ text: key }, { text: 'running', color: 'running' as const }, { text: cpu }], selected });
    const paint = (rows: ReturnType<typeof row>[]) => paintTable({ rows, cols, width: 40, height: 4, focused: true, theme, empty: '' }).map((r) => r);
    const first = paintTable({ rows: [row('a', '0.0%'), row('b', '1.0%', true)], cols, width: 40, height: 4, focused: true, theme, empty: '', cache });
    const second = paintTable({ rows: [row('a', '0.0%'), row('b', '2.0%', true)], cols, width: 40, height: 4, focused: true, theme, empty: '', cache });
    expect(second[0]).toBe(first[0]); // same text, same colours
    expect(second[1]).not.toBe(first[1]); // its figure changed
    expect(text(second)[1]).toContain('2.0%');
    expect(second[3]).toBe(first[3]); // blank rows too
    // the selection moves: both rows are painted anew, and look as without a cache
    const third = paintTable({ rows: [row('a', '0.0%', true), row('b', '2.0%')], cols, width: 40, height: 4, focused: true, theme, empty: '', cache });
    expect(third[0]).not.toBe(second[0]);
    expect(third).toEqual(paint([row('a', '0.0%', true), row('b', '2.0%')]));
    // only last time's rows are kept
    expect(cache.size).toBe(3);
  });
});

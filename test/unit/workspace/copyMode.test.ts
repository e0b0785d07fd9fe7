// Copy mode over a real headless terminal: cursor moves, search, selection and the copied text.
import xtermHeadless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { copyModeKey, enterCopyMode, inSelection, osc52, searchFrom, viewTop } from '../../../src/workspace/copyMode.js';

const { Terminal } = xtermHeadless;

async function terminal(text: string, cols = 20, rows = 5) {
  const term = new Terminal({ cols, rows, scrollback: 100, allowProposedApi: true });
  await new Promise<void>((r) => term.write(text, r));
  return term;
}

const keys = (term: InstanceType<typeof Terminal>, s: ReturnType<typeof enterCopyMode>, list: string[], rows = 5) => list.map((k) => copyModeKey(term, s, k, rows)).at(-1);

describe('copy mode', () => {
  it('starts at the program\'s cursor and scrolls only when the cursor leaves the view', async () => {
    const term = await terminal(Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\r\n') + '\r\n$ ');
    const s = enterCopyMode(term);
    expect(s.cursor).toEqual({ y: 12, x: 2 });
    expect(viewTop(term, s)).toBe(8);
    keys(term, s, ['k', 'k', 'k', 'k']);
    expect(s.cursor.y).toBe(8);
    expect(s.offset).toBe(0);
    keys(term, s, ['k']);
    expect(s.offset).toBe(1);
    keys(term, s, ['g']);
    expect([s.cursor, s.offset]).toEqual([{ y: 0, x: 0 }, 8]);
    keys(term, s, ['G']);
    expect([s.cursor.y, s.offset]).toEqual([12, 0]);
  });

  it('copies a selection across lines, trimming line ends, and joins a wrapped line without a newline', async () => {
    // "abcdefghijklmnopqrstuvwxyz" wraps at 20 columns
    const term = await terminal('first line\r\nabcdefghijklmnopqrstuvwxyz\r\nthird   \r\n$ ', 20, 6);
    const s = enterCopyMode(term);
    keys(term, s, ['g', 'l', 'l', ' ']); // mark at "r" of "first"
    expect(s.mark).toEqual({ y: 0, x: 2 });
    keys(term, s, ['j', 'j', 'j', '$']); // to the end of "third"
    expect(inSelection(s, 1, 10)).toBe(true);
    expect(inSelection(s, 0, 1)).toBe(false);
    const r = copyModeKey(term, s, 'y', 6);
    expect(r).toEqual({ type: 'copy', text: 'rst line\nabcdefghijklmnopqrstuvwxyz\nthird' });
  });

  it('selects backwards as well, and y without a selection copies nothing', async () => {
    const term = await terminal('hello world\r\n$ ');
    const s = enterCopyMode(term);
    expect(copyModeKey(term, s, 'y', 5)).toEqual({ type: 'stay' });
    keys(term, s, ['k', '$', 'v', 'h', 'h', 'h', 'h']);
    expect(copyModeKey(term, s, '\r', 5)).toEqual({ type: 'copy', text: 'world' });
    // v again drops the selection; Enter then just leaves
    keys(term, s, ['v']);
    expect(copyModeKey(term, s, '\r', 5)).toEqual({ type: 'leave' });
  });

  it('searches back through the output (n older, N newer) and says when nothing matches', async () => {
    const term = await terminal(Array.from({ length: 30 }, (_, i) => `row ${i + 1}`).join('\r\n') + '\r\n$ ');
    const s = enterCopyMode(term);
    s.search = 'row 1';
    expect(searchFrom(term, s, 5, true)).toBe(true);
    expect(s.cursor).toEqual({ y: 18, x: 0 }); // "row 19"
    keys(term, s, ['n']);
    expect(s.cursor.y).toBe(17); // "row 18"
    keys(term, s, ['N']);
    expect(s.cursor.y).toBe(18);
    const top = viewTop(term, s);
    expect(s.cursor.y).toBeGreaterThanOrEqual(top);
    expect(s.cursor.y).toBeLessThan(top + 5);
    s.search = 'nowhere';
    expect(copyModeKey(term, s, 'n', 5)).toEqual({ type: 'not-found', search: 'nowhere' });
  });

  it('puts text on the outer clipboard with OSC 52', () => {
    expect(osc52('hé\n')).toBe(`\x1b]52;c;${Buffer.from('hé\n').toString('base64')}\x07`);
  });
});

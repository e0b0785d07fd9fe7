// The workspace screen as composed cells, with real processes in the panes.
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace, type WorkspacePane } from '../../src/panes/workspace.js';
import { composeWorkspace, helpLines, screenText, STYLES } from '../../src/workspace/compose.js';
import { prefixHelpRows } from '../../src/workspace/paneCommands.js';

const spaces: Workspace[] = [];
function workspace(n: number, cols: number, rows: number, script = (i: number) => `printf 'pane-${i}\\n'; sleep 30`): Workspace {
  const ws = new Workspace('shop', { cols, rows });
  spaces.push(ws);
  for (let i = 0; i < n; i++) ws.add({ title: i === 0 ? 'shop__user' : `shop__cc_${i}`, kind: i === 0 ? 'user' : 'cc', command: { file: 'sh', args: ['-c', script(i)] } });
  return ws;
}
async function until(pred: () => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > 5000) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const snap = (p: WorkspacePane) => p.session.snapshot();
afterEach(() => {
  for (const w of spaces.splice(0)) w.dispose();
});

describe('workspace screen', () => {
  it('draws 3 panes tiled like tmux, with NTM titles, badges and borders', async () => {
    const ws = workspace(3, 80, 24);
    await until(() => ws.panes.every((p) => p.session.text()[0]?.startsWith('pane-')), 'output in every pane');
    const s = composeWorkspace(ws, { snapshot: snap });
    const text = screenText(s);
    expect(text[0]).toMatch(/^0 shop__user \[working\]─+│1 shop__cc_1 \[working\]─+$/);
    expect(text[1]).toMatch(/^pane-0 +│pane-1$/);
    // tiled for 3 in 80x22: 2 rows, the lone last pane takes the full width
    expect(ws.panes.map((p) => p.rect)).toEqual([
      { x: 0, y: 1, w: 39, h: 10 },
      { x: 40, y: 1, w: 40, h: 10 },
      { x: 0, y: 12, w: 80, h: 11 },
    ]);
    expect(text[11]).toMatch(/^2 shop__cc_2 \[working\]─+/);
    expect(text[12]).toBe('pane-2');
    expect(text[23]).toMatch(/shop {2}tiled {2}3 panes {2}C-b \? help$/);
    // the focused pane's title stands out; the bottom-right cell is never written
    expect(s.cells[0]![0]!.style).toBe(STYLES.titleFocused);
    expect(s.cells[0]![41]!.style).toBe(STYLES.title);
    expect(s.cells[23]!.length).toBe(79);
    // every pane's terminal is sized to its box
    expect(ws.panes.map((p) => [p.session.cols, p.session.rows])).toEqual([[39, 10], [40, 10], [80, 11]]);
  });

  it('zooms the focused pane and falls back to tabs when panes get too small', async () => {
    const ws = workspace(4, 60, 12);
    ws.setFocus(2);
    ws.toggleZoom();
    expect(ws.mode).toBe('zoom');
    expect(ws.focused()!.rect).toEqual({ x: 0, y: 1, w: 60, h: 10 });
    expect(screenText(composeWorkspace(ws, { snapshot: snap }))[0]).toMatch(/^2 shop__cc_2 \(zoomed\) \[working\]/);
    ws.toggleZoom();
    ws.setLayout('even-horizontal');
    ws.setSize(30, 12); // four panes of 6 columns: unreadable
    expect(ws.mode).toBe('tabs');
    const top = screenText(composeWorkspace(ws, { snapshot: snap }))[0]!;
    expect(top).toMatch(/^ 0:shop__user working +1:shop/);
    ws.setSize(120, 40);
    expect(ws.mode).toBe('panes');
  });

  it('swaps the focused pane with its neighbours (C-b { }), round the end, the focus moving with it', () => {
    const ws = workspace(3, 120, 40);
    const titles = () => ws.panes.map((p) => p.title);
    const before = titles();
    const rects = ws.panes.map((p) => ({ ...p.rect }));
    ws.setFocus(1);
    ws.swapFocused(1);
    expect(titles()).toEqual([before[0], before[2], before[1]]);
    expect(ws.focus).toBe(2);
    // the panes took each other's places in the layout
    expect(ws.panes[2]!.rect).toEqual(rects[2]);
    ws.swapFocused(1); // from the last to the first place
    expect(titles()).toEqual([before[1], before[2], before[0]]);
    expect(ws.focus).toBe(0);
    ws.swapFocused(-1);
    expect(titles()).toEqual([before[0], before[2], before[1]]);
    expect(ws.focus).toBe(2);
    for (const p of ws.panes) p.session.dispose();
  });

  it('shows the exit status in the badge and moves focus by direction', async () => {
    const ws = workspace(4, 80, 24, (i) => (i === 3 ? 'exit 7' : 'sleep 30'));
    await until(() => ws.panes[3]!.session.exit !== null, 'pane 3 exits');
    ws.updateStatuses();
    const text = screenText(composeWorkspace(ws, { snapshot: snap }));
    expect(text[11]).toMatch(/3 shop__cc_3 \[exited 7\]/);
    ws.moveFocus('right');
    expect(ws.focus).toBe(1);
    ws.moveFocus('down');
    expect(ws.focus).toBe(3);
    ws.moveFocus('left');
    expect(ws.focus).toBe(2);
    ws.moveFocus('left');
    expect(ws.focus).toBe(2);
  });

  it('puts the cursor where the focused program has it, and hides it under the help', async () => {
    const ws = workspace(2, 80, 24, (i) => `printf 'ab${i}'; sleep 30`);
    await until(() => ws.panes.every((p) => p.session.text()[0]!.startsWith('ab')), 'output');
    ws.setFocus(1);
    // tiled puts two panes one above the other (tmux grows rows first)
    expect(composeWorkspace(ws, { snapshot: snap }).cursor).toEqual({ x: 3, y: 12 });
    const help = composeWorkspace(ws, { snapshot: snap, overlay: { help: { scroll: 0 } } });
    expect(help.cursor).toBeNull();
    expect(screenText(help).join('\n')).toContain('zoom the pane (again: back to the layout)');
  });

  it('the help at 80x24 wraps long lines and scrolls to its last line: nothing is cut', () => {
    const ws = workspace(1, 80, 24);
    const lines = helpLines('C-b', 80);
    expect(lines.every((l) => l.length <= 74)).toBe(true);
    const words = (t: string) => t.replace(/\s+/g, ' ').trim();
    // the command prompt's long help is there whole, over two lines
    expect(words(lines.join(' '))).toContain(words(prefixHelpRows('C-b').find(([k]) => k === ':')![1]));
    const top = screenText(composeWorkspace(ws, { snapshot: snap, overlay: { help: { scroll: 0 } } })).join('\n');
    expect(top).toContain('workspace keys: C-b then');
    expect(top).not.toContain('any other key closes');
    const end = screenText(composeWorkspace(ws, { snapshot: snap, overlay: { help: { scroll: 999 } } })).join('\n');
    expect(end).toContain('j/k scroll, any other key closes this help');
    expect(end).not.toContain('workspace keys: C-b then');
    // each of the last lines is drawn whole (the box is as wide as the longest)
    for (const l of lines.slice(-10)) expect(end).toContain(l);
  });

  it('panes of a session that spans containers say which one they run in', () => {
    const ws = new Workspace('shop', { cols: 120, rows: 30 });
    spaces.push(ws);
    ws.add({ title: 'shop__user', kind: 'user', container: 'shop-web', command: { file: 'sleep', args: ['30'] } });
    let top = screenText(composeWorkspace(ws, { snapshot: snap }))[0]!;
    expect(top).not.toContain('@');
    ws.add({ title: 'shop__user', kind: 'user', container: 'shop-db', command: { file: 'sleep', args: ['30'] } });
    const all = screenText(composeWorkspace(ws, { snapshot: snap })).join('\n');
    expect(all).toMatch(/^0 shop__user @shop-web \[working\]─+$/m);
    expect(all).toMatch(/^1 shop__user_2 @shop-db \[working\]─+$/m);
  });

  it('waiting and failed panes stand out in reverse video; a pane whose program rang carries a ! until answered', () => {
    const ws = workspace(2, 100, 24);
    ws.panes[1]!.status = 'waiting';
    ws.panes[1]!.alert = { text: 'rang the bell', at: Date.now() };
    const s = composeWorkspace(ws, { snapshot: snap });
    const row = screenText(s).find((l) => l.startsWith('1 shop__cc_1'))!;
    expect(row).toMatch(/^1 shop__cc_1 \[waiting\] !/);
    const y = screenText(s).indexOf(row);
    const at = row.indexOf('[waiting]');
    expect(s.cells[y]![at]!.style).toContain('7');
    expect(s.cells[y]![row.indexOf('!')]!.style).toBe(STYLES.alert);
  });
});

// openWorkspace driven through its stdin: raw bytes to the focused pane, prefix commands,
// dialogs; drawn through the `draw` hook so the composed screen can be read.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../src/panes/workspace.js';
import { openWorkspace } from '../../src/workspace/runWorkspace.js';
import type { Cell } from '../../src/term/cells.js';

const spaces: Workspace[] = [];
afterEach(() => {
  for (const w of spaces.splice(0)) w.dispose();
});

function fakeOut(cols: number, rows: number) {
  const ev = new EventEmitter();
  const out = Object.assign(ev, { columns: cols, rows, isTTY: false, written: '', write(s: string) { out.written += s; return true; } });
  return out;
}

async function until(pred: () => boolean, what: string, last: () => string): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > 5000) throw new Error(`timed out: ${what}\n${last()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('openWorkspace input', () => {
  it('C-b q shows each pane\'s number in its middle for a moment; a digit meanwhile focuses that pane', async () => {
    const ws = new Workspace('p', { cols: 80, rows: 24 });
    spaces.push(ws);
    ws.add({ title: 'p__user', kind: 'user', command: { file: 'cat', args: [] } });
    ws.add({ title: 'p__cc_1', kind: 'cc', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: fakeOut(80, 24) as unknown as NodeJS.WriteStream, fullscreen: false, draw: (cells) => (screen = cells) });
    const mid = (i: number) => {
      const r = ws.panes[i]!.rect;
      return screen[r.y + Math.floor(r.h / 2)]!.slice(r.x, r.x + r.w).map((c) => c.ch).join('').trim();
    };
    await until(() => text().includes('p__cc_1'), 'the panes', text);
    stdin.write('\x02q');
    await until(() => mid(0) === '0' && mid(1) === '1', 'the numbers', text);
    stdin.write('1');
    await until(() => ws.focus === 1 && mid(1) === '', 'pane 1 focused, the numbers gone', text);
    expect(ws.panes[1]!.session.text().join('')).not.toContain('1'); // the digit was not typed into it
    stdin.write('\x02q');
    await until(() => mid(0) === '0', 'the numbers again', text);
    await new Promise((r) => setTimeout(r, 1200));
    await until(() => mid(0) === '', 'gone by themselves after a second', text);
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });

  it('sends typed bytes to the focused pane, runs prefix commands and closes panes after asking', async () => {
    const ws = new Workspace('p', { cols: 80, rows: 24 });
    spaces.push(ws);
    ws.add({ title: 'p__user', kind: 'user', command: { file: 'sh', args: [] , env: { PS1: '$ ' } } });
    ws.add({ title: 'p__cc_1', kind: 'cc', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    const out = fakeOut(80, 24);
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({
      workspace: ws,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: out as unknown as NodeJS.WriteStream,
      fullscreen: false,
      draw: (cells) => (screen = cells),
    });
    await until(() => text().includes('$'), 'the shell prompt', text);
    stdin.write('echo $((40+2))\r');
    await until(() => /^42$/m.test(text()), 'the shell answer', text);

    stdin.write('\x02o'); // next pane: cat
    await until(() => ws.focus === 1, 'focus on pane 1', text);
    stdin.write('meow\r');
    await until(() => (text().match(/meow/g) ?? []).length === 2, 'cat echo', text);
    expect(ws.panes[0]!.session.text().join('\n')).not.toContain('meow');

    stdin.write('\x02z');
    await until(() => text().startsWith('1 p__cc_1 (zoomed)'), 'zoom', text);
    stdin.write('\x02z\x02x');
    await until(() => text().includes('close pane 1 p__cc_1 (ends its process)? y/n'), 'the question', text);
    stdin.write('n');
    await until(() => !text().includes('close pane'), 'kept', text);
    expect(ws.panes.length).toBe(2);
    stdin.write('\x02xy');
    await until(() => ws.panes.length === 1, 'closed', text);
    stdin.write('\x02xy');
    expect(await done).toBe('empty');
    expect(out.written).toContain('\x1b[?2004l'); // outer modes restored
  });

  it('detaches on prefix d and leaves the panes running', async () => {
    const ws = new Workspace('p', { cols: 60, rows: 20 });
    spaces.push(ws);
    ws.add({ title: 'p__cc_1', kind: 'cc', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: fakeOut(60, 20) as unknown as NodeJS.WriteStream, fullscreen: false, prefix: 'C-a', draw: () => {} });
    stdin.write('\x01d');
    expect(await done).toBe('detach');
    expect(ws.panes[0]!.session.running).toBe(true);
  });
  it('with the mouse on: a click focuses a pane, the wheel scrolls back in copy mode, a program that asks for the mouse gets it', async () => {
    const ws = new Workspace('p', { cols: 80, rows: 24 });
    spaces.push(ws);
    ws.add({ title: 'p__user', kind: 'user', command: { file: 'sh', args: ['-c', 'seq 1 100; exec cat'] } });
    // asks for mouse reports (1000 + SGR 1006), then shows what it gets with ^[ visible
    ws.add({ title: 'p__cc_1', kind: 'cc', command: { file: 'sh', args: ['-c', "printf 'mouse-ready\\033[?1000h\\033[?1006h\\n'; exec cat -v"] } });
    const stdin = new PassThrough();
    const out = fakeOut(80, 24);
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: out as unknown as NodeJS.WriteStream, fullscreen: false, mouse: true, draw: (cells) => (screen = cells) });
    expect(out.written).toContain('\x1b[?1006h');
    await until(() => text().includes('100') && text().includes('mouse-ready'), 'both panes', text);
    const [top, bottom] = [ws.panes[0]!.rect, ws.panes[1]!.rect];
    const at = (r: { x: number; y: number }, dx: number, dy: number, code: number, kind = 'M') => `\x1b[<${code};${r.x + dx + 1};${r.y + dy + 1}${kind}`;

    // a click in the second pane focuses it, and its program (it asked) gets the click at its own coordinates
    stdin.write(at(bottom, 2, 1, 0) + at(bottom, 2, 1, 0, 'm'));
    await until(() => ws.focus === 1, 'focus by click', text);
    await until(() => ws.panes[1]!.session.text().join('\n').includes('^[[<0;3;2M^[[<0;3;2m'), 'the click in the program', () => ws.panes[1]!.session.text().join('\n'));

    // the wheel over the first pane (no mouse asked there): copy mode, three lines back; down again leaves it
    stdin.write(at(top, 5, 3, 64));
    await until(() => text().includes('copy mode') && ws.focus === 0, 'copy mode by the wheel', text);
    expect(text()).toContain('[3/');
    stdin.write(at(top, 5, 3, 65));
    await until(() => !text().includes('copy mode'), 'back at the bottom', text);
    // reports cut between two reads still count, and never reach the pane as text
    stdin.write('\x1b[<0;' + String(bottom.x + 2));
    stdin.write(';' + String(bottom.y + 2) + 'M');
    await until(() => ws.focus === 1, 'focus by a split report', text);
    expect(ws.panes[0]!.session.text().join('\n')).not.toContain('[<');
    stdin.write('\x02d');
    expect(await done).toBe('detach');
    expect(out.written).toContain('\x1b[?1006l');
  });

  it('the command prompt: tab completes, the candidates stand before the prompt, commands act, unknown ones are said', async () => {
    const ws = new Workspace('p', { cols: 100, rows: 24 });
    spaces.push(ws);
    ws.add({ title: 'p__user', kind: 'user', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: fakeOut(100, 24) as unknown as NodeJS.WriteStream, fullscreen: false, draw: (cells) => (screen = cells) });
    stdin.write('\x02:sel\t');
    await until(() => text().includes('[select-layout select-pane select-window] :select-'), 'the candidates', text);
    stdin.write('p\t-T renamed\r');
    await until(() => text().startsWith('0 renamed'), 'the pane renamed', text);
    stdin.write('\x02:nosuch\r');
    await until(() => text().includes('unknown command: nosuch'), 'the error line', text);
    // nothing typed in the prompt reached the pane
    expect(ws.panes[0]!.session.text().join('\n')).not.toMatch(/sel|nosuch/);
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });

  it('windows: C-b c opens one, the status line lists them, n p and digits switch, , renames, ! breaks a pane out, & closes after asking', async () => {
    const ws = new Workspace('p', { cols: 100, rows: 24 });
    spaces.push(ws);
    ws.add({ title: 'p__cc_1', kind: 'cc', command: { file: 'cat', args: [] } });
    ws.add({ title: 'p__cc_2', kind: 'cc', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const status = () => text().split('\n').at(-1) ?? '';
    let shells = 0;
    const done = openWorkspace({
      workspace: ws,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: fakeOut(100, 24) as unknown as NodeJS.WriteStream,
      fullscreen: false,
      draw: (cells) => (screen = cells),
      // every new pane asks for the same title: the workspace numbers it on
      newPane: () => (++shells, { title: 'p__user', kind: 'user', command: { file: 'cat', args: [] } }),
    });
    await until(() => text().includes('p__cc_2'), 'the panes', text);
    // one window: no list
    expect(status()).not.toMatch(/0:cc/);
    stdin.write('\x02c');
    await until(() => status().includes('0:cc 1:shell*'), 'the new window listed and shown', text);
    expect(text()).toContain('0 p__user [');
    expect(text()).not.toContain('p__cc_1');
    stdin.write('\x02"');
    await until(() => text().includes('1 p__user_2'), 'a second shell in that window, its title numbered on', text);
    expect(shells).toBe(2);
    stdin.write('\x02x');
    await until(() => status().includes('close pane 1 p__user_2'), 'asked', text);
    stdin.write('y');
    await until(() => !text().includes('p__user_2'), 'closed', text);
    expect(ws.allPanes().every((p) => p.session.running)).toBe(true);
    stdin.write('\x02p');
    await until(() => status().includes('0:cc* 1:shell') && text().includes('p__cc_1'), 'back to window 0', text);
    stdin.write('\x02n');
    await until(() => status().includes('1:shell*'), 'window 1 again (n)', text);
    stdin.write('\x020');
    await until(() => status().includes('0:cc*'), 'window 0 by its digit', text);
    stdin.write('\x027');
    await until(() => status().includes('no window 7'), 'a window that is not there is said', text);
    // , renames the window shown
    stdin.write('\x02,');
    await until(() => status().includes('rename window: cc'), 'the rename prompt', text);
    stdin.write('\x15agents\r');
    await until(() => status().includes('0:agents* 1:shell'), 'renamed', text);
    // ! moves the focused pane into a window of its own
    ws.setFocus(1);
    stdin.write('\x02!');
    await until(() => status().includes('0:agents 1:shell 2:cc*'), 'the pane broken out', text);
    expect(ws.windows[0]!.panes.map((p) => p.title)).toEqual(['p__cc_1']);
    expect(text()).toContain('p__cc_2');
    // & asks, n keeps it, y closes the window and its pane
    stdin.write('\x02&');
    await until(() => status().includes('close window 2 cc and its 1 pane (ends 1 process)? y/n'), 'the question', text);
    stdin.write('n');
    await until(() => !status().includes('close window'), 'kept', text);
    expect(ws.windows.length).toBe(3);
    const gone = ws.panes[0]!;
    stdin.write('\x02&');
    await until(() => status().includes('close window 2'), 'asked again', text);
    stdin.write('y');
    await until(() => status().includes('0:agents 1:shell*'), 'the window closed', text);
    expect(gone.session.running).toBe(false);
    // the last pane of a window exiting closes that window too
    ws.removePane(ws.panes[0]!);
    await until(() => ws.windows.length === 1 && !status().includes('1:'), 'the empty window gone', text);
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });

  it('C-b R runs every exited pane of the window again; running ones are left alone', async () => {
    const ws = new Workspace('p', { cols: 80, rows: 24 });
    spaces.push(ws);
    const runs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-respawn-')), 'runs');
    ws.add({ title: 'p__a', kind: 'cc', command: { file: 'sh', args: ['-c', `echo a >> ${runs}; exit 3`] } });
    ws.add({ title: 'p__b', kind: 'cc', command: { file: 'sh', args: ['-c', `echo b >> ${runs}; exit 4`] } });
    ws.add({ title: 'p__c', kind: 'cc', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: fakeOut(80, 24) as unknown as NodeJS.WriteStream, fullscreen: false, draw: (cells) => (screen = cells) });
    await until(() => ws.panes[0]!.session.exit !== null && ws.panes[1]!.session.exit !== null, 'two panes exited', text);
    const cat = ws.panes[2]!.session;
    stdin.write('\x02R');
    await until(() => text().includes('2 panes running again'), 'said', text);
    const count = () => (fs.existsSync(runs) ? fs.readFileSync(runs, 'utf8').split('\n').filter(Boolean).sort().join('') : '');
    await until(() => count() === 'aabb', 'both ran a second time', count);
    expect(ws.panes[2]!.session).toBe(cat);
    expect(cat.running).toBe(true);
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });

  it('panes that do not fit the terminal are shown as tabs, and the status line says so and how to see them', async () => {
    const ws = new Workspace('p', { cols: 100, rows: 8, layout: 'even-vertical' });
    spaces.push(ws);
    for (let i = 0; i < 6; i++) ws.add({ title: `p__cc_${i}`, kind: 'cc', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: fakeOut(100, 8) as unknown as NodeJS.WriteStream, fullscreen: false, draw: (cells) => (screen = cells) });
    await until(() => text().includes('6 panes do not fit 100x8 in even-vertical: one at a time'), 'the message', text);
    expect(ws.mode).toBe('tabs');
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });

  it('C-b ? help: j/k scroll it, any other key closes it (and goes nowhere else)', async () => {
    const ws = new Workspace('p', { cols: 80, rows: 24 });
    spaces.push(ws);
    ws.add({ title: 'p__user', kind: 'user', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: fakeOut(80, 24) as unknown as NodeJS.WriteStream, fullscreen: false, draw: (cells) => (screen = cells) });
    stdin.write('\x02?');
    await until(() => text().includes('workspace keys: C-b then'), 'the help', text);
    stdin.write('j'.repeat(60));
    await until(() => text().includes('any other key closes this help') && !text().includes('workspace keys: C-b then'), 'scrolled to its end', text);
    stdin.write('x');
    await until(() => !text().includes('any other key closes'), 'closed', text);
    expect(ws.panes[0]!.session.text().join('')).not.toContain('j');
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });

  it('C-b % splits the pane to its right and C-b " below it, as tmux; C-arrows and M-arrows move its border; C-b space goes back to a preset', async () => {
    const ws = new Workspace('p', { cols: 100, rows: 30 });
    spaces.push(ws);
    ws.add({ title: 'p__user', kind: 'user', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    let n = 0;
    const done = openWorkspace({
      workspace: ws,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: fakeOut(100, 30) as unknown as NodeJS.WriteStream,
      fullscreen: false,
      draw: (cells) => (screen = cells),
      newPane: () => ({ title: `p__sh${++n}`, kind: 'user', command: { file: 'cat', args: [] } }),
    });
    await until(() => text().includes('p__user'), 'the pane', text);
    const rect = (title: string) => ws.panes.find((p) => p.title === title)!.rect;
    stdin.write('\x02%');
    await until(() => text().includes('p__sh1'), 'split right', text);
    // the area is 100x28 below the title row: halves with a border between
    expect([rect('p__user'), rect('p__sh1')]).toEqual([
      { x: 0, y: 1, w: 50, h: 28 },
      { x: 51, y: 1, w: 49, h: 28 },
    ]);
    expect(ws.focused()!.title).toBe('p__sh1');
    stdin.write('\x02"');
    await until(() => text().includes('p__sh2'), 'split below', text);
    expect(rect('p__sh1')).toEqual({ x: 51, y: 1, w: 49, h: 14 });
    expect(rect('p__sh2')).toEqual({ x: 51, y: 16, w: 49, h: 13 });
    // the left pane keeps its place; the status line says the layout is the window's own
    expect(rect('p__user')).toEqual({ x: 0, y: 1, w: 50, h: 28 });
    expect(text().split('\n').at(-1)).toContain('p  custom  3 panes');
    // C-b C-up moves the bottom pane's top border up a cell; M-left five cells left
    stdin.write('\x02\x1b[1;5A');
    await until(() => rect('p__sh2').h === 14, 'resized up', text);
    stdin.write('\x02\x1b[1;3D');
    await until(() => rect('p__sh2').x === 46, 'resized left', text);
    expect(rect('p__user').w).toBe(45);
    // closing a pane gives its room back to its neighbour
    stdin.write('\x02x');
    await until(() => text().includes('close pane'), 'asked', text);
    stdin.write('y');
    await until(() => !text().includes('p__sh2'), 'closed', text);
    expect(rect('p__sh1')).toEqual({ x: 46, y: 1, w: 54, h: 28 });
    // a preset again
    stdin.write('\x02 ');
    await until(() => !text().includes('custom'), 'a preset', text);
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });

  it('C-b m mutes the focused pane (its title says so) and again unmutes it', async () => {
    const ws = new Workspace('p', { cols: 80, rows: 24 });
    spaces.push(ws);
    ws.add({ title: 'p__cc_1', kind: 'cc', command: { file: 'cat', args: [] } });
    const stdin = new PassThrough();
    let screen: Cell[][] = [];
    const text = () => screen.map((r) => r.map((c) => c.ch).join('').trimEnd()).join('\n');
    const done = openWorkspace({ workspace: ws, stdin: stdin as unknown as NodeJS.ReadStream, stdout: fakeOut(80, 24) as unknown as NodeJS.WriteStream, fullscreen: false, draw: (cells) => (screen = cells) });
    stdin.write('\x02m');
    await until(() => text().startsWith('0 p__cc_1 (muted)') && text().includes('p__cc_1: muted'), 'muted', text);
    expect(ws.panes[0]!.muted).toBe(true);
    stdin.write('\x02m');
    await until(() => !text().includes('(muted)'), 'unmuted', text);
    stdin.write('\x02d');
    expect(await done).toBe('detach');
  });
});

import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../../src/term/cells.js';
import { diffScreens } from '../../../src/term/diff.js';
import { ScreenWriter } from '../../../src/term/writer.js';

const { Terminal } = xterm;

function screen(frame: string, cols: number, rows: number) {
  const lines = frame.split('\n');
  return Array.from({ length: rows }, (_, y) => parseLine(lines[y] ?? '', cols));
}

function write(term: InstanceType<typeof Terminal>, data: string): Promise<void> {
  return new Promise((r) => term.write(data, r));
}

function text(term: InstanceType<typeof Terminal>): string[] {
  const b = term.buffer.active;
  return Array.from({ length: term.rows }, (_, y) => b.getLine(y)!.translateToString(true).trimEnd());
}

const RED = '\x1b[31m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[39m\x1b[22m';

describe('parseLine', () => {
  it('splits styled text into one cell per column and pads', () => {
    const cells = parseLine(`a${RED}b${BOLD}c${RESET}d`, 6);
    expect(cells.map((c) => c.ch).join('')).toBe('abcd  ');
    expect(cells.map((c) => c.style)).toEqual(['', '31', '31;1', '', '', '']);
  });
  it('gives wide characters two columns and cuts at the width', () => {
    const cells = parseLine('日本x', 4);
    expect(cells.map((c) => c.ch)).toEqual(['日', '', '本', '']);
  });
  it('understands 256 and true colours', () => {
    expect(parseLine('\x1b[38;5;208mx\x1b[48;2;1;2;3my', 2).map((c) => c.style)).toEqual(['38;5;208', '38;5;208;48;2;1;2;3']);
  });
});

describe('diffScreens against a real terminal emulator', () => {
  it('the terminal shows exactly the last frame after a series of diffs', async () => {
    const cols = 30;
    const rows = 6;
    const term = new Terminal({ cols, rows, allowProposedApi: true });
    const frames = [
      `berth ${RED}down${RESET}\n┌────┐\n│ a  │\n└────┘`,
      `berth ${BOLD}up${RESET}  3 projects\n┌────┐\n│ ab │ 日本\n└────┘\nfooter`,
      `berth ${BOLD}up${RESET}  4 projects\n┌────┐\n│ ab │ 本\n└────┘\n`,
    ];
    let prev = null;
    for (const f of frames) {
      const next = screen(f, cols, rows);
      await write(term, diffScreens(prev, next));
      prev = next;
    }
    expect(text(term)).toEqual(['berth up  4 projects', '┌────┐', '│ ab │ 本', '└────┘', '', '']);
    // Styles survive: "up" is bold, the rest of the line is not.
    const line = term.buffer.active.getLine(0)!;
    expect(line.getCell(6)!.isBold()).toBeTruthy();
    expect(line.getCell(10)!.isBold()).toBeFalsy();
    term.dispose();
  });

  it('writes only what changed: one changed figure costs a few bytes', () => {
    const a = screen('CPU  12.5%  MEM 64M\nline two stays', 40, 3);
    const b = screen('CPU  13.0%  MEM 64M\nline two stays', 40, 3);
    const full = diffScreens(null, a);
    const delta = diffScreens(a, b);
    expect(delta).toBe('\x1b[1;7H\x1b[0m3.0');
    expect(full.length).toBeGreaterThan(100);
    expect(diffScreens(b, b)).toBe('');
  });
});

describe('ScreenWriter overlays', () => {
  it('draws a region on top of Ink frames and redraws it without a new frame, writing only changed cells', async () => {
    const { ScreenWriter } = await import('../../../src/term/writer.js');
    const { paintRow } = await import('../../../src/term/paint.js');
    const { EventEmitter } = await import('node:events');
    let written = '';
    const out = Object.assign(new EventEmitter(), {
      columns: 20,
      rows: 4,
      write(s: string) {
        written += s;
        return true;
      },
    }) as unknown as NodeJS.WriteStream;
    const term = new Terminal({ cols: 20, rows: 4, allowProposedApi: true });
    const w = new ScreenWriter(out, { maxFps: 1000 });
    w.setOverlay('t', { x: 1, y: 1, rows: [paintRow([{ text: ' cpu 1.0%', fg: 'green' }], 10)] });
    w.flush(); // nothing from Ink yet: overlays wait
    expect(written).toBe('');
    w.frame('header\n|          |\n|          |\nfooter');
    w.flush();
    await write(term, written);
    expect(text(term)).toEqual(['header', '| cpu 1.0% |', '|          |', 'footer']);
    expect(term.buffer.active.getLine(1)!.getCell(2)!.getFgColor()).toBe(2); // green
    written = '';
    w.setOverlay('t', { x: 1, y: 1, rows: [paintRow([{ text: ' cpu 2.5%', fg: 'green' }], 10)] });
    w.flush();
    expect(written).toBe('\x1b[2;7H\x1b[0;32m2.5\x1b[0m');
    await write(term, written);
    expect(text(term)[1]).toBe('| cpu 2.5% |');
    written = '';
    w.setOverlay('t', null);
    w.flush();
    await write(term, written);
    expect(text(term)[1]).toBe('|          |');
    w.close();
    term.dispose();
  });
});

describe('ScreenWriter: rows that did not change', () => {
  it('keeps a composed row whose base and overlay rows are the same objects as last time, so the diff skips it', async () => {
    const { paintRow } = await import('../../../src/term/paint.js');
    const { EventEmitter } = await import('node:events');
    let written = '';
    const out = Object.assign(new EventEmitter(), { columns: 20, rows: 3, write: (s: string) => ((written += s), true) }) as unknown as NodeJS.WriteStream;
    const w = new ScreenWriter(out, { maxFps: 1000 });
    const still = paintRow([{ text: 'idle 0.0%' }], 10);
    w.frame('header\n|          |\n|          |');
    w.setOverlay('t', { x: 1, y: 1, rows: [still, paintRow([{ text: 'busy 1.0%' }], 10)] });
    w.flush();
    const before = (w as unknown as { prev: unknown[][] }).prev;
    written = '';
    w.setOverlay('t', { x: 1, y: 1, rows: [still, paintRow([{ text: 'busy 2.0%' }], 10)] });
    w.flush();
    const after = (w as unknown as { prev: unknown[][] }).prev;
    expect(after[1]).toBe(before[1]);
    expect(after[2]).not.toBe(before[2]);
    expect(written).toBe('\x1b[3;7H\x1b[0m2');
    w.close();
  });
});

describe('ScreenWriter.retarget (a dashboard view that comes back on another terminal)', () => {
  const fakeOut = async (columns: number, rows: number) => {
    const { EventEmitter } = await import('node:events');
    const o = Object.assign(new EventEmitter(), {
      columns,
      rows,
      written: '',
      write(s: string) {
        o.written += s;
        return true;
      },
    });
    return o;
  };

  it('draws the last frame whole on a terminal of the same size, without a new frame from Ink', async () => {
    const a = await fakeOut(20, 3);
    const b = await fakeOut(20, 3);
    const w = new ScreenWriter(a as unknown as NodeJS.WriteStream, { maxFps: 1000 });
    let resized = 0;
    w.sink.on('resize', () => resized++);
    w.frame('one\ntwo\nthree');
    w.flush();
    w.suspend();
    w.retarget(b as unknown as NodeJS.WriteStream);
    w.resume();
    w.flush();
    const term = new Terminal({ cols: 20, rows: 3, allowProposedApi: true });
    await write(term, b.written);
    expect(text(term)).toEqual(['one', 'two', 'three']);
    expect(resized).toBe(0);
    // the old terminal hears nothing more, even when it resizes
    const before = a.written;
    a.emit('resize');
    w.frame('one\ntwo\nfour');
    w.flush();
    expect(a.written).toBe(before);
    term.dispose();
    w.close();
  });

  it('on a terminal of another size it clears, tells Ink (resize) and waits for its next frame', async () => {
    const a = await fakeOut(20, 3);
    const b = await fakeOut(10, 2);
    const w = new ScreenWriter(a as unknown as NodeJS.WriteStream, { maxFps: 1000 });
    let resized = 0;
    w.sink.on('resize', () => resized++);
    w.frame('a wide old frame\ntwo\nthree');
    w.flush();
    w.suspend();
    w.retarget(b as unknown as NodeJS.WriteStream);
    w.resume();
    w.flush();
    expect(resized).toBe(1);
    expect(w.sink.columns).toBe(10);
    expect(b.written).toBe('\x1b[0m\x1b[2J'); // the old layout is not drawn
    w.frame('new\nsize');
    w.flush();
    const term = new Terminal({ cols: 10, rows: 2, allowProposedApi: true });
    await write(term, b.written);
    expect(text(term)).toEqual(['new', 'size']);
    term.dispose();
    w.close();
  });
});

describe('paintRow', () => {
  it('gives wide characters two cells and zero-width ones none, and cuts at the width', async () => {
    const { paintRow } = await import('../../../src/term/paint.js');
    const row = paintRow([{ text: 'a日b', fg: 'red' }, { text: 'e\u0301x' }], 6);
    expect(row.map((c) => c.ch)).toEqual(['a', '日', '', 'b', 'e\u0301', 'x']);
    expect(row[1]!.style).toBe('31');
    expect(paintRow([{ text: 'ab日' }], 3).map((c) => c.ch)).toEqual(['a', 'b', ' ']);
  });
});

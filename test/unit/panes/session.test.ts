// PaneSession with real processes through a real pty (no container needed).
import { afterEach, describe, expect, it } from 'vitest';
import { PaneSession } from '../../../src/panes/session.js';
import { runsOf, snapshotText } from '../../../src/panes/snapshot.js';
import { FrameScheduler } from '../../../src/panes/scheduler.js';

const sessions: PaneSession[] = [];
function pane(args: string[], cols = 40, rows = 10): PaneSession {
  const p = new PaneSession({ file: args[0]!, args: args.slice(1), cols, rows });
  sessions.push(p);
  p.start();
  return p;
}
function exited(p: PaneSession): Promise<void> {
  return new Promise((r) => (p.exit ? r() : p.once('exit', () => r())));
}
async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

describe('PaneSession', () => {
  it('a bell, an OSC 9 and an OSC 777 notification from the program call the user; a progress report does not', async () => {
    const p = pane(['sh', '-c', "printf 'a\\007'; sleep 0.1; printf '\\033]9;4;1;50\\007'; printf '\\033]9;tests pass\\007'; printf '\\033]777;notify;claude;needs your permission\\007'; sleep 0.3"]);
    const alerts: string[] = [];
    p.on('alert', (t: string) => alerts.push(t));
    await exited(p);
    await p.flushed();
    expect(alerts).toEqual(['rang the bell', 'tests pass', 'claude: needs your permission']);
  });

  it("an agent's hook report (OSC 777;berth;state;…) changes its pane's state at once, without a status reading", async () => {
    const { Workspace } = await import('../../../src/panes/workspace.js');
    const ws = new Workspace('p', { cols: 80, rows: 24, layout: 'tiled' });
    // the screen says working the whole time (a spinner line, fresh output); only the hook says waiting
    const script = "i=0; while [ $i -lt 30 ]; do printf '\\r* %d (esc to interrupt)' $i; [ $i = 5 ] && printf '\\033]777;berth;state;waiting;Edit a.ts\\007'; sleep 0.05; i=$((i+1)); done";
    const pane = ws.add({ title: 'p__cc_1', kind: 'cc', command: { file: 'sh', args: ['-c', script] } });
    const seen: Array<[string, string | undefined, number]> = [];
    ws.on('status', (x: { status: string; reason?: string }) => seen.push([x.status, x.reason, Date.now() - pane.session.signal!.at]));
    // nobody calls ws.updateStatuses(): the report alone must move it
    await until(() => seen.length > 0, 'a status event');
    expect(seen[0]!.slice(0, 2)).toEqual(['waiting', 'Edit a.ts']);
    expect(seen[0]![2]).toBeLessThan(50);
    ws.dispose();
  });

  it("monitor-silence: a pane quiet that long calls the user once per quiet spell and counts as done", async () => {
    const { Workspace } = await import('../../../src/panes/workspace.js');
    const ws = new Workspace('p', { cols: 80, rows: 24, layout: 'tiled' });
    // a build: output, quiet, output again, quiet; its screen keeps saying it works
    const pane = ws.add({ title: 'p__user', kind: 'cc', command: { file: 'sh', args: ['-c', "printf 'building (esc to interrupt)'; sleep 1.6; printf ' again (esc to interrupt)'; sleep 5"] } });
    const alerts: string[] = [];
    ws.on('alert', (_p: unknown, text: string) => alerts.push(text));
    ws.setSilence(1);
    await until(() => pane.session.lastOutput > 0, 'first output');
    const t0 = Date.now();
    while (Date.now() - t0 < 3400) {
      ws.updateStatuses();
      await new Promise((r) => setTimeout(r, 100));
    }
    // two quiet spells of a second or more: two calls, not one per reading
    expect(alerts).toEqual(['silent for 1 s', 'silent for 1 s']);
    expect(pane.status).toBe('done');
    // off: no more calls
    ws.setSilence(0);
    ws.updateStatuses();
    expect(alerts).toHaveLength(2);
    ws.dispose();
  });

  it('a redraw answering a resize is not counted as output (a resize or zoom does not make an idle agent look busy)', async () => {
    const p = pane(['sh', '-c', 'trap "echo redrawn" WINCH; echo ready; while :; do sleep 0.05; done']);
    await until(() => p.text().join('\n').includes('ready'), 'the program up');
    await new Promise((r) => setTimeout(r, 100));
    const before = p.lastOutput;
    expect(before).toBeGreaterThan(0);
    p.resize(50, 12);
    await until(() => p.text().join('\n').includes('redrawn'), 'the redraw');
    expect(p.lastOutput).toBe(before);
  });

  it('renders colours and attributes from printf into styled runs', async () => {
    const p = pane(['printf', '\\033[1;31mred\\033[0m \\033[4;38;5;196mx\\033[0m \\033[7;48;2;1;2;3my\\033[0m \\033[3;2;92mz\\033[0m']);
    await exited(p);
    await p.flushed();
    const s = p.snapshot();
    expect(snapshotText(s)[0]).toBe('red x y z');
    const runs = runsOf(s.lines[0]!).filter((r) => r.text.trim());
    expect(runs.map((r) => [r.text.trim(), r.style])).toEqual([
      ['red', '1;31'],
      ['x', '4;38;5;196'],
      ['y', '7;48;2;1;2;3'],
      ['z', '2;3;92'],
    ]);
    expect(p.exit).toEqual({ code: 0, signal: undefined });
  });

  it('keeps wide characters in two columns', async () => {
    const p = pane(['printf', 'a界b']);
    await exited(p);
    await p.flushed();
    const row = p.snapshot().lines[0]!;
    expect(row.slice(0, 4).map((c) => c.ch)).toEqual(['a', '界', '', 'b']);
  });

  it('scrolls `seq` output and reports the exit status', async () => {
    const p = pane(['sh', '-c', 'seq 1 100; exit 3'], 20, 5);
    await exited(p);
    await p.flushed();
    expect(snapshotText(p.snapshot())).toEqual(['97', '98', '99', '100', '']);
    expect(p.exit?.code).toBe(3);
  });

  it('answers terminal probes (cursor position report) so programs do not stall', async () => {
    // The shell asks for the cursor position and prints what the terminal answered.
    const p = pane(['sh', '-c', 'stty raw -echo; printf "ab\\033[6n"; r=$(dd bs=6 count=1 2>/dev/null); stty sane; printf "\\r\\n%s" "$r" | od -c | head -2'], 60, 6);
    await exited(p);
    await p.flushed();
    expect(snapshotText(p.snapshot()).join('\n')).toMatch(/033\s+\[\s+1\s+;\s+3\s+R/);
  });

  it('follows the alternate screen and resizes the process with the terminal', async () => {
    const p = pane(['sh', '-c', 'printf "\\033[?1049h\\033[?25lALT"; read x; stty size; read y; printf "\\033[?1049l"; read z'], 30, 8);
    await until(() => p.text()[0]!.startsWith('ALT'), 'alternate screen');
    const s = p.snapshot();
    expect(s.alternate).toBe(true);
    expect(s.cursor.visible).toBe(false);
    p.resize(50, 12);
    p.write('\r');
    await until(() => p.text().some((l) => l.includes('12 50')), 'stty size after resize');
    p.write('\r');
    await until(() => p.snapshot().alternate === false, 'back to the normal screen');
  });

  it('echoes typed input, can be killed and respawned', async () => {
    const p = pane(['cat'], 30, 5);
    p.write('hello\r');
    await until(() => p.text().filter((l) => l === 'hello').length === 2, 'echo and cat output');
    p.kill('SIGKILL');
    await exited(p);
    expect(p.exit?.signal).toBe(9);
    p.respawn();
    expect(p.running).toBe(true);
    p.write('again\r');
    await until(() => p.text().includes('again'), 'respawned cat');
  });

  it('parses the echo of a keystroke as it arrives, not on a later timer', async () => {
    const p = pane(['cat'], 30, 5);
    await new Promise((r) => setTimeout(r, 100));
    // Watch the pty's output go into the terminal: was it parsed during that same call?
    const session = p as unknown as { feed(d: string): void };
    const feed = session.feed.bind(p);
    let feeding = false;
    let parsedWhileFeeding = 0;
    session.feed = (d: string) => {
      feeding = true;
      feed(d);
      feeding = false;
    };
    p.term.onWriteParsed(() => {
      if (feeding) parsedWhileFeeding++;
    });
    p.write('x');
    await until(() => p.text()[0] === 'x', 'echo');
    expect(parsedWhileFeeding).toBeGreaterThan(0);
  });

  it('marks only changed panes dirty', async () => {
    const a = pane(['cat'], 20, 3);
    const b = pane(['cat'], 20, 3);
    await new Promise((r) => setTimeout(r, 100));
    a.snapshot();
    b.snapshot();
    a.write('x');
    await until(() => a.dirty, 'a dirty');
    expect(b.dirty).toBe(false);
  });
});

describe('FrameScheduler', () => {
  it('draws at most maxFps frames a second under a flood of changes, but the first at once', async () => {
    let frames = 0;
    const s = new FrameScheduler(() => frames++, 30);
    const t0 = Date.now();
    while (Date.now() - t0 < 500) {
      s.request();
      await new Promise((r) => setImmediate(r));
    }
    s.stop();
    expect(frames).toBeGreaterThan(8);
    expect(frames).toBeLessThanOrEqual(17);
  });
  it('draws an expedited change without waiting for the slot', async () => {
    const times: number[] = [];
    const s = new FrameScheduler(() => times.push(Date.now()), 5);
    s.request();
    await new Promise((r) => setTimeout(r, 10));
    s.expedite();
    const t = Date.now();
    s.request();
    await new Promise((r) => setTimeout(r, 20));
    s.stop();
    expect(times.length).toBe(2);
    expect(times[1]! - t).toBeLessThan(15);
  });
});

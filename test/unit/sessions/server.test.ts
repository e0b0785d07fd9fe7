// The session server in this process with real pty panes (no container): attach and detach
// through the real client, and the socket coming back after the runtime directory was
// cleared (what systemd-logind does when the user's last session ends).
import { EventEmitter } from 'node:events';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../../src/panes/workspace.js';
import { attachTerminal, request } from '../../../src/sessions/client.js';
import { socketPath, type SessionInfo } from '../../../src/sessions/protocol.js';
import { inQuietHours, SessionServer } from '../../../src/sessions/server.js';
let dir: string;
let server: SessionServer;
/** A local web server standing in for a webhook receiver: what it was sent. */
let webhook: string | undefined;
const hooked: unknown[] = [];
const saved = process.env.XDG_RUNTIME_DIR;
/** [notify] states of the test's server (default: waiting and error). */
let notifyStates: string[] | undefined;

const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    hooked.push(JSON.parse(body));
    res.end('ok');
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  webhook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});
afterAll(() => receiver.close());

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-server-'));
  process.env.XDG_RUNTIME_DIR = path.join(dir, 'run');
  fs.mkdirSync(process.env.XDG_RUNTIME_DIR);
  server = new SessionServer({
    socketPath: socketPath(),
    notify: () => ({ states: notifyStates, bell: true, desktop: true, command: ['sh', '-c', 'echo "$1 $2 $3 $4" >> "$0"', path.join(dir, 'attention.log'), '{project}', '{pane}', '{state}', '{message}'], webhook }),
    // a workspace with one pane running a shell that prints a marker, as a spawn would start
    prepare: async (req, size) => {
      const ws = new Workspace(req.project, { ...size, layout: 'tiled' });
      ws.add({ title: `${req.project}__user`, kind: 'user', command: { file: 'sh', args: ['-c', `echo pane-up in ${req.project}; exec cat`] } });
      // an agent that asks the user something after a moment
      if (req.project === 'ringer') ws.add({ title: 'ringer__cc_1', kind: 'cc', command: { file: 'sh', args: ['-c', "sleep 0.5; printf '\\033]9;build done\\007'; exec cat"] } });
      if (req.project === 'asker') ws.add({ title: 'asker__cc_1', kind: 'cc', command: { file: 'sh', args: ['-c', 'sleep 1; printf "Do you want to proceed? (y/n) "; exec cat'] } });
      // an agent whose hooks report its states while its screen keeps changing
      if (req.project === 'hooked') {
        const script = [
          'i=0; while [ $i -lt 8 ]; do printf "\\r* thinking %d (esc to interrupt)" $i; sleep 0.1; i=$((i+1)); done',
          'printf "\\033]777;berth;state;waiting;Bash: rm -rf build\\007"',
          'read answer',
          'printf "\\033]777;berth;state;done\\007"',
          'exec cat',
        ].join('; ');
        ws.add({ title: 'hooked__cc_1', kind: 'cc', command: { file: 'sh', args: ['-c', script] } });
      }
      // C-b c and C-b " add a pane like this one
      const newPane = () => ({ title: `${req.project}__sh`, kind: 'user', command: { file: 'sh', args: ['-c', `echo window-pane in ${req.project}; exec cat`] } });
      return { workspace: ws, open: { newPane } };
    },
  });
  await server.listen();
});

afterEach(async () => {
  notifyStates = undefined;
  await server.close();
  process.env.XDG_RUNTIME_DIR = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

function fakeTerminal(cols: number, rows: number) {
  const stdin = new PassThrough();
  const out = Object.assign(new EventEmitter(), { columns: cols, rows, isTTY: false, written: '', write(s: Buffer | string) { out.written += s.toString(); return true; } });
  return { stdin: stdin as unknown as NodeJS.ReadStream & PassThrough, out };
}

/** A terminal that spawned project `name`'s session (the test preparer's), once its first pane is up; `done`: its attach. */
async function spawned(name: string, cols: number, rows: number) {
  const t = fakeTerminal(cols, rows);
  const done = attachTerminal({ op: 'spawn', name, spawn: { project: name, agents: [] }, prefix: 'C-b' }, t.stdin, t.out as unknown as NodeJS.WriteStream);
  await until(() => t.out.written.includes(`pane-up in ${name}`), `session ${name}`);
  return { ...t, done };
}

async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('session server', () => {
  it('spawns a session for a client, keeps it after C-b d, and shows it again to the next client', async () => {
    const a = fakeTerminal(60, 20);
    const first = attachTerminal({ op: 'spawn', name: 't', spawn: { project: 't', agents: [] }, prefix: 'C-b' }, a.stdin, a.out as unknown as NodeJS.WriteStream);
    await until(() => a.out.written.includes('pane-up'), 'the pane on the first terminal');
    a.stdin.write('typed-once\r');
    await until(() => a.out.written.includes('typed-once'), 'the echo');
    a.stdin.write('\x02d');
    expect(await first).toEqual({ reason: 'detach', name: 't' });
    const list = (await request<SessionInfo[]>({ op: 'list' }))!;
    expect(list.map((s) => [s.name, s.attached, s.panes.map((p) => [p.title, p.running])])).toEqual([['t', false, [['t__user', true]]]]);

    const b = fakeTerminal(80, 24);
    const second = attachTerminal({ op: 'attach', prefix: 'C-b' }, b.stdin, b.out as unknown as NodeJS.WriteStream);
    await until(() => b.out.written.includes('typed-once'), 'the same screen on the second terminal');
    // spawning it again shows it (tmux's new -A): a third client of the same session
    const dup = fakeTerminal(80, 24);
    const third = attachTerminal({ op: 'spawn', name: 't', spawn: { project: 't', agents: [{ kind: 'cc', count: 1 }] }, prefix: 'C-b' }, dup.stdin, dup.out as unknown as NodeJS.WriteStream);
    await until(() => dup.out.written.includes('typed-once') && dup.out.written.includes('t was running; --cc=1 not added'), 'the running session on the third terminal');
    expect((await request<SessionInfo[]>({ op: 'list' }))!.map((s) => [s.name, s.clients, s.panes.length])).toEqual([['t', 2, 1]]);
    server.kill(['t']);
    expect((await second).reason).toBe('killed');
    expect((await third).reason).toBe('killed');
  });

  it('the session tree (C-b s) lists every session and moves this terminal to the chosen one', async () => {
    const a = await spawned('one', 80, 24);
    a.stdin.write('\x02d');
    await a.done;
    const b = await spawned('two', 80, 24);
    b.stdin.write('\x02s');
    await until(() => b.out.written.includes('one: 1 pane') && b.out.written.includes('two: 1 pane, 1 client'), 'the tree with both sessions');
    // rows: one, one's pane 0, two, two's pane 0 (selected: where this terminal is)
    b.stdin.write('k');
    b.stdin.write('k');
    b.stdin.write('\r');
    await until(() => b.out.written.includes('one  tiled  1 pane'), 'session one on the second terminal');
    const clients = () => request<SessionInfo[]>({ op: 'list' }).then((l) => l!.map((s) => [s.name, s.clients]));
    expect(await clients()).toEqual([
      ['one', 1],
      ['two', 0],
    ]);
    b.out.written = '';
    b.stdin.write('typed-in-one\r');
    await until(() => b.out.written.includes('typed-in-one'), 'the echo from session one');
    // detaching from there ends the client as usual, naming the session it was on
    b.stdin.write('\x02d');
    expect(await b.done).toEqual({ reason: 'detach', name: 'one' });
  });

  it('windows: a second window of a session shows in berth ls and the tree; choosing it moves this terminal to that window', async () => {
    const a = await spawned('one', 80, 24);
    a.stdin.write('\x02c');
    await until(() => a.out.written.includes('window-pane in one'), 'the new window');
    a.stdin.write('\x02,');
    a.stdin.write('\x15logs\r');
    await until(() => a.out.written.includes('0:shell 1:logs*'), 'the window list');
    a.stdin.write('\x020');
    await until(() => a.out.written.includes('0:shell* 1:logs'), 'window 0 shown');
    const list = (await request<SessionInfo[]>({ op: 'list' }))!;
    expect(list[0]).toMatchObject({ name: 'one', windows: ['shell', 'logs'], window: 0 });
    expect(list[0]!.panes.map((p) => [p.window, p.index, p.title])).toEqual([
      [0, 0, 'one__user'],
      [1, 0, 'one__sh'],
    ]);
    a.stdin.write('\x02d');
    await a.done;

    const b = await spawned('two', 80, 24);
    b.stdin.write('\x02w');
    await until(() => b.out.written.includes('one: 2 windows, 2 panes') && b.out.written.includes('1: logs (1 pane)'), 'the tree with the windows');
    // rows: one, its window 0, its pane, its window 1, its pane, two, two's pane (selected)
    for (let i = 0; i < 3; i++) b.stdin.write('k');
    b.stdin.write('\r');
    await until(() => b.out.written.includes('0:shell 1:logs*'), 'session one, window 1, on the second terminal');
    b.stdin.write('\x02d');
    expect(await b.done).toEqual({ reason: 'detach', name: 'one' });
  });

  it('C-b $ renames the session: listed and attached by its new name; a name in use is refused', async () => {
    const a = await spawned('one', 80, 24);
    a.stdin.write('\x02d');
    await a.done;
    const b = await spawned('two', 80, 24);
    b.stdin.write('\x02$');
    await until(() => b.out.written.includes('rename session: two'), 'the prompt');
    b.stdin.write('\x15one\r');
    await until(() => b.out.written.includes('a session "one" exists already'), 'refused');
    b.stdin.write('\x02:rename-session review\r');
    await until(() => b.out.written.includes('review  tiled  1 pane'), 'renamed');
    const names = async () => ((await request<SessionInfo[]>({ op: 'list' })) ?? []).map((s) => s.name).sort();
    expect(await names()).toEqual(['one', 'review']);
    b.stdin.write('\x02d');
    expect(await b.done).toEqual({ reason: 'detach', name: 'review' });
    const c = fakeTerminal(80, 24);
    const third = attachTerminal({ op: 'attach', name: 'review', prefix: 'C-b' }, c.stdin, c.out as unknown as NodeJS.WriteStream);
    await until(() => c.out.written.includes('review  tiled'), 'attached by its new name');
    c.stdin.write('\x02d');
    expect(await third).toEqual({ reason: 'detach', name: 'review' });
  });

  it('a pane that starts waiting rings every attached terminal (bell, OSC 9) and runs the [notify] command; C-b N goes to it from another session', async () => {
    const a = await spawned('asker', 100, 30);
    a.stdin.write('\x02d');
    await a.done;
    const b = await spawned('two', 100, 30);
    // no terminal shows asker: its pane is watched all the same, and this terminal hears it
    await until(() => b.out.written.includes('\x1b]9;berth: asker: asker__cc_1 is waiting for you\x07'), 'the notification', 8000);
    expect(b.out.written).toMatch(/\x07\x1b\]9;/);
    await until(() => fs.existsSync(path.join(dir, 'attention.log')), 'the command');
    expect(fs.readFileSync(path.join(dir, 'attention.log'), 'utf8')).toBe('asker asker__cc_1 waiting asker__cc_1 is waiting for you\n');
    expect(server.attention().map((x) => [x.session, x.window, x.pane])).toEqual([['asker', 0, 1]]);
    // and the webhook got the same, as JSON
    await until(() => hooked.length > 0, 'the webhook');
    expect(hooked[0]).toMatchObject({ project: 'asker', session: 'asker', pane: 'asker__cc_1', state: 'waiting', message: 'asker__cc_1 is waiting for you' });
    // C-b N: the pane that waited longest, in another session: this terminal goes there
    b.stdin.write('\x02N');
    await until(() => b.out.written.includes('asker  tiled  2 panes'), 'moved to asker');
    b.stdin.write('y\r');
    b.stdin.write('\x02d');
    expect(await b.done).toEqual({ reason: 'detach', name: 'asker' });
  });

  it("a program's own notification (OSC 9) calls the user the same way, until they type into its pane", async () => {
    const a = fakeTerminal(100, 30);
    const first = attachTerminal({ op: 'spawn', name: 'ringer', spawn: { project: 'ringer', agents: [] }, prefix: 'C-b' }, a.stdin, a.out as unknown as NodeJS.WriteStream);
    await until(() => a.out.written.includes('\x1b]9;berth: ringer: ringer__cc_1 build done\x07'), 'the notification passed on');
    const list = (await request<SessionInfo[]>({ op: 'list' }))!;
    expect(list[0]!.panes.find((p) => p.title === 'ringer__cc_1')!.alert).toBe('build done');
    expect(server.attention().map((x) => x.pane)).toEqual([1]);
    // the user answers in that pane: the call is over
    a.stdin.write('\x02N');
    a.stdin.write('ok\r');
    await until(() => server.attention().length === 0, 'answered', 3000);
    a.stdin.write('\x02d');
    await first;
  });

  it("an agent's hook report calls the user for the states [notify] names, with its reason, once each", async () => {
    notifyStates = ['waiting', 'done'];
    const a = await spawned('hooked', 100, 30);
    await until(() => fs.existsSync(path.join(dir, 'attention.log')), 'the waiting call', 5000);
    expect(fs.readFileSync(path.join(dir, 'attention.log'), 'utf8')).toBe('hooked hooked__cc_1 waiting hooked__cc_1 is waiting for you: Bash: rm -rf build\n');
    // the answer: the hook says done; the user's shell pane (quiet) is done too by then
    a.stdin.write('\x02o');
    a.stdin.write('y\r');
    await until(() => fs.readFileSync(path.join(dir, 'attention.log'), 'utf8').includes('hooked__cc_1 done'), 'the done call', 5000);
    await new Promise((r) => setTimeout(r, 1200));
    const lines = fs.readFileSync(path.join(dir, 'attention.log'), 'utf8').trim().split('\n').filter((l) => l.includes('hooked__cc_1'));
    expect(lines).toEqual(['hooked hooked__cc_1 waiting hooked__cc_1 is waiting for you: Bash: rm -rf build', 'hooked hooked__cc_1 done hooked__cc_1 is done']);
    // one BEL + OSC 9 per call on this terminal
    expect(a.out.written.match(/\x1b\]9;berth: hooked: hooked__cc_1 is waiting for you/g)).toHaveLength(1);
    expect(a.out.written.match(/\x1b\]9;berth: hooked: hooked__cc_1 is done/g)).toHaveLength(1);
    a.stdin.write('\x02d');
    await a.done;
  });

  it('a muted pane (C-b m) is still counted but rings nobody', async () => {
    const a = await spawned('asker', 100, 30);
    a.stdin.write('\x02o');
    a.stdin.write('\x02m');
    await until(() => a.out.written.includes('asker__cc_1: muted'), 'muted');
    await until(() => server.attention().length === 1, 'counted', 8000);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.out.written).not.toContain('\x1b]9;');
    expect(fs.existsSync(path.join(dir, 'attention.log'))).toBe(false);
    a.stdin.write('\x02d');
    await a.done;
  });

  it('quiet hours: a span of local time, also across midnight', () => {
    const at = (h: number, m = 0) => new Date(2026, 11, 7, h, m);
    expect(inQuietHours('22:00-07:00', at(23))).toBe(true);
    expect(inQuietHours('22:00-07:00', at(6, 59))).toBe(true);
    expect(inQuietHours('22:00-07:00', at(7))).toBe(false);
    expect(inQuietHours('12:00-13:30', at(13, 10))).toBe(true);
    expect(inQuietHours('12:00-13:30', at(14))).toBe(false);
    expect(inQuietHours(undefined, at(23))).toBe(false);
  });

  it('listens again when the runtime directory was removed and comes back (logout, then login)', async () => {
    server.keepSocket(50);
    const a = fakeTerminal(60, 20);
    const first = attachTerminal({ op: 'spawn', name: 't', spawn: { project: 't', agents: [] }, prefix: 'C-b' }, a.stdin, a.out as unknown as NodeJS.WriteStream);
    await until(() => a.out.written.includes('pane-up'), 'the pane');
    a.stdin.write('\x02d');
    await first;

    fs.rmSync(process.env.XDG_RUNTIME_DIR!, { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(await request({ op: 'list' })).toBeNull(); // nothing reachable meanwhile
    fs.mkdirSync(process.env.XDG_RUNTIME_DIR!);
    await until(() => fs.existsSync(socketPath()), 'the socket to come back');
    const list = (await request<SessionInfo[]>({ op: 'list' }))!;
    expect(list.map((s) => s.name)).toEqual(['t']);
  });

  it('two clients share a session, laid out for the smaller; attach -d detaches the others', async () => {
    const a = fakeTerminal(100, 30);
    const first = attachTerminal({ op: 'spawn', name: 't', spawn: { project: 't', agents: [] }, prefix: 'C-b' }, a.stdin, a.out as unknown as NodeJS.WriteStream);
    await until(() => a.out.written.includes('pane-up'), 'the pane on the first terminal');
    const size = async () => {
      const l = (await request<SessionInfo[]>({ op: 'list' }))!;
      return l[0]!;
    };
    const b = fakeTerminal(60, 20);
    const second = attachTerminal({ op: 'attach', name: 't', prefix: 'C-b' }, b.stdin, b.out as unknown as NodeJS.WriteStream);
    await until(() => b.out.written.includes('pane-up'), 'the same pane on the second terminal');
    expect((await size()).clients).toBe(2);
    // what one types, both see; the pane is as wide as the smaller terminal
    b.stdin.write('shared-typing\r');
    await until(() => a.out.written.includes('shared-typing') && b.out.written.includes('shared-typing'), 'the echo on both');
    const [ws] = [...(server as unknown as { sessions: Map<string, { ws: Workspace }> }).sessions.values()].map((x) => x.ws);
    expect([ws!.cols, ws!.rows]).toEqual([60, 20]);
    // the smaller one grows: the layout follows the smallest client left
    b.out.columns = 90;
    b.out.rows = 28;
    b.out.emit('resize');
    await until(() => ws!.cols === 90 && ws!.rows === 28, 'the layout at the new smallest size');
    // a detach of one leaves the other attached, now alone at its own size
    b.stdin.write('\x02d');
    expect(await second).toEqual({ reason: 'detach', name: 't' });
    await until(() => ws!.cols === 100 && ws!.rows === 30, 'the layout back at the first terminal size');
    expect((await size()).clients).toBe(1);
    // attach -d takes the session over
    const c = fakeTerminal(80, 24);
    const third = attachTerminal({ op: 'attach', name: 't', detachOthers: true, prefix: 'C-b' }, c.stdin, c.out as unknown as NodeJS.WriteStream);
    expect(await first).toEqual({ reason: 'taken', name: 't' });
    await until(() => c.out.written.includes('shared-typing'), 'the session on the third terminal');
    expect((await size()).clients).toBe(1);
    server.kill(['t']);
    expect((await third).reason).toBe('killed');
  }, 20_000);
});

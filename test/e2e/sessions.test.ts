// Sessions that survive the terminal going away: `berth spawn` in tmux, the tmux server killed
// under it (what a dropped SSH connection does to the client: SIGHUP), then `berth ls`,
// `berth attach` from new terminals (another size, a take-over), and `berth kill-session`.
// The real program, a real session server process, agents in a container of the private engine.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import type { SessionInfo } from '../../src/sessions/protocol.js';
import { agentProject, type AgentProject } from './agentProject.js';
import { CLI, Tmux } from './tmux.js';

let engine: TestEngine;
let fx: AgentProject;
const terminals: Tmux[] = [];
const CONTAINER = `fx-sess-${process.pid}`;

async function sessions(): Promise<SessionInfo[]> {
  const r = await fx.berth('ls', '--json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as SessionInfo[];
}

function terminal(command: string, cols: number, rows: number): Tmux {
  const t = new Tmux();
  terminals.push(t);
  t.start(`node ${CLI} ${command}; echo AFTER-BERTH rc=$?; sleep 120`, cols, rows, fx.env());
  return t;
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  let v = await get();
  while (!ok(v)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
    v = await get();
  }
  return v;
}

beforeAll(async () => {
  engine = await getTestEngine();
  fx = await agentProject(engine, 'sessions', CONTAINER);
});

afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
  fx.endSessions();
});

afterAll(() => {
  fx.remove();
});

describe('detachable sessions', () => {
  it('keep their agents through a dropped terminal; attach brings the screen back at the new size', async () => {
    const t = terminal('spawn fx --cc=1 --trust', 100, 30);
    await t.waitFor((s) => s.includes('fx__cc_1') && s.includes('claude ready'), 'the workspace');
    await t.waitFor((s) => /^\/ [#$]\s*$/m.test(s), 'the shell prompt in pane 0');
    t.type('echo before-drop');
    t.keys('Enter');
    await t.waitFor((s) => /^before-drop/m.test(s), 'the echo');
    expect((await sessions()).map((s) => [s.name, s.attached, s.panes.map((p) => p.title)])).toEqual([['fx', true, ['fx__user', 'fx__cc_1']]]);

    // the terminal goes away under the client (SIGHUP), as with a dropped SSH connection
    t.kill();
    const after = await until(sessions, (l) => l.length === 1 && !l[0]!.attached, 'the session to be detached');
    expect(after[0]!.panes.map((p) => p.running)).toEqual([true, true]);
    expect(await fx.agentsInContainer()).toBeGreaterThan(0);

    // back from another terminal, bigger: same panes, same screen contents, laid out anew
    const t2 = terminal('attach', 120, 36);
    const screen = await t2.waitFor((s) => s.includes('before-drop') && s.includes('claude ready'), 'the panes again');
    expect(screen.split('\n')[0]!.length).toBe(120);
    // the shell finished its last command: done once it has been quiet for a while
    await t2.waitFor((s) => /^0 fx__user \[done\]─+$/m.test(s), 'the shell pane done');
    t2.type('echo after-attach');
    t2.keys('Enter');
    await t2.waitFor((s) => /^after-attach/m.test(s), 'typing after the attach');

    // a second, smaller terminal joins: both show the session, laid out at the smaller size
    const small = terminal('attach fx', 80, 24);
    await small.waitFor((s) => s.includes('after-attach') && s.split('\n')[0]!.startsWith('0 fx__user'), 'the shared session');
    await t2.waitFor((s) => s.split('\n')[0]!.trimEnd().length <= 80 && s.includes('after-attach'), 'the larger terminal drawn at the smaller size');
    expect((await sessions())[0]!.clients).toBe(2);
    small.type('echo from-the-small-one');
    small.keys('Enter');
    await small.waitFor((s) => /^from-the-small-one/m.test(s), 'the echo on the small one');
    await t2.waitFor((s) => /^from-the-small-one/m.test(s), 'what one types, the other sees');
    // SIGKILL of one client leaves the server and the other client working, at its own size again
    const clientPid = Number(execFileSync('pgrep', ['-P', String(small.panePid()), '-f', 'attach fx'], { encoding: 'utf8' }).trim().split('\n')[0]);
    process.kill(clientPid, 'SIGKILL');
    await t2.waitFor((s) => s.split('\n')[0]!.length === 120 && /^0 fx__user \[done\]─+$/m.test(s), 'the layout back at 120 columns');
    t2.type('echo still-here');
    t2.keys('Enter');
    await t2.waitFor((s) => /^still-here/m.test(s), 'the remaining client still types');

    // a third terminal takes the session over with -d (tmux's attach -d); the second is told and exits
    const t3 = terminal('attach -d fx', 80, 24);
    await t3.waitFor((s) => s.includes('after-attach') && s.split('\n')[0]!.startsWith('0 fx__user'), 'the take-over');
    await t2.waitFor((s) => s.includes('[detached (from session fx): attached from another terminal]') && s.includes('AFTER-BERTH rc=0'), 'the old client to leave');

    // C-b d detaches: the client exits, the agents go on
    t3.keys('C-b', 'd');
    await t3.waitFor((s) => s.includes('[detached (from session fx)]') && s.includes('AFTER-BERTH rc=0'), 'the detach');
    expect((await sessions())[0]!.attached).toBe(false);
    expect(await fx.agentsInContainer()).toBeGreaterThan(0);
  });

  it('the session tree (C-b s) lists every session with its panes, and enter moves this terminal to the one chosen', async () => {
    const t = terminal('spawn fx --cc=1 --trust', 100, 30);
    await t.waitFor((s) => s.includes('fx__cc_1') && s.includes('claude ready'), 'the workspace');
    // C-b $: this session becomes "first"; the next spawn of the project starts another
    t.keys('C-b', '$');
    await t.waitFor((s) => s.includes('rename session: fx'), 'the rename prompt');
    t.keys('BSpace', 'BSpace');
    t.type('first');
    t.keys('Enter');
    await t.waitFor((s) => /\bfirst +tiled/.test(s), 'renamed');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH'), 'detached');
    const t2 = terminal('spawn fx --cc=1 --trust', 100, 30);
    await t2.waitFor((s) => s.includes('fx__cc_1') && s.includes('claude ready') && /\bfx +tiled/.test(s), 'the second session');
    t2.keys('C-b', 's');
    const tree = await t2.waitFor((s) => /first: 2 panes/.test(s) && /fx: 2 panes, 1 client/.test(s), 'the tree with both sessions');
    expect(tree).toMatch(/1 fx__cc_1 \[(done|working)\]/);
    // to the top (the first session's row), enter: this terminal shows that session now
    t2.keys('g');
    t2.keys('Enter');
    await t2.waitFor((s) => /\bfirst +tiled/.test(s) && s.includes('claude ready'), 'the first session on this terminal');
    const list = await until(sessions, (l) => l.find((x) => x.name === 'first')?.clients === 1, 'first to have the client');
    expect(list.find((x) => x.name === 'fx')?.clients).toBe(0);
  });

  it('kill-session asks first, has a dry run, and ends the agents in the container; the server lingers, then exits', async () => {
    const config = path.join(fx.dir, 'config', 'berth', 'config.toml');
    const before = fs.readFileSync(config, 'utf8');
    fs.writeFileSync(config, `${before}\n[server]\nlinger = "3s"\n`);
    onTestFinished(() => fs.writeFileSync(config, before));
    const t = terminal('spawn fx --cc=1 --trust', 100, 30);
    await t.waitFor((s) => s.includes('claude ready'), 'the workspace');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'the detach');

    const dry = await fx.berth('kill-session', 'fx', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('fx: 2 panes');
    expect(dry.stdout).toContain('1 fx__cc_1');
    expect(dry.stdout).toContain('dry run: nothing was ended');
    const unasked = await fx.berth('kill-session', 'fx');
    expect(unasked.code).toBe(1);
    expect(unasked.stderr.trim()).toBe('berth: kill-session: not asking on a non-interactive input; run again with --yes to end the sessions listed above');
    expect(await sessions()).toHaveLength(1);

    const missing = await fx.berth('kill-session', 'nope', '-y');
    expect(missing.stderr.trim()).toBe('berth: no session "nope" (berth ls lists them)');

    const done = await fx.berth('kill-session', 'fx', '-y');
    expect(done.stdout).toContain('ended fx');
    await until(() => fx.agentsInContainer(), (n) => n === 0, 'the agents to end in the container');
    const sock = path.join(fx.dir, 'run', 'berth', 'server.sock');
    // [server] linger: the server stays a while with no session (a warm next start), then goes
    const ended = Date.now();
    expect(fs.existsSync(sock)).toBe(true);
    await until(async () => fs.existsSync(sock), (e) => !e, 'the server to exit and remove its socket');
    expect(Date.now() - ended).toBeGreaterThan(1500);
    expect((await fx.berth('ls')).stdout).toBe('no berth sessions\n');
  });

  it('says what to do when there is nothing to attach; spawning a running session shows it (tmux new -A) and starts nothing more', async () => {
    const t = terminal('attach', 80, 24);
    await t.waitFor((s) => s.includes('berth: no berth sessions; start one with berth spawn <project>') && s.includes('AFTER-BERTH rc=1'), 'the error');
    const a = terminal('spawn fx --trust', 80, 24);
    await a.waitFor((s) => /^\/ [#$]\s*$/m.test(s) && s.includes('fx__user'), 'the workspace');
    const b = terminal('spawn fx --cc=2 --trust', 100, 24);
    await b.waitFor((s) => s.includes('fx__user') && s.includes('fx was running; --cc=2 not added: berth add fx --cc=2 does that'), 'the running session, and why no agents were added');
    const [s] = await sessions();
    expect(s!.panes.map((p) => p.title)).toEqual(['fx__user']);
    expect(s!.clients).toBe(2);
  });
  it('with [panes] mouse = true a click in the terminal focuses the pane under it', async () => {
    const cfg = path.join(fx.dir, 'config', 'berth', 'config.toml');
    const before = fs.readFileSync(cfg, 'utf8');
    fs.writeFileSync(cfg, `${before}\n[panes]\nmouse = true\n`);
    try {
      const t = terminal('spawn fx --cc=1 --trust', 100, 30);
      const screen = await t.waitFor((s) => s.includes('claude ready') && /^\/ [#$]\s*$/m.test(s), 'the workspace');
      // a left click (SGR report, as a terminal sends it) on the agent pane's first line
      const row = screen.split('\n').findIndex((l) => l.startsWith('claude ready'));
      t.type(`\x1b[<0;3;${row + 1}M\x1b[<0;3;${row + 1}m`);
      t.type('hello');
      t.keys('Enter');
      await t.waitFor((s) => s.includes('got: hello'), 'the typing to reach the clicked pane');
      expect(t.capture()).not.toMatch(/^\/ [#$] hello/m);
    } finally {
      fs.writeFileSync(cfg, before);
    }
  });
  it('berth add puts more agents into the running session, numbered on, with their first prompt', async () => {
    const missing = terminal('add fx --cc=1 --trust', 80, 24);
    await missing.waitFor((s) => s.includes('berth: no session "fx"; berth spawn fx starts one') && s.includes('AFTER-BERTH rc=1'), 'the error without a session');
    const t = terminal('spawn fx --cc=1 --trust', 100, 30);
    await t.waitFor((s) => s.includes('claude ready') && s.includes('2 panes'), 'the workspace');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'the detach');
    const a = terminal('add fx --cc=1 --prompt hi-added --trust', 100, 30);
    const screen = await a.waitFor((s) => s.includes('fx__cc_2') && s.includes('3 panes') && s.includes('got: hi-added'), 'the added agent with its prompt', 20_000);
    expect((screen.match(/got: hi-added/g) ?? []).length).toBe(1);
    expect((await sessions())[0]!.panes.map((p) => p.title)).toEqual(['fx__user', 'fx__cc_1', 'fx__cc_2']);
  });
});

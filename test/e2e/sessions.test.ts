// Sessions that survive the terminal going away: `berth spawn` in tmux, the tmux server killed
// under it (what a dropped SSH connection does to the client: SIGHUP), then `berth ls`,
// `berth attach` from new terminals (another size, a take-over), and `berth kill-session`.
// The real program, a real session server process, agents in a container of the private engine.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import type { SessionInfo } from '../../src/sessions/protocol.js';
import { CLI, ROOT, Tmux } from './tmux.js';

const run = promisify(execFile);
let engine: TestEngine;
let dir: string;
const terminals: Tmux[] = [];
const CONTAINER = `fx-sess-${process.pid}`;

function env(): Record<string, string> {
  return {
    DOCKER_HOST: engine.host,
    DOCKER_CONFIG: process.env.DOCKER_CONFIG ?? path.join(dir, 'docker-config'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_STATE_HOME: path.join(dir, 'state'),
    XDG_RUNTIME_DIR: path.join(dir, 'run'),
  };
}

/** berth run without a terminal; its exit code, stdout and stderr. */
async function berth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('node', [CLI, ...args], { env: { ...process.env, ...env() }, encoding: 'utf8' });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

async function sessions(): Promise<SessionInfo[]> {
  const r = await berth('ls', '--json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as SessionInfo[];
}

function terminal(command: string, cols: number, rows: number): Tmux {
  const t = new Tmux();
  terminals.push(t);
  t.start(`node ${CLI} ${command}; echo AFTER-BERTH rc=$?; sleep 120`, cols, rows, env());
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

const agentsInContainer = async () => (await engine.dockerCli(['top', CONTAINER, '-o', 'pid,args'])).stdout.split('\n').filter((l) => l.includes('fake-agent.sh')).length;

beforeAll(async () => {
  engine = await getTestEngine();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sessions-'));
  const project = path.join(dir, 'fx');
  fs.cpSync(path.join(ROOT, 'test/fixtures/agents/project'), project, { recursive: true });
  fs.mkdirSync(path.join(dir, 'config', 'berth'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config', 'berth', 'config.toml'), `[[projects]]\nname = "fx"\npath = "${project}"\ncontainers = ["${CONTAINER}"]\n`);
  await engine.dockerCli(['run', '-d', '--name', CONTAINER, '--label', 'berth.test=1', '--network', 'none', engine.image, 'sleep', '3600']);
  await engine.dockerCli(['cp', path.join(ROOT, 'test/fixtures/agents/fake-agent.sh'), `${CONTAINER}:/fake-agent.sh`]);
});

afterEach(async () => {
  for (const t of terminals.splice(0)) t.kill();
  await berth('kill-server', '-y');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
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
    expect(await agentsInContainer()).toBeGreaterThan(0);

    // back from another terminal, bigger: same panes, same screen contents, laid out anew
    const t2 = terminal('attach', 120, 36);
    const screen = await t2.waitFor((s) => s.includes('before-drop') && s.includes('claude ready'), 'the panes again');
    expect(screen.split('\n')[0]!.length).toBe(120);
    expect(screen).toMatch(/^0 fx__user \[idle\]─+$/m);
    t2.type('echo after-attach');
    t2.keys('Enter');
    await t2.waitFor((s) => /^after-attach/m.test(s), 'typing after the attach');

    // a third terminal takes the session over; the second is told and exits
    const t3 = terminal('attach fx', 80, 24);
    await t3.waitFor((s) => s.includes('after-attach') && s.split('\n')[0]!.startsWith('0 fx__user'), 'the take-over');
    await t2.waitFor((s) => s.includes('[detached (from session fx): attached from another terminal]') && s.includes('AFTER-BERTH rc=0'), 'the old client to leave');

    // C-b d detaches: the client exits, the agents go on
    t3.keys('C-b', 'd');
    await t3.waitFor((s) => s.includes('[detached (from session fx)]') && s.includes('AFTER-BERTH rc=0'), 'the detach');
    expect((await sessions())[0]!.attached).toBe(false);
    expect(await agentsInContainer()).toBeGreaterThan(0);
  });

  it('kill-session asks first, has a dry run, and ends the agents in the container; the server then exits', async () => {
    const t = terminal('spawn fx --cc=1 --trust', 100, 30);
    await t.waitFor((s) => s.includes('claude ready'), 'the workspace');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'the detach');

    const dry = await berth('kill-session', 'fx', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('fx: 2 panes');
    expect(dry.stdout).toContain('1 fx__cc_1');
    expect(dry.stdout).toContain('dry run: nothing was ended');
    const unasked = await berth('kill-session', 'fx');
    expect(unasked.code).toBe(1);
    expect(unasked.stderr.trim()).toBe('berth: kill-session: not asking on a non-interactive input; run again with --yes to end the sessions listed above');
    expect(await sessions()).toHaveLength(1);

    const missing = await berth('kill-session', 'nope', '-y');
    expect(missing.stderr.trim()).toBe('berth: no session "nope" (berth ls lists them)');

    const done = await berth('kill-session', 'fx', '-y');
    expect(done.stdout).toContain('ended fx');
    await until(agentsInContainer, (n) => n === 0, 'the agents to end in the container');
    const sock = path.join(dir, 'run', 'berth', 'server.sock');
    await until(async () => fs.existsSync(sock), (e) => !e, 'the server to exit and remove its socket');
    expect((await berth('ls')).stdout).toBe('no berth sessions\n');
  });

  it('says what to do when there is nothing to attach, or the session already exists', async () => {
    const t = terminal('attach', 80, 24);
    await t.waitFor((s) => s.includes('berth: no berth sessions; start one with berth spawn <project>') && s.includes('AFTER-BERTH rc=1'), 'the error');
    const a = terminal('spawn fx --trust', 80, 24);
    await a.waitFor((s) => /^\/ [#$]\s*$/m.test(s) && s.includes('fx__user'), 'the workspace');
    const b = terminal('spawn fx', 80, 24);
    await b.waitFor((s) => s.includes('berth: session "fx" already exists: berth attach fx shows it') && s.includes('AFTER-BERTH rc=1'), 'the error');
  });
});

// Agent panes from the dashboard, end to end: the real berth in tmux, the scripted fake agent
// (test/fixtures/agents) in a container of the private engine. E opens a shell pane, a the
// project's agents (it asks first whether to trust .ntm/config.toml), C-b d comes back to an intact
// dashboard with status badges, the panes keep running, also after q (they live in berth's
// session server): berth attach shows them, berth kill-server ends them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { agentProject, type AgentProject } from './agentProject.js';
import { CLI, Tmux } from './tmux.js';

let engine: TestEngine;
let tmux: Tmux | undefined;
let fx: AgentProject;
const CONTAINER = `fx-dev-${process.pid % 100000}`;

/** Rows 1..rows-3 are the two panels: every one starts and ends with a border. */
function expectBorders(screen: string, rows: number): void {
  const lines = screen.split('\n');
  const body = lines.slice(1, rows - 2);
  expect(body).toHaveLength(rows - 3);
  for (const l of body) expect(l).toMatch(/^[│┌└].*[│┐┘]$/);
}

async function agentsInContainer(): Promise<string> {
  return (await engine.dockerCli(['exec', CONTAINER, 'ps'])).stdout;
}

/** The dashboard at 120x32 with project fx's agents opened by `a` (trusting its config when asked). */
async function dashboardWithAgents(): Promise<Tmux> {
  const t = (tmux = new Tmux());
  t.start(`node ${CLI}; echo AFTER-BERTH rc=$?; sleep 120`, 120, 32, fx.env());
  await t.waitFor((s) => s.includes(CONTAINER), 'the dashboard');
  t.keys('j');
  await t.waitFor((s) => s.includes(' fx (1) '), 'project fx selected');
  t.keys('a');
  await t.waitFor((s) => s.includes('asks berth to run') || s.includes('gemini-alias ready'), 'trust or the agents');
  if (t.capture().includes('asks berth to run')) t.keys('y');
  return t;
}

/** C-b A: the line (target: text) sent to the agents it names. */
async function sendToAgents(t: Tmux, line: string): Promise<void> {
  t.keys('C-b', 'A');
  await t.waitFor((s) => s.includes('send to which agents?'), 'the send prompt');
  t.type(line);
  t.keys('Enter');
}

beforeAll(async () => {
  engine = await getTestEngine();
  fx = await agentProject(engine, 'dpanes', CONTAINER, { TERM: 'xterm-256color' });
});

afterAll(() => {
  tmux?.kill();
  if (fx) {
    fx.endSessions();
    fx.remove();
  }
});

describe('agent panes from the dashboard', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 48],
  ] as const) {
    it(`E opens a shell pane, a the agents; C-b d comes back, the panes keep running, also after q (${cols}x${rows})`, async () => {
      tmux?.kill();
      // a fresh trust store: the first `a` is refused
      fs.rmSync(path.join(fx.dir, 'state'), { recursive: true, force: true });
      const t = (tmux = new Tmux());
      t.start(`echo BEFORE-BERTH; node ${CLI}; echo AFTER-BERTH rc=$?; sleep 120`, cols, rows, fx.env());
      await t.waitFor((s) => s.includes(CONTAINER), 'the dashboard');
      t.keys('j'); // the project fx
      await t.waitFor((s) => s.includes(' fx (1) '), 'project fx selected');
      t.keys('Tab'); // its container
      t.keys('E');
      await t.waitFor((s) => s.includes('fx__user') && /\/ #/.test(s), 'the shell pane');
      t.type('echo typed-$((6*7))');
      t.keys('Enter');
      await t.waitFor((s) => s.includes('typed-42'), 'the shell to answer');

      t.keys('C-b', 'd');
      let screen = await t.waitFor((s) => s.includes(CONTAINER) && /\[1 ?(shell|s)\]/.test(s) && /keeps? running/.test(s), 'the dashboard again, with a badge');
      expect(screen).not.toContain('typed-42');
      expectBorders(screen, rows);

      // the project's .ntm/config.toml runs commands: asked first, n starts nothing
      t.keys('a');
      screen = await t.waitFor((s) => s.includes('asks berth to run') && s.includes('sh /fake-agent.sh claude'), 'the trust question');
      expect(screen).toContain('sh /fake-agent.sh codex');
      t.keys('n');
      screen = await t.waitFor((s) => s.includes('fx: not trusted; no agents started') && s.includes(CONTAINER), 'the cancelled question');
      expectBorders(screen, rows);
      expect(await agentsInContainer()).not.toContain('fake-agent.sh');

      // y: one pane per agent the config names, added to the workspace E opened
      t.keys('a');
      await t.waitFor((s) => s.includes('asks berth to run'), 'the trust question again');
      t.keys('y');
      screen = await t.waitFor(
        (s) => s.includes('claude ready') && s.includes('codex ready') && s.includes('gemini-alias ready') && s.includes('4 panes'),
        'the agents',
        20_000,
      );
      for (const title of ['fx__user', 'fx__cc_1', 'fx__cod_1', 'fx__gmi_1']) expect(screen).toContain(title);
      expect(screen).toContain('typed-42');

      t.keys('C-b', 'd');
      screen = await t.waitFor((s) => s.includes(CONTAINER) && /\[(\d ?(working|done|w|d),? ){1,2}1 ?(shell|s)\]/.test(s), 'the dashboard with the agents badge');
      expectBorders(screen, rows);
      expect(screen).not.toContain('claude ready');
      // the agents run on while the dashboard shows
      expect((await agentsInContainer()).match(/fake-agent\.sh/g)).toHaveLength(3);

      // again: the same panes, the shell's output still there
      t.keys('a');
      screen = await t.waitFor((s) => s.includes('typed-42') && s.includes('claude ready') && s.includes('4 panes'), 'the same panes again');
      t.keys('C-b', 'd');
      await t.waitFor((s) => s.includes(CONTAINER) && !s.includes('typed-42'), 'the dashboard');

      t.keys('q');
      screen = await t.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit');
      expect(screen).toContain('BEFORE-BERTH');
      expect(screen).toContain('AFTER-BERTH rc=0');
      expect(screen).not.toContain('fx__user');
      expect(screen).toContain('berth: agent panes keep running: fx (4 panes);');
      // the agents went on without the dashboard, in the session server
      expect((await agentsInContainer()).match(/fake-agent\.sh/g)).toHaveLength(3);
      const sessions = JSON.parse((await fx.berth('ls', '--json')).stdout) as Array<{ name: string; attached: boolean; panes: Array<{ title: string }> }>;
      expect(sessions.map((s) => [s.name, s.attached, s.panes.map((p) => p.title)])).toEqual([['fx', false, ['fx__user', 'fx__cc_1', 'fx__cod_1', 'fx__gmi_1']]]);

      expect((await fx.berth('kill-server', '-y')).stdout).toContain('ended fx');
      let left = '';
      for (let i = 0; i < 50; i++) {
        left = await agentsInContainer();
        if (!left.includes('fake-agent.sh')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(left).not.toContain('fake-agent.sh');
    });
  }
  it('A picks a preset: its agents start in the project session (pair: a shell and two Claude agents)', async () => {
    tmux?.kill();
    const t = (tmux = new Tmux());
    t.start(`node ${CLI}; echo AFTER-BERTH rc=$?; sleep 120`, 100, 30, fx.env());
    await t.waitFor((s) => s.includes(CONTAINER), 'the dashboard');
    t.keys('j');
    await t.waitFor((s) => s.includes(' fx (1) '), 'project fx selected');
    t.keys('A');
    await t.waitFor((s) => s.includes('agent panes for fx from a preset') && s.includes('two Claude agents and a shell'), 'the picker');
    // the shipped presets in name order: pair, review, swarm
    t.keys('Enter');
    await t.waitFor((s) => (s.includes('asks berth to run') && s.includes('sh /fake-agent.sh claude')) || s.includes('fx__cc_2'), 'trust or the panes');
    if (t.capture().includes('asks berth to run')) t.keys('y');
    const screen = await t.waitFor((s) => s.includes('fx__cc_2') && (s.match(/claude ready/g) ?? []).length === 2 && s.includes('3 panes'), 'the preset panes');
    expect(screen).toContain('fx__user');
    expect(screen).not.toContain('fx__cod_1');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes(CONTAINER) && /\[2 ?(done|working|d|w).*1 ?(shell|s)\]|\[1 ?(working|w),? 1 ?(done|d),? 1 ?(shell|s)\]/.test(s), 'the badge of the preset panes');
    // a preset on a project whose session has agents: its agents open in a new window of it
    t.keys('A');
    await t.waitFor((s) => s.includes('agent panes for fx from a preset'), 'the picker again');
    t.keys('Enter');
    const second = await t.waitFor((s) => s.includes('0:cc 1:pair*') && s.includes('fx__cc_3') && s.includes('fx__cc_4') && (s.match(/claude ready/g) ?? []).length === 2, 'the preset in a window of its own');
    expect(second).not.toContain('fx__cc_1');
    const ls = JSON.parse((await fx.berth('ls', '--json')).stdout) as Array<{ windows: string[]; panes: Array<{ window: number; title: string }> }>;
    expect(ls[0]!.windows).toEqual(['cc', 'pair']);
    expect(ls[0]!.panes.map((p) => `${p.window}:${p.title}`)).toEqual(['0:fx__user', '0:fx__cc_1', '0:fx__cc_2', '1:fx__cc_3', '1:fx__cc_4']);
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes(CONTAINER) && s.includes('5 panes keep running'), 'back on the dashboard');
    // S lists the server's sessions; d asks before ending one (enter is the safe answer), y ends it
    t.keys('S');
    await t.waitFor((s) => s.includes('sessions of the berth server (1)') && s.includes('fx  2 windows (cc, pair), 5 panes'), 'the sessions view');
    t.keys('d');
    await t.waitFor((s) => s.includes('end session fx?') && s.includes('1.1 fx__cc_4'), 'the question naming the panes');
    t.keys('Enter');
    await t.waitFor((s) => s.includes('session fx kept'), 'kept');
    expect((await agentsInContainer()).match(/fake-agent\.sh/g)?.length).toBe(4);
    t.keys('d');
    await t.waitFor((s) => s.includes('end session fx?'), 'asked again');
    t.keys('y');
    await t.waitFor((s) => s.includes('session fx ended'), 'ended');
    let left = '';
    for (let i = 0; i < 50; i++) {
      left = await agentsInContainer();
      if (!left.includes('fake-agent.sh')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).not.toContain('fake-agent.sh');
    expect((await fx.berth('ls')).stdout).toBe('no berth sessions\n');
    t.keys('q');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to quit');
  });

  it('restarting a container with agent panes asks first, naming them; after the restart they run again in place', async () => {
    tmux?.kill();
    const t = await dashboardWithAgents();
    await t.waitFor((s) => s.includes('claude ready') && s.includes('codex ready') && s.includes('gemini-alias ready'), 'the agents', 20_000);
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes(CONTAINER) && /panes? keeps? running/.test(s), 'the dashboard again');
    t.keys('Tab');
    t.keys('r');
    let screen = await t.waitFor((s) => s.includes(`restart ${CONTAINER}?`) && s.includes('fx__cod_1'), 'the question naming the panes');
    for (const title of ['fx__cc_1', 'fx__cod_1', 'fx__gmi_1']) expect(screen).toContain(`fx: ${title} (in ${CONTAINER})`);
    // enter is the safe answer
    t.keys('Enter');
    await t.waitFor((s) => s.includes('restart cancelled; the panes keep running'), 'cancelled');
    const started = async () => (await engine.dockerCli(['inspect', '-f', '{{.State.StartedAt}}', CONTAINER])).stdout.trim();
    const before = await started();
    t.keys('r');
    await t.waitFor((s) => s.includes(`restart ${CONTAINER}?`), 'asked again');
    t.keys('y');
    for (let i = 0; i < 100 && (await started()) === before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await started()).not.toBe(before);
    // the agents run in the restarted container again, in the same panes
    for (let i = 0; i < 100; i++) {
      if (((await agentsInContainer()).match(/fake-agent\.sh/g) ?? []).length === 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await agentsInContainer()).match(/fake-agent\.sh/g)).toHaveLength(3);
    t.keys('a');
    screen = await t.waitFor((s) => (s.match(/restarted: fx__\w+ runs again/g) ?? []).length >= 3 && (s.match(/claude ready/g) ?? []).length >= 2, 'the panes run again below their old output');
    expect(screen).not.toMatch(/exited \d+/);
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes(CONTAINER) && /panes? keeps? running/.test(s), 'back');
    t.keys('q');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to quit');
    fx.endSessions();
  });

  it('an agent that fails: the dashboard header counts it, N shows it focused; the [notify] command runs; the terminal hears one bell and one OSC 9, once', async () => {
    tmux?.kill();
    const log = path.join(fx.dir, 'attention.log');
    fs.writeFileSync(path.join(fx.dir, 'config', 'berth', 'config.toml'), `${fs.readFileSync(path.join(fx.dir, 'config', 'berth', 'config.toml'), 'utf8')}\n[notify]\ncommand = ["sh", "-c", 'echo "$1 $2" >> "$0"', "${log}", "{pane}", "{state}"]\n`);
    const t = await dashboardWithAgents();
    await t.waitFor((s) => s.includes('claude ready') && s.includes('codex ready'), 'the agents', 20_000);
    // what reaches the user's terminal from here on (tmux pipe-pane)
    const heard = path.join(fx.dir, 'terminal.out');
    t.pipeOutput(heard);
    await sendToAgents(t, 'cod: fail');
    await t.waitFor((s) => s.includes('rate limit exceeded') && /fx__cod_1 \[error: rate limit\]/.test(s), 'the codex pane failing');
    t.keys('C-b', 'z'); // zoom the shell: the failing pane is out of sight
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes(CONTAINER) && s.includes('1 needs you (N)') && /fx +!1 1\/1/.test(s), 'the header and project counts');
    t.keys('N');
    await t.waitFor((s) => /fx__cod_1 \(zoomed\) \[error: rate limit\]|^\d fx__cod_1 \[error: rate limit\]/m.test(s) && s.includes('rate limit exceeded'), 'the failing pane shown');
    expect(fs.readFileSync(log, 'utf8')).toContain('fx__cod_1 error');
    // once per transition, never again while the state stays (seconds have passed here)
    await new Promise((r) => setTimeout(r, 1500));
    expect(fs.readFileSync(log, 'utf8').split('\n').filter((l) => l === 'fx__cod_1 error')).toHaveLength(1);
    const out = fs.readFileSync(heard, 'latin1');
    const osc9 = out.match(/\x1b\]9;[^\x07\x1b]*(\x07|\x1b\\)/g) ?? [];
    expect(osc9).toHaveLength(1);
    expect(osc9[0]).toContain('fx__cod_1');
    // a bell on its own, outside every OSC sequence (titles and notifications end in BEL too)
    const bells = out.replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '').split('\x07').length - 1;
    expect(bells).toBe(1);
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes(CONTAINER), 'back');
    t.keys('q');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to quit');
    fx.endSessions();
  });

  it('a stand-in agent that works, asks, works again and finishes: working → waiting → working → done, the counts follow, N lands on it, one call per transition, its hook counts within 300 ms', async () => {
    tmux?.kill();
    const log = path.join(fx.dir, 'calls.log');
    const config = path.join(fx.dir, 'config', 'berth', 'config.toml');
    // every call with the host's uptime (the container reads the same clock for its hooks)
    const notify = `\n[notify]\nstates = ["waiting", "done"]\ncommand = ["sh", "-c", 'read -r up _ < /proc/uptime; echo "$1 $2 $3 $up" >> "$0"', "${log}", "{pane}", "{state}", "{reason}"]\n`;
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/\n\[notify\][\s\S]*$/, '') + notify);
    await engine.dockerCli(['exec', CONTAINER, 'rm', '-f', '/tmp/hook-times']);
    const t = await dashboardWithAgents();
    // every pane settled (their own done calls made) before the terminal is listened to
    await t.waitFor((s) => s.includes('claude ready') && /fx__cc_1 \[done\]/.test(s) && (s.match(/\[done\]/g) ?? []).length >= 4, 'the four panes at their prompts', 20_000);
    await new Promise((r) => setTimeout(r, 600));
    const before = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').length : 0;
    const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(before) : '').split('\n').filter((l) => l.startsWith('fx__cc_1 '));
    const heard = path.join(fx.dir, 'terminal-ask.out');
    t.pipeOutput(heard);
    await sendToAgents(t, 'cc: ask');
    await t.waitFor((s) => /fx__cc_1 \[working\]/.test(s) && s.includes('esc to interrupt'), 'working');
    await t.waitFor((s) => /fx__cc_1 \[waiting\]/.test(s) && s.includes('Do you want to proceed?'), 'waiting', 8000);
    // the dashboard counts it, in the header and on the project
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes(CONTAINER) && s.includes('1 needs you (N)') && /fx +!1 /.test(s), 'the header and project counts');
    // and its container's row counts its panes by state
    await t.waitFor((s) => /\[1 waiting|\[1\? /.test(s), "the container's pane counts (waiting is ? when short)");
    // N: the pane that needs the user, focused: what is typed goes to it
    t.keys('N');
    await t.waitFor((s) => /fx__cc_1 .*\[waiting\]/.test(s) && s.includes('Do you want to proceed?'), 'the waiting pane shown');
    t.type('1');
    t.keys('Enter');
    await t.waitFor((s) => s.includes('answer: 1') && /fx__cc_1 .*\[working\]/.test(s), 'working again');
    await t.waitFor((s) => s.includes('done: ask') && /fx__cc_1 .*\[done\]/.test(s), 'done', 8000);
    t.keys('C-b', 'd');
    const screen = await t.waitFor((s) => s.includes(CONTAINER) && !s.includes('needs you'), 'the dashboard with nobody waiting');
    expect(screen).not.toMatch(/fx +!1 /);
    // exactly one call per transition the config names (waiting, done), never repeated
    await new Promise((r) => setTimeout(r, 1500));
    const made = calls();
    expect(made.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['fx__cc_1 waiting', 'fx__cc_1 done']);
    // the waiting call came from the hook: within 300 ms of it firing (the screen alone
    // needs a second of quiet); uptime in 10 ms steps on both sides
    const hooks = (await engine.dockerCli(['exec', CONTAINER, 'cat', '/tmp/hook-times'])).stdout.trim().split('\n');
    expect(hooks.map((l) => l.split(' ')[0])).toEqual(['working', 'waiting', 'working', 'done']);
    const fired = Number(hooks[1]!.split(' ')[1]);
    const called = Number(made[0]!.split(' ').pop());
    const ms = Math.round((called - fired) * 1000);
    console.log(`hook to call: ${ms} ms (waiting), ${Math.round((Number(made[1]!.split(' ').pop()) - Number(hooks[3]!.split(' ')[1])) * 1000)} ms (done)`);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(300);
    // the terminal heard one bell and one desktop notification per call
    const out = fs.readFileSync(heard, 'latin1');
    const osc9 = out.match(/\x1b\]9;[^\x07\x1b]*(\x07|\x1b\\)/g) ?? [];
    expect(osc9.map((o) => o.replace(/^\x1b\]9;|\x07$/g, ''))).toEqual(['berth: fx: fx__cc_1 is waiting for you', 'berth: fx: fx__cc_1 is done']);
    const bells = out.replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '').split('\x07').length - 1;
    expect(bells).toBe(2);
    t.keys('q');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to quit');
    fx.endSessions();
  });
});

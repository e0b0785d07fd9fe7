// `berth spawn` end to end: the real program in tmux, agents (a scripted fake agent from
// the project's .ntm/config.toml) in a container of the private engine.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import type { Rect } from '../../src/panes/layout.js';
import { tmuxRects } from '../unit/layouts/tmuxLayout.js';
import { agentProject, type AgentProject } from './agentProject.js';
import { CLI, ROOT, Tmux } from './tmux.js';

const run = promisify(execFile);

let engine: TestEngine;
let tmux: Tmux | undefined;
let fx: AgentProject;
const CONTAINER = `fx-dev-${process.pid}`;

function spawnBerth(args: string, cols: number, rows: number): Tmux {
  tmux = new Tmux();
  tmux.start(`node ${CLI} spawn fx ${args}; echo AFTER-BERTH rc=$?; sleep 120`, cols, rows, fx.env());
  return tmux;
}

/** The text inside a pane's box (rect in workspace coordinates). */
function region(screen: string, r: Rect): string {
  return screen
    .split('\n')
    .slice(r.y, r.y + r.h)
    .map((l) => l.slice(r.x, r.x + r.w))
    .join('\n');
}

/** Where tmux puts n panes in the workspace's pane area (below the title row, above the status line). */
function expectedRects(cols: number, rows: number, n: number, layout = 'tiled'): Rect[] {
  return tmuxRects([layout], cols, rows - 2, n)[layout]!.map((r) => ({ ...r, y: r.y + 1 }));
}

beforeAll(async () => {
  engine = await getTestEngine();
  fx = await agentProject(engine, 'spawn', CONTAINER);
});

// C-b d only detaches: end the session (and its server) so the next spawn starts afresh
afterEach(() => {
  tmux?.kill();
  tmux = undefined;
  fx.endSessions();
});

afterAll(() => {
  fx.remove();
});

describe('berth spawn', () => {
  it('asks before running commands from .ntm/config.toml, once per file content', async () => {
    const t = spawnBerth('--cc=1', 100, 30);
    await t.waitFor((s) => s.includes('asks berth to run:') && s.includes('sh /fake-agent.sh claude'), 'the trust question');
    t.type('y');
    t.keys('Enter');
    await t.waitFor((s) => s.includes('fx__cc_1') && s.includes('claude ready'), 'the workspace');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to exit');
    t.kill();
    fx.endSessions();
    // trusted now: no question
    const t2 = spawnBerth('--cc=1', 100, 30);
    await t2.waitFor((s) => s.includes('claude ready'), 'the workspace without a question');
    t2.keys('C-b', 'd');
  });

  for (const [cols, rows] of [
    [100, 30],
    [160, 48],
  ] as const) {
    for (let n = 1; n <= 7; n++) {
      it(`puts ${n} pane(s) where tmux's tiled layout puts them (${cols}x${rows})`, async () => {
        const t = spawnBerth(`--cc=${n - 1} --trust`, cols, rows);
        const want = expectedRects(cols, rows, n);
        const screen = await t.waitFor(
          (s) => s.includes(`${n} pane${n === 1 ? '' : 's'}`) && (n === 1 || (s.match(/claude ready/g) ?? []).length === n - 1),
          `${n} panes`,
          20_000,
        );
        const lines = screen.split('\n');
        want.forEach((r, i) => {
          // the pane's title sits on the row above its box, starting at its left edge
          const title = lines[r.y - 1]!.slice(r.x, r.x + r.w);
          expect({ n, i, title: title.split(' [')[0] }).toEqual({ n, i, title: `${i} ${i === 0 ? 'fx__user' : `fx__cc_${i}`}` });
          if (i > 0) expect(region(screen, r)).toMatch(/^claude ready/);
          // a border to the right of every pane that does not reach the edge
          if (r.x + r.w < cols) expect(lines[r.y]![r.x + r.w]).toBe('│');
        });
        t.keys('C-b', 'd');
        await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to exit');
      });
    }
  }

  it('types into the focused pane, prompts exactly the --cc panes, shows status and exit status', async () => {
    const cols = 120;
    const rows = 40;
    const t = spawnBerth('--cc=2 --cod=1 --trust', cols, rows);
    const want = expectedRects(cols, rows, 4);
    await t.waitFor((s) => (s.match(/claude ready/g) ?? []).length === 2 && s.includes('codex ready') && /\/ #/.test(s), 'all panes up');
    // output at start-up counts as work; then they settle
    await t.waitFor((s) => (s.match(/\[done\]/g) ?? []).length === 4, 'every pane done');

    // typing reaches the focused pane (pane 0, the user's shell)
    t.type('echo typed-$((6*7))');
    t.keys('Enter');
    let screen = await t.waitFor((s) => region(s, want[0]!).includes('typed-42'), 'the shell to answer');
    expect(region(screen, want[1]!)).not.toContain('typed');

    // a prompt to the cc panes arrives in exactly those
    t.keys('C-b', 'A');
    await t.waitFor((s) => s.includes('send to which agents?'), 'the send prompt');
    t.type('cc: hello-cc');
    t.keys('Enter');
    screen = await t.waitFor((s) => /1 fx__cc_1 \[working\]/.test(s) && /2 fx__cc_2 \[working\]/.test(s), 'cc panes working');
    screen = await t.waitFor((s) => (s.match(/done: hello-cc/g) ?? []).length === 2, 'both cc agents done');
    expect(screen).toMatch(/3 fx__cod_1 \[done\]/);
    expect(region(screen, want[1]!)).toContain('got: hello-cc');
    expect(region(screen, want[2]!)).toContain('got: hello-cc');
    expect(region(screen, want[3]!)).not.toContain('hello-cc');
    await t.waitFor((s) => /1 fx__cc_1 \[done\]/.test(s) && /2 fx__cc_2 \[done\]/.test(s), 'cc panes done again');

    // C-b : is tmux's command prompt: a tmux command typed there never reaches an agent
    t.keys('C-b', ':');
    await t.waitFor((s) => /^ :\s/m.test(s), 'the command prompt');
    t.type('resize-pane -R 10');
    t.keys('Enter');
    // the border moved: the window has its own layout now
    screen = await t.waitFor((s) => s.includes('fx  custom  4 panes'), 'the pane resized');
    t.keys('C-b', ':');
    t.type('resize-pane -x');
    t.keys('Enter');
    screen = await t.waitFor((s) => s.includes('resize-pane: -L, -R, -U or -D [cells] (or -Z to zoom)'), 'the command refused in one line');
    t.keys('C-b', ':');
    t.type('nosuch');
    t.keys('Enter');
    await t.waitFor((s) => s.includes('unknown command: nosuch'), 'the unknown command');
    t.keys('C-b', ':');
    t.type('selectl even-v');
    t.keys('Tab'); // completes only the command word: the layout name stays as typed
    t.keys('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
    t.type('even-vertical');
    t.keys('Enter');
    screen = await t.waitFor((s) => s.includes('layout even-vertical'), 'the layout from the command line');
    expect(screen).not.toContain('resize-pane -R');
    expect((await fx.agentsInContainer()) > 0).toBe(true);
    t.keys('C-b', ':');
    t.type('select-layout tiled');
    t.keys('Enter');
    await t.waitFor((s) => s.includes('layout tiled'), 'back to tiled');

    // killing a pane's process shows its exit status
    const ps = (await engine.dockerCli(['exec', CONTAINER, 'ps'])).stdout;
    const pid = ps.split('\n').find((l) => l.includes('fake-agent.sh codex'))?.trim().split(/\s+/)[0];
    expect(pid).toMatch(/^\d+$/);
    await engine.dockerCli(['exec', CONTAINER, 'kill', '-9', pid!]);
    await t.waitFor((s) => /3 fx__cod_1 \[exited 137\]/.test(s), 'the exit status in the title');

    // respawn it, then close it (asks first) and its process goes away
    // C-b q shows the pane numbers and a digit picks one (C-b 3 would be window 3, as in tmux)
    t.keys('C-b', 'q');
    await t.waitFor((s) => /^\s*3\s*$/m.test(region(s, want[3]!)), 'the pane numbers');
    t.keys('3', 'C-b', 'r');
    await t.waitFor((s) => /3 fx__cod_1 \[(done|working)\]/.test(s) && region(s, want[3]!).includes('codex ready'), 'the respawned pane');
    t.keys('C-b', 'x');
    await t.waitFor((s) => s.includes('close pane 3 fx__cod_1'), 'the close question');
    t.keys('y');
    await t.waitFor((s) => s.includes('3 panes') && !s.includes('fx__cod_1'), 'three panes left');
    let left = '';
    for (let i = 0; i < 50; i++) {
      left = (await engine.dockerCli(['exec', CONTAINER, 'ps'])).stdout;
      if (!left.includes('fake-agent.sh codex')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).not.toContain('fake-agent.sh codex');

    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to exit');
  });

  it('prefix commands: zoom, layouts, rename, copy mode with search, help; the prefix twice is sent through', async () => {
    const t = spawnBerth('--cc=1 --trust', 100, 30);
    await t.waitFor((s) => s.includes('claude ready') && /\/ #/.test(s), 'panes up');
    t.type('seq 1 200');
    t.keys('Enter');
    await t.waitFor((s) => /^200 *$/m.test(s), 'seq output');

    t.keys('C-b', 'z');
    await t.waitFor((s) => s.includes('0 fx__user (zoomed)') && !s.includes('fx__cc_1'), 'zoomed pane');
    t.keys('C-b', 'z');
    await t.waitFor((s) => s.includes('fx__cc_1'), 'back to the layout');
    t.keys('C-b', 'Space');
    let screen = await t.waitFor((s) => s.includes('fx  even-horizontal'), 'next layout');
    // even-horizontal: side by side
    expect(screen.split('\n')[0]).toMatch(/^0 fx__user .*│1 fx__cc_1/);

    // a pane's title: tmux's select-pane -T; C-b , renames the window
    t.keys('C-b', ':');
    t.type('select-pane -T shell');
    t.keys('Enter');
    await t.waitFor((s) => s.startsWith('0 shell [done]'), 'renamed');
    t.keys('C-b', ',');
    await t.waitFor((s) => s.includes('rename window: cc'), 'the window rename prompt');
    t.keys('C-u');
    t.type('work');
    t.keys('Enter');
    // windows: C-b c opens one with a shell, the status line lists them, C-b 0 goes back
    t.keys('C-b', 'c');
    await t.waitFor((s) => s.includes('0:work 1:shell*') && !s.includes('fx__cc_1'), 'a new window');
    t.keys('C-b', '0');
    await t.waitFor((s) => s.includes('0:work* 1:shell') && s.includes('fx__cc_1'), 'window 0 again');

    t.keys('C-b', '[');
    await t.waitFor((s) => s.includes('copy mode'), 'copy mode');
    t.keys('/');
    t.type('57');
    t.keys('Enter');
    // searching goes up from the bottom: 157 first, then (n) 57
    await t.waitFor((s) => /^157 *│/m.test(s) && !/^200 *│/m.test(s), 'the first match in view');
    t.keys('n');
    await t.waitFor((s) => /^57 *│/m.test(s) && !/^157 *│/m.test(s), 'the next match in view');
    t.keys('q');
    await t.waitFor((s) => !s.includes('copy mode') && /^200 *│/m.test(s), 'copy mode left');
    // C-b PgUp: copy mode with the view one page up already (tmux's copy-mode -u)
    t.keys('C-b', 'PPage');
    await t.waitFor((s) => s.includes('copy mode') && !/^200 *│/m.test(s) && /\[\d+\/\d+\]/.test(s), 'copy mode a page up');
    t.keys('q');
    await t.waitFor((s) => !s.includes('copy mode') && /^200 *│/m.test(s), 'copy mode left again');

    // copy: the cursor starts at the prompt; up to "200", select it, y copies it (the outer
    // terminal gets it by OSC 52: tmux makes it a buffer), C-b ] pastes it at the prompt
    expect(t.buffer()).toBe('');
    t.keys('C-b', '[');
    await t.waitFor((s) => s.includes('copy mode'), 'copy mode again');
    t.keys('k', '0', 'Space', '$', 'y');
    await t.waitFor((s) => s.includes('copied 3 characters'), 'the copy');
    expect(t.buffer()).toBe('200');
    t.keys('C-b', ']');
    await t.waitFor((s) => /^\/ # 200\b/m.test(s), 'the paste at the prompt');
    t.keys('Enter');

    t.keys('C-b', '?');
    await t.waitFor((s) => s.includes('workspace keys: C-b then'), 'help');
    t.keys('Escape');
    await t.waitFor((s) => !s.includes('workspace keys'), 'help closed');

    // C-b C-b sends C-b: in the shell it is "cursor left", so the next letter lands before the last
    t.type('echo ab');
    t.keys('C-b', 'C-b');
    t.type('X');
    t.keys('Enter');
    await t.waitFor((s) => /^aXb *│/m.test(s), 'C-b reached the shell');

    // a resized terminal re-applies the layout
    t.resize(80, 24);
    const want = expectedRects(80, 24, 2, 'even-horizontal');
    screen = await t.waitFor((s) => s.split('\n')[0]!.length <= 80 && s.includes('1 fx__cc_1'), 'the smaller layout');
    const top = screen.split('\n')[0]!;
    expect(top.slice(want[1]!.x)).toMatch(/^1 fx__cc_1/);
    expect(top[want[0]!.w]).toBe('│');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to exit');
  });

  it('opens a shipped preset: its layout, agents and first prompt', async () => {
    const t = spawnBerth('--preset review --trust', 160, 48);
    const want = expectedRects(160, 48, 2, 'main-vertical');
    const screen = await t.waitFor((s) => s.includes('got: Review the changes'), 'the first prompt in the codex pane', 20_000);
    const lines = screen.split('\n');
    expect(lines[want[0]!.y - 1]!.slice(want[0]!.x)).toMatch(/^0 fx__cc_1/);
    expect(lines[want[1]!.y - 1]!.slice(want[1]!.x)).toMatch(/^1 fx__cod_1/);
    expect(region(screen, want[1]!)).toContain('got: Review the changes');
    expect(region(screen, want[0]!)).not.toContain('Review');
    expect(screen).not.toContain('fx__user');
    expect(screen).toContain('fx  main-vertical  2 panes');
    t.keys('C-b', 'd');
    await t.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to exit');
  });

  it('berth help spawn prints its options and examples', async () => {
    const r = await fx.berth('help', 'spawn');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: berth spawn [options] <project>');
    expect(r.stdout).toContain('Examples:\n  $ cd ~/src/shop && berth spawn shop --cc=2 --cod=1');
  });

  it('says which tables of .ntm/config.toml it does not know, with their line, before anything starts', async () => {
    const file = `${fx.dir}/fx/.ntm/config.toml`;
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `${before}\n[agnets]\nclaude = "x"\n`);
    try {
      const r = await fx.berth('spawn', 'fx', '--cc=1', '--trust');
      const line = before.split('\n').length + 1;
      expect(r.stderr).toContain(`berth: warning: ${file}:${line}:1: unknown table [agnets] (berth reads [agents]; NTM knows none by that name either): ignored`);
      expect(r.stderr).toContain('berth spawn needs a terminal');
      expect(r.code).not.toBe(0);
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  it('cd into a project whose container was started by hand, berth spawn finds its .ntm/config.toml from the working folder up and says so', async () => {
    const name = `handmade${process.pid}`;
    const container = `${name}-env`;
    await engine.dockerCli(['run', '-d', '--name', container, '--label', 'berth.test=1', '--network', 'none', engine.image, 'sleep', '3600']);
    await engine.dockerCli(['cp', `${ROOT}/test/fixtures/agents/fake-agent.sh`, `${container}:/fake-agent.sh`]);
    const folder = path.join(fx.dir, name);
    fs.cpSync(path.join(ROOT, 'test/fixtures/agents/project'), folder, { recursive: true });
    fs.mkdirSync(path.join(folder, 'src'));
    // a config in a folder of another name, naming nobody's container, is seen and not used
    const stray = path.join(fx.dir, 'elsewhere');
    fs.cpSync(path.join(ROOT, 'test/fixtures/agents/project'), stray, { recursive: true });
    try {
      const bare = (cwd: string) =>
        run('node', [CLI, 'spawn', name, '--cc=1', '--trust'], { cwd, env: { ...process.env, ...fx.env() }, encoding: 'utf8' }).then(
          () => '',
          (e: { stderr: string }) => e.stderr,
        );
      // from the project's folder (a subfolder of it): its config, named
      const here = await bare(path.join(folder, 'src'));
      expect(here).toContain(`berth: ${name}: agents from ${folder}/.ntm/config.toml`);
      expect(here).toContain('berth spawn needs a terminal');
      // from another folder: no config for it, and the one seen there is named as not used
      const there = await bare(stray);
      expect(there).toContain(`berth: warning: ${stray}/.ntm/config.toml not used: its folder is not named ${name} and it names no container of it (${container})`);
      expect(there).toContain(`berth: ${name}: no .ntm/config.toml (its folder is unknown`);
      // in a terminal: the agent runs as the config says (a bare claude is not in the container)
      tmux = new Tmux();
      tmux.start(`cd ${path.join(folder, 'src')} && node ${CLI} spawn ${name} --cc=1 --trust; echo AFTER-BERTH rc=$?; sleep 120`, 100, 30, fx.env());
      await tmux.waitFor((s) => s.includes(`${name}__cc_1`) && s.includes('claude ready'), 'the configured agent in the hand-started container');
      tmux.keys('C-b', 'd');
      const after = await tmux.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to exit');
      expect(after.replace(/\n/g, '')).toContain(`agents from ${folder}/.ntm/config.toml`);
    } finally {
      await engine.dockerCli(['rm', '-f', container]);
    }
  });
});

// The real berth in tmux against the private engine, driven from the keyboard: open a
// container's logs, search, filter, leave, restart the container (checked on the engine),
// remove with the confirmation's dry run, and a project's merged logs that keep following a
// container through `docker restart`; at 100x30 and 80x24.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { Tmux } from './tmux.js';

let te: TestEngine;
let tmux: Tmux;
let home: string;
const tag = `o${process.pid % 1000}`;
const project = `ops${tag}`;

async function run(name: string, cmd: string[]): Promise<string> {
  const labels = { ...te.labels, 'com.docker.compose.project': project };
  const args = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return (await te.dockerCli(['run', '-d', '--stop-timeout', '1', '--name', name, ...args, te.image, ...cmd])).stdout.trim();
}

const started = async (id: string) => (await te.docker.getContainer(id).inspect()).State.StartedAt;

let app: string;

beforeAll(async () => {
  te = await getTestEngine();
  app = await run(`${tag}-app`, ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "tick $i alpha"; echo "tick $i beta" >&2; sleep 0.2; done']);
  await run(`${tag}-side`, ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "side $i"; sleep 0.5; done']);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-ops-'));
  // The user's own key for restart: R instead of r.
  fs.mkdirSync(path.join(home, 'config', 'berth'), { recursive: true });
  fs.writeFileSync(path.join(home, 'config', 'berth', 'config.toml'), '[keys]\nrestart = ["R"]\n');
  tmux = new Tmux();
});

afterAll(() => {
  tmux?.kill();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const bodyRows = (screen: string) => screen.split('\n').filter((l) => /^│/.test(l));

describe('operations from the keyboard', () => {
  it('logs: open, search, filter; then restart the container and see it on the engine', async () => {
    tmux.startBerth(home, te.host, 100, 30);
    await tmux.waitFor((s) => s.includes(`${tag}-app`), 'the container list', 40_000);
    // Narrow the list to our container, go to the table, open its logs.
    tmux.type('/');
    tmux.type(`${tag}-app`);
    tmux.keys('Enter');
    tmux.keys('Tab');
    tmux.keys('Enter');
    let screen = await tmux.waitFor((s) => /tick \d+ alpha/.test(s) && /tick \d+ beta/.test(s) && s.includes('1 logs'), 'the logs');
    expect(screen).toContain(`${tag}-app`);
    expect(screen).toContain('follow');

    // Search: the matches are found, the view stops following at the last one.
    tmux.type('/');
    tmux.type('beta');
    await tmux.waitFor((s) => s.includes('search: beta'), 'the search prompt');
    tmux.keys('Enter');
    screen = await tmux.waitFor((s) => s.includes('search "beta"') && s.includes('paused'), 'the search applied');
    // where the match stands among all matches, as "3/16"
    const [, at, total] = /search "beta" (\d+)\/(\d+)/.exec(screen) ?? [];
    expect(Number(at)).toBeGreaterThan(0);
    expect(Number(at)).toBeLessThanOrEqual(Number(total));
    tmux.keys('N');
    await tmux.waitFor((s) => s.includes('search "beta"'), 'the previous match');

    // Filter: only the alpha lines remain.
    tmux.type('f');
    tmux.type('alpha');
    tmux.keys('Enter');
    tmux.keys('G');
    screen = await tmux.waitFor((s) => s.includes('filter "alpha"') && bodyRows(s).filter((l) => l.includes('tick')).length > 3, 'the filtered lines');
    const ticks = bodyRows(screen).filter((l) => /tick \d+/.test(l));
    expect(ticks.length).toBeGreaterThan(3);
    for (const l of ticks) expect(l).toMatch(/tick \d+ alpha/);

    // Back to the list (esc clears search and filter; q then closes the log view, as in k9s), restart.
    tmux.keys('Escape');
    await tmux.waitFor((s) => /tick \d+ beta/.test(s), 'the unfiltered logs');
    tmux.type('q');
    await tmux.waitFor((s) => s.includes('NAME') && s.includes(`${tag}-app`), 'the list again');
    const before = await started(app);
    tmux.type('r'); // remapped away: nothing happens
    tmux.type('R');
    screen = await tmux.waitFor((s) => s.includes(`${tag}-app: restarted`), 'the restart result in the status line', 20_000);
    expect(await started(app)).not.toBe(before);
    expect((await te.docker.getContainer(app).inspect()).State.Running).toBe(true);

    // Remove asks first and names the container; the dry run removes nothing.
    tmux.type('d');
    screen = await tmux.waitFor((s) => s.includes(`remove ${tag}-app?`) && s.includes('refused unless forced'), 'the confirmation');
    tmux.type('d');
    await tmux.waitFor((s) => s.includes('dry run, nothing removed'), 'the dry run');
    expect((await te.docker.getContainer(app).inspect()).State.Running).toBe(true);
    // Enter is the safe answer: it cancels
    tmux.type('d');
    await tmux.waitFor((s) => s.includes(`remove ${tag}-app?`), 'asked again');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('remove cancelled'), 'cancelled');
    expect((await te.docker.getContainer(app).inspect()).State.Running).toBe(true);

    // Project logs at 80x24: names prefixed, borders intact.
    tmux.keys('Escape'); // clear the list filter (a pause, or ESC + L would read as alt+L)
    await tmux.waitFor((s) => s.includes(`${tag}-side`), 'the filter cleared');
    tmux.resize(80, 24);
    tmux.type('L');
    screen = await tmux.waitFor((s) => s.includes(`project ${project}`) && /side \d+/.test(s) && /tick \d+/.test(s), 'the project logs');
    const lines = screen.split('\n').filter((l, i, a) => i < a.length - 1 || l);
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    for (const l of lines.slice(1, 22)) expect(l).toMatch(/^[│┌└].*[│┐┘]$/);
    expect(screen).toMatch(new RegExp(`${tag}-side\\s+│ side \\d+`));
    expect(screen).toMatch(new RegExp(`${tag}-app\\s+│ tick \\d+`));
    // the view keeps following across `docker restart` (the app counts from 1 again)
    const lastTick = (scr: string) => Number([...scr.matchAll(new RegExp(`${tag}-app\\s+│ tick (\\d+) alpha`, 'g'))].pop()?.[1] ?? 0);
    await tmux.waitFor((s) => lastTick(s) > 8, 'the app counting on');
    await te.dockerCli(['restart', '-t', '1', app]);
    screen = await tmux.waitFor((s) => lastTick(s) > 0 && lastTick(s) <= 5, 'the app followed after its restart', 20_000);
    expect(screen).toMatch(/side \d+/);

    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('NAME'), 'the list');

    // A shell in the container as a pane (sh: the fixture has no bash); exit closes the pane
    // and brings the dashboard back whole.
    tmux.type('/'); // the container table still has the focus
    tmux.type(`${tag}-side`);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes(`/${tag}-side`), 'the side container selected');
    tmux.type('E');
    await tmux.waitFor((s) => !s.includes('NAME') && s.includes('#') && s.includes('__user'), 'the shell pane', 20_000);
    tmux.type('echo INSIDE-$((6*7)) $(hostname)');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('INSIDE-42'), 'the command output');
    tmux.type('exit');
    tmux.keys('Enter');
    screen = await tmux.waitFor((s) => s.includes(`${tag}-side: shell exited`) && s.includes('NAME'), 'the dashboard back');
    expect(screen).not.toContain('INSIDE-42');
    for (const l of screen.split('\n').slice(1, 22)) expect(l).toMatch(/^[│┌└].*[│┐┘]$/);

    tmux.type('q');
    screen = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit');
    expect(screen).toContain('AFTER-BERTH rc=0');
  });

  it('a config that remaps an unknown command, or binds one key twice, is refused in one line', async () => {
    const cfg = path.join(home, 'bad.toml');
    for (const [text, want] of [
      ['[keys]\nreboot = ["x"]\n', /^berth: .*bad\.toml: \[keys\]: unknown command "reboot"/],
      ['[keys]\nkill = ["r"]\n', /^berth: .*bad\.toml: \[keys\]: key "r" is bound to both "restart" and "kill"/],
    ] as const) {
      fs.writeFileSync(cfg, text);
      // the server reads the config the client names; the client prints the server's one line
      tmux.kill();
      tmux = new Tmux();
      tmux.startBerth(home, te.host, 300, 20, { env: { BERTH_CONFIG: cfg } });
      const screen = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to refuse the config');
      // one line, however the terminal wrapped it
      const said = screen.slice(screen.indexOf('BEFORE-BERTH\n') + 13, screen.indexOf('AFTER-BERTH')).replace(/\n/g, '');
      expect(said).toMatch(want);
      expect(said.match(/berth:/g)).toHaveLength(1);
      expect(screen).toContain('AFTER-BERTH rc=1');
    }
  });
});

// The real berth in tmux against the private engine: the projects and containers this test
// creates appear, the filter narrows the list, a resize to 80x24 stays readable, and q
// gives the terminal back as it was.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRestartDaemon, getTestEngine, RESTART_SKIP_NOTE, type TestEngine } from '../harness/engine.js';
import { CLI, Tmux } from './tmux.js';

let te: TestEngine;
let tmux: Tmux;
let home: string;
const tag = `x${process.pid % 1000}`; // short: names must fit the 80-column layout

async function run(name: string, project: string | null, cmd: string[]) {
  const labels = { ...te.labels, ...(project ? { 'com.docker.compose.project': project } : {}) };
  await te.dockerCli(['run', '-d', '--name', name, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), te.image, ...cmd]);
}

beforeAll(async () => {
  te = await getTestEngine();
  await run(`${tag}-shop-web`, `shop${tag}`, ['sleep', '600']);
  await run(`${tag}-shop-burn`, `shop${tag}`, ['sh', '-c', 'yes > /dev/null']);
  await run(`${tag}-ml-train`, `ml${tag}`, ['sleep', '600']);
  await run(`${tag}-loner`, null, ['sleep', '600']);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-home-'));
  fs.mkdirSync(path.join(home, 'config', 'berth'), { recursive: true });
  fs.writeFileSync(path.join(home, 'config', 'berth', 'config.toml'), `[[projects]]\nname = "planned${tag}"\npath = "/src/planned"\n`);
  tmux = new Tmux();
});

afterAll(() => {
  tmux?.kill();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('berth dashboard in tmux', () => {
  it('shows projects and containers, filters, survives a resize to 80x24, and q restores the screen', async () => {
    tmux.startBerth(home, te.host, 160, 45);
    let screen = await tmux.waitFor((s) => s.includes(`${tag}-loner`) && s.includes(`${tag}-shop-web`), 'the containers');
    expect(screen).toContain(`planned${tag}`); // configured, no containers
    expect(screen).toMatch(new RegExp(`shop${tag}\\s+2/2`));
    expect(screen).toMatch(new RegExp(`ml${tag}\\s+1/1`));
    expect(screen).not.toContain('BEFORE-BERTH'); // alternate screen
    // Live CPU figure for the busy container (90–110% of one CPU).
    screen = await tmux.waitFor((s) => /-shop-burn\s.*\s([1-9]\d*\.\d|\d{3})%/.test(s), "a live CPU figure for the busy container", 15_000);

    tmux.type('/');
    tmux.type('ml');
    screen = await tmux.waitFor((s) => s.includes('/ml') && !s.includes(`${tag}-loner`), 'the filtered list');
    expect(screen).toContain(`${tag}-ml-train`);
    expect(screen).not.toContain(`${tag}-shop-web`);
    tmux.keys('Enter');
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes(`${tag}-loner`), 'the filter cleared');

    tmux.resize(80, 24);
    screen = await tmux.waitFor((s) => s.split('\n')[0]!.includes('running') && s.includes('quit'), 'a redraw at 80x24');
    const lines = screen.split('\n').filter((l, i, a) => i < a.length - 1 || l);
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(screen).toContain('NAME');
    expect(screen).toContain('CPU');
    expect(screen).toContain(`${tag}-shop-web`);
    // Frame borders are intact on every row (no leftovers of the wide layout).
    // Rows 1..21 are the panels (row 0 the header, row 22 the footer, row 23 left free).
    const body = lines.slice(1, 22);
    expect(body).toHaveLength(21);
    for (const l of body) expect(l).toMatch(/^[│┌└].*[│┐┘]$/);

    tmux.resize(250, 70);
    screen = await tmux.waitFor((s) => s.includes('IMAGE') && s.includes('berth-fixture'), 'a redraw at 250x70');
    expect(screen).toContain('PROJECT');
    expect(screen.split('\n')[0]!.length).toBeLessThanOrEqual(250);

    tmux.keys('q');
    screen = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit');
    expect(screen).toContain('BEFORE-BERTH');
    expect(screen).toContain('AFTER-BERTH rc=0');
    expect(screen).not.toContain('quit');
  });

  it('says when the engine goes away and recovers when it is back', async (ctx) => {
    if (!canRestartDaemon()) return ctx.skip(RESTART_SKIP_NOTE);
    tmux.kill();
    tmux = new Tmux();
    tmux.startBerth(home, te.host, 120, 30);
    await tmux.waitFor((s) => s.includes(`${tag}-loner`), 'the dashboard');
    await te.killDaemon();
    await tmux.waitFor((s) => s.split('\n')[0]!.includes('DOWN'), 'the header to say the engine is down');
    await te.startDaemon();
    // Containers died with the daemon; the relisted snapshot shows them as exited.
    const screen = await tmux.waitFor((s) => !s.split('\n')[0]!.includes('DOWN') && s.includes(`${tag}-loner`), 'recovery', 40_000);
    expect(screen.split('\n')[0]).toContain('20.10');
    tmux.keys('q');
    await tmux.waitFor((s) => !s.includes('quit'), 'berth to quit');
    // Bring the test containers back for the next test.
    await te.dockerCli(['start', `${tag}-loner`, `${tag}-shop-web`, `${tag}-ml-train`, `${tag}-shop-burn`]);
  });

  it('Ctrl-C and SIGTERM also restore the terminal', async () => {
    tmux.kill();
    tmux = new Tmux();
    tmux.startBerth(home, te.host, 100, 30);
    await tmux.waitFor((s) => s.includes(`${tag}-loner`), 'the dashboard');
    tmux.keys('C-c');
    const screen = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit on Ctrl-C');
    expect(screen).toContain('AFTER-BERTH rc=0');
    expect(screen).toContain('BEFORE-BERTH');

    tmux.kill();
    tmux = new Tmux();
    tmux.startBerth(home, te.host, 100, 30);
    await tmux.waitFor((s) => s.includes(`${tag}-loner`), 'the dashboard');
    const berthPid = Number(execFileSync('pgrep', ['-P', String(tmux.panePid()), 'node'], { encoding: 'utf8' }).trim());
    process.kill(berthPid, 'SIGTERM');
    const after = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit on SIGTERM');
    expect(after).toContain('AFTER-BERTH rc=143');
    expect(after).toContain('BEFORE-BERTH');
    expect(after).not.toContain('quit');
  });
});

// The real berth in tmux against the private engine: a registered two-service compose
// project (user config with its path) is brought up from the compose menu (c u), its
// containers appear running; the Doctor view (D) lists findings; down (c d) asks first,
// names the volume it keeps, its dry run changes nothing, and after y the containers are
// gone while the volume stays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompose } from '../../src/ops/compose/run.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { CLI, ROOT, Tmux } from './tmux.js';

let te: TestEngine;
let tmux: Tmux;
let home: string;
let dir: string;
const name = `berthdash${process.pid}`;

const containersOf = async () =>
  te.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } });

beforeAll(async () => {
  te = await getTestEngine();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-compose-'));
  dir = path.join(home, name);
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'compose', 'two-service'), dir, { recursive: true });
  fs.mkdirSync(path.join(home, 'config', 'berth'), { recursive: true });
  fs.writeFileSync(path.join(home, 'config', 'berth', 'config.toml'), `[[projects]]\nname = "${name}"\npath = ${JSON.stringify(dir)}\n`);
  tmux = new Tmux();
});

afterAll(async () => {
  tmux?.kill();
  if (dir) await runCompose({ dir, host: te.host }, 'down', { volumes: true }).catch(() => undefined);
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('compose and doctor from the dashboard', () => {
  it('up from the menu, the doctor view, down with the confirmation', async () => {
    tmux.startBerth(home, te.host, 120, 32);
    await tmux.waitFor((s) => s.includes(name) && s.includes('NAME'), 'the dashboard with the project', 40_000);
    tmux.type('j'); // the configured project (first after "all")
    tmux.type('c');
    await tmux.waitFor((s) => s.includes(`compose ${name}`) && s.includes('up (create and start'), 'the compose menu');
    tmux.type('u');
    let screen = await tmux.waitFor((s) => s.includes(`${name}: compose up finished (exit 0)`), 'up to finish', 50_000);
    expect(screen).toMatch(/worker/);
    const up = await containersOf();
    expect(up.map((c) => c.Labels['com.docker.compose.service']).sort()).toEqual(['web', 'worker']);
    expect(up.every((c) => c.State === 'running')).toBe(true);
    // The compose label berth uses for projects it has no path for.
    expect(up[0]!.Labels['com.docker.compose.project.working_dir']).toBe(dir);

    tmux.keys('Escape');
    const runningRows = (s: string) => s.split('\n').filter((l) => new RegExp(`│${name}[-_](web|work)\\S* +running `).test(l)).length;
    screen = await tmux.waitFor((s) => s.includes('NAME') && runningRows(s) === 2, 'the containers running in the list', 20_000);
    expect(screen).toMatch(/running/);

    // Doctor: the fixture uses :latest images.
    tmux.type('D');
    screen = await tmux.waitFor((s) => s.includes(`doctor ${name}`) && s.includes('[compose/image-pinned]'), 'the doctor findings', 30_000);
    expect(screen).toMatch(/compose\.yaml:\d+:\d+/);
    expect(screen).toContain('fix: ');
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('NAME'), 'the list again');

    // Down asks first and names the volume it keeps.
    tmux.type('c');
    await tmux.waitFor((s) => s.includes(`compose ${name}`), 'the compose menu');
    tmux.type('d');
    screen = await tmux.waitFor((s) => s.includes(`compose down ${name}?`) && s.includes(`kept: ${name}_data`), 'the down confirmation', 20_000);
    expect(screen).toContain('[ ] v remove the volumes too');
    // The dry run shows the command and the volumes, and changes nothing.
    tmux.type('d');
    screen = await tmux.waitFor((s) => s.includes('dry run: nothing was changed') && s.includes(`${name}: compose down (dry run) finished (exit 0)`), 'the dry run', 20_000);
    expect(screen).toMatch(new RegExp(`would run: DOCKER_HOST=${te.host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} docker[ -]compose `));
    expect(screen).toContain(`volumes kept: ${name}_data`);
    expect((await containersOf()).length).toBe(2);
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('NAME'), 'the list again');
    tmux.type('c');
    await tmux.waitFor((s) => s.includes(`compose ${name}`), 'the compose menu');
    tmux.type('d');
    await tmux.waitFor((s) => s.includes(`compose down ${name}?`) && s.includes(`kept: ${name}_data`), 'the down confirmation', 20_000);
    tmux.type('y');
    await tmux.waitFor((s) => s.includes(`${name}: compose down finished (exit 0)`), 'down to finish', 50_000);
    expect(await containersOf()).toEqual([]);
    const { Volumes } = await te.docker.listVolumes({ filters: { name: [`${name}_data`] } });
    expect((Volumes ?? []).map((v) => v.Name)).toContain(`${name}_data`);
    tmux.keys('Escape');
    screen = await tmux.waitFor((s) => s.includes('NAME') && !s.includes(`${name}_web`) && !s.includes(`${name}-web`), 'the containers gone from the list', 20_000);

    tmux.type('q');
    screen = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit');
    expect(screen).toContain('AFTER-BERTH rc=0');
  });
});

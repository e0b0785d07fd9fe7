// The Doctor view, the compose menu and the down confirmation, driven from the keys with
// a hand-filled store; the doctor runs for real over the two-service fixture (its engine
// is unreachable, so the container checks say so).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import Dockerode from 'dockerode';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { loadTheme } from '../../src/config/theme.js';
import type { ContainerInfo } from '../../src/engine/types.js';
import { handleDashboardKey } from '../../src/input/dashboardKeys.js';
import { ProjectOps } from '../../src/dashboard/projectOps.js';
import { createAppStore } from '../../src/dashboard/store.js';
import { Dashboard } from '../../src/ui/dashboard/Dashboard.js';
import { ThemeProvider } from '../../src/ui/theme.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/compose/two-service');
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

function c(name: string, project: string): ContainerInfo {
  return {
    id: `id-${name}`, name, image: 'berth-fixture:latest', state: 'running', status: '', health: null, restartCount: 0, startedAt: null,
    finishedAt: null, exitCode: null, oomKilled: false, pid: 1, labels: {}, composeProject: project, composeService: null, created: 0, gpuRequested: false,
  };
}

function setup() {
  const configured = [{ name: 'fix', path: FIXTURE, containers: [] }];
  const store = createAppStore(configured, 'unix:///nonexistent.sock');
  store.getState().setContainers([c('loose-1', 'loose')]);
  const docker = new Dockerode({ socketPath: '/nonexistent.sock' });
  const projectOps = new ProjectOps({ docker, store, host: 'unix:///nonexistent.sock', local: true, configured });
  const ui = render(
    <ThemeProvider theme={loadTheme('default', {})}>
      <Dashboard store={store} cols={120} rows={30} />
    </ThemeProvider>,
  );
  // pageSize as the dashboard computes it (rows - 6): the height of the view's text.
  const key = (k: string, t = '') => handleDashboardKey({ store, quit: () => {}, pageSize: () => 24, viewWidth: () => 117, projectOps }, k, t);
  const frame = () => strip(ui.lastFrame() ?? '');
  const waitFor = async (pred: (f: string) => boolean, what: string) => {
    for (let i = 0; i < 200; i++) {
      if (pred(frame())) return frame();
      await tick(25);
    }
    throw new Error(`timed out waiting for ${what}:\n${frame()}\n${JSON.stringify(store.getState().projectPanel).slice(0, 3000)}`);
  };
  return { store, key, frame, waitFor, projectOps };
}

describe('Doctor view', () => {
  it('shows checking…, then the findings grouped with file:line and fix; esc goes back', async () => {
    const { key, frame, waitFor, store } = setup();
    key('j'); // the configured project "fix"
    key('D');
    // The doctor runs async: the view opens at once with no report yet.
    expect(store.getState().projectPanel).toMatchObject({ kind: 'doctor', project: 'fix', report: null });
    await waitFor((x) => x.includes('checking…') || x.includes('[compose/image-pinned]'), 'the doctor view');
    const f = await waitFor((x) => x.includes('[compose/image-pinned]'), 'the findings');
    expect(f).toContain('doctor fix');
    expect(f).toMatch(/compose\.yaml:\d+:\d+ /);
    expect(f).toContain('fix: ');
    expect(f).toMatch(/\d+ errors?, \d+ warnings?/);
    // long findings and fixes wrap: no line of the view is cut
    expect(f.split('\n').filter((l) => /…\s*│$/.test(l))).toEqual([]);
    key('G');
    await tick();
    expect(frame()).toMatch(/container\/engine|cannot list containers/);
    // From the end, one line up moves the view at once (the scroll stays in range).
    const atEnd = store.getState().projectPanel;
    key('k');
    await tick();
    expect(store.getState().projectPanel).toMatchObject({ scroll: (atEnd as { scroll: number }).scroll - 1 });
    expect((atEnd as { scroll: number }).scroll).toBeLessThan(100);
    key('escape');
    await tick();
    expect(store.getState().projectPanel).toBeNull();
    expect(frame()).toContain('NAME');
  });

  it('says in the status line when a project has no known folder', async () => {
    const { key, frame, store } = setup();
    key('j');
    key('j'); // "loose": a compose project without a working_dir label or a configured path
    key('D');
    await tick();
    expect(store.getState().projectPanel).toBeNull();
    expect(frame()).toContain('loose: no known folder');
  });
});

describe('compose menu', () => {
  it('opens on c, and down asks first naming the volumes, with the option to remove them; n cancels', async () => {
    const { key, frame, waitFor, store } = setup();
    key('j');
    key('c');
    await tick();
    expect(frame()).toContain('compose fix');
    expect(frame()).toMatch(/u\s+up/);
    key('d');
    let f = await waitFor((x) => x.includes('compose down fix?'), 'the confirmation');
    f = await waitFor((x) => x.includes('volumes: cannot tell'), 'the volumes (engine unreachable)');
    expect(f).toContain('[ ] v remove the volumes too');
    key('v');
    await tick();
    expect(frame()).toContain('[x] v remove the volumes too');
    key('n');
    await tick();
    expect(store.getState().projectPanel).toBeNull();
    expect(frame()).toContain('fix: down cancelled');
  });
});

describe('compose output view', () => {
  it('follows the end, stops following when scrolled up, follows again on G, esc leaves it', async () => {
    const { key, frame, store } = setup();
    const lines = Array.from({ length: 60 }, (_, i) => ({ stream: 'stderr' as const, line: `step ${i + 1} of 60` }));
    store.setState({
      projectPanel: { kind: 'compose', scroll: 0, follow: true, run: { id: 1, project: 'fix', action: 'up', label: 'compose up', lines, running: true, exitCode: null, error: null } },
    });
    await tick();
    expect(frame()).toContain('step 60 of 60');
    expect(frame()).toContain('… running');
    expect(frame()).toContain('running, following');
    key('k');
    key('k');
    await tick();
    expect(frame()).toContain('paused (G follows)');
    expect(frame()).not.toContain('… running');
    key('G');
    await tick();
    expect(frame()).toContain('… running');
    key('escape');
    await tick();
    expect(store.getState().projectPanel).toBeNull();
  });
});

describe('preset picker (A)', () => {
  it("lists the project's presets first, then the shipped ones; j and enter start the chosen one", async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-presets-'));
    fs.mkdirSync(path.join(dir, '.berth', 'presets'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.berth', 'presets', 'mine.toml'), 'description = "our own pair"\nlayout = "even-horizontal"\nuser = false\n[[agents]]\nkind = "cc"\ncount = 2\nmodel = "opus"\n');
    fs.writeFileSync(path.join(dir, '.berth', 'presets', 'broken.toml'), 'layout = "diagonal"\n');
    const configured = [{ name: 'mine', path: dir, containers: [] }];
    const store = createAppStore(configured, 'unix:///nonexistent.sock');
    const started: Array<[string, string]> = [];
    const projectOps = new ProjectOps({ docker: new Dockerode({ socketPath: '/nonexistent.sock' }), store, host: 'unix:///nonexistent.sock', local: true, configured, openPreset: (p, x) => void started.push([p, x]) });
    const ui = render(
      <ThemeProvider theme={loadTheme('default', {})}>
        <Dashboard store={store} cols={100} rows={30} />
      </ThemeProvider>,
    );
    const key = (k: string) => handleDashboardKey({ store, quit: () => {}, pageSize: () => 24, viewWidth: () => 97, projectOps }, k, '');
    key('j'); // the project "mine"
    key('A');
    await tick();
    const f = strip(ui.lastFrame() ?? '');
    expect(f).toContain('agent panes for mine from a preset');
    expect(f).toMatch(/▶ mine {2}our own pair/);
    expect(f).toContain("even-horizontal: 2 cc:opus  (the project's .berth/presets/)");
    expect(f).toContain('pair  two Claude agents and a shell');
    expect(f).toContain('tiled: 2 cc + shell');
    // a broken preset is named, not fatal
    expect(f).toMatch(/broken\.toml.*layout/);
    const names = (store.getState().projectPanel as { presets: Array<{ name: string }> }).presets.map((p) => p.name);
    expect(names[0]).toBe('mine');
    expect(names).toEqual(expect.arrayContaining(['pair', 'review', 'swarm']));
    key('j');
    key('enter');
    expect(store.getState().projectPanel).toBeNull();
    expect(started).toEqual([['mine', names[1]!]]);
    expect(store.getState().ui.message).toBe(`mine: starting preset ${names[1]}…`);
    ui.unmount();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('messages', () => {
  it('a message cut in the status line says M shows it; M lists the last ones in full, wrapped', async () => {
    const { key, frame, store } = setup();
    const long = `backup verified: ${'/var/lib/berth/backups/shop_db/'.repeat(3)}shop_db-20261122T100000000Z.tar.gz and two more archives`;
    store.getState().setMessage('first message');
    store.getState().setMessage(long, 'ok');
    await tick();
    const status = frame().trimEnd().split('\n').at(-1)!;
    expect(status).toMatch(/… {2}M: in full$/);
    key('M');
    await tick();
    const f = frame();
    expect(f).toContain(' messages  2 kept, newest last');
    expect(f).toContain('first message');
    // the long one whole, over several lines
    const body = f.split('\n').map((l) => l.replace(/^│ ?/, '').replace(/ *│$/, '').trim()).join(' ');
    expect(body.replace(/\s+/g, '')).toContain(long.replace(/\s+/g, ''));
    key('escape');
    await tick();
    expect(store.getState().projectPanel).toBeNull();
  });
});

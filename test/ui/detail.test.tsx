// The detail view, logs, dialogs and help with a hand-filled store (no engine involved).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import Dockerode from 'dockerode';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { loadTheme } from '../../src/config/theme.js';
import type { LogLine } from '../../src/engine/logs/buffer.js';
import { LogSession } from '../../src/engine/logs/session.js';
import type { ContainerInfo } from '../../src/engine/types.js';
import { handleDashboardKey } from '../../src/input/dashboardKeys.js';
import { Operations } from '../../src/dashboard/operations.js';
import { visibleContainers, createAppStore, initialLogView } from '../../src/dashboard/store.js';
import { Dashboard } from '../../src/ui/dashboard/Dashboard.js';
import { envLines, inspectLines } from '../../src/ui/detail/inspectLines.js';
import { blockGraph } from '../../src/lib/format.js';
import { ThemeProvider } from '../../src/ui/theme.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'unit', 'diagnosis', 'fixtures');
const inspect = (n: string) => JSON.parse(fs.readFileSync(path.join(fixtures, `inspect-${n}.json`), 'utf8'));

function c(name: string, extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `id-${name}`, name, image: 'berth-fixture:latest', state: 'running', status: '', health: null, restartCount: 0,
    startedAt: Date.now() - 60_000, finishedAt: null, exitCode: null, oomKilled: false, pid: 1, labels: {},
    composeProject: 'shop', composeService: null, created: 0, gpuRequested: false, ...extra,
  };
}

// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const tick = () => new Promise((r) => setTimeout(r, 30));

function setup(cols: number, rows: number, lines: LogLine[] = []) {
  const store = createAppStore([], 'unix:///run/test.sock');
  store.getState().setEngine({ kind: 'connected', address: 'unix:///run/test.sock', version: '20.10.24', apiVersion: '1.41' });
  store.getState().setContainers([c('shop-web'), c('shop-db', { state: 'exited', exitCode: 137, oomKilled: true, lastExitCode: 137, startedAt: null })]);
  // A session object that is never started: its buffer is filled by hand.
  const session = new LogSession(new Dockerode({ socketPath: '/nonexistent.sock' }), [{ id: 'id-shop-web', name: 'shop-web' }], { maxLines: 1000, query: { tail: 1000 } });
  session.buffer.append(lines);
  store.setState({ logSession: session });
  store.getState().patchUi({ view: 'detail', detail: { kind: 'container', id: 'id-shop-web', name: 'shop-web', project: 'shop' }, tab: 'logs', logView: initialLogView });
  const ui = render(
    <ThemeProvider theme={loadTheme('default', {})}>
      <Dashboard store={store} cols={cols} rows={rows} />
    </ThemeProvider>,
  );
  const key = (k: string, t = '') => handleDashboardKey({ store, quit: () => {}, pageSize: () => 5 }, k, t);
  const frame = () => strip(ui.lastFrame() ?? '');
  return { store, ui, key, frame };
}

const L = (text: string, i: number): LogLine => ({ t: 1_700_000_000_000 + i, ts: new Date(1_700_000_000_000 + i).toISOString(), text, stream: i % 2 ? 'stderr' : 'stdout', source: 0 });

describe('logs tab', () => {
  it('renders a single 200,000-character line at 80x24 without breaking the borders', async () => {
    const giant = 'x'.repeat(199_990) + ' THE END';
    const { frame, key } = setup(80, 24, [L('first', 0), L(giant, 1), L('last', 2)]);
    for (const wrap of [true, false]) {
      const lines = frame().split('\n');
      expect(lines).toHaveLength(23);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
      const body = lines.slice(1, 22);
      for (const l of body) expect(l).toMatch(/^[│┌└].*[│┐┘]$/);
      if (wrap) expect(lines[20]).toContain('last');
      else expect(lines.slice(4, 7).map((l) => l.slice(1, 6))).toEqual(['first', 'xxxxx', 'last ']);
      if (wrap) {
        key('w');
        await tick();
      }
    }
    // Scrolling up onto the giant line answers at once.
    const t0 = performance.now();
    key('k');
    await tick();
    expect(performance.now() - t0).toBeLessThan(250);
    expect(frame()).toContain('xxxxxxxx');
  });

  it('searches (/ n N, matches highlighted) and filters (f)', async () => {
    const { frame, key, store } = setup(100, 30, Array.from({ length: 40 }, (_, i) => L(i % 10 === 3 ? `request ${i} failed` : `request ${i} ok`, i)));
    key('/');
    for (const ch of 'failed') key(ch, ch);
    await tick();
    expect(frame()).toContain('search: failed');
    key('enter');
    await tick();
    expect(store.getState().ui.logView.match).toBe(33);
    expect(frame()).toContain('request 33 failed'); // the match is in view (marks: test/unit/logs/model.test.ts)
    key('N');
    expect(store.getState().ui.logView.match).toBe(23);
    key('n');
    expect(store.getState().ui.logView.match).toBe(33);
    key('f');
    for (const ch of 'failed') key(ch, ch);
    key('enter');
    key('G');
    await tick();
    const shown = frame().split('\n').filter((l) => l.includes('request '));
    expect(shown.map((l) => l.match(/request \d+/)![0])).toEqual(['request 3', 'request 13', 'request 23', 'request 33']);
    key('escape'); // clears search and filter first
    await tick();
    expect(store.getState().ui.view).toBe('detail');
    expect(frame()).toContain('request 39 ok');
    key('escape');
    expect(store.getState().ui.view).toBe('list');
  });

  it('filters with a regular expression or !pattern, and g shows the first lines with the screen full', async () => {
    const { frame, key, store } = setup(100, 30, Array.from({ length: 40 }, (_, i) => L(i % 10 === 3 ? `request ${i} failed` : `request ${i} ok`, i)));
    const filter = (text: string) => {
      key('f');
      key('ctrl+u');
      for (const ch of text) key(ch, ch);
      key('enter');
    };
    filter('request [12]3 ');
    key('G');
    await tick();
    const rows = () => frame().split('\n').flatMap((l) => l.match(/request \d+ (ok|failed)/)?.[0].replace(/ (ok|failed)$/, '') ?? []);
    expect(rows()).toEqual(['request 13', 'request 23']);
    filter('!ok$');
    await tick();
    expect(rows()).toEqual(['request 3', 'request 13', 'request 23', 'request 33']);
    filter('request (3'); // not a valid expression: plain text
    await tick();
    expect(rows()).toEqual([]);
    filter('');
    key('g');
    await tick();
    // the first line at the top and the screen filled below it (page of 5 in this setup)
    expect(store.getState().ui.logView.anchor).toBe(4);
    expect(rows()[0]).toBe('request 0');
    expect(rows().length).toBeGreaterThanOrEqual(5);
  });

  it('shows timestamps on t, and the tabs switch with numbers and tab', async () => {
    const { frame, key, store } = setup(100, 30, [L('hello', 0)]);
    key('t');
    await tick();
    expect(frame()).toMatch(/22:13:20\.000 hello/);
    key('2');
    expect(store.getState().ui.tab).toBe('stats');
    key('tab');
    expect(store.getState().ui.tab).toBe('inspect');
    key('shift+tab');
    key('shift+tab');
    expect(store.getState().ui.tab).toBe('logs');
  });
});

describe('stats tab', () => {
  it('draws CPU, memory and network graphs scaled to the panel', async () => {
    const { frame, key, store } = setup(80, 24);
    const samples = Array.from({ length: 120 }, (_, i) => ({ t: 1_700_000_000_000 + i * 1000, cpuPct: i % 2 ? 100 : 0, memUsed: (i + 1) * 1048576, memLimit: 1 << 30, rxRate: 1000, txRate: 0, pids: 3 }));
    store.getState().setStats({ 'id-shop-web': { latest: samples[119]!, cpu: [], samples } });
    key('2');
    await tick();
    const f = frame();
    const lines = f.split('\n');
    expect(lines).toHaveLength(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(f).toContain('last 119s, 120 samples');
    expect(f).toContain('CPU 100%');
    expect(f).toContain('MEM 120M / 1.0G');
    expect(f).toMatch(/█ █ █ █/); // alternating full and empty CPU columns
  });

  it('blockGraph fills columns in eighths, top row first', () => {
    expect(blockGraph([0, 50, 100], 3, 2, 100)).toEqual(['  █', ' ██']);
    expect(blockGraph([1], 4, 1, 8)).toEqual(['   ▁']);
    expect(blockGraph([], 2, 1)).toEqual(['  ']);
  });
});

describe('inspect and env tabs', () => {
  it('masks secret-looking values until v reveals them', async () => {
    const { frame, key, store } = setup(100, 30);
    store.setState({ detailData: { id: 'id-shop-web', inspect: inspect('running'), inspectError: null, top: null, topError: null, topAt: 0 } });
    key('4');
    await tick();
    let f = frame();
    expect(f).toContain('PLAIN=hello');
    expect(f).toContain('API_TOKEN=••••');
    expect(f).not.toContain('s3cr3t');
    expect(f).not.toContain('hunter2');
    key('v');
    await tick();
    f = frame();
    expect(f).toContain('API_TOKEN=s3cr3t');
    expect(f).toContain('DB_PASSWORD=hunter2');
    key('3');
    await tick();
    expect(frame()).toContain('Restart policy');
  });

  it('masks secrets in the env and inspect tabs by one rule, without their length', () => {
    expect(envLines(['A=1', 'MY_TOKEN=abc', 'DB_PASS=x', 'DATABASE_URL=postgres://u:pw@db/x', 'AUTHOR=Ada'], false).map((l) => l.text)).toEqual([
      'A=1',
      'AUTHOR=Ada',
      'DATABASE_URL=postgres://u:••••••@db/x',
      'DB_PASS=••••••',
      'MY_TOKEN=••••••',
    ]);
    const inspect = { Config: { Cmd: ['mysqld', '--password=hunter2'], Labels: { 'traefik.http.middlewares.a.basicauth.users': 'u:$apr1$x' } } };
    const text = inspectLines(inspect).map((l) => l.text).join('\n');
    expect(text).toContain('mysqld --password=••••••');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('$apr1$');
    expect(inspectLines(inspect, true).map((l) => l.text).join('\n')).toContain('--password=hunter2');
  });

  it('shows the diagnosis of a stopped container in the detail header', async () => {
    const { frame, store } = setup(100, 30);
    store.getState().patchUi({ detail: { kind: 'container', id: 'id-shop-db', name: 'shop-db', project: 'shop' } });
    await tick();
    expect(frame()).toContain('! killed: out of memory (OOMKilled)');
  });
});

describe('confirmation dialog', () => {
  it('names each container and what happens to its volumes', async () => {
    const { frame, store } = setup(80, 24);
    store.getState().patchUi({
      confirm: {
        action: 'remove',
        title: 'remove project shop (2)',
        targets: [{ id: 'id-shop-web', name: 'shop-web' }, { id: 'id-shop-db', name: 'shop-db' }],
        previews: [
          { target: { id: 'id-shop-web', name: 'shop-web' }, exists: true, running: true, anonymousVolumes: ['0123456789ab'], keptMounts: ['shop-data → /data'] },
          { target: { id: 'id-shop-db', name: 'shop-db' }, exists: true, running: false, anonymousVolumes: [], keptMounts: [] },
        ],
        force: false,
        volumes: false,
      },
    });
    await tick();
    const f = frame();
    expect(f).toContain('remove project shop (2)? This cannot be undone.');
    expect(f).toContain('container shop-web (running): refused unless forced');
    expect(f).toContain('anonymous volume 0123456789ab: kept');
    expect(f).toContain('shop-data → /data: kept');
    expect(f).toContain('container shop-db');
    expect(f).toContain('d dry run');
  });
});

describe('trust dialog (agent panes from the dashboard)', () => {
  it("shows what the project's .ntm/config.toml runs; y trusts and opens, n starts nothing", async () => {
    const { frame, store } = setup(80, 24);
    const calls: Array<[string, { trust?: boolean } | undefined]> = [];
    const workspaces = {
      openAgents: async (project: string, opts?: { trust?: boolean }) => void calls.push([project, opts]),
      execPane: async () => null,
    };
    const ops = new Operations({ docker: new Dockerode({ socketPath: '/nonexistent.sock' }), store, logs: { maxLines: 100, tail: 100 }, workspaces });
    const key = (k: string) => handleDashboardKey({ store, quit: () => {}, pageSize: () => 5, ops }, k, '');
    const ask = () =>
      store.getState().patchUi({
        confirm: { action: 'trust', title: 'trust /src/shop/.ntm/config.toml', targets: [], previews: null, force: false, volumes: false, project: 'shop', lines: ['  sh /fake-agent.sh claude'] },
      });
    ask();
    await tick();
    const f = frame();
    expect(f).toContain('trust /src/shop/.ntm/config.toml?');
    expect(f).toContain('sh /fake-agent.sh claude');
    expect(f).toContain('y trust it and start the agents');
    expect(f).toContain('n/esc/enter cancel');
    for (const l of f.split('\n').slice(1, 22)) expect(l).toMatch(/^[║╔╚].*[║╗╝]$/);
    key('d'); // no dry run here
    expect(store.getState().ui.confirm?.action).toBe('trust');
    key('n');
    expect(store.getState().ui.confirm).toBeNull();
    expect(store.getState().ui.message).toBe('shop: not trusted; no agents started');
    expect(calls).toEqual([]);
    ask();
    key('y');
    expect(store.getState().ui.confirm).toBeNull();
    expect(calls).toEqual([['shop', { trust: true }]]);
  });
});

describe('agent panes key on containers of no project', () => {
  it('says what to do in one line that fits 80 columns, and opens nothing', async () => {
    const { store } = setup(80, 24);
    store.getState().setContainers([c('loose', { composeProject: null })]);
    store.getState().patchUi({ view: 'list', detail: null, focus: 'containers' });
    const calls: string[] = [];
    const workspaces = { openAgents: async (project: string) => void calls.push(project), execPane: async () => null };
    const ops = new Operations({ docker: new Dockerode({ socketPath: '/nonexistent.sock' }), store, logs: { maxLines: 100, tail: 100 }, workspaces });
    expect(store.getState().projects.map((p) => [p.name, p.source])).toEqual([['other', 'other']]);
    ops.agents();
    const msg = store.getState().ui.message;
    expect(msg).toBe('not in a project: E opens a shell; list it in [[projects]] for agent panes');
    expect(msg!.length).toBeLessThan(78);
    expect(calls).toEqual([]);
  });
});

describe('containers with live agent panes', () => {
  it('asks before restarting, stopping or killing one, naming the panes that will end; n leaves them', async () => {
    const { store, frame } = setup(100, 30);
    store.getState().patchUi({ view: 'list', detail: null, focus: 'containers', containerIndex: 0 });
    store.getState().patchUi({ containerIndex: visibleContainers(store.getState()).findIndex((r) => r.container.name === 'shop-web') });
    const panes = [
      { session: 'shop', title: 'shop__cc_1', container: 'shop-web' },
      { session: 'shop', title: 'shop__user', container: 'shop-web' },
    ];
    const workspaces = { openAgents: async () => {}, execPane: async () => null, livePanes: (names: string[]) => panes.filter((p) => names.includes(p.container)) };
    const ops = new Operations({ docker: new Dockerode({ socketPath: '/nonexistent.sock' }), store, logs: { maxLines: 100, tail: 100 }, workspaces });
    const key = (k: string) => handleDashboardKey({ store, quit: () => {}, pageSize: () => 5, ops }, k, '');
    expect(store.getState().containers.find((x) => x.name === 'shop-web')?.state).toBe('running');
    key('r');
    await tick();
    expect(store.getState().ui.confirm).toMatchObject({ action: 'panes', op: 'restart' });
    const f = frame();
    expect(f).toContain('restart shop-web?');
    expect(f).toContain('2 agent panes run in it and will end:');
    expect(f).toContain('shop: shop__cc_1 (in shop-web)');
    key('enter'); // the safe answer
    expect(store.getState().ui.confirm).toBeNull();
    expect(store.getState().ui.message).toBe('restart cancelled; the panes keep running');
    key('K');
    expect(store.getState().ui.confirm).toMatchObject({ action: 'panes', op: 'kill' });
    key('y');
    expect(store.getState().ui.confirm).toBeNull();
    expect(store.getState().ui.message).toMatch(/^killing shop-web/);
    // a container without panes is not asked about
    panes.length = 0;
    key('r');
    expect(store.getState().ui.confirm).toBeNull();
    ops.stop();
  });
});

describe('help', () => {
  it('is generated from the command table, current view first, and scrolls', async () => {
    const { frame, key } = setup(80, 24);
    key('?');
    await tick();
    const f = frame();
    expect(f).toContain(' logs');
    expect(f).toContain('search (matches highlighted)');
    key('j');
    key('j');
    await tick();
    expect(frame()).toMatch(/Keys 3-/);
  });
});

import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { loadTheme } from '../../src/config/theme.js';
import type { ContainerInfo } from '../../src/engine/types.js';
import { handleDashboardKey } from '../../src/input/dashboardKeys.js';
import { createAppStore, visibleContainers } from '../../src/dashboard/store.js';
import { Dashboard } from '../../src/ui/dashboard/Dashboard.js';
import { ThemeProvider } from '../../src/ui/theme.js';

// A pure UI test: the store is filled by hand, no engine involved.
function c(name: string, project: string | null, extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `id-${name}`, name, image: 'berth-fixture:latest', state: 'running', status: '', health: null, restartCount: 0,
    startedAt: Date.now() - 3_600_000, finishedAt: null, exitCode: null, oomKilled: false, pid: 1, labels: {},
    composeProject: project, composeService: null, created: 0, gpuRequested: false, ...extra,
  };
}

function setup(cols: number, rows: number, env: NodeJS.ProcessEnv = {}) {
  const store = createAppStore([{ name: 'configured-empty', containers: [] }], 'unix:///run/test.sock');
  store.getState().setEngine({ kind: 'connected', address: 'unix:///run/test.sock', version: '20.10.24', apiVersion: '1.41' });
  store.getState().setContainers([
    c('shop-web-1', 'shop'),
    c('shop-db-1', 'shop', { state: 'exited', exitCode: 137, oomKilled: true, startedAt: null }),
    c('ml-trainer', 'ml', { restartCount: 4, health: 'unhealthy' }),
    c('loose', null),
  ]);
  store.getState().setStats({
    'id-shop-web-1': { latest: { t: 0, cpuPct: 97.5, memUsed: 64 * 1024 ** 2, memLimit: 2 * 1024 ** 3, rxRate: 1500, txRate: 0, pids: 3 }, cpu: [10, 50, 97.5] },
  });
  const theme = loadTheme('default', env);
  const ui = render(
    <ThemeProvider theme={theme}>
      <Dashboard store={store} cols={cols} rows={rows} />
    </ThemeProvider>,
  );
  const key = (k: string, t = '') => handleDashboardKey({ store, quit: () => {}, pageSize: () => 5 }, k, t);
  return { store, ui, key };
}

const frameLines = (f: string | undefined) => (f ?? '').split('\n');
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const tick = () => new Promise((r) => setTimeout(r, 30));

describe('a key that does nothing', () => {
  it('says so once in the status line, per view', () => {
    const { store, key } = setup(100, 30);
    key('x', 'x');
    expect(store.getState().ui.message).toBe("x does nothing here (? lists this view's keys)");
    store.getState().setMessage(null);
    key('x', 'x');
    expect(store.getState().ui.message).toBeNull(); // once
    key('j');
    key('Z', 'Z');
    expect(store.getState().ui.message).toBe("Z does nothing here (? lists this view's keys)");
  });
});

describe('the : command line (k9s)', () => {
  it('runs a command of the key table by name, selects a project, completes with tab, quits with q, and names what it does not know', async () => {
    const { store, ui } = setup(100, 30);
    let quits = 0;
    const key = (k: string, t = '') => handleDashboardKey({ store, quit: () => quits++, pageSize: () => 5 }, k, t);
    const type = (text: string) => {
      for (const ch of text) key(ch, ch);
    };
    key(':', ':');
    expect(store.getState().ui.prompt?.kind).toBe('command');
    type('doc');
    key('tab');
    expect(store.getState().ui.prompt?.value).toBe('doctor ');
    key('escape');
    expect(store.getState().ui.prompt).toBeNull();
    key(':', ':');
    type('project ml');
    await tick();
    expect(strip(ui.lastFrame() ?? '')).toContain(':project ml');
    key('enter');
    const s = store.getState();
    expect(s.projects[s.ui.projectIndex - 1]?.name).toBe('ml');
    key(':', ':');
    type('gp');
    key('tab');
    key('enter');
    expect(store.getState().ui.message).toBe('no GPU tool found (nvidia-smi or rocm-smi)');
    key(':', ':');
    type('re');
    key('tab'); // restart, remove, reveal: candidates shown, the common start kept
    expect(store.getState().ui.prompt).toMatchObject({ value: 're', label: expect.stringContaining('restart') });
    key('escape');
    key(':', ':');
    type('reboot');
    key('enter');
    expect(store.getState().ui.message).toBe('unknown command: reboot (tab completes; ? lists the commands)');
    key(':', ':');
    type('q');
    key('enter');
    expect(quits).toBe(1);
  });
});

describe('Dashboard', () => {
  it('at 80x24: header, projects, containers with figures, footer; one row shorter than the terminal', () => {
    const { ui } = setup(80, 24);
    const lines = frameLines(strip(ui.lastFrame() ?? ''));
    expect(lines).toHaveLength(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    const text = lines.join('\n');
    expect(lines[0]).toContain('berth');
    expect(lines[0]).toContain('unix:///run/test.sock');
    expect(lines[0]).toContain('3/4 running');
    expect(text).toContain('configure…');
    expect(text).toMatch(/shop\s+1\/2/);
    expect(text).toContain('shop-web-1');
    expect(text).toContain('97.5%');
    expect(text).toContain('64M/2.0G');
    expect(text).toContain('OOM');
    expect(text).toContain('unhealthy');
    expect(lines[22]).toContain('quit');
    ui.unmount();
  });

  it('a long engine address loses its middle in the header at 80 columns, and ? shows it whole with the version', async () => {
    const { ui, store, key } = setup(80, 24);
    const address = 'unix:///home/someone/.local/share/containers/rootless/engine/run/docker.sock';
    store.getState().setEngine({ kind: 'connected', address, version: '20.10.24', apiVersion: '1.41' });
    await tick();
    const header = strip(ui.lastFrame() ?? '').split('\n')[0]!;
    expect(header).toMatch(/ berth {2}unix:\/\/\/home\/.*….*docker\.sock /);
    expect(header).toContain('3/4 running');
    key('?');
    await tick();
    const help = strip(ui.lastFrame() ?? '');
    expect(help.replace(/[│\s]+/g, '')).toContain(`Engine${address}Docker20.10.24`.replace(/\s+/g, ''));
    ui.unmount();
  });

  it('at 250x70 it shows the image and project columns', () => {
    const { ui } = setup(250, 70);
    const lines = frameLines(strip(ui.lastFrame() ?? ''));
    expect(lines).toHaveLength(69);
    const text = lines.join('\n');
    expect(text).toContain('IMAGE');
    expect(text).toContain('PROJECT');
    expect(text).toContain('berth-fixture:latest');
    ui.unmount();
  });

  it('the filter narrows the rows and shows what is typed', async () => {
    const { ui, key } = setup(100, 30);
    key('/');
    for (const ch of 'trainer') key(ch, ch);
    await tick();
    const text = strip(ui.lastFrame() ?? '');
    expect(text).toContain('ml-trainer');
    expect(text).not.toContain('shop-web-1');
    expect(text).toContain('/trainer');
    ui.unmount();
  });

  it('? shows help generated from the command table', async () => {
    const { ui, key } = setup(160, 60);
    key('?');
    await tick();
    const text = strip(ui.lastFrame() ?? '');
    expect(text).toContain('Keys');
    expect(text).toMatch(/j, ↓\s+move down/);
    expect(text).toMatch(/\/\s+filter containers/);
    ui.unmount();
  });

  it('says when the engine is down', async () => {
    const { ui, store } = setup(120, 30);
    store.getState().setEngine({ kind: 'down', address: 'unix:///run/test.sock', error: 'connection refused', since: Date.now() });
    await tick();
    expect(strip(ui.lastFrame() ?? '')).toContain('DOWN: connection refused');
    ui.unmount();
  });

  it('says when a connected engine stops answering, apart from down', async () => {
    const { ui, store } = setup(100, 30);
    const since = new Date(2026, 0, 1, 9, 8, 7).getTime();
    store.getState().setEngine({ kind: 'stalled', address: 'unix:///run/test.sock', version: '20.10.24', apiVersion: '1.41', since });
    await tick();
    const header = strip(ui.lastFrame() ?? '').split('\n')[0]!;
    expect(header).toContain('NOT ANSWERING since 09:08:07: unix:///run/test.sock');
    expect(header).not.toContain('DOWN');
    ui.unmount();
  });

  it('gives the whole header to why the engine is down at 80 columns', async () => {
    const { ui, store } = setup(80, 24);
    const error = 'connect ECONNREFUSED (is dockerd running?)';
    store.getState().setEngine({ kind: 'down', address: 'unix:///var/run/some/long/path/docker.sock', error, since: Date.now() });
    await tick();
    const header = strip(ui.lastFrame() ?? '').split('\n')[0]!;
    expect(header).toContain(`DOWN: ${error} — reconnecting`);
    expect(header.length).toBeLessThanOrEqual(80);
    ui.unmount();
  });

  it('NO_COLOR draws without colour codes', () => {
    const { ui } = setup(80, 24, { NO_COLOR: '1' });
    const frame = ui.lastFrame() ?? '';
    expect(frame).not.toMatch(/\x1b\[3\dm/);
    ui.unmount();
  });
});

describe('a cut row', () => {
  it("the selected container's name and image, cut in the table at 80 columns, are whole in the table's title line", async () => {
    const { store, ui, key } = setup(80, 24);
    const long = 'shop-frontend-storybook-with-a-long-name-1';
    store.getState().setContainers([...store.getState().containers, c(long, 'shop', { image: 'registry.example.com/team/storybook:2024-11-30' })]);
    await tick();
    let f = strip(ui.lastFrame() ?? '');
    expect(f).not.toContain(long); // cut in its row
    // all projects, the long one selected
    const at = visibleContainers({ ...store.getState(), ui: { ...store.getState().ui, projectIndex: 0, filter: '' } }).findIndex((r) => r.container.name === long);
    store.getState().patchUi({ projectIndex: 0, focus: 'containers', containerIndex: at });
    await tick();
    f = strip(ui.lastFrame() ?? '');
    expect(f).toContain(`▸ ${long} `);
    // the row above: its name shows whole in its row, its image column is left out at 80: the image
    key('k');
    await tick();
    f = strip(ui.lastFrame() ?? '');
    expect(f).not.toContain(`▸ ${long}`);
    expect(f).toMatch(/▸ \S+ {2}berth-fixture:latest/);
    ui.unmount();
  });
});

describe('help', () => {
  it('wraps long descriptions at 80 columns (nothing cut) and / shows only what matches', async () => {
    const { ui, key, store } = setup(80, 24);
    key('?');
    await tick();
    let f = strip(ui.lastFrame() ?? '');
    expect(f).toContain('/ searches');
    expect(frameLines(f).filter((l) => /…\s*│?$/.test(l))).toEqual([]);
    key('/', '/');
    for (const ch of 'prune') key(ch, ch);
    await tick();
    f = strip(ui.lastFrame() ?? '');
    expect(f).toContain('Keys matching "prune"');
    expect(f).toContain('prune preview: what would be removed and kept');
    expect(f).not.toContain('first row');
    key('enter');
    key('escape');
    await tick();
    expect(store.getState().ui.help).toBe(false);
    key('?');
    await tick();
    // a new help starts without the old search
    expect(strip(ui.lastFrame() ?? '')).not.toContain('matching');
  });
});

describe('agents that need you', () => {
  it('the header counts them first on the right, N goes to the oldest', async () => {
    const { ui, store } = setup(120, 30);
    store.setState({ attention: 2, attentionByProject: { shop: 2 } });
    await tick();
    expect(strip(ui.lastFrame() ?? '').split('\n')[0]).toMatch(/ 2 need you \(N\) {2}\d+ projects/);
    // and per project, before its counts
    expect(strip(ui.lastFrame() ?? '')).toMatch(/shop +!2 \d+\/\d+/);
    let shown = 0;
    const sessions = { openSessions() {}, moveSession() {}, showChosen: async () => {}, askEndChosen() {}, showAttention: async () => void shown++ };
    handleDashboardKey({ store, quit: () => {}, pageSize: () => 5, sessions }, 'N', 'N');
    expect(shown).toBe(1);
    store.setState({ attention: 0 });
    await tick();
    expect(strip(ui.lastFrame() ?? '')).not.toContain('need you');
  });
});

import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../../../src/engine/types.js';
import { handleDashboardKey } from '../../../src/input/dashboardKeys.js';
import { createAppStore, selectedContainer, totals, visibleContainers } from '../../../src/dashboard/store.js';

function c(name: string, project: string | null, state: ContainerInfo['state'] = 'running', image = 'img'): ContainerInfo {
  return {
    id: `id-${name}`, name, image, state, status: '', health: null, restartCount: 0, startedAt: null, finishedAt: null,
    exitCode: null, oomKilled: false, pid: 1, labels: {}, composeProject: project, composeService: null, created: 0, gpuRequested: false,
  };
}

function setup() {
  const store = createAppStore([{ name: 'alpha', containers: [] }]);
  store.getState().setContainers([c('alpha-web', 'alpha'), c('alpha-db', 'alpha', 'exited', 'postgres:16'), c('beta-1', 'beta'), c('stray', null)]);
  let quit = 0;
  const key = (k: string, text = '') => handleDashboardKey({ store, quit: () => quit++, pageSize: () => 10 }, k, text);
  const type = (s: string) => [...s].forEach((ch) => key(ch, ch));
  return { store, key, type, quits: () => quit };
}

describe('dashboard keys and selection', () => {
  it('j/k move in the project list; enter opens the project; tab switches panels', () => {
    const { store, key } = setup();
    expect(store.getState().projects.map((p) => p.name)).toEqual(['alpha', 'beta', 'other']);
    expect(visibleContainers(store.getState())).toHaveLength(4);
    key('j');
    expect(visibleContainers(store.getState()).map((r) => r.container.name)).toEqual(['alpha-db', 'alpha-web']);
    key('enter');
    expect(store.getState().ui.focus).toBe('containers');
    key('down');
    expect(selectedContainer(store.getState())?.container.name).toBe('alpha-web');
    key('j');
    expect(selectedContainer(store.getState())?.container.name).toBe('alpha-web');
    key('tab');
    expect(store.getState().ui.focus).toBe('projects');
    key('G');
    expect(store.getState().ui.projectIndex).toBe(3);
    key('g');
    expect(store.getState().ui.projectIndex).toBe(0);
  });

  it('/ filters by name, image or project; enter keeps it, esc clears it', () => {
    const { store, key, type } = setup();
    key('/');
    type('postgres');
    expect(visibleContainers(store.getState()).map((r) => r.container.name)).toEqual(['alpha-db']);
    key('backspace');
    key('ctrl+u');
    type('beta');
    key('enter');
    expect(store.getState().ui.filterEditing).toBe(false);
    expect(visibleContainers(store.getState()).map((r) => r.container.name)).toEqual(['beta-1']);
    // q while typing a filter is text, not quit
    key('/');
    key('q', 'q');
    expect(store.getState().ui.filter).toBe('betaq');
    key('escape');
    expect(store.getState().ui.filter).toBe('');
    expect(visibleContainers(store.getState())).toHaveLength(4);
  });

  it('? opens help, which swallows keys until closed; q quits', () => {
    const { store, key, quits } = setup();
    key('?');
    expect(store.getState().ui.help).toBe(true);
    key('j');
    expect(store.getState().ui.projectIndex).toBe(0);
    key('escape');
    expect(store.getState().ui.help).toBe(false);
    key('q');
    expect(quits()).toBe(1);
  });

  it('keeps the selection inside the list when containers go away', () => {
    const { store, key } = setup();
    key('tab');
    key('G');
    expect(store.getState().ui.containerIndex).toBe(3);
    store.getState().setContainers([c('alpha-web', 'alpha')]);
    expect(store.getState().ui.containerIndex).toBe(0);
    expect(selectedContainer(store.getState())?.container.name).toBe('alpha-web');
  });

  it('totals count running containers and sum their latest stats', () => {
    const { store } = setup();
    const sample = (cpuPct: number, memUsed: number) => ({ latest: { t: 0, cpuPct, memUsed, memLimit: 1, rxRate: 0, txRate: 0, pids: 1 }, cpu: [cpuPct] });
    store.getState().setStats({ 'id-alpha-web': sample(50, 100), 'id-beta-1': sample(25, 50) });
    expect(totals(store.getState())).toEqual({ projects: 3, containers: 4, running: 3, cpuPct: 75, memUsed: 150 });
  });
});

// What a dashboard command acts on, decided in one place for every controller.
import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../../../src/engine/types.js';
import { scopeProject, selectedScope } from '../../../src/dashboard/scope.js';
import { createAppStore } from '../../../src/dashboard/store.js';

function c(name: string, project: string | null): ContainerInfo {
  return {
    id: `id-${name}`, name, image: 'img', state: 'running', status: '', health: null, restartCount: 0, startedAt: null, finishedAt: null,
    exitCode: null, oomKilled: false, pid: 1, labels: {}, composeProject: project, composeService: null, created: 0, gpuRequested: false,
  };
}

describe('selectedScope', () => {
  const store = createAppStore([]);
  store.getState().setContainers([c('a-web', 'a'), c('a-db', 'a'), c('b-1', 'b')]);
  const scope = () => selectedScope(store.getState());

  it('the projects panel: the selected project, or nothing on "all"', () => {
    store.getState().patchUi({ focus: 'projects', projectIndex: 0 });
    expect(scope()).toEqual({ kind: 'nothing', why: 'all' });
    store.getState().patchUi({ projectIndex: 1 });
    expect(scope()).toMatchObject({ kind: 'project', name: 'a', from: 'projects' });
    expect(scopeProject(scope())).toBe('a');
  });

  it('the container list: the selected container with its project', () => {
    store.getState().patchUi({ focus: 'containers', projectIndex: 0, containerIndex: 2 });
    expect(scope()).toMatchObject({ kind: 'container', container: { name: 'b-1' }, project: 'b', from: 'list' });
    expect(scopeProject(scope())).toBe('b');
  });

  it('an open detail view wins; its container removed meanwhile is said so', () => {
    store.getState().patchUi({ view: 'detail', detail: { kind: 'container', id: 'id-a-db', name: 'a-db', project: 'a' } });
    expect(scope()).toMatchObject({ kind: 'container', container: { name: 'a-db' }, from: 'detail' });
    store.getState().patchUi({ detail: { kind: 'container', id: 'id-gone', name: 'gone', project: 'a' } });
    expect(scope()).toEqual({ kind: 'gone', id: 'id-gone', name: 'gone', project: 'a' });
    expect(scopeProject(scope())).toBe('a');
    store.getState().patchUi({ detail: { kind: 'project', name: 'a', containers: [{ id: 'id-a-web', name: 'a-web' }, { id: 'id-x', name: 'x' }] } });
    expect(scope()).toMatchObject({ kind: 'project', name: 'a', from: 'detail', containers: [{ name: 'a-web' }] });
  });
});

import { describe, expect, it } from 'vitest';
import { groupProjects } from '../../../src/project/group.js';
import type { ContainerInfo } from '../../../src/engine/types.js';
import { composeLabelValues, normalizeProjectName, normalizeProjectNameV1 } from '../../../src/project/names.js';

function c(name: string, project: string | null, state: ContainerInfo['state'] = 'running'): ContainerInfo {
  return {
    id: `id-${name}`,
    name,
    image: 'img',
    state,
    status: '',
    health: null,
    restartCount: 0,
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    oomKilled: false,
    pid: 0,
    labels: {},
    composeProject: project,
    composeService: null,
    created: 0, gpuRequested: false,
  };
}

describe('groupProjects', () => {
  it('groups by compose label, keeps configured projects without containers, and puts the rest under other', () => {
    const list = [c('b-web-1', 'b'), c('a-db-1', 'a', 'exited'), c('loner', null), c('agent-box', null)];
    const out = groupProjects(list, [
      { name: 'mine', path: '/src/mine', containers: ['agent-box'] },
      { name: 'empty', containers: [] },
    ]);
    expect(out.map((p) => [p.name, p.source, p.total, p.running])).toEqual([
      ['mine', 'config', 1, 1],
      ['empty', 'config', 0, 0],
      ['a', 'compose', 1, 0],
      ['b', 'compose', 1, 1],
      ['other', 'other', 1, 1],
    ]);
    expect(out[0]!.path).toBe('/src/mine');
  });
  it('a configured project also takes its compose-labelled containers', () => {
    const out = groupProjects([c('x-1', 'x'), c('x-2', 'x', 'exited')], [{ name: 'x', containers: [] }]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ name: 'x', source: 'config', total: 2, running: 1 });
  });
  it('a configured project takes the containers compose v1 and v2 labelled with its name', () => {
    const out = groupProjects([c('v2-1', 'my_app'), c('v1-1', 'myapp'), c('else', 'myapp2')], [{ name: 'my_app', containers: [] }]);
    expect(out.map((p) => [p.name, p.containers.map((x) => x.name)])).toEqual([
      ['my_app', ['v1-1', 'v2-1']],
      ['myapp2', ['else']],
    ]);
  });
});

describe('compose project names', () => {
  it('v2 keeps _ and -, v1 only letters and digits; both are asked', () => {
    expect(normalizeProjectName('My.App_2-x')).toBe('myapp_2-x');
    expect(normalizeProjectNameV1('My.App_2-x')).toBe('myapp2x');
    expect(composeLabelValues('My.App_2-x')).toEqual(['My.App_2-x', 'myapp_2-x', 'myapp2x']);
    expect(composeLabelValues('shop')).toEqual(['shop']);
  });
});

import { describe, expect, it } from 'vitest';
import { groupProjects } from '../../../src/engine/projects.js';
import type { ContainerInfo } from '../../../src/engine/types.js';

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
});

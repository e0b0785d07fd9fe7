// What the dashboard's commands act on, decided once: the container or project of the open
// detail view, else the selected project (projects panel) or the selected container (list).
import type { ContainerInfo } from '../engine/types.js';
import { selectedContainer, selectedProject, type AppState } from './store.js';

export type Scope =
  | { kind: 'container'; container: ContainerInfo; project: string | null; from: 'detail' | 'list' }
  | { kind: 'project'; name: string; containers: ContainerInfo[]; from: 'detail' | 'projects' }
  /** The detail view's container, removed meanwhile (it still names its project). */
  | { kind: 'gone'; id: string; name: string; project: string }
  /** all: the "all" row of the projects panel; none: nothing selected. */
  | { kind: 'nothing'; why: 'all' | 'none' };

export function selectedScope(s: Pick<AppState, 'projects' | 'ui' | 'containers'>): Scope {
  const d = s.ui.view === 'detail' ? s.ui.detail : null;
  if (d) {
    const byId = new Map(s.containers.map((c) => [c.id, c]));
    if (d.kind === 'container') {
      const c = byId.get(d.id);
      return c ? { kind: 'container', container: c, project: d.project, from: 'detail' } : { kind: 'gone', id: d.id, name: d.name, project: d.project };
    }
    return { kind: 'project', name: d.name, containers: d.containers.map((x) => byId.get(x.id)).filter((x): x is ContainerInfo => !!x), from: 'detail' };
  }
  if (s.ui.focus === 'projects') {
    const p = selectedProject(s);
    return p ? { kind: 'project', name: p.name, containers: p.containers, from: 'projects' } : { kind: 'nothing', why: 'all' };
  }
  const row = selectedContainer(s);
  return row ? { kind: 'container', container: row.container, project: row.project, from: 'list' } : { kind: 'nothing', why: 'none' };
}

/** The project a scope belongs to (a container's own project), or null. */
export function scopeProject(scope: Scope): string | null {
  return scope.kind === 'project' ? scope.name : scope.kind === 'container' || scope.kind === 'gone' ? scope.project : null;
}

// What the dashboard's commands act on, decided once: the container or project of the open
// detail view, else the selected project (projects panel) or the selected container (list).
// And the one way a controller puts a line in the status line.
import type { ContainerInfo } from '../engine/types.js';
import { selectedContainer, selectedProject, type AppState, type AppStore } from './store.js';

export type Scope =
  | { kind: 'container'; container: ContainerInfo; project: string | null; from: 'detail' | 'list' }
  | { kind: 'project'; name: string; containers: ContainerInfo[]; from: 'detail' | 'projects' }
  /** gone: the detail view's container was removed meanwhile; all: the "all" row; none: nothing selected. */
  | { kind: 'nothing'; why: 'gone' | 'all' | 'none'; name?: string };

export function selectedScope(s: Pick<AppState, 'projects' | 'ui' | 'containers'>): Scope {
  const d = s.ui.view === 'detail' ? s.ui.detail : null;
  if (d) {
    const byId = new Map(s.containers.map((c) => [c.id, c]));
    if (d.kind === 'container') {
      const c = byId.get(d.id);
      return c ? { kind: 'container', container: c, project: d.project, from: 'detail' } : { kind: 'nothing', why: 'gone', name: d.name };
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
  return scope.kind === 'project' ? scope.name : scope.kind === 'container' ? scope.project : null;
}

export type StatusKind = 'info' | 'ok' | 'error';

/** The status line of a store: one function every controller says things with. */
export function statusLine(store: AppStore): (text: string, kind?: StatusKind) => void {
  return (text, kind = 'info') => store.getState().setMessage(text, kind);
}

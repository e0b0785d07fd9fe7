// Groups containers into projects: the user's configured projects first (shown even with
// no containers; they take the containers they list and those whose compose label is
// their name, written by compose v1 or v2), then compose projects by their label, then
// everything else as "other". Pure.
import type { ProjectConfig } from '../config/schema.js';
import type { ContainerInfo, ProjectView } from '../engine/types.js';
import { composeLabelValues } from './names.js';

export const OTHER = 'other';

function byName(a: ContainerInfo, b: ContainerInfo): number {
  return a.name.localeCompare(b.name);
}

function view(name: string, source: ProjectView['source'], path: string | null, containers: ContainerInfo[]): ProjectView {
  containers.sort(byName);
  return {
    name,
    source,
    path,
    containers,
    running: containers.filter((c) => c.state === 'running').length,
    total: containers.length,
  };
}

export function groupProjects(containers: Iterable<ContainerInfo>, configured: readonly ProjectConfig[]): ProjectView[] {
  const configuredByName = new Map(configured.map((p) => [p.name, p]));
  const byContainerName = new Map<string, string>();
  for (const p of configured) for (const n of p.containers) byContainerName.set(n, p.name);
  const byLabel = new Map<string, string>();
  for (const p of configured) for (const l of composeLabelValues(p.name)) if (!byLabel.has(l)) byLabel.set(l, p.name);

  const buckets = new Map<string, ContainerInfo[]>();
  const other: ContainerInfo[] = [];
  for (const c of containers) {
    const project = byContainerName.get(c.name) ?? (c.composeProject ? (byLabel.get(c.composeProject) ?? c.composeProject) : null);
    if (!project) {
      other.push(c);
      continue;
    }
    let list = buckets.get(project);
    if (!list) buckets.set(project, (list = []));
    list.push(c);
  }

  const out: ProjectView[] = [];
  for (const p of configured) out.push(view(p.name, 'config', p.path ?? null, buckets.get(p.name) ?? []));
  const composeNames = [...buckets.keys()].filter((n) => !configuredByName.has(n)).sort((a, b) => a.localeCompare(b));
  for (const n of composeNames) out.push(view(n, 'compose', null, buckets.get(n)!));
  if (other.length) out.push(view(OTHER, 'other', null, other));
  return out;
}

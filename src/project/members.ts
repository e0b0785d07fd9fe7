// What belongs to a project on an engine, answered once for every command: its containers
// (those the user config lists, and those whose compose label is the project's name as
// compose v1 or v2 writes it), the volumes they mount and the ones compose created for it,
// the host folders they bind, and its folder (the config's path, else compose's
// working_dir label).
import type Dockerode from 'dockerode';
import type { ProjectConfig } from '../config/schema.js';
import { COMPOSE_DIR_LABEL, COMPOSE_PROJECT_LABEL, composeLabelValues } from './names.js';

export interface ProjectMembers {
  name: string;
  configured: ProjectConfig | null;
  /** The engine's list entries of its containers, by name. */
  containers: Dockerode.ContainerInfo[];
  /** Named volumes: mounted by its containers, or labelled by compose for it. */
  volumes: string[];
  /** Host folders its containers bind-mount. */
  binds: string[];
  dir: string | null;
  /** Anything at all belongs to it (configured, containers or volumes). */
  found: boolean;
}

export const containerName = (c: Pick<Dockerode.ContainerInfo, 'Names' | 'Id'>): string => (c.Names?.[0] ?? c.Id).replace(/^\//, '');

/** The project's containers and folder only (one list of the engine's containers). */
export async function projectContainers(
  docker: Dockerode,
  name: string,
  configured: readonly ProjectConfig[] = [],
): Promise<Pick<ProjectMembers, 'name' | 'configured' | 'containers' | 'dir'>> {
  const config = configured.find((p) => p.name === name) ?? null;
  const labels = new Set(composeLabelValues(name));
  const listed = new Set(config?.containers ?? []);
  const all = await docker.listContainers({ all: true });
  const containers = all
    .filter((c) => labels.has(c.Labels?.[COMPOSE_PROJECT_LABEL] ?? '\0') || listed.has(containerName(c)))
    .sort((a, b) => containerName(a).localeCompare(containerName(b)));
  const dir = config?.path ?? containers.find((c) => c.Labels?.[COMPOSE_DIR_LABEL])?.Labels[COMPOSE_DIR_LABEL] ?? null;
  return { name, configured: config, containers, dir };
}

/** Everything of the project: its containers and folder, their volumes and binds, and compose's labelled volumes. */
export async function projectMembers(docker: Dockerode, name: string, configured: readonly ProjectConfig[] = []): Promise<ProjectMembers> {
  const base = await projectContainers(docker, name, configured);
  const volumes = new Set<string>();
  const binds = new Set<string>();
  for (const c of base.containers) {
    for (const m of c.Mounts ?? []) {
      if (m.Type === 'volume' && m.Name) volumes.add(m.Name);
      else if (m.Type === 'bind') binds.add(m.Source);
    }
  }
  let labelled = 0;
  for (const l of composeLabelValues(name)) {
    const { Volumes } = await docker.listVolumes({ filters: { label: [`${COMPOSE_PROJECT_LABEL}=${l}`] } });
    for (const v of Volumes ?? []) volumes.add(v.Name);
    labelled += Volumes?.length ?? 0;
  }
  return {
    ...base,
    volumes: [...volumes].sort(),
    binds: [...binds].sort(),
    found: base.configured !== null || base.containers.length > 0 || labelled > 0,
  };
}

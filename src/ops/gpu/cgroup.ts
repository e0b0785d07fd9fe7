// Host PID -> container id, through /proc/<pid>/cgroup; and GPU processes -> per-container use.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gpuKey, type ContainerGpuUse, type GpuInfo, type GpuProcess } from './types.js';

/**
 * A path segment that names a container:
 *   cgroupfs driver:  /docker/<id>            /kubepods/burstable/pod<uid>/<id>
 *   systemd driver:   /system.slice/docker-<id>.scope
 *                     /kubepods.slice/…/cri-containerd-<id>.scope, crio-<id>.scope
 *   podman:           libpod-<id>.scope
 */
const SEGMENT = /^(?:(?:docker|cri-containerd|crio|libpod)-)?([0-9a-f]{64})(?:\.scope)?$/;

/**
 * Container ids named in one /proc/<pid>/cgroup text, outermost first (docker-in-docker gives
 * /docker/<outer>/docker/<inner>). Reads cgroup v1 lines ("4:memory:/docker/<id>") and the v2
 * line ("0::/system.slice/docker-<id>.scope"); the first line that names a container wins.
 */
export function containerIdsFromCgroup(text: string): string[] {
  const lines = text.split(/\r?\n/).filter(Boolean);
  // Prefer the unified (v2) line, then name=systemd, then the rest: they agree in practice.
  const ordered = [
    ...lines.filter((l) => l.startsWith('0::')),
    ...lines.filter((l) => l.includes(':name=systemd:')),
    ...lines,
  ];
  for (const line of ordered) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const cgPath = line.slice(second + 1);
    const ids: string[] = [];
    for (const seg of cgPath.split('/')) {
      const m = SEGMENT.exec(seg);
      if (m && !ids.includes(m[1])) ids.push(m[1]);
    }
    if (ids.length > 0) return ids;
  }
  return [];
}

/** The innermost container id in a cgroup text, or null for a process outside any container. */
export function containerIdFromCgroup(text: string): string | null {
  const ids = containerIdsFromCgroup(text);
  return ids.length > 0 ? ids[ids.length - 1] : null;
}

export interface PidLookupOptions {
  /** Where /proc is; tests point this at a fixture tree. */
  procRoot?: string;
  /**
   * Ids of containers the engine knows (full 64-hex). With nesting, the innermost known id is
   * picked; without this, the innermost id.
   */
  knownIds?: ReadonlySet<string>;
}

/** Container id of a host PID, or null (no such process, not in a container, unreadable). */
export async function containerIdForPid(
  pid: number,
  opts: PidLookupOptions = {},
): Promise<string | null> {
  const procRoot = opts.procRoot ?? '/proc';
  let text: string;
  try {
    text = await readFile(path.join(procRoot, String(pid), 'cgroup'), 'utf8');
  } catch {
    return null;
  }
  const ids = containerIdsFromCgroup(text);
  if (ids.length === 0) return null;
  if (opts.knownIds) {
    for (let i = ids.length - 1; i >= 0; i--) if (opts.knownIds.has(ids[i])) return ids[i];
  }
  return ids[ids.length - 1];
}

/**
 * Attribute GPU processes to containers: memory summed per container, the GPUs it uses.
 * Reads one small /proc file per GPU process (there are few), none per container.
 */
export async function gpuUseByContainer(
  processes: GpuProcess[],
  gpus: GpuInfo[],
  opts: PidLookupOptions = {},
): Promise<Map<string, ContainerGpuUse>> {
  const out = new Map<string, ContainerGpuUse>();
  const pids = [...new Set(processes.map((p) => p.pid))];
  const ids = await Promise.all(pids.map((pid) => containerIdForPid(pid, opts)));
  const idOf = new Map(pids.map((pid, i) => [pid, ids[i]]));
  const live = gpus.filter((g) => !g.lost);

  for (const p of processes) {
    const id = idOf.get(p.pid);
    if (!id) continue;
    let use = out.get(id);
    if (!use) {
      use = { memUsedMiB: 0, memUnknown: false, gpus: [], gpuIndexes: [], pids: [] };
      out.set(id, use);
    }
    if (p.usedMemMiB === null) use.memUnknown = true;
    else use.memUsedMiB += p.usedMemMiB;
    if (!use.pids.includes(p.pid)) use.pids.push(p.pid);

    // The GPUs this process runs on.
    let on: { key: string; index: number | null }[] = [];
    const gpu =
      (p.gpuUuid ? live.find((g) => g.uuid === p.gpuUuid) : undefined) ??
      (p.gpuIndex !== null ? live.find((g) => g.index === p.gpuIndex) : undefined);
    if (gpu) on = [{ key: gpuKey(gpu), index: gpu.index }];
    else if (p.gpuUuid) on = [{ key: p.gpuUuid, index: p.gpuIndex }]; // e.g. a MIG device uuid
    else if (p.gpuCount !== undefined && p.gpuCount > 0 && p.gpuCount === live.length)
      on = live.map((g) => ({ key: gpuKey(g), index: g.index }));
    for (const g of on) {
      if (!use.gpus.includes(g.key)) use.gpus.push(g.key);
      if (g.index !== null && !use.gpuIndexes.includes(g.index)) use.gpuIndexes.push(g.index);
    }
  }
  for (const use of out.values()) {
    use.gpuIndexes.sort((a, b) => a - b);
    use.pids.sort((a, b) => a - b);
  }
  return out;
}

import { join } from 'node:path';
import type { CgroupMount, ProcCgroupEntry } from './procfs.js';

/** Where one container's counters live, resolved once from /proc/<pid>/cgroup and mountinfo. */
export interface CgroupFiles {
  cpu: { version: 1; usage: string } | { version: 2; stat: string };
  memory:
    | { version: 1; usage: string; limit: string; stat: string }
    | { version: 2; current: string; max: string; stat: string };
  /** pids.current, or null when no pids controller is mounted. */
  pids: string | null;
  /** /proc/<pid>/net/dev of the container's main process (its network namespace). */
  netDev: string;
}

export interface ResolveOptions {
  containerId: string;
  pid: number;
  procRoot: string;
  /** Prefix put in front of the mount points read from mountinfo ('' on a real host). */
  mountRoot: string;
}

/**
 * Maps a container's cgroup membership to the files to read. cgroup v1 hierarchies win
 * over the unified one (hybrid hosts account memory and CPU in v1, as docker does); pure
 * v2 hosts use the "0::" line. Returns null when the process is not in a cgroup named
 * after the container (wrong pid, another pid namespace, a remote engine) or when no
 * mount shows that cgroup.
 */
export function resolveCgroupFiles(
  entries: ProcCgroupEntry[],
  mounts: CgroupMount[],
  opts: ResolveOptions,
): CgroupFiles | null {
  const v1Dir = (controller: string): string | null => {
    const entry = entries.find((e) => e.hierarchyId !== 0 && e.controllers.includes(controller));
    if (!entry) return null;
    for (const m of mounts) {
      if (m.version !== 1 || !m.controllers.includes(controller)) continue;
      const dir = dirUnder(m, entry.path, opts);
      if (dir) return dir;
    }
    return null;
  };
  const v2Dir = ((): string | null => {
    const entry = entries.find((e) => e.hierarchyId === 0 && e.controllers.length === 0);
    if (!entry) return null;
    for (const m of mounts) {
      if (m.version !== 2) continue;
      const dir = dirUnder(m, entry.path, opts);
      if (dir) return dir;
    }
    return null;
  })();

  const cpuacct = v1Dir('cpuacct');
  const memory = v1Dir('memory');
  const pids = v1Dir('pids');

  let cpu: CgroupFiles['cpu'];
  if (cpuacct) cpu = { version: 1, usage: join(cpuacct, 'cpuacct.usage') };
  else if (v2Dir) cpu = { version: 2, stat: join(v2Dir, 'cpu.stat') };
  else return null;

  let mem: CgroupFiles['memory'];
  if (memory) {
    mem = {
      version: 1,
      usage: join(memory, 'memory.usage_in_bytes'),
      limit: join(memory, 'memory.limit_in_bytes'),
      stat: join(memory, 'memory.stat'),
    };
  } else if (v2Dir) {
    mem = {
      version: 2,
      current: join(v2Dir, 'memory.current'),
      max: join(v2Dir, 'memory.max'),
      stat: join(v2Dir, 'memory.stat'),
    };
  } else {
    return null;
  }

  // The pid must really belong to this container: docker names the cgroup after the id
  // (cgroupfs "/docker/<id>", systemd "/system.slice/docker-<id>.scope").
  const used = [cpuacct ?? v2Dir, memory ?? v2Dir];
  if (!used.every((d) => d !== null && d.includes(opts.containerId))) return null;

  return {
    cpu,
    memory: mem,
    pids: pids ? join(pids, 'pids.current') : v2Dir ? join(v2Dir, 'pids.current') : null,
    netDev: join(opts.procRoot, String(opts.pid), 'net', 'dev'),
  };
}

/** The directory of cgroup `path` under mount `m`, or null when the mount does not show it. */
function dirUnder(m: CgroupMount, path: string, opts: ResolveOptions): string | null {
  let rel = path;
  if (m.root !== '/') {
    if (path === m.root) rel = '/';
    else if (path.startsWith(m.root + '/')) rel = path.slice(m.root.length);
    else return null;
  }
  if (rel.split('/').includes('..')) return null;
  return join(opts.mountRoot || '/', m.mountPoint, rel);
}

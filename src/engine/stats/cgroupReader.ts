import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RawStats } from '../types.js';
import { resolveCgroupFiles, type CgroupFiles } from './cgroupPaths.js';
import { OpenFiles } from './fileCache.js';
import { capMemLimit, memUsageNoCache } from './memoryUsage.js';
import {
  parseCgroupMounts,
  pickFlatKeyed,
  parseMemTotal,
  parseNetDev,
  parseProcCgroup,
  parseProcStat,
  parseSingleValue,
  type CgroupMount,
  type ProcStat,
} from './procfs.js';

/** A running container as the samplers need it: its id and its main process on the host. */
export interface ContainerRef {
  id: string;
  /** Host PID of the main process (ContainerInfo.pid); 0 when unknown. */
  pid: number;
}

export interface CgroupReaderOptions {
  /** Where procfs is mounted. Default "/proc". */
  procRoot?: string;
  /** Prefix for the cgroup mount points read from <procRoot>/self/mountinfo. Default "". */
  mountRoot?: string;
  /** Containers read between two yields to the event loop. Default 32. */
  batch?: number;
  /** Clock for RawStats.readAt. Default Date.now. */
  now?: () => number;
}

/** Reads containers' counters straight from the kernel: the engine does no work for it. */
export interface CgroupReader {
  /** One container; null when it cannot be read locally (gone, wrong pid, not a local cgroup). */
  read(ref: ContainerRef): Promise<RawStats | null>;
  /** Several containers in one pass; the host CPU time is shared by the pass. */
  readMany(refs: readonly ContainerRef[]): Promise<Map<string, RawStats | null>>;
  /** Drops what is cached about a container (and closes its files). */
  forget(id: string): void;
  /** Closes every open file; the reader opens them again when used. */
  close(): void;
}

interface Resolved {
  pid: number;
  files: CgroupFiles;
  open: OpenFiles;
  /** The memory limit and the pid count change rarely: read at every SLOW_EVERY-th reading. */
  slow: { limit: number; pids: number; left: number } | null;
  /** The last full reading, and readings left before the next one is due. */
  full: { cpuTotalNs: number; memUsed: number; rxBytes: number; txBytes: number; left: number } | null;
}

/** Readings between two reads of the slow-changing figures (memory limit, pid count). */
export const SLOW_EVERY = 10;
/**
 * A container whose CPU counter has not moved since its last full reading ran nothing: its
 * memory and network counters are taken from that reading, and only its CPU counter is read
 * (one file instead of four; most agent containers sit idle most of the time). A full
 * reading is made at least every FULL_EVERY readings all the same, for what can change
 * without the container running (bytes received that nobody has read yet).
 */
export const FULL_EVERY = 10;
/** The memory.stat values memory use is computed from (memoryUsage.ts), and cpu.stat's one. */
const MEM_KEYS = ['total_inactive_file', 'inactive_file'] as const;
const CPU_KEYS = ['usage_usec'] as const;

interface HostClock {
  at: number;
  stat: ProcStat;
}

export function createCgroupReader(options: CgroupReaderOptions = {}): CgroupReader {
  const procRoot = options.procRoot ?? '/proc';
  const mountRoot = options.mountRoot ?? '';
  const batch = options.batch ?? 32;
  const now = options.now ?? Date.now;
  const resolved = new Map<string, Resolved>();
  const host = new OpenFiles();
  let mounts: CgroupMount[] | null = null;
  let memTotal: number | null = null;

  const getMounts = (): CgroupMount[] => {
    mounts ??= parseCgroupMounts(readFileSync(join(procRoot, 'self', 'mountinfo'), 'utf8'));
    return mounts;
  };

  const getMemTotal = (): number => {
    memTotal ??= parseMemTotal(readFileSync(join(procRoot, 'meminfo'), 'utf8'));
    return memTotal;
  };

  const readHostClock = (): HostClock => {
    const t0 = performance.now();
    const stat = parseProcStat(host.read(join(procRoot, 'stat')));
    return { at: (t0 + performance.now()) / 2, stat };
  };

  const drop = (id: string): void => {
    resolved.get(id)?.open.close();
    resolved.delete(id);
  };

  const resolve = (ref: ContainerRef): Resolved | null => {
    const hit = resolved.get(ref.id);
    if (hit && hit.pid === ref.pid) return hit;
    drop(ref.id);
    if (!(ref.pid > 0)) return null;
    const cgroupText = readFileSync(join(procRoot, String(ref.pid), 'cgroup'), 'utf8');
    const files = resolveCgroupFiles(parseProcCgroup(cgroupText), getMounts(), {
      containerId: ref.id,
      pid: ref.pid,
      procRoot,
      mountRoot,
    });
    if (!files) return null;
    const entry: Resolved = { pid: ref.pid, files, open: new OpenFiles(), slow: null, full: null };
    resolved.set(ref.id, entry);
    return entry;
  };

  /**
   * The memory, network and (when due) the slow-changing figures of a container, into
   * `entry.full` and `entry.slow`; `cpuTotalNs` is its CPU counter read just before.
   */
  const readFull = (entry: Resolved, ref: ContainerRef, cpuTotalNs: number): void => {
    const { files, open } = entry;
    // The main process is gone: stopped, or restarted with another pid. (A container that
    // stops loses its cgroup, whose open files then fail to read: the CPU read before this.)
    if (!existsSync(join(procRoot, String(ref.pid)))) throw new Error('gone');
    const readSlow = !entry.slow || entry.slow.left <= 0;
    const m = files.memory;
    const usage = parseSingleValue(open.read(m.version === 1 ? m.usage : m.current), 'memory usage');
    const limit = readSlow ? parseSingleValue(open.read(m.version === 1 ? m.limit : m.max), 'memory limit') : entry.slow!.limit;
    const memStat = pickFlatKeyed(open.read(m.stat), MEM_KEYS);
    const net = parseNetDev(open.read(files.netDev));
    let pids = readSlow ? 0 : entry.slow!.pids;
    if (readSlow && files.pids) {
      try {
        pids = parseSingleValue(open.read(files.pids), 'pids.current');
      } catch {
        pids = 0; // no pids controller for this cgroup
      }
    }
    if (readSlow) entry.slow = { limit, pids, left: SLOW_EVERY - 1 };
    else entry.slow!.left--;
    entry.full = { cpuTotalNs, memUsed: memUsageNoCache(usage, memStat), rxBytes: net.rxBytes, txBytes: net.txBytes, left: FULL_EVERY - 1 };
  };

  /**
   * One container; the host CPU time (systemNs, onlineCpus) is left at 0 for readMany to
   * fill in. `cpuAt` is when the CPU counter was read.
   */
  const readContainer = (ref: ContainerRef): { raw: RawStats; cpuAt: number } | null => {
    try {
      const entry = resolve(ref);
      if (!entry) return null;
      const { files, open } = entry;
      const t0 = performance.now();
      const cpuText = open.read(files.cpu.version === 1 ? files.cpu.usage : files.cpu.stat);
      const cpuAt = (t0 + performance.now()) / 2;
      const readAt = now();
      let cpuTotalNs: number;
      if (files.cpu.version === 1) {
        cpuTotalNs = parseSingleValue(cpuText, 'cpuacct.usage');
      } else {
        const usec = pickFlatKeyed(cpuText, CPU_KEYS).usage_usec;
        if (usec === undefined) throw new Error('cpu.stat: no usage_usec');
        cpuTotalNs = usec * 1000;
      }
      const { full: last, slow: known } = entry;
      if (last && known && last.left > 0 && known.left > 0 && last.cpuTotalNs === cpuTotalNs) {
        // ran nothing since the last full reading: that reading stands
        last.left--;
        known.left--;
      } else {
        readFull(entry, ref, cpuTotalNs);
      }
      const full = entry.full!;
      const slow = entry.slow!;
      return {
        cpuAt,
        raw: {
          readAt,
          cpuTotalNs,
          systemNs: 0,
          onlineCpus: 0,
          memUsed: full.memUsed,
          memLimit: capMemLimit(slow.limit, getMemTotal()),
          rxBytes: full.rxBytes,
          txBytes: full.txBytes,
          pids: slow.pids,
        },
      };
    } catch {
      // Files vanish (ENODEV, ENOENT) when the container stops; anything unreadable means "not here".
      drop(ref.id);
      return null;
    }
  };

  const readMany = async (refs: readonly ContainerRef[]): Promise<Map<string, RawStats | null>> => {
    const out = new Map<string, RawStats | null>();
    if (refs.length === 0) return out;
    let before: HostClock;
    try {
      before = readHostClock();
    } catch {
      for (const r of refs) out.set(r.id, null);
      return out;
    }
    const parts: ReturnType<typeof readContainer>[] = [];
    for (let i = 0; i < refs.length; i++) {
      // Short synchronous reads; let other work run between batches.
      if (i > 0 && i % batch === 0) await new Promise<void>((r) => setImmediate(r));
      parts.push(readContainer(refs[i]));
    }
    let after: HostClock;
    try {
      after = readHostClock();
    } catch {
      after = before;
    }
    // Host CPU time at the moment each container's counter was read, interpolated between
    // the two /proc/stat readings around the pass (one read per container would cost more).
    const span = after.at - before.at;
    const sysDelta = after.stat.systemNs - before.stat.systemNs;
    refs.forEach((ref, i) => {
      const part = parts[i];
      if (!part) {
        out.set(ref.id, null);
        return;
      }
      const f = span > 0 ? Math.min(1, Math.max(0, (part.cpuAt - before.at) / span)) : 0;
      part.raw.systemNs = Math.round(before.stat.systemNs + sysDelta * f);
      part.raw.onlineCpus = after.stat.onlineCpus;
      out.set(ref.id, part.raw);
    });
    return out;
  };

  return {
    read: async (ref) => (await readMany([ref])).get(ref.id) ?? null,
    readMany,
    forget: drop,
    close: () => {
      for (const id of [...resolved.keys()]) drop(id);
      host.close();
    },
  };
}

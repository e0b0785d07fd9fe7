import type Dockerode from 'dockerode';
import type { RawStats } from '../types.js';
import { memUsageNoCache } from './memoryUsage.js';

/** The parts of GET /containers/{id}/stats that docker stats uses (Linux engines). */
export interface ApiStatsJson {
  read?: string;
  pids_stats?: { current?: number };
  cpu_stats?: {
    cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

/**
 * Converts one stats API answer into RawStats the way docker stats reads it: total_usage,
 * system_cpu_usage, online_cpus (or the length of percpu_usage), memory without cache
 * (calculateMemUsageUnixNoCache), the limit as reported (the daemon already caps it at host
 * memory), networks summed. Null when the answer carries no CPU figures: the daemon
 * answers that way for a container that is not running.
 */
export function rawFromApiStats(json: ApiStatsJson, readAt: number): RawStats | null {
  const cpu = json.cpu_stats;
  const total = cpu?.cpu_usage?.total_usage;
  const system = cpu?.system_cpu_usage;
  if (!cpu || total === undefined || !system) return null;
  const onlineCpus = cpu.online_cpus || (cpu.cpu_usage?.percpu_usage?.length ?? 0);
  const mem = json.memory_stats ?? {};
  let rxBytes = 0;
  let txBytes = 0;
  for (const n of Object.values(json.networks ?? {})) {
    rxBytes += n.rx_bytes ?? 0;
    txBytes += n.tx_bytes ?? 0;
  }
  return {
    readAt,
    cpuTotalNs: total,
    systemNs: system,
    onlineCpus,
    memUsed: memUsageNoCache(mem.usage ?? 0, mem.stats ?? {}),
    memLimit: mem.limit ?? 0,
    rxBytes,
    txBytes,
    pids: json.pids_stats?.current ?? 0,
  };
}

/** The previous reading a non-one-shot answer carries in precpu_stats (null when empty). */
export function rawFromApiPreStats(
  json: ApiStatsJson & { precpu_stats?: ApiStatsJson['cpu_stats']; preread?: string },
  readAt: number,
): RawStats | null {
  return rawFromApiStats({ ...json, cpu_stats: json.precpu_stats }, readAt);
}

export interface ApiReaderOptions {
  /** Abort a stats request after this long. Default 5000 ms. */
  timeoutMs?: number;
  now?: () => number;
}

export interface ApiReader {
  /** One-shot stats for a running container; null when it is gone or not running. */
  read(id: string): Promise<RawStats | null>;
}

/**
 * Reads stats through the engine API, for engines on another machine. Uses one-shot
 * requests (API >= 1.41: no second collection to fill precpu_stats; older engines ignore
 * the parameter and answer after about two seconds). Some engines (20.10, measured) still
 * answer a one-shot request at the next tick of their 1 s stats collector, so calls take
 * up to a second there, but parallel calls share that tick; the caller limits concurrency.
 */
export function createApiReader(docker: Dockerode, options: ApiReaderOptions = {}): ApiReader {
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  return {
    async read(id) {
      try {
        const json = (await docker.getContainer(id).stats({
          stream: false,
          'one-shot': true,
          abortSignal: AbortSignal.timeout(timeoutMs),
        } as { stream: false; 'one-shot': boolean })) as unknown as ApiStatsJson;
        // The engine's own read time: answers can take up to a second (see above), which
        // would make network rates jitter if measured on arrival.
        const engineTime = json.read ? Date.parse(json.read) : NaN;
        return rawFromApiStats(json, engineTime > 0 ? engineTime : now());
      } catch {
        return null;
      }
    },
  };
}

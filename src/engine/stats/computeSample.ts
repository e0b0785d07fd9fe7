import type { RawStats, StatsSample } from '../types.js';

/**
 * CPU percent exactly as `docker stats` computes it: the container's CPU time delta over
 * the host's CPU time delta, times the number of online CPUs, so 100% is one full CPU.
 * 0 when either delta is not positive (first reading, counter reset, clock not advanced).
 */
export function cpuPercent(prev: RawStats, cur: RawStats): number {
  const cpuDelta = cur.cpuTotalNs - prev.cpuTotalNs;
  const systemDelta = cur.systemNs - prev.systemNs;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * cur.onlineCpus * 100;
}

/** Bytes per second between two cumulative counters; 0 when time did not advance or the counter went back. */
function rate(prevBytes: number, curBytes: number, seconds: number): number {
  if (seconds <= 0) return 0;
  const delta = curBytes - prevBytes;
  return delta > 0 ? delta / seconds : 0;
}

/** One sample from two readings of the same container (prev older than cur). */
export function computeSample(prev: RawStats, cur: RawStats): StatsSample {
  const seconds = (cur.readAt - prev.readAt) / 1000;
  return {
    t: cur.readAt,
    cpuPct: cpuPercent(prev, cur),
    memUsed: cur.memUsed,
    memLimit: cur.memLimit,
    rxRate: rate(prev.rxBytes, cur.rxBytes, seconds),
    txRate: rate(prev.txBytes, cur.txBytes, seconds),
    pids: cur.pids,
  };
}

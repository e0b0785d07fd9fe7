import { describe, expect, it } from 'vitest';
import { computeSample, cpuPercent } from '../../../src/engine/stats/computeSample.js';
import { rawFromApiPreStats, rawFromApiStats, type ApiStatsJson } from '../../../src/engine/stats/apiReader.js';
import { parseProcStat } from '../../../src/engine/stats/procfs.js';
import type { RawStats } from '../../../src/engine/types.js';
import { fixtureJson, fixtureText } from './helpers.js';

function raw(over: Partial<RawStats>): RawStats {
  return {
    readAt: 0, cpuTotalNs: 0, systemNs: 0, onlineCpus: 2, memUsed: 0, memLimit: 0,
    rxBytes: 0, txBytes: 0, pids: 0, ...over,
  };
}

/** pair-burn.txt: two readings, 1 s apart, of a container running `yes > /dev/null` on a 2-CPU host. */
function recordedPair(): [RawStats, RawStats] {
  const blocks = fixtureText('pair-burn.txt').trim().split(/\n(?=readAt )/);
  return blocks.map((b) => {
    const readAt = Number(/^readAt (\d+)/m.exec(b)![1]);
    const cpuTotalNs = Number(/^cpuacct\.usage (\d+)/m.exec(b)![1]);
    const stat = parseProcStat(/^cpu .*$/m.exec(b)![0] + '\n');
    return raw({ readAt, cpuTotalNs, systemNs: stat.systemNs, onlineCpus: 2 });
  }) as [RawStats, RawStats];
}

describe('computeSample', () => {
  it('computes docker’s CPU% from a real pair of cgroup readings', () => {
    const [a, b] = recordedPair();
    // cpu delta 900041881 ns over 197 ticks (7 fields, steal left out) = 1.97e9 ns, x2 CPUs
    expect(b.systemNs - a.systemNs).toBe(1_970_000_000);
    const s = computeSample(a, b);
    expect(s.cpuPct).toBeCloseTo((900041881 / 1.97e9) * 2 * 100, 6);
    expect(s.cpuPct).toBeCloseTo(91.3748, 3);
    expect(s.t).toBe(b.readAt);
  });

  it('matches what docker stats derives from a real API answer (cpu_stats vs precpu_stats)', () => {
    const json = fixtureJson<ApiStatsJson & { precpu_stats: ApiStatsJson['cpu_stats'] }>('api-nostream-burn.json');
    const prev = rawFromApiPreStats(json, Date.parse(json.read!) - 1000)!;
    const cur = rawFromApiStats(json, Date.parse(json.read!))!;
    // (965923504 / 1950000000) * 2 * 100, what the docker CLI prints as 99.07%
    expect(cpuPercent(prev, cur)).toBeCloseTo(99.0691, 3);
  });

  it('gives 0% when either delta is not positive', () => {
    const a = raw({ cpuTotalNs: 100, systemNs: 1000 });
    expect(cpuPercent(a, raw({ cpuTotalNs: 100, systemNs: 2000 }))).toBe(0);
    expect(cpuPercent(a, raw({ cpuTotalNs: 200, systemNs: 1000 }))).toBe(0);
    expect(cpuPercent(a, raw({ cpuTotalNs: 50, systemNs: 2000 }))).toBe(0);
  });

  it('passes memory and pids through and turns network counters into bytes per second', () => {
    const a = raw({ readAt: 10_000, rxBytes: 1000, txBytes: 500, memUsed: 1, memLimit: 2, pids: 1 });
    const b = raw({ readAt: 10_500, rxBytes: 6000, txBytes: 500, memUsed: 3, memLimit: 4, pids: 5 });
    const s = computeSample(a, b);
    expect(s).toMatchObject({ rxRate: 10_000, txRate: 0, memUsed: 3, memLimit: 4, pids: 5 });
    // counters reset (new network namespace) or time not advancing: no negative or infinite rates
    expect(computeSample(b, a).rxRate).toBe(0);
    expect(computeSample(a, { ...b, readAt: a.readAt }).rxRate).toBe(0);
  });
});

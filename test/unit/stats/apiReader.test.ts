import { describe, expect, it } from 'vitest';
import { rawFromApiStats, type ApiStatsJson } from '../../../src/engine/stats/apiReader.js';
import { fixtureJson } from './helpers.js';

// Answers of GET /containers/{id}/stats?stream=false&one-shot=true recorded from a
// Docker 20.10 engine (API 1.41) on a cgroup v1 host.

describe('rawFromApiStats', () => {
  it('a container burning a CPU, no memory limit', () => {
    const json = fixtureJson<ApiStatsJson>('api-oneshot-burn.json');
    expect(rawFromApiStats(json, 42)).toEqual({
      readAt: 42,
      cpuTotalNs: 13186334223,
      systemNs: 752620000000,
      onlineCpus: 2,
      memUsed: 331776,
      memLimit: 25274793984, // the daemon already reports host memory for "unlimited"
      rxBytes: 0,
      txBytes: 0,
      pids: 1,
    });
  });

  it('64 MiB in /dev/shm is cache but still used memory (total_inactive_file is 0)', () => {
    const raw = rawFromApiStats(fixtureJson<ApiStatsJson>('api-oneshot-shm.json'), 0)!;
    expect(raw.memUsed).toBe(67596288);
  });

  it('page cache of a written file is not used memory (total_inactive_file subtracted)', () => {
    const raw = rawFromApiStats(fixtureJson<ApiStatsJson>('api-oneshot-file.json'), 0)!;
    expect(raw.memUsed).toBe(30502912 - 29360128);
    expect(raw.memLimit).toBe(268435456);
  });

  it('falls back to len(percpu_usage) when online_cpus is missing (older engines)', () => {
    const json = fixtureJson<ApiStatsJson>('api-oneshot-burn.json');
    delete json.cpu_stats!.online_cpus;
    expect(rawFromApiStats(json, 0)!.onlineCpus).toBe(2);
  });

  it('sums the networks', () => {
    const json = fixtureJson<ApiStatsJson>('api-oneshot-burn.json');
    // the shape of the API's "networks" object (per interface inside the container)
    json.networks = {
      eth0: { rx_bytes: 5338, tx_bytes: 1446 },
      eth5: { rx_bytes: 4641, tx_bytes: 880 },
    };
    expect(rawFromApiStats(json, 0)).toMatchObject({ rxBytes: 9979, txBytes: 2326 });
  });

  it('null for the empty answer the engine gives for a container that is not running', () => {
    // recorded: a container stopped while its stats were being requested
    const stopped = fixtureJson<ApiStatsJson>('api-oneshot-stopped.json');
    expect(rawFromApiStats(stopped, 0)).toBeNull();
  });
});

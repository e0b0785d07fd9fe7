import { describe, expect, it } from 'vitest';
import { capMemLimit, memUsageNoCache } from '../../../src/engine/stats/memoryUsage.js';
import { parseFlatKeyed } from '../../../src/engine/stats/procfs.js';
import { fixtureText, HOST_MEM, V1_FILE } from './helpers.js';

describe('memUsageNoCache (docker CLI rule)', () => {
  it('v1: subtracts total_inactive_file, not cache', () => {
    const stat = parseFlatKeyed(
      fixtureText(`v1-cgroupfs/sys/fs/cgroup/memory/docker/${V1_FILE.id}/memory.stat`),
    );
    expect(stat['total_inactive_file']).toBe(31457280);
    expect(memUsageNoCache(32993280, stat)).toBe(32993280 - 31457280);
  });

  it('v1: shared memory (tmpfs) is cache but not inactive_file, so it counts as used', () => {
    // recorded: 64 MiB written to /dev/shm in the container
    const stat = { cache: 67108864, shmem: 67108864, total_inactive_file: 0, inactive_file: 0 };
    expect(memUsageNoCache(68001792, stat)).toBe(68001792);
  });

  it('v1: falls back to inactive_file when total_inactive_file is not below usage', () => {
    expect(memUsageNoCache(100, { total_inactive_file: 150, inactive_file: 30 })).toBe(70);
    expect(memUsageNoCache(100, { total_inactive_file: 150, inactive_file: 130 })).toBe(100);
  });

  it('v2: subtracts inactive_file; usage as is without it', () => {
    expect(memUsageNoCache(86245376, { inactive_file: 20971520 })).toBe(65273856);
    expect(memUsageNoCache(4096, {})).toBe(4096);
  });

  it('caps an unlimited limit at host memory', () => {
    expect(capMemLimit(9223372036854771712, HOST_MEM)).toBe(HOST_MEM);
    expect(capMemLimit(Infinity, HOST_MEM)).toBe(HOST_MEM);
    expect(capMemLimit(268435456, HOST_MEM)).toBe(268435456);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCgroupReader } from '../../../src/engine/stats/cgroupReader.js';
import { StatsSampler, type StatsSamplerOptions } from '../../../src/engine/stats/sampler.js';
import type { ContainerRef } from '../../../src/engine/stats/cgroupReader.js';
import { copyTree, V1_BURN, V1_FILE } from './helpers.js';

// The sampler over a recorded cgroup v1 tree; the test advances the counters in the files
// between rounds the way the kernel would.

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function setup(running: () => readonly ContainerRef[] | Promise<readonly ContainerRef[]>, opts: Partial<StatsSamplerOptions> = {}) {
  const t = copyTree('v1-cgroupfs');
  let clock = 1_000_000;
  const sampler = new StatsSampler({
    mode: 'local',
    running,
    cgroupReader: createCgroupReader({ procRoot: t.procRoot, mountRoot: t.root, now: () => clock }),
    ...opts,
  });
  cleanups.push(() => sampler.stop(), t.cleanup);
  const cpuFile = (id: string) => join(t.root, 'sys/fs/cgroup/cpuacct/docker', id, 'cpuacct.usage');
  /** Moves time on by `ms`: host ticks for 2 busy CPUs, and `cpuNs` more for the container. */
  let hostTicks = [31035, 0, 5799, 36401, 767, 0, 146];
  const advance = (ms: number, usage: Record<string, number>) => {
    clock += ms;
    hostTicks = [hostTicks[0] + (2 * ms) / 10, ...hostTicks.slice(1)];
    writeFileSync(join(t.procRoot, 'stat'), `cpu  ${hostTicks.join(' ')} 0 0 0\ncpu0 1 0 0 0 0 0 0 0 0 0\ncpu1 1 0 0 0 0 0 0 0 0 0\n`);
    for (const [id, ns] of Object.entries(usage)) writeFileSync(cpuFile(id), `${ns}\n`);
  };
  return { sampler, advance, root: t.root };
}

describe('StatsSampler over cgroup files', () => {
  it('needs two readings per sample, then computes docker’s figures and keeps a ring', async () => {
    const { sampler, advance } = setup(() => [V1_BURN, V1_FILE], { history: 2 });
    advance(0, { [V1_BURN.id]: 8_000_000_000, [V1_FILE.id]: 50_000_000 });
    expect([...(await sampler.tick())]).toEqual([]);
    expect(sampler.latest(V1_BURN.id)).toBeNull();

    advance(1000, { [V1_BURN.id]: 9_000_000_000, [V1_FILE.id]: 60_000_000 }); // 1 CPU, 1%
    const changed = await sampler.tick();
    expect([...changed].sort()).toEqual([V1_BURN.id, V1_FILE.id].sort());
    expect(sampler.latest(V1_BURN.id)!.cpuPct).toBeCloseTo(100, 6);
    expect(sampler.latest(V1_FILE.id)).toMatchObject({ memUsed: 1536000, memLimit: 268435456, pids: 1 });
    expect(sampler.latest(V1_FILE.id)!.cpuPct).toBeCloseTo(1, 6);
    expect(sampler.source(V1_BURN.id)).toBe('local');

    advance(1000, { [V1_BURN.id]: 9_500_000_000 }); // half a CPU
    await sampler.tick();
    advance(1000, { [V1_BURN.id]: 11_000_000_000 }); // one and a half
    await sampler.tick();
    expect(sampler.history(V1_BURN.id).map((s) => Math.round(s.cpuPct))).toEqual([50, 150]);
  });

  it('forgets containers that are no longer running and reports them once', async () => {
    let list: ContainerRef[] = [V1_BURN, V1_FILE];
    const { sampler, advance } = setup(() => list);
    advance(0, {});
    await sampler.tick();
    advance(1000, {});
    await sampler.tick();
    expect(sampler.latest(V1_FILE.id)).not.toBeNull();
    list = [V1_BURN];
    const changed = await sampler.tick();
    expect(changed.has(V1_FILE.id)).toBe(true);
    expect(sampler.latest(V1_FILE.id)).toBeNull();
    expect(sampler.history(V1_FILE.id)).toEqual([]);
    expect(sampler.source(V1_FILE.id)).toBeNull();
    expect((await sampler.tick()).has(V1_FILE.id)).toBe(false);
  });

  it('starts over when the container’s main process changes (restart)', async () => {
    let burn: ContainerRef = V1_BURN;
    const { sampler, advance } = setup(() => [burn]);
    advance(0, {});
    await sampler.tick();
    advance(1000, {});
    await sampler.tick();
    expect(sampler.history(V1_BURN.id)).toHaveLength(1);
    burn = { ...V1_BURN, pid: V1_FILE.pid }; // another process: not in this container's cgroup
    expect((await sampler.tick()).size).toBe(0);
    expect(sampler.history(V1_BURN.id)).toHaveLength(1);
  });

  it('runs one round at a time', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { sampler } = setup(async () => {
      calls++;
      await gate;
      return [V1_BURN];
    });
    const a = sampler.tick();
    const b = sampler.tick();
    expect(b).toBe(a);
    release();
    await a;
    expect(calls).toBe(1);
  });

  it('after start(), the second reading follows the first within firstIntervalMs', async () => {
    const { sampler, advance } = setup(() => [V1_BURN], { intervalMs: 60_000, firstIntervalMs: 50 });
    advance(0, {});
    const updates: string[][] = [];
    sampler.on('update', (changed) => updates.push([...changed]));
    sampler.start();
    const t0 = Date.now();
    while (!sampler.latest(V1_BURN.id) && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 10));
    expect(sampler.latest(V1_BURN.id)).not.toBeNull();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(updates).toEqual([[V1_BURN.id]]);
    sampler.stop();
  });

  it("'remote' without a docker client is a programming error", () => {
    expect(() => new StatsSampler({ mode: 'remote', running: () => [] })).toThrow(/docker client/);
  });
});

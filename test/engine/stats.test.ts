// The stats sampler against a real engine: CPU and memory figures from the cgroup files
// (local reader) and from the stats API (remote reader) agree with what docker stats says.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiReader,
  createCgroupReader,
  sampleOnce,
  StatsSampler,
  type ApiReader,
  type ContainerRef,
  type StatsMode,
} from '../../src/engine/stats/index.js';
import type { StatsSample } from '../../src/engine/types.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

let eng: TestEngine;
const samplers: StatsSampler[] = [];

beforeAll(async () => {
  eng = await getTestEngine();
});

afterAll(() => {
  for (const s of samplers) s.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runContainer(name: string, script: string, hostConfig: Record<string, unknown> = {}): Promise<ContainerRef> {
  const c = await eng.docker.createContainer({
    Image: eng.image,
    name: `berth-stats-${name}-${process.pid}`,
    Cmd: ['sh', '-c', script],
    Labels: eng.labels,
    HostConfig: hostConfig,
  });
  await c.start();
  const info = await c.inspect();
  return { id: info.Id, pid: info.State.Pid };
}

async function waitForLog(id: string, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { stdout } = await eng.dockerCli(['logs', id]);
    if (stdout.includes(text)) return;
    await sleep(200);
  }
  throw new Error(`container ${id.slice(0, 12)} did not print ${JSON.stringify(text)}`);
}

function sampler(mode: StatsMode, running: () => readonly ContainerRef[] | Promise<readonly ContainerRef[]>, extra: Partial<ConstructorParameters<typeof StatsSampler>[0]> = {}) {
  const s = new StatsSampler({ mode, docker: eng.docker, local: mode !== 'remote', running, ...extra });
  samplers.push(s);
  return s;
}

async function samplesAfter(s: StatsSampler, id: string, count: number, timeoutMs = 15_000): Promise<StatsSample[]> {
  const deadline = Date.now() + timeoutMs;
  while (s.history(id).length < count) {
    if (Date.now() > deadline) throw new Error(`only ${s.history(id).length} samples of ${id.slice(0, 12)} after ${timeoutMs} ms`);
    await sleep(100);
  }
  return s.history(id);
}

/** Highest CPU weight, so that other containers on a busy machine take less of the burner's CPU. */
const BURNER = { CpuShares: 262144 };

/** utime + stime of a process in clock ticks (100 per second), from /proc/<pid>/stat. */
function processCpuTicks(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "64.85MiB / 23.54GiB" -> bytes of the first figure (docker's units: B, KiB, MiB, GiB, kB, MB, GB…). */
function parseDockerSize(text: string): number {
  const m = /^\s*([\d.]+)\s*([KMGTP]?i?B)\b/i.exec(text);
  if (!m) throw new Error(`cannot read a size in ${JSON.stringify(text)}`);
  const unit = m[2];
  const base = unit.includes('i') ? 1024 : 1000;
  const power = 'BKMGTP'.indexOf(unit[0].toUpperCase());
  return Number(m[1]) * base ** Math.max(0, power);
}

describe('stats sampler on a real engine', () => {
  it('a container burning one CPU reads 90-110% with the local and the API reader', async () => {
    const burn = await runContainer('burn', 'yes > /dev/null', BURNER);
    const local = sampler('local', () => [burn]);
    const remote = sampler('remote', () => [burn]);
    local.start();
    remote.start();
    await Promise.all([samplesAfter(local, burn.id, 3), samplesAfter(remote, burn.id, 3)]);
    expect(local.source(burn.id)).toBe('local');
    expect(remote.source(burn.id)).toBe('api');
    // Three consecutive 1 s samples whose median is one CPU, in both readers. Other
    // processes on a shared machine can take the CPU away for a while, so this waits for
    // such a window (a sampler that gets the figure wrong never finds one).
    const inRange = (p: number) => p >= 90 && p <= 110;
    const deadline = Date.now() + 40_000;
    const start = { ticks: processCpuTicks(burn.pid), at: Date.now() };
    let seen = '';
    for (;;) {
      const lp = median(local.history(burn.id).slice(-3).map((x) => x.cpuPct));
      const rp = median(remote.history(burn.id).slice(-3).map((x) => x.cpuPct));
      if (inRange(lp) && inRange(rp)) break;
      const got = ((processCpuTicks(burn.pid) - start.ticks) * 10 * 100) / (Date.now() - start.at);
      seen =
        `local ${lp.toFixed(1)}%, API ${rp.toFixed(1)}%; the kernel gave the burner ${got.toFixed(0)}% of a CPU ` +
        `while waiting (host load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs)`;
      if (Date.now() > deadline) throw new Error(`the burner never read 90-110% in both readers; last: ${seen}`);
      await sleep(500);
    }
    expect(local.latest(burn.id)!.pids).toBeGreaterThanOrEqual(1);
    expect(remote.latest(burn.id)!.pids).toBeGreaterThanOrEqual(1);
    local.stop();
    remote.stop();
  }, 120_000);

  it('the first sample appears quickly (two readings ~250 ms apart)', async () => {
    const idle = await runContainer('quick', 'exec sleep 3600');
    const s = sampler('local', () => [idle], { intervalMs: 5000 });
    const t0 = Date.now();
    s.start();
    await samplesAfter(s, idle.id, 1, 3000);
    expect(Date.now() - t0).toBeLessThan(2000);
    s.stop();
  });

  it('memory of a container holding 64 MiB matches docker stats --no-stream within 5%', async () => {
    // 64 MiB written to the container's own /dev/shm (tmpfs, charged to its memory cgroup)
    const mem = await runContainer(
      'mem',
      'dd if=/dev/zero of=/dev/shm/blob bs=1M count=64 2>/dev/null; echo ready; exec sleep 3600',
      { ShmSize: 128 * 1024 * 1024, Memory: 512 * 1024 * 1024 },
    );
    await waitForLog(mem.id, 'ready');
    const local = sampler('local', () => [mem]);
    const remote = sampler('remote', () => [mem]);
    local.start();
    remote.start();
    await Promise.all([samplesAfter(local, mem.id, 2), samplesAfter(remote, mem.id, 2)]);
    const { stdout } = await eng.dockerCli(['stats', '--no-stream', '--format', '{{.MemUsage}}', mem.id]);
    const docker = parseDockerSize(stdout);
    const limit = parseDockerSize(stdout.split('/')[1]);
    const l = local.latest(mem.id)!;
    const r = remote.latest(mem.id)!;
    expect(docker).toBeGreaterThan(64 * 2 ** 20);
    expect(docker).toBeLessThan(72 * 2 ** 20);
    expect(Math.abs(l.memUsed - docker) / docker).toBeLessThan(0.05);
    expect(Math.abs(r.memUsed - docker) / docker).toBeLessThan(0.05);
    expect(l.memLimit).toBe(512 * 2 ** 20);
    expect(r.memLimit).toBe(512 * 2 ** 20);
    expect(limit).toBe(512 * 2 ** 20);
    local.stop();
    remote.stop();
  });

  it('auto mode reads cgroup files for a local engine and falls back to the API per container', async () => {
    const burn = await runContainer('auto', 'yes > /dev/null', BURNER);
    const auto = sampler('auto', () => [burn]);
    const fallback = sampler('auto', () => [burn], {
      cgroupReader: createCgroupReader({ procRoot: '/nonexistent-proc' }),
    });
    auto.start();
    fallback.start();
    const [a, f] = await Promise.all([samplesAfter(auto, burn.id, 3), samplesAfter(fallback, burn.id, 3)]);
    expect(auto.source(burn.id)).toBe('local');
    expect(fallback.source(burn.id)).toBe('api');
    for (const samples of [a, f]) {
      expect(median(samples.slice(-3).map((x) => x.cpuPct))).toBeGreaterThan(10);
      expect(samples.at(-1)!.memUsed).toBeGreaterThan(0);
    }
    auto.stop();
    fallback.stop();
    // one-shot use (berth ps): two readings, one sample
    const once = await sampleOnce({ docker: eng.docker, local: true }, [burn]);
    expect(once.get(burn.id)!.cpuPct).toBeGreaterThan(10);
  });

  it('stopped containers are forgotten and never read again (no API calls, no file reads)', async () => {
    const a = await runContainer('keep', 'exec sleep 3600');
    const b = await runContainer('stop', 'exec sleep 3600');
    // what the engine says is running now (the dashboard gets this from its event stream)
    const running = async (): Promise<ContainerRef[]> => {
      const list = await eng.docker.listContainers({ filters: { label: Object.keys(eng.labels), status: ['running'] } });
      const mine = list.filter((c) => c.Id === a.id || c.Id === b.id);
      return Promise.all(mine.map(async (c) => ({ id: c.Id, pid: (await eng.docker.getContainer(c.Id).inspect()).State.Pid })));
    };
    const apiCalls = new Map<string, number>();
    const fileReads = new Map<string, number>();
    const count = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
    const realApi = createApiReader(eng.docker);
    const realCgroup = createCgroupReader();
    const remote = sampler('remote', running, {
      intervalMs: 300,
      apiReader: { read: (id) => (count(apiCalls, id), realApi.read(id)) },
    });
    const local = sampler('local', running, {
      intervalMs: 300,
      cgroupReader: {
        ...realCgroup,
        readMany: (refs) => {
          for (const r of refs) count(fileReads, r.id);
          return realCgroup.readMany(refs);
        },
      },
    });
    const forgotten: string[] = [];
    remote.on('update', (changed) => {
      if (changed.has(b.id) && remote.latest(b.id) === null) forgotten.push(b.id);
    });
    remote.start();
    local.start();
    await Promise.all([b, a].flatMap((c) => [samplesAfter(remote, c.id, 2), samplesAfter(local, c.id, 2)]));
    await eng.docker.getContainer(b.id).stop({ t: 0 });
    const deadline = Date.now() + 10_000;
    while ((remote.history(b.id).length > 0 || local.history(b.id).length > 0) && Date.now() < deadline) await sleep(50);
    // the round that forgets a container reports it when it ends
    while (forgotten.length === 0 && Date.now() < deadline) await sleep(50);
    expect(remote.history(b.id)).toEqual([]);
    expect(local.latest(b.id)).toBeNull();
    expect(forgotten).toEqual([b.id]);
    const bApi = apiCalls.get(b.id) ?? 0;
    const bFiles = fileReads.get(b.id) ?? 0;
    const aApi = apiCalls.get(a.id) ?? 0;
    const aFiles = fileReads.get(a.id) ?? 0;
    // let both samplers go through a few more rounds
    while (((apiCalls.get(a.id) ?? 0) < aApi + 3 || (fileReads.get(a.id) ?? 0) < aFiles + 3) && Date.now() < deadline + 10_000) {
      await sleep(100);
    }
    expect(apiCalls.get(a.id)).toBeGreaterThanOrEqual(aApi + 3);
    expect(fileReads.get(a.id)).toBeGreaterThanOrEqual(aFiles + 3);
    expect(apiCalls.get(b.id) ?? 0).toBe(bApi);
    expect(fileReads.get(b.id) ?? 0).toBe(bFiles);
    remote.stop();
    local.stop();
  }, 120_000);
});

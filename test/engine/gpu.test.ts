// GPU figures per container on the private engine: a stand-in nvidia-smi names the host PIDs
// of processes running in test containers, and the sampler attributes their GPU memory to
// those containers through /proc/<pid>/cgroup. Also the GPU request and doctor checks on real
// inspect results.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkGpuRequest, containerIdForPid, gpuRequestOf, GpuSampler } from '../../src/ops/gpu/index.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

let eng: TestEngine;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'berth-gpu-engine-'));

beforeAll(async () => {
  eng = await getTestEngine();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function runSleeper(name: string): Promise<{ id: string; pid: number; inspect: Dockerode.ContainerInspectInfo }> {
  const c = await eng.docker.createContainer({
    Image: eng.image,
    name: `berth-gpu-${name}-${process.pid}`,
    Cmd: ['sleep', '300'],
    Labels: eng.labels,
  });
  await c.start();
  const inspect = await c.inspect();
  expect(inspect.State.Running).toBe(true);
  expect(inspect.State.Pid).toBeGreaterThan(0);
  return { id: inspect.Id, pid: inspect.State.Pid, inspect };
}

/** A stand-in nvidia-smi in a temp folder, printing nvidia-smi's real CSV format. */
function standInNvidiaSmi(queryGpu: string[], computeApps: string[]): string {
  const dir = mkdtempSync(path.join(tmp, 'bin-'));
  const file = path.join(dir, 'nvidia-smi');
  const heredoc = (lines: string[]) => `cat <<'EOF'\n${lines.join('\n')}\nEOF`;
  writeFileSync(
    file,
    `#!/bin/sh
PATH='${process.env.PATH ?? ''}'
case "$1" in
  --query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit)
${heredoc(queryGpu)}
    ;;
  --query-compute-apps=gpu_uuid,pid,process_name,used_memory)
${heredoc(computeApps)}
    ;;
  *) echo "unexpected arguments: $*" >&2; exit 2 ;;
esac
`,
  );
  chmodSync(file, 0o755);
  return file;
}

const GPU0 = 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab';
const GPU1 = 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd';

describe('GPU memory per container', () => {
  it('attributes the memory of a process in a test container to that container', async () => {
    const a = await runSleeper('a');
    const b = await runSleeper('b');
    expect(await containerIdForPid(a.pid)).toBe(a.id);

    const smi = standInNvidiaSmi(
      [
        `0, ${GPU0}, NVIDIA RTX A5000, 3, 1500, 24564, 41, 61.20, 230.00`,
        `1, ${GPU1}, NVIDIA RTX A5000, 0, 300, 24564, 35, 21.05, 230.00`,
      ],
      [
        `${GPU0}, ${a.pid}, sleep, 1234`,
        `${GPU1}, ${b.pid}, sleep, 250`,
        // a host process (this test runner): GPU memory that belongs to no container
        `${GPU0}, ${process.pid}, node, 66`,
      ],
    );
    const sampler = new GpuSampler({ env: { PATH: path.dirname(smi), BERTH_NVIDIA_SMI: smi } });
    const listed = await eng.docker.listContainers({ all: true });
    const snap = await sampler.refresh(new Set(listed.map((c) => c.Id)));

    expect(snap.available).toBe(true);
    expect(snap.problem).toBeUndefined();
    expect(snap.gpus.map((g) => g.uuid)).toEqual([GPU0, GPU1]);
    expect(snap.byContainer.get(a.id)).toEqual({
      memUsedMiB: 1234,
      memUnknown: false,
      gpus: [GPU0],
      gpuIndexes: [0],
      pids: [a.pid],
    });
    expect(snap.byContainer.get(b.id)).toMatchObject({ memUsedMiB: 250, gpus: [GPU1], gpuIndexes: [1] });
    expect([...snap.byContainer.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(sampler.spawnCount).toBe(2);
  });

  it('adds up several processes of one container (docker exec) on one GPU', async () => {
    const c = await runSleeper('exec');
    const exec = await eng.docker.getContainer(c.id).exec({ Cmd: ['sleep', '300'] });
    await exec.start({ Detach: true });
    let execPid = 0;
    for (let i = 0; i < 50 && !execPid; i++) {
      execPid = (await exec.inspect()).Pid;
      if (!execPid) await new Promise((r) => setTimeout(r, 100));
    }
    expect(execPid).toBeGreaterThan(0);
    expect(execPid).not.toBe(c.pid);

    const smi = standInNvidiaSmi(
      [`0, ${GPU0}, NVIDIA RTX A5000, 97, 9000, 24564, 70, 220.10, 230.00`],
      [`${GPU0}, ${c.pid}, sleep, 1234`, `${GPU0}, ${execPid}, sleep, 4000`],
    );
    const snap = await new GpuSampler({ env: { PATH: path.dirname(smi), BERTH_NVIDIA_SMI: smi } }).refresh();
    expect(snap.byContainer.get(c.id)).toEqual({
      memUsedMiB: 5234,
      memUnknown: false,
      gpus: [GPU0],
      gpuIndexes: [0],
      pids: [c.pid, execPid].sort((x, y) => x - y),
    });
  });
});

describe('GPU requests and the doctor on real inspect results', () => {
  it('sees a --gpus request on a container that is not running, and the failed start', async () => {
    const created = await eng.docker.createContainer({
      Image: eng.image,
      name: `berth-gpu-request-${process.pid}`,
      Cmd: ['sleep', '300'],
      Labels: eng.labels,
      HostConfig: { DeviceRequests: [{ Driver: '', Count: -1, DeviceIDs: null as unknown as string[], Capabilities: [['gpu']], Options: {} }] },
    });
    const before = await created.inspect();
    expect(gpuRequestOf(before)).toMatchObject({ requestsGpu: true, how: '--gpus all', vendor: 'nvidia' });

    // This engine has no NVIDIA toolkit: the start fails and inspect says why.
    const info = await eng.docker.info();
    const runtimes = Object.keys((info as { Runtimes?: Record<string, unknown> }).Runtimes ?? {});
    if (runtimes.includes('nvidia')) return; // a GPU machine: the start would work; nothing to check
    await expect(created.start()).rejects.toThrow(/could not select device driver/);
    const after = await created.inspect();
    const findings = checkGpuRequest(after, true, { runtimes });
    expect(findings[0]).toMatchObject({ id: 'gpu/driver-missing', severity: 'error', where: { container: `berth-gpu-request-${process.pid}` } });
  });

  it('flags a running GPU project container that requests no GPU', async () => {
    const plain = await runSleeper('plain');
    expect(gpuRequestOf(plain.inspect).requestsGpu).toBe(false);
    expect(checkGpuRequest(plain.inspect, true).map((f) => [f.id, f.severity])).toEqual([['gpu/request-missing', 'error']]);
    expect(checkGpuRequest(plain.inspect, false)).toEqual([]);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  containerIdForPid,
  containerIdFromCgroup,
  containerIdsFromCgroup,
  gpuUseByContainer,
  parseNvidiaComputeApps,
  parseNvidiaQueryGpu,
  parseRocmSmiJson,
} from '../../../src/ops/gpu/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cg = (name: string) => readFileSync(path.join(here, 'fixtures', 'cgroup', name), 'utf8');
const nv = (name: string) => readFileSync(path.join(here, 'fixtures', 'nvidia', name), 'utf8');

const RECORDED = '1fb3c9aaf150e1e201af79d38d3ece7f88ffae70636fdad96bd1813e68a5ee81';
const A = '3f9c2b7e41d85a06c1e2d4b8f7a9e0c35b6d1f24a8c7e9b0d2f4a6c8e1b3d5f7';
const B = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d';

describe('containerIdFromCgroup', () => {
  it('reads a container recorded on a cgroup v1 (hybrid) host, cgroupfs driver', () => {
    expect(containerIdFromCgroup(cg('docker-cgroupfs-v1-hybrid.txt'))).toBe(RECORDED);
  });

  it.each([
    ['docker-systemd-v2.txt'],
    ['docker-cgroupfs-v2.txt'],
    ['docker-systemd-v1-hybrid.txt'],
    ['kubepods-cgroupfs-v1.txt'],
    ['kubepods-systemd-v2-docker.txt'],
    ['kubepods-systemd-v2-containerd.txt'],
  ])('reads %s', (file) => {
    expect(containerIdFromCgroup(cg(file))).toBe(A);
  });

  it('gives the ids of nested containers outermost first and picks the innermost', () => {
    expect(containerIdsFromCgroup(cg('dind-cgroupfs-v1.txt'))).toEqual([B, A]);
    expect(containerIdFromCgroup(cg('dind-cgroupfs-v1.txt'))).toBe(A);
  });

  it('finds no container for host processes', () => {
    expect(containerIdFromCgroup(cg('host-session-v2.txt'))).toBeNull();
    expect(containerIdFromCgroup(cg('host-init-v1-hybrid.txt'))).toBeNull();
    expect(containerIdFromCgroup('')).toBeNull();
  });

  it('does not take a pod uid or a short id for a container id', () => {
    expect(containerIdFromCgroup('0::/kubepods.slice/kubepods-pod5f1d0c3e_8a4b_4c2d_9e7f_1a2b3c4d5e6f.slice\n')).toBeNull();
    expect(containerIdFromCgroup('0::/docker/1fb3c9aaf150\n')).toBeNull();
  });
});

describe('PID to container through a proc tree', () => {
  const procRoot = mkdtempSync(path.join(os.tmpdir(), 'berth-gpu-proc-'));
  afterAll(() => rmSync(procRoot, { recursive: true, force: true }));
  const put = (pid: number, text: string) => {
    mkdirSync(path.join(procRoot, String(pid)), { recursive: true });
    writeFileSync(path.join(procRoot, String(pid), 'cgroup'), text);
  };
  // The dual-A5000 process, the three MIG processes, and a host process.
  put(100477, cg('docker-cgroupfs-v1-hybrid.txt'));
  put(21180, cg('docker-systemd-v2.txt'));
  put(21181, cg('docker-systemd-v2.txt'));
  put(21198, cg('dind-cgroupfs-v1.txt'));
  put(6194, cg('host-session-v2.txt'));

  it('maps a PID, and gives null for a host process or a PID that is gone', async () => {
    expect(await containerIdForPid(100477, { procRoot })).toBe(RECORDED);
    expect(await containerIdForPid(6194, { procRoot })).toBeNull();
    expect(await containerIdForPid(999999, { procRoot })).toBeNull();
  });

  it('picks the known container of a nested pair', async () => {
    expect(await containerIdForPid(21198, { procRoot })).toBe(A);
    expect(await containerIdForPid(21198, { procRoot, knownIds: new Set([B]) })).toBe(B);
  });

  it('sums memory per container over GPUs and lists the GPUs it uses', async () => {
    const gpus = parseNvidiaQueryGpu(nv('dual-a5000.query-gpu.txt')).gpus;
    const { processes } = parseNvidiaComputeApps(nv('dual-a5000.compute-apps.txt'), gpus);
    const use = await gpuUseByContainer(processes, gpus, { procRoot });
    expect([...use.keys()]).toEqual([RECORDED]);
    expect(use.get(RECORDED)).toEqual({
      memUsedMiB: 22430 + 17246,
      memUnknown: false,
      gpus: ['GPU-12345678-aaaa-bbbb-cccc-0123456789ab', 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd'],
      gpuIndexes: [0, 1],
      pids: [100477],
    });
  });

  it('splits MIG processes between containers and flags unknown memory', async () => {
    const gpus = parseNvidiaQueryGpu(nv('mig-h100.query-gpu.txt')).gpus;
    const known = await gpuUseByContainer(parseNvidiaComputeApps(nv('mig-h100.compute-apps.txt'), gpus).processes, gpus, {
      procRoot,
      knownIds: new Set([A]),
    });
    expect(known.get(A)).toMatchObject({ memUsedMiB: 2296 + 1272 + 7484, memUnknown: false, gpuIndexes: [0], pids: [21180, 21181, 21198] });

    const na = await gpuUseByContainer(parseNvidiaComputeApps(nv('mig-h100-na.compute-apps.txt'), gpus).processes, gpus, { procRoot });
    expect(na.get(A)).toMatchObject({ memUsedMiB: 0, memUnknown: true, gpus: ['GPU-00000000-0000-0000-0000-000000000000'] });
  });

  it('leaves host processes out, and a lost GPU does not break the mapping', async () => {
    const gpus = parseNvidiaQueryGpu(nv('lost-rtxpro6000.query-gpu.txt')).gpus;
    const { processes } = parseNvidiaComputeApps(nv('lost-rtxpro6000.compute-apps.txt'), gpus);
    put(6193, cg('kubepods-cgroupfs-v1.txt'));
    const use = await gpuUseByContainer(processes, gpus, { procRoot });
    expect([...use.entries()]).toEqual([
      [A, { memUsedMiB: 88438, memUnknown: false, gpus: ['GPU-00000002-0000-0000-0000-000000000002'], gpuIndexes: [2], pids: [6193] }],
    ]);
  });

  it('attributes an AMD process that uses every card to all of them', async () => {
    const card = JSON.parse(readFileSync(path.join(here, 'fixtures', 'rocm', 'two-rx6800-memuse.json'), 'utf8'));
    const { gpus, processes } = parseRocmSmiJson(JSON.stringify({ ...card, system: { PID100477: 'python3, 2, 2147483648, 0, 10' } }));
    const use = await gpuUseByContainer(processes, gpus, { procRoot });
    expect(use.get(RECORDED)).toMatchObject({ memUsedMiB: 2048, gpus: ['gpu0', 'gpu1'], gpuIndexes: [0, 1] });
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parentGpuOf,
  parseLostGpuLine,
  parseNvidiaComputeApps,
  parseNvidiaList,
  parseNvidiaQueryGpu,
} from '../../../src/ops/gpu/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'nvidia');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('parseNvidiaQueryGpu', () => {
  it('reads one idle GPU', () => {
    const { gpus, warnings } = parseNvidiaQueryGpu(fixture('single-h200.query-gpu.txt'));
    expect(warnings).toEqual([]);
    expect(gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        name: 'NVIDIA H200',
        busId: null,
        utilPct: 0,
        memUsedMiB: 0,
        memTotalMiB: 143771,
        tempC: 38,
        powerW: 83.38,
        powerLimitW: 700,
        lost: false,
        error: null,
      },
    ]);
  });

  it('reads several GPUs', () => {
    const { gpus } = parseNvidiaQueryGpu(fixture('dual-a5000.query-gpu.txt'));
    expect(gpus.map((g) => [g.index, g.uuid, g.memUsedMiB, g.tempC, g.powerW])).toEqual([
      [0, 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab', 22437, 13, 6.41],
      [1, 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd', 17253, 15, 13.6],
    ]);
    expect(gpus.every((g) => g.name === 'NVIDIA RTX A5000' && g.powerLimitW === 230)).toBe(true);
  });

  it('turns [N/A] into null on a MIG GPU and keeps the rest', () => {
    const [gpu] = parseNvidiaQueryGpu(fixture('mig-h100.query-gpu.txt')).gpus;
    expect(gpu.utilPct).toBeNull();
    expect(gpu.memUsedMiB).toBe(11125);
    expect(gpu.memTotalMiB).toBe(81559);
    expect(gpu.powerW).toBe(433.78);
    expect(gpu.lost).toBe(false);
  });

  it('reports the GPU that fell off the bus as lost and keeps the others', () => {
    const { gpus, warnings } = parseNvidiaQueryGpu(fixture('lost-rtxpro6000.query-gpu.txt'));
    expect(gpus.map((g) => [g.index, g.lost])).toEqual([
      [0, false],
      [1, true],
      [2, false],
      [3, false],
    ]);
    const lost = gpus[1];
    expect(lost).toMatchObject({ busId: '0000:34:00.0', error: 'Unknown Error', memUsedMiB: null, uuid: null });
    expect(gpus[2]).toMatchObject({
      uuid: 'GPU-00000002-0000-0000-0000-000000000002',
      name: 'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition',
      utilPct: 100,
      memUsedMiB: 88450,
      tempC: 86,
    });
    expect(warnings).toEqual(['Unable to determine the device handle for GPU1: 0000:34:00.0: Unknown Error']);
  });

  it('reports a lost GPU from the error line alone (older message form)', () => {
    const { gpus } = parseNvidiaQueryGpu(fixture('lost-only.query-gpu.txt'));
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({
      index: null,
      lost: true,
      busId: '0000:0A:00.0',
      error: 'GPU is lost. Reboot the system to recover this GPU',
    });
  });

  it('finds no GPU in a driver failure and keeps the message as a warning', () => {
    const { gpus, warnings } = parseNvidiaQueryGpu(fixture('driver-failed.txt'));
    expect(gpus).toEqual([]);
    expect(warnings[0]).toMatch(/^NVIDIA-SMI has failed because it couldn't communicate/);
  });
});

describe('parseLostGpuLine', () => {
  it('reads the index and bus id in every known form', () => {
    expect(parseLostGpuLine('Unable to determine the device handle for GPU1: 0000:34:00.0: Unknown Error')).toEqual({
      index: 1,
      busId: '0000:34:00.0',
      error: 'Unknown Error',
    });
    expect(parseLostGpuLine('Unable to determine the device handle for GPU0000:0B:00.0: Unknown Error')).toEqual({
      index: null,
      busId: '0000:0B:00.0',
      error: 'Unknown Error',
    });
    expect(parseLostGpuLine('0, GPU-x, NVIDIA H200, 0, 0, 1, 2, 3, 4')).toBeNull();
  });
});

describe('parseNvidiaComputeApps', () => {
  it('returns nothing for an idle GPU', () => {
    expect(parseNvidiaComputeApps(fixture('single-h200.compute-apps.txt'))).toEqual({ processes: [], warnings: [] });
  });

  it('reads processes on a MIG GPU and resolves their GPU index', () => {
    const gpus = parseNvidiaQueryGpu(fixture('mig-h100.query-gpu.txt')).gpus;
    const { processes } = parseNvidiaComputeApps(fixture('mig-h100.compute-apps.txt'), gpus);
    expect(processes).toEqual([
      { pid: 21180, name: '/root/tools/memhog', gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', gpuIndex: 0, usedMemMiB: 2296 },
      { pid: 21181, name: '/root/tools/memhog', gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', gpuIndex: 0, usedMemMiB: 1272 },
      { pid: 21198, name: './gpu_burn', gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', gpuIndex: 0, usedMemMiB: 7484 },
    ]);
  });

  it('keeps processes whose memory is [N/A] with a null figure', () => {
    const { processes } = parseNvidiaComputeApps(fixture('mig-h100-na.compute-apps.txt'));
    expect(processes.map((p) => [p.pid, p.usedMemMiB])).toEqual([
      [21180, null],
      [21181, null],
      [21198, null],
    ]);
  });

  it('reads one process on two GPUs as two rows', () => {
    const gpus = parseNvidiaQueryGpu(fixture('dual-a5000.query-gpu.txt')).gpus;
    const { processes } = parseNvidiaComputeApps(fixture('dual-a5000.compute-apps.txt'), gpus);
    expect(processes.map((p) => [p.pid, p.gpuIndex, p.usedMemMiB])).toEqual([
      [100477, 0, 22430],
      [100477, 1, 17246],
    ]);
  });

  it('skips the lost-GPU line and keeps the healthy GPUs processes', () => {
    const gpus = parseNvidiaQueryGpu(fixture('lost-rtxpro6000.query-gpu.txt')).gpus;
    const { processes, warnings } = parseNvidiaComputeApps(fixture('lost-rtxpro6000.compute-apps.txt'), gpus);
    expect(processes.map((p) => [p.pid, p.name, p.gpuIndex, p.usedMemMiB])).toEqual([
      [6194, 'VLLM::Worker_TP1', 0, 88438],
      [6193, 'VLLM::Worker_TP0', 2, 88438],
    ]);
    expect(warnings).toHaveLength(1);
  });
});

describe('parseNvidiaList', () => {
  it('reads GPUs and their MIG devices', () => {
    const listed = parseNvidiaList(fixture('mig-h100.list.txt'));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ index: 0, name: 'NVIDIA H100 80GB HBM3', uuid: 'GPU-00000000-0000-0000-0000-000000000000' });
    expect(listed[0].mig.map((m) => [m.profile, m.device, m.uuid])).toEqual([
      ['3g.40gb', 0, 'MIG-00000000-0000-0000-0000-000000000000'],
      ['2g.20gb', 1, 'MIG-00000001-0000-0000-0000-000000000001'],
      ['1g.10gb', 2, 'MIG-00000002-0000-0000-0000-000000000002'],
      ['1g.10gb', 3, 'MIG-00000003-0000-0000-0000-000000000003'],
    ]);
    expect(parentGpuOf('MIG-00000002-0000-0000-0000-000000000002', listed)?.index).toBe(0);
    expect(parentGpuOf('MIG-ffffffff-0000-0000-0000-000000000000', listed)).toBeNull();
  });
});

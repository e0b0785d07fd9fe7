import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRocmSmiJson } from '../../../src/ops/gpu/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'rocm');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('parseRocmSmiJson', () => {
  it('reads one card: use, VRAM in MiB, product name; missing figures are null', () => {
    const { gpus, processes } = parseRocmSmiJson(fixture('single-rx7900xt.json'));
    expect(processes).toEqual([]);
    expect(gpus).toEqual([
      {
        index: 0,
        uuid: null,
        name: 'Radeon RX 7900 XT',
        busId: null,
        utilPct: 0,
        memUsedMiB: 27, // 27856896 B
        memTotalMiB: 20464, // 21458059264 B
        tempC: null,
        powerW: null,
        powerLimitW: null,
        lost: false,
        error: null,
      },
    ]);
  });

  it('reads the newer field names of an APU and treats "N/A" as no value', () => {
    const [gpu] = parseRocmSmiJson(fixture('apu-780m.json')).gpus;
    expect(gpu).toMatchObject({
      index: 0,
      name: 'Phoenix3',
      uuid: null,
      busId: '0000:C4:00.0',
      utilPct: 19,
      tempC: 31,
      powerW: 7.222,
      memTotalMiB: null,
    });
  });

  it('reads several cards even when they carry only memory-activity fields', () => {
    const { gpus } = parseRocmSmiJson(fixture('two-rx6800-memuse.json'));
    expect(gpus.map((g) => [g.index, g.utilPct, g.memUsedMiB])).toEqual([
      [0, null, null],
      [1, null, null],
    ]);
  });

  it('reads four cards and the KFD processes, "unknown" figures as null', () => {
    const { gpus, processes } = parseRocmSmiJson(fixture('four-mi300x-pids.json'));
    expect(gpus.map((g) => [g.index, g.tempC, g.powerW, g.powerLimitW, g.name])).toEqual([
      [0, 35, 133, 750, 'AMD Instinct MI300X'],
      [1, 37, 131, 750, 'AMD Instinct MI300X'],
      [2, 34, 131, 750, 'AMD Instinct MI300X'],
      [3, 38, 137, 750, 'AMD Instinct MI300X'],
    ]);
    expect(processes).toEqual([
      { pid: 3722222, name: 'test_ref', gpuUuid: null, gpuIndex: null, usedMemMiB: 0, gpuCount: 0 },
      { pid: 1168514, name: 'pt_main_thread', gpuUuid: null, gpuIndex: null, usedMemMiB: 169169, gpuCount: 1 },
      { pid: 55573, name: 'gmx_mpi', gpuUuid: null, gpuIndex: null, usedMemMiB: null, gpuCount: 1 },
    ]);
  });

  it('names the GPU of a process when there is only one card', () => {
    // The single card above plus a KFD process line in rocm-smi's JSON form.
    const card = JSON.parse(fixture('single-rx7900xt.json'));
    const text = JSON.stringify({ ...card, system: { PID4242: 'python3, 1, 1073741824, 0, 12' } });
    const { processes } = parseRocmSmiJson(text);
    expect(processes).toEqual([
      { pid: 4242, name: 'python3', gpuUuid: null, gpuIndex: 0, usedMemMiB: 1024, gpuCount: 1 },
    ]);
  });

  it('tolerates warning lines around the JSON and rejects output without JSON', () => {
    const { gpus, warnings } = parseRocmSmiJson(`WARNING: something\n${fixture('single-rx7900xt.json')}`);
    expect(gpus).toHaveLength(1);
    expect(warnings).toEqual(['WARNING: something']);
    expect(() => parseRocmSmiJson('ERROR: GPU[0] : Unable to get GPU memory use.')).toThrow(/no JSON/);
  });
});

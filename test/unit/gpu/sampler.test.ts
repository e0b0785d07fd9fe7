import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuSampler, execaRunner, type Runner } from '../../../src/ops/gpu/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'berth-gpu-sampler-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh folder with an executable script; returns the script path and a log of its runs. */
function script(name: string, body: string): { file: string; log: string; dir: string } {
  const dir = path.join(tmp, `case${++n}`);
  mkdirSync(dir);
  const file = path.join(dir, name);
  const log = path.join(dir, 'calls.log');
  // The sampler runs tools with a PATH that holds no real GPU tool; the script gets its own.
  writeFileSync(file, `#!/bin/sh\nPATH='${process.env.PATH ?? ''}'\necho "$*" >> '${log}'\n${body}\n`);
  chmodSync(file, 0o755);
  return { file, log, dir };
}
const calls = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

/** Counts every command the sampler tries to run, and runs it for real. */
function countingRunner(): { run: Runner; count: () => number } {
  let count = 0;
  return {
    run: (file, args, opts) => {
      count++;
      return execaRunner(file, args, opts);
    },
    count: () => count,
  };
}

/** The nvidia-smi stand-in: prints a query-gpu fixture or a compute-apps fixture by its argument. */
function nvidiaStandIn(gpuFixture: string, appsFixture: string, exit = 0) {
  return script(
    'nvidia-smi',
    `case "$1" in
  --query-gpu=*) cat '${path.join(fixtures, 'nvidia', gpuFixture)}' ;;
  --query-compute-apps=*) cat '${path.join(fixtures, 'nvidia', appsFixture)}' ;;
  *) echo "unexpected: $*" >&2; exit 2 ;;
esac
exit ${exit}`,
  );
}

/** Still running? (A killed child whose new parent does not reap it stays a zombie: not running.) */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

const emptyDir = path.join(tmp, 'empty-path');
mkdirSync(emptyDir);

describe('GpuSampler without a GPU tool', () => {
  it('reports unavailable and never spawns anything, on any refresh', async () => {
    const counter = countingRunner();
    const sampler = new GpuSampler({ env: { PATH: emptyDir }, run: counter.run });
    const first = await sampler.refresh();
    const second = await sampler.refresh();
    const third = await sampler.refresh();
    for (const snap of [first, second, third]) {
      expect(snap).toMatchObject({ available: false, tool: null, gpus: [] });
      expect(snap.problem).toBeUndefined();
      expect(snap.byContainer.size).toBe(0);
    }
    expect(counter.count()).toBe(0);
    expect(sampler.spawnCount).toBe(0);
  });

  it('can be switched off even when the tools are on PATH', async () => {
    const fake = nvidiaStandIn('single-h200.query-gpu.txt', 'single-h200.compute-apps.txt');
    const counter = countingRunner();
    const sampler = new GpuSampler({
      env: { PATH: fake.dir, BERTH_NVIDIA_SMI: 'off', BERTH_ROCM_SMI: 'off' },
      run: counter.run,
    });
    expect((await sampler.refresh()).available).toBe(false);
    expect((await sampler.refresh()).available).toBe(false);
    expect(counter.count()).toBe(0);
    expect(calls(fake.log)).toEqual([]);
  });
});

describe('GpuSampler with nvidia-smi', () => {
  it('finds it on PATH and runs one query-gpu and one compute-apps call per refresh', async () => {
    const fake = nvidiaStandIn('dual-a5000.query-gpu.txt', 'dual-a5000.compute-apps.txt');
    const procRoot = path.join(fake.dir, 'proc');
    mkdirSync(path.join(procRoot, '100477'), { recursive: true });
    writeFileSync(path.join(procRoot, '100477', 'cgroup'), readFileSync(path.join(fixtures, 'cgroup', 'docker-systemd-v2.txt')));
    const sampler = new GpuSampler({ env: { PATH: fake.dir }, procRoot });

    const snap = await sampler.refresh();
    expect(snap.available).toBe(true);
    expect(snap.tool).toBe('nvidia-smi');
    expect(snap.problem).toBeUndefined();
    expect(snap.gpus.map((g) => g.memUsedMiB)).toEqual([22437, 17253]);
    expect([...snap.byContainer.entries()]).toEqual([
      [
        '3f9c2b7e41d85a06c1e2d4b8f7a9e0c35b6d1f24a8c7e9b0d2f4a6c8e1b3d5f7',
        {
          memUsedMiB: 39676,
          memUnknown: false,
          gpus: ['GPU-12345678-aaaa-bbbb-cccc-0123456789ab', 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd'],
          gpuIndexes: [0, 1],
          pids: [100477],
        },
      ],
    ]);
    expect(calls(fake.log).sort()).toEqual([
      '--query-compute-apps=gpu_uuid,pid,process_name,used_memory --format=csv,noheader,nounits',
      '--query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit --format=csv,noheader,nounits',
    ]);
    await sampler.refresh();
    expect(calls(fake.log)).toHaveLength(4);
  });

  it('runs one sample at a time: a refresh during a refresh shares it', async () => {
    const fake = nvidiaStandIn('single-h200.query-gpu.txt', 'single-h200.compute-apps.txt');
    const sampler = new GpuSampler({ env: { PATH: emptyDir, BERTH_NVIDIA_SMI: fake.file } });
    const [a, b] = await Promise.all([sampler.refresh(), sampler.refresh()]);
    expect(a).toBe(b);
    expect(calls(fake.log)).toHaveLength(2);
  });

  it('keeps the healthy GPUs when one fell off the bus and nvidia-smi exits 15', async () => {
    const fake = nvidiaStandIn('lost-rtxpro6000.query-gpu.txt', 'lost-rtxpro6000.compute-apps.txt', 15);
    const sampler = new GpuSampler({ env: { PATH: emptyDir, BERTH_NVIDIA_SMI: fake.file }, procRoot: emptyDir });
    const snap = await sampler.refresh();
    expect(snap.problem).toBeUndefined();
    expect(snap.gpus.map((g) => [g.index, g.lost])).toEqual([
      [0, false],
      [1, true],
      [2, false],
      [3, false],
    ]);
    expect(snap.processes.map((p) => p.pid)).toEqual([6194, 6193]);
    expect(snap.warnings).toContain('Unable to determine the device handle for GPU1: 0000:34:00.0: Unknown Error');
  });

  it('times out a tool that hangs, kills it, reports it once and backs off', async () => {
    const fake = script('nvidia-smi', `sleep 30 &\necho $! >> '${path.join(tmp, 'hang-pids')}'\nwait`);
    let now = 1_000_000;
    const problems: string[] = [];
    const counter = countingRunner();
    const sampler = new GpuSampler({
      env: { PATH: fake.dir },
      timeoutMs: 300,
      retryAfterMs: 60_000,
      now: () => now,
      run: counter.run,
      onProblem: (p) => problems.push(p),
    });

    const started = Date.now();
    const first = await sampler.refresh();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2500);
    expect(first.available).toBe(true);
    expect(first.problem).toBe('nvidia-smi: no answer within 0.3 s, killed; next try in 60 s');
    expect(counter.count()).toBe(2);

    // The stand-in and what it started are gone (its process group got SIGKILL).
    const sleepers = readFileSync(path.join(tmp, 'hang-pids'), 'utf8').split('\n').filter(Boolean).map(Number);
    expect(sleepers).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 100));
    for (const pid of sleepers) expect(running(pid)).toBe(false);

    // Within the back-off: the problem is still shown, nothing is spawned, nothing re-reported.
    now += 30_000;
    const quick = Date.now();
    const second = await sampler.refresh();
    expect(Date.now() - quick).toBeLessThan(200);
    expect(second.problem).toBe(first.problem);
    expect(counter.count()).toBe(2);
    expect(calls(fake.log)).toHaveLength(2);
    expect(problems).toEqual([first.problem]);

    // After it: one more try (two calls), still reported only once.
    now += 31_000;
    await sampler.refresh();
    expect(counter.count()).toBe(4);
    expect(problems).toHaveLength(1);
  });

  it('reports a tool that errors once, backs off, and clears the problem when it works again', async () => {
    const broken = path.join(tmp, 'driver-broken');
    writeFileSync(broken, '');
    const fake = script(
      'nvidia-smi',
      `if [ -e '${broken}' ]; then cat '${path.join(fixtures, 'nvidia', 'driver-failed.txt')}'; exit 9; fi
case "$1" in
  --query-gpu=*) cat '${path.join(fixtures, 'nvidia', 'single-h200.query-gpu.txt')}' ;;
esac`,
    );
    let now = 5_000_000;
    const problems: string[] = [];
    const sampler = new GpuSampler({
      env: { PATH: emptyDir, BERTH_NVIDIA_SMI: fake.file },
      now: () => now,
      onProblem: (p) => problems.push(p),
    });
    const first = await sampler.refresh();
    expect(first.problem).toBe(
      "nvidia-smi: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.; next try in 60 s",
    );
    expect(first.gpus).toEqual([]);
    now += 1000;
    await sampler.refresh();
    now += 1000;
    await sampler.refresh();
    expect(calls(fake.log)).toHaveLength(2);
    expect(problems).toHaveLength(1);

    rmSync(broken);
    now += 60_000;
    const fixed = await sampler.refresh();
    expect(fixed.problem).toBeUndefined();
    expect(fixed.gpus.map((g) => g.name)).toEqual(['NVIDIA H200']);
    expect(calls(fake.log)).toHaveLength(4);
  });

  it('reports a tool that cannot be started', async () => {
    const dir = path.join(tmp, 'bad-interpreter');
    mkdirSync(dir);
    const file = path.join(dir, 'nvidia-smi');
    writeFileSync(file, '#!/nonexistent/interpreter\n');
    chmodSync(file, 0o755);
    const sampler = new GpuSampler({ env: { PATH: dir } });
    const snap = await sampler.refresh();
    expect(snap.available).toBe(true);
    expect(snap.problem).toBe('nvidia-smi: could not start (ENOENT); next try in 60 s');
    expect(sampler.spawnCount).toBe(2);
  });

  it('ignores an override that is not an executable file and says so', async () => {
    const sampler = new GpuSampler({ env: { PATH: emptyDir, BERTH_NVIDIA_SMI: path.join(tmp, 'no-such-file') } });
    const snap = await sampler.refresh();
    expect(snap.available).toBe(false);
    expect(snap.warnings[0]).toMatch(/^BERTH_NVIDIA_SMI=.*no-such-file is not an executable file; ignored$/);
  });
});

describe('GpuSampler with rocm-smi', () => {
  it('falls back to rocm-smi and runs it once per refresh', async () => {
    const fake = script('rocm-smi', `cat '${path.join(fixtures, 'rocm', 'four-mi300x-pids.json')}'`);
    const sampler = new GpuSampler({ env: { PATH: fake.dir }, procRoot: emptyDir });
    const snap = await sampler.refresh();
    expect(snap).toMatchObject({ available: true, tool: 'rocm-smi' });
    expect(snap.problem).toBeUndefined();
    expect(snap.gpus.map((g) => g.tempC)).toEqual([35, 37, 34, 38]);
    expect(snap.processes.map((p) => p.pid)).toEqual([3722222, 1168514, 55573]);
    expect(calls(fake.log)).toEqual([
      '--showproductname --showbus --showuse --showmeminfo vram --showtemp --showpower --showmaxpower --showpids --json',
    ]);
  });

  it('reports rocm-smi output that is not JSON as a problem', async () => {
    const fake = script('rocm-smi', `echo 'ERROR: GPU[0] : Unable to get GPU memory use.'\nexit 1`);
    const sampler = new GpuSampler({ env: { PATH: emptyDir, BERTH_NVIDIA_SMI: 'off', BERTH_ROCM_SMI: fake.file } });
    const snap = await sampler.refresh();
    expect(snap.problem).toBe('rocm-smi: ERROR: GPU[0] : Unable to get GPU memory use.; next try in 60 s');
  });
});

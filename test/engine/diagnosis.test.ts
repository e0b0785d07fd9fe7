// Real crashes on the private engine produce the right diagnosis: OOM kill (137), a
// command that does not exist (127), a restart loop under on-failure, a failing health check.
import { beforeAll, describe, expect, it } from 'vitest';
import { fromInspect } from '../../src/engine/containerInfo.js';
import { diagnose, inputFromInspect } from '../../src/ops/diagnosis.js';
import { createAppStore, diagnosisOf } from '../../src/dashboard/store.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

let te: TestEngine;
const tag = `g${process.pid % 10000}`;
const labels = () => Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

async function until<T>(get: () => Promise<T>, pred: (v: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  let v = await get();
  while (!pred(v)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 200));
    v = await get();
  }
  return v;
}

const inspect = (id: string) => te.docker.getContainer(id).inspect();

beforeAll(async () => {
  te = await getTestEngine();
});

describe('why did it stop (real containers)', () => {
  it('OOMKilled, exit 137, under a 16 MB memory limit', async () => {
    const id = (await te.dockerCli(['run', '-d', '--name', `${tag}-oom`, ...labels(), '--memory', '16m', '--memory-swap', '16m', te.image, 'sh', '-c', 'x=a; while :; do x=$x$x; done'])).stdout.trim();
    const info = await until(() => inspect(id), (i) => i.State.Status === 'exited', 'the OOM kill');
    expect(info.State.OOMKilled).toBe(true);
    expect(info.State.ExitCode).toBe(137);
    const d = diagnose(inputFromInspect(info))!;
    expect(d.marker).toBe('OOM');
    expect(d.summary).toBe('killed: out of memory (OOMKilled)');
  });

  it('127: the command does not exist', async () => {
    const r = await te.dockerCli(['run', '-d', '--name', `${tag}-127`, ...labels(), te.image, 'no-such-command'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    const info = await inspect(`${tag}-127`);
    expect(info.State.ExitCode).toBe(127);
    const d = diagnose(inputFromInspect(info))!;
    expect(d.marker).toBe('127');
    expect(d.summary).toMatch(/command not found/);
    expect(d.details[0]).toMatch(/no-such-command.*not found/);
    // The same from the ContainerInfo the list keeps, as the list marker shows it.
    expect(diagnosisOf({ restartHistory: {} }, fromInspect(info))!.marker).toBe('127');
  });

  it('exit 1 under restart on-failure: a restart loop, seen as the count rises', async () => {
    const id = (await te.dockerCli(['run', '-d', '--name', `${tag}-loop`, ...labels(), '--restart', 'on-failure', te.image, 'sh', '-c', 'echo failing; exit 1'])).stdout.trim();
    // Feed the store the way the watcher does, and let it track restart counts over time.
    const store = createAppStore([], te.host);
    const seen = new Set<number>();
    await until(
      async () => {
        const c = fromInspect(await inspect(id));
        store.getState().setContainers([c]);
        seen.add(c.restartCount);
        return c.restartCount;
      },
      (n) => n >= 3 && seen.size >= 2,
      'restarts',
    );
    const c = store.getState().containers[0]!;
    const d = diagnosisOf(store.getState(), c)!;
    expect(d.marker).toBe('loop');
    expect(d.details[0]).toMatch(/restart count \d+, \d+ in the last 5 minutes; restart policy on-failure/);
    expect(d.details.join(' ')).toMatch(/exit 1/);
  });

  it('a failing health check, with its last output', async () => {
    const id = (await te.dockerCli(['run', '-d', '--name', `${tag}-sick`, ...labels(), '--health-cmd', 'echo db not reachable; exit 1', '--health-interval', '1s', '--health-retries', '2', te.image, 'sleep', '600'])).stdout.trim();
    const info = await until(() => inspect(id), (i) => i.State.Health?.Status === 'unhealthy', 'unhealthy');
    const d = diagnose(inputFromInspect(info))!;
    expect(d.marker).toBe('unhealthy');
    expect(d.details.join('\n')).toMatch(/last check \(exit 1\): db not reachable/);
    expect(diagnosisOf({ restartHistory: {} }, fromInspect(info))!.details.join('\n')).toMatch(/last check: db not reachable/);
  });
});

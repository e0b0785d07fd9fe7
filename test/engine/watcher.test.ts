// The live snapshot, against the private dockerd: events keep it current, and it survives
// the engine being killed and started again.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/connection.js';
import type { ContainerInfo } from '../../src/engine/types.js';
import { EngineWatcher } from '../../src/engine/watcher.js';
import { canRestartDaemon, getDaemonState, getTestEngine, RESTART_SKIP_NOTE, type TestEngine } from '../harness/engine.js';

let te: TestEngine;
let watcher: EngineWatcher;

/** Resolves with the time it took until `pred` holds for the watcher's containers. */
function until(pred: (list: ContainerInfo[]) => boolean, timeoutMs = 5000): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pred([...watcher.containers.values()])) {
        watcher.off('change', check);
        clearTimeout(timer);
        resolve(Date.now() - t0);
      }
    };
    const timer = setTimeout(() => {
      watcher.off('change', check);
      reject(new Error(`condition not met within ${timeoutMs} ms; containers: ${[...watcher.containers.values()].map((c) => `${c.name}:${c.state}`).join(', ')}`));
    }, timeoutMs);
    watcher.on('change', check);
    check();
  });
}

const named = (name: string) => (list: ContainerInfo[]) => list.find((c) => c.name === name);

beforeAll(async () => {
  te = await getTestEngine();
  watcher = new EngineWatcher(openEngine({ host: te.host }), { retryMs: [200, 400, 800] });
  watcher.start();
  await watcher.ready();
  expect(watcher.status.kind).toBe('connected');
});

afterAll(() => watcher?.stop());

describe('EngineWatcher', () => {
  it('sees a container created, started, stopped and removed by another client within a second each', async () => {
    const name = `berth-w-${process.pid}`;
    const labels = Object.entries({ ...te.labels, 'com.docker.compose.project': 'wproj' }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    await te.dockerCli(['create', '--name', name, ...labels, te.image, 'sleep', '300']);
    expect(await until((l) => named(name)(l)?.state === 'created')).toBeLessThan(1000);
    expect(named(name)([...watcher.containers.values()])?.composeProject).toBe('wproj');

    await te.dockerCli(['start', name]);
    expect(await until((l) => named(name)(l)?.state === 'running' && named(name)(l)!.pid > 0)).toBeLessThan(1000);

    await te.dockerCli(['stop', '-t', '0', name]);
    expect(await until((l) => named(name)(l)?.state === 'exited')).toBeLessThan(1000);
    expect(named(name)([...watcher.containers.values()])?.exitCode).toBe(137);

    await te.dockerCli(['rm', name]);
    expect(await until((l) => !named(name)(l))).toBeLessThan(1000);
  });

  it('survives the engine being killed and started again, and relists', async (ctx) => {
    if (!canRestartDaemon()) return ctx.skip(RESTART_SKIP_NOTE);
    const before = `berth-before-${process.pid}`;
    const after = `berth-after-${process.pid}`;
    const label = Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    await te.dockerCli(['create', '--name', before, ...label, te.image, 'true']);
    await until((l) => !!named(before)(l));

    const statuses: string[] = [];
    const onStatus = () => statuses.push(watcher.status.kind);
    watcher.on('status', onStatus);
    await te.killDaemon();
    await new Promise<void>((resolve) => {
      const check = () => watcher.status.kind === 'down' && resolve();
      watcher.on('status', check);
      check();
    });
    expect(watcher.status).toMatchObject({ kind: 'down', address: te.host });

    await te.startDaemon();
    // Created while berth was not looking: only a relist can find it.
    await te.dockerCli(['create', '--name', after, ...label, te.image, 'true']);
    await until((l) => !!named(after)(l) && !!named(before)(l), 15_000);
    expect(watcher.status.kind).toBe('connected');
    expect(statuses).toContain('down');
    watcher.off('status', onStatus);

    // And events flow again on the new connection.
    await te.dockerCli(['rm', after]);
    expect(await until((l) => !named(after)(l))).toBeLessThan(1000);
  });

  it('an engine frozen with SIGSTOP is shown as not answering, apart from down, and comes back', async (ctx) => {
    if (!canRestartDaemon()) return ctx.skip(RESTART_SKIP_NOTE);
    const pid = Number(fs.readFileSync(getDaemonState().pidfile, 'utf8'));
    const w = new EngineWatcher(openEngine({ host: te.host }), { probeMs: 300, probeTimeoutMs: 700 });
    w.start();
    await w.ready();
    const kinds: string[] = [];
    w.on('status', (s) => kinds.push(s.kind));
    const waitFor = (kind: string, ms: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${kind} within ${ms} ms; saw ${kinds.join(', ')}`)), ms);
        const check = () => {
          if (w.status.kind === kind) {
            clearTimeout(t);
            resolve();
          }
        };
        w.on('status', check);
        check();
      });
    process.kill(pid, 'SIGSTOP');
    try {
      await waitFor('stalled', 5000);
      expect(w.status).toMatchObject({ kind: 'stalled', address: te.host });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor('connected', 5000);
    expect(kinds).toEqual(['stalled', 'connected']);
    w.stop();
  });
});

// The engine hub against a real engine: every dashboard store attached gets the same
// containers and figures from one watcher and one sampler; with no store attached nothing
// is sampled; a store that joins later gets the figures gathered so far at once (its
// sparklines are filled in its first frame).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../src/engine/connection.js';
import { EngineHub } from '../../src/dashboard/engineHub.js';
import { createAppStore } from '../../src/dashboard/store.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

let te: TestEngine;
let hub: EngineHub | undefined;
const name = `hub-busy-${process.pid}`;

async function until(ok: () => boolean, what: string, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  te = await getTestEngine();
  const labels = Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await te.dockerCli(['run', '-d', '--name', name, ...labels, te.image, 'sh', '-c', 'yes > /dev/null']);
});

afterAll(() => hub?.stop());

describe('engine hub', () => {
  it('feeds every attached store from one sampler, samples only while one is attached, and hands a newcomer the history', async () => {
    hub = new EngineHub(openEngine({ host: te.host }), { interval_ms: 250, history: 60 });
    expect(hub.sampling).toBe(false);
    const a = createAppStore([], te.host);
    const b = createAppStore([], te.host);
    const leaveA = hub.attach(a);
    const leaveB = hub.attach(b);
    expect(hub.sampling).toBe(true);
    expect(hub.clients).toBe(2);
    const id = () => a.getState().containers.find((c) => c.name === name)?.id ?? '';
    await until(() => (a.getState().stats[id()]?.cpu.length ?? 0) >= 4, 'four CPU samples of the busy container');
    // both stores hold the very same figures (one sampler, handed to both)
    expect(b.getState().stats).toBe(a.getState().stats);
    expect(b.getState().containers.map((c) => c.name)).toContain(name);

    leaveA();
    leaveB();
    expect(hub.sampling).toBe(false);
    const frozen = hub.shared.stats;
    await new Promise((r) => setTimeout(r, 800));
    expect(hub.shared.stats).toBe(frozen); // nothing was read meanwhile

    // a dashboard that comes back (or a new one) has the history at once, before any new reading
    const c = createAppStore([], te.host);
    hub.attach(c);
    expect(c.getState().stats[id()]?.cpu.length).toBeGreaterThanOrEqual(4);
    expect(c.getState().containers.map((x) => x.name)).toContain(name);
    expect(hub.sampling).toBe(true);
  });
});

// Runs the stats sampler for the running containers the watcher knows and pushes the
// figures into the store, once per sampling round.
import type { Engine } from '../engine/connection.js';
import { StatsSampler } from '../engine/stats/index.js';
import type { EngineWatcher } from '../engine/watcher.js';
import { GpuSampler } from '../ops/gpu/index.js';
import { log } from '../logging.js';
import { summarizeGpu } from './gpuSummary.js';
import type { StatsSample } from '../engine/types.js';
import type { AppStore, ContainerStats } from './store.js';

/** Samples kept per running container for the stats tab: 5 minutes at the default 1 s. */
const GRAPH_SAMPLES = 300;

export function startLiveStats(
  engine: Engine,
  watcher: EngineWatcher,
  store: AppStore,
  cfg: { interval_ms: number; history: number },
): () => void {
  const sampler = new StatsSampler({
    docker: engine.docker,
    local: engine.local,
    intervalMs: cfg.interval_ms,
    history: cfg.history,
    running: () => [...watcher.containers.values()].filter((c) => c.state === 'running' && c.pid > 0),
  });
  // A longer ring than the sparkline's, for the stats tab's graphs (the last minutes).
  const long = new Map<string, StatsSample[]>();
  const push = () => {
    const stats: Record<string, ContainerStats> = {};
    for (const id of long.keys()) if (watcher.containers.get(id)?.state !== 'running') long.delete(id);
    for (const c of watcher.containers.values()) {
      if (c.state !== 'running') continue;
      const latest = sampler.latest(c.id);
      if (!latest) continue;
      let ring = long.get(c.id);
      if (!ring) long.set(c.id, (ring = []));
      if (ring[ring.length - 1]?.t !== latest.t) {
        ring.push(latest);
        if (ring.length > GRAPH_SAMPLES) ring.splice(0, ring.length - GRAPH_SAMPLES);
      }
      stats[c.id] = { latest, cpu: sampler.history(c.id).map((s) => s.cpuPct), samples: ring.slice() };
    }
    store.getState().setStats(stats);
  };
  // GPU figures share the stats tick: one nvidia-smi/rocm-smi round per sampling round,
  // never one per container; no tool means nothing is ever spawned.
  const gpu = new GpuSampler({ onProblem: (p: string) => log.warn(`gpu: ${p}`) });
  let gpuBusy = false;
  const refreshGpu = async () => {
    if (gpuBusy) return;
    gpuBusy = true;
    try {
      const snap = await gpu.refresh(new Set(watcher.containers.keys()));
      store.getState().setGpu(summarizeGpu(snap));
    } catch (err) {
      log.warn(`gpu refresh failed: ${(err as Error).message}`);
    } finally {
      gpuBusy = false;
    }
  };
  sampler.on('update', push);
  sampler.start();
  // A container that starts gets its first readings now, not at the next tick.
  let seen = new Set<string>();
  const onChange = () => {
    const running = [...watcher.containers.values()].filter((c) => c.state === 'running' && c.pid > 0).map((c) => c.id);
    const fresh = running.filter((id) => !seen.has(id));
    seen = new Set(running);
    if (fresh.length) void sampler.tick(new Set(fresh));
  };
  watcher.on('change', onChange);
  void refreshGpu();
  const gpuTimer = setInterval(() => void refreshGpu(), cfg.interval_ms);
  return () => {
    clearInterval(gpuTimer);
    watcher.off('change', onChange);
    sampler.off('update', push);
    sampler.stop();
  };
}

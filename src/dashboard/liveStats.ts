// Runs the stats sampler for the running containers the watcher knows and hands the figures
// to a sink (the engine hub, which passes them on to every dashboard), once per sampling
// round. Paused while no dashboard shows: the rings are kept, so a dashboard that comes back
// has its sparklines at once, and nothing is read meanwhile.
import type { Engine } from '../engine/connection.js';
import { StatsSampler } from '../engine/stats/index.js';
import type { EngineWatcher } from '../engine/watcher.js';
import { GpuSampler } from '../ops/gpu/index.js';
import { log } from '../logging.js';
import { summarizeGpu, type GpuSummary } from './gpuSummary.js';
import type { StatsSample } from '../engine/types.js';
import type { ContainerStats } from './store.js';

/** Samples kept per running container for the stats tab: 5 minutes at the default 1 s. */
const GRAPH_SAMPLES = 300;

export interface StatsSink {
  setStats(stats: Record<string, ContainerStats>): void;
  setGpu(gpu: GpuSummary | null): void;
}

/**
 * One container's figures for a tick. The sparkline's series is made only when something
 * reads it (the rows in view), not for every running container every second.
 */
class LiveContainerStats implements ContainerStats {
  private series: number[] | null = null;
  constructor(
    readonly latest: StatsSample,
    private readonly ring: readonly StatsSample[],
    private readonly sampler: StatsSampler,
    private readonly id: string,
  ) {}
  get cpu(): number[] {
    this.series ??= this.sampler.history(this.id).map((s) => s.cpuPct);
    return this.series;
  }
  /** The stats tab's samples: the ring itself while it is short enough (it is only read). */
  get samples(): readonly StatsSample[] {
    return this.ring.length > GRAPH_SAMPLES ? this.ring.slice(-GRAPH_SAMPLES) : this.ring;
  }
}

export class LiveStats {
  private readonly sampler: StatsSampler;
  private readonly gpu = new GpuSampler({ onProblem: (p: string) => log.warn(`gpu: ${p}`) });
  /** A longer ring than the sparkline's, for the stats tab's graphs (the last minutes). */
  private readonly long = new Map<string, StatsSample[]>();
  private gpuBusy = false;
  private gpuTimer: NodeJS.Timeout | null = null;
  private seen = new Set<string>();
  private running = false;

  constructor(
    engine: Engine,
    private readonly watcher: EngineWatcher,
    private readonly sink: StatsSink,
    private readonly cfg: { interval_ms: number; history: number },
  ) {
    this.sampler = new StatsSampler({
      docker: engine.docker,
      local: engine.local,
      intervalMs: cfg.interval_ms,
      history: cfg.history,
      running: () => this.runningRefs(),
    });
    this.sampler.on('update', this.push);
  }

  get active(): boolean {
    return this.running;
  }

  private runningRefs() {
    return [...this.watcher.containers.values()].filter((c) => c.state === 'running' && c.pid > 0);
  }

  private readonly push = () => {
    // a round that was under way when sampling stopped is not handed on
    if (!this.running) return;
    const stats: Record<string, ContainerStats> = {};
    const { long, watcher, sampler } = this;
    for (const id of long.keys()) if (watcher.containers.get(id)?.state !== 'running') long.delete(id);
    for (const c of watcher.containers.values()) {
      if (c.state !== 'running') continue;
      const latest = sampler.latest(c.id);
      if (!latest) continue;
      let ring = long.get(c.id);
      if (!ring) long.set(c.id, (ring = []));
      if (ring[ring.length - 1]?.t !== latest.t) {
        ring.push(latest);
        // cut now and then rather than every second (readers take the last GRAPH_SAMPLES)
        if (ring.length >= 2 * GRAPH_SAMPLES) ring.splice(0, ring.length - GRAPH_SAMPLES);
      }
      // the ring itself, not a copy (300 samples for every container every second was most of
      // the garbage): readers get a new ContainerStats each tick and only read it
      stats[c.id] = new LiveContainerStats(latest, ring, sampler, c.id);
    }
    this.sink.setStats(stats);
  };

  // GPU figures share the stats tick: one nvidia-smi/rocm-smi round per sampling round,
  // never one per container; no tool means nothing is ever spawned.
  private async refreshGpu(): Promise<void> {
    if (this.gpuBusy) return;
    this.gpuBusy = true;
    try {
      const snap = await this.gpu.refresh(new Set(this.watcher.containers.keys()));
      this.sink.setGpu(summarizeGpu(snap));
    } catch (err) {
      log.warn(`gpu refresh failed: ${(err as Error).message}`);
    } finally {
      this.gpuBusy = false;
    }
  }

  /** A container that starts gets its first readings now, not at the next tick. */
  private readonly onChange = () => {
    const running = this.runningRefs().map((c) => c.id);
    const fresh = running.filter((id) => !this.seen.has(id));
    this.seen = new Set(running);
    if (fresh.length && this.running) void this.sampler.tick(new Set(fresh));
  };

  start(): void {
    if (this.running) return;
    this.running = true;
    this.seen = new Set(this.runningRefs().map((c) => c.id));
    this.watcher.on('change', this.onChange);
    this.sampler.start();
    void this.refreshGpu();
    this.gpuTimer = setInterval(() => void this.refreshGpu(), this.cfg.interval_ms);
    this.gpuTimer.unref();
  }

  /** Stops reading; what was read is kept. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    if (this.gpuTimer) clearInterval(this.gpuTimer);
    this.gpuTimer = null;
    this.watcher.off('change', this.onChange);
    this.sampler.stop();
  }
}

import { EventEmitter } from 'node:events';
import type Dockerode from 'dockerode';
import type { RawStats, StatsSample } from '../types.js';
import { mapLimit } from '../pool.js';
import { createApiReader, type ApiReader } from './apiReader.js';
import { createCgroupReader, type CgroupReader, type ContainerRef } from './cgroupReader.js';
import { computeSample } from './computeSample.js';
import { SampleRing } from './sampleRing.js';

/**
 * Where counters come from. 'local': cgroup files only. 'remote': the stats API only.
 * 'auto': cgroup files when the engine is a unix socket on this machine and the
 * container's cgroup can be read, else the API for that container.
 */
export type StatsMode = 'local' | 'remote' | 'auto';

export type StatsSource = 'local' | 'api';

export interface StatsSamplerOptions {
  /** The containers running now (id and host pid); stopped ones must not be listed. */
  running: () => readonly ContainerRef[] | Promise<readonly ContainerRef[]>;
  /** Needed for 'remote', and for the per-container fallback in 'auto'. */
  docker?: Dockerode;
  /** The engine is reached through a unix socket on this machine ('auto' only reads locally then). */
  local?: boolean;
  mode?: StatsMode;
  /** Time between readings. Default 1000 ms. */
  intervalMs?: number;
  /** Time between a container's first and second reading, so figures appear quickly. Default 250 ms. */
  firstIntervalMs?: number;
  /** Samples kept per container. Default 60. */
  history?: number;
  /** Stats API requests in flight at once. Default 8. */
  concurrency?: number;
  cgroupReader?: CgroupReader;
  apiReader?: ApiReader;
}

interface Tracked {
  pid: number;
  prev: RawStats | null;
  prevSource: StatsSource | null;
  /** 'auto' gave up on the local files for this pid. */
  apiOnly: boolean;
  ring: SampleRing<StatsSample>;
}

export interface StatsSamplerEvents {
  /** Ids whose samples changed in a round, including containers that were forgotten. */
  update: [changed: ReadonlySet<string>];
}

/**
 * Samples the running containers every intervalMs and keeps a ring of samples per
 * container. One round at a time (a tick is skipped while the last is still running);
 * containers no longer running are forgotten and cost nothing.
 */
export class StatsSampler extends EventEmitter<StatsSamplerEvents> {
  private readonly opts: Required<Pick<StatsSamplerOptions, 'intervalMs' | 'firstIntervalMs' | 'history' | 'concurrency' | 'mode'>> &
    StatsSamplerOptions;
  private readonly cgroup: CgroupReader | null;
  private readonly api: ApiReader | null;
  private readonly tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | null = null;
  private followUp: NodeJS.Timeout | null = null;
  private readonly pendingFollowUp = new Set<string>();
  private inFlight: Promise<ReadonlySet<string>> | null = null;
  private running = false;

  constructor(options: StatsSamplerOptions) {
    super();
    this.opts = {
      ...options,
      intervalMs: options.intervalMs ?? 1000,
      firstIntervalMs: options.firstIntervalMs ?? 250,
      history: options.history ?? 60,
      concurrency: options.concurrency ?? 8,
      mode: options.mode ?? 'auto',
    };
    const { mode, docker, local } = this.opts;
    const wantLocal = mode === 'local' || (mode === 'auto' && local === true);
    this.cgroup = wantLocal ? (options.cgroupReader ?? createCgroupReader()) : null;
    this.api = mode !== 'local' && (options.apiReader || docker) ? (options.apiReader ?? createApiReader(docker!)) : null;
    if (mode === 'remote' && !this.api) throw new Error("stats mode 'remote' needs a docker client");
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => void this.tick(), this.opts.intervalMs);
    this.timer.unref?.();
    void this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    if (this.followUp) clearTimeout(this.followUp);
    this.timer = null;
    this.followUp = null;
    this.pendingFollowUp.clear();
    this.cgroup?.close();
  }

  /** Latest sample of a container, or null before its second reading. */
  latest(id: string): StatsSample | null {
    return this.tracked.get(id)?.ring.latest() ?? null;
  }

  /** Recent samples, oldest first. */
  history(id: string): StatsSample[] {
    return this.tracked.get(id)?.ring.toArray() ?? [];
  }

  /** Where the container's last reading came from, or null when not read yet. */
  source(id: string): StatsSource | null {
    return this.tracked.get(id)?.prevSource ?? null;
  }

  /**
   * One round now: reads every running container (or only `only`). When a round is
   * already running, waits for it instead and starts none.
   */
  tick(only?: ReadonlySet<string>): Promise<ReadonlySet<string>> {
    if (this.inFlight) return this.inFlight;
    const round = this.round(only).finally(() => {
      this.inFlight = null;
    });
    this.inFlight = round;
    return round;
  }

  private async round(only?: ReadonlySet<string>): Promise<ReadonlySet<string>> {
    const changed = new Set<string>();
    let list: readonly ContainerRef[];
    try {
      list = await this.opts.running();
    } catch {
      return changed;
    }
    const runningIds = new Set(list.map((c) => c.id));
    for (const id of this.tracked.keys()) {
      if (runningIds.has(id)) continue;
      this.tracked.delete(id);
      this.cgroup?.forget(id);
      changed.add(id);
    }

    const targets = only ? list.filter((c) => only.has(c.id)) : list;
    const localRefs: ContainerRef[] = [];
    const apiRefs: ContainerRef[] = [];
    for (const c of targets) {
      let t = this.tracked.get(c.id);
      if (!t) {
        t = { pid: c.pid, prev: null, prevSource: null, apiOnly: false, ring: new SampleRing(this.opts.history) };
        this.tracked.set(c.id, t);
      } else if (t.pid !== c.pid) {
        // Restarted: new cgroup, counters start again.
        Object.assign(t, { pid: c.pid, prev: null, prevSource: null, apiOnly: false });
        this.cgroup?.forget(c.id);
      }
      if (this.cgroup && !t.apiOnly && c.pid > 0) localRefs.push(c);
      else if (this.api) apiRefs.push(c);
    }

    const firstReadings = new Set<string>();
    const take = (id: string, raw: RawStats | null, source: StatsSource): void => {
      const t = this.tracked.get(id);
      if (!t || !raw) return;
      if (t.prev && t.prevSource === source) {
        t.ring.push(computeSample(t.prev, raw));
        changed.add(id);
      } else {
        firstReadings.add(id);
      }
      t.prev = raw;
      t.prevSource = source;
    };

    if (localRefs.length > 0 && this.cgroup) {
      const readings = await this.cgroup.readMany(localRefs);
      for (const c of localRefs) {
        const raw = readings.get(c.id) ?? null;
        if (raw) take(c.id, raw, 'local');
        else if (this.opts.mode === 'auto' && this.api) {
          const t = this.tracked.get(c.id);
          if (t) t.apiOnly = true;
          apiRefs.push(c);
        }
      }
    }
    if (apiRefs.length > 0 && this.api) {
      const api = this.api;
      const readings = await mapLimit(apiRefs, this.opts.concurrency, (c) => api.read(c.id));
      apiRefs.forEach((c, i) => take(c.id, readings[i], 'api'));
    }

    if (firstReadings.size > 0 && this.running) this.scheduleFollowUp(firstReadings);
    if (changed.size > 0) this.emit('update', changed);
    return changed;
  }

  /** Second reading of new containers soon after the first, so their figures appear quickly. */
  private scheduleFollowUp(ids: Iterable<string>): void {
    for (const id of ids) this.pendingFollowUp.add(id);
    if (this.followUp) return;
    this.followUp = setTimeout(() => {
      this.followUp = null;
      if (!this.running || this.pendingFollowUp.size === 0) return;
      if (this.inFlight) {
        this.scheduleFollowUp([]);
        return;
      }
      const only = new Set(this.pendingFollowUp);
      this.pendingFollowUp.clear();
      void this.tick(only);
    }, this.opts.firstIntervalMs);
    this.followUp.unref?.();
  }
}

/**
 * Two readings `gapMs` apart, one sample per running container: for one-shot commands
 * such as `berth ps`.
 */
export async function sampleOnce(
  options: Omit<StatsSamplerOptions, 'running'>,
  containers: readonly ContainerRef[],
  gapMs = 500,
): Promise<Map<string, StatsSample>> {
  const sampler = new StatsSampler({ ...options, running: () => containers });
  await sampler.tick();
  await new Promise((r) => setTimeout(r, gapMs));
  await sampler.tick();
  const out = new Map<string, StatsSample>();
  for (const c of containers) {
    const s = sampler.latest(c.id);
    if (s) out.set(c.id, s);
  }
  return out;
}

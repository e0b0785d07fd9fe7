// The engine's side of every dashboard: one per engine address in the server, shared by all
// clients that look at that engine. It owns the engine connection, the event watcher and the
// stats and GPU samplers, keeps the latest figures and the restart history, and hands each
// change to every attached dashboard store. A second client therefore costs the engine
// nothing more. Sampling runs only while at least one dashboard is attached.
import type { Engine } from '../engine/connection.js';
import type { ContainerInfo, EngineStatus } from '../engine/types.js';
import { EngineWatcher } from '../engine/watcher.js';
import { log } from '../logging.js';
import type { GpuSummary } from './gpuSummary.js';
import { LiveStats } from './liveStats.js';
import { NO_VULNS, VulnScans, type VulnView } from './vulnScans.js';
import { trackRestarts, type AppStore, type ContainerStats } from './store.js';

export interface SharedEngineState {
  engine: EngineStatus;
  containers: ContainerInfo[];
  restartHistory: Record<string, Array<[number, number]>>;
  stats: Record<string, ContainerStats>;
  gpu: GpuSummary | null;
  vulns: VulnView;
}

export class EngineHub {
  readonly watcher: EngineWatcher;
  private readonly live: LiveStats;
  private readonly stores = new Set<AppStore>();
  private state: SharedEngineState;
  private started = false;
  private gpuKey = 'null';
  private readonly scans: VulnScans;

  constructor(
    readonly engine: Engine,
    statsCfg: { interval_ms: number; history: number },
    scanCfg: { scan?: boolean; path?: string } = {},
  ) {
    this.watcher = new EngineWatcher(engine);
    this.state = { engine: this.watcher.status, containers: [], restartHistory: {}, stats: {}, gpu: null, vulns: NO_VULNS };
    this.scans = new VulnScans({ dockerHost: engine.address, enabled: scanCfg.scan, path: scanCfg.path, onChange: (vulns) => this.set({ vulns }) });
    this.live = new LiveStats(
      engine,
      this.watcher,
      {
        setStats: (stats) => this.set({ stats }),
        // the GPU summary is read every tick but rarely changes (never without a GPU tool)
        setGpu: (gpu) => {
          const key = JSON.stringify(gpu);
          if (key === this.gpuKey) return;
          this.gpuKey = key;
          this.set({ gpu });
        },
      },
      statsCfg,
    );
    this.watcher.on('status', (status) => this.set({ engine: status }));
    this.watcher.on('change', () => {
      const containers = [...this.watcher.containers.values()];
      this.set({ containers, restartHistory: trackRestarts(this.state.restartHistory, containers) });
      this.scans.update(containers);
    });
  }

  /** What every attached dashboard sees now. */
  get shared(): Readonly<SharedEngineState> {
    return this.state;
  }

  /** Whether the samplers run (some dashboard is attached). */
  get sampling(): boolean {
    return this.live.active;
  }

  get clients(): number {
    return this.stores.size;
  }

  private set(patch: Partial<SharedEngineState>): void {
    this.state = { ...this.state, ...patch };
    for (const s of this.stores) apply(s, patch);
  }

  private startWatcher(): void {
    if (this.started) return;
    this.started = true;
    this.watcher.start();
  }

  /**
   * A dashboard client is on its way (the server was started for it): list the containers
   * and take the first readings now, so its first frame has them. Sampling stops again when
   * no dashboard has attached within `ms`.
   */
  warm(ms = 10_000): void {
    this.startWatcher();
    if (this.live.active) return;
    this.live.start();
    setTimeout(() => {
      if (this.stores.size === 0 && this.live.active) this.live.stop();
    }, ms).unref();
  }

  /** A dashboard's store joins: it gets everything known now, then every change. Returns its leave. */
  attach(store: AppStore): () => void {
    this.startWatcher();
    apply(store, this.state);
    this.stores.add(store);
    if (!this.live.active) {
      log.info(`stats sampling on (${this.engine.address})`);
      this.live.start();
    }
    // image scans run while some dashboard is attached (not for a prewarm)
    this.scans.start();
    return () => {
      if (!this.stores.delete(store)) return;
      if (this.stores.size === 0) this.scans.stop();
      if (this.stores.size === 0 && this.live.active) {
        this.live.stop();
        log.info(`stats sampling off: no dashboard shows ${this.engine.address}`);
      }
    };
  }

  stop(): void {
    this.stores.clear();
    this.live.stop();
    this.scans.stop();
    this.watcher.stop();
  }
}

function apply(store: AppStore, patch: Partial<SharedEngineState>): void {
  const s = store.getState();
  if (patch.engine) s.setEngine(patch.engine);
  if (patch.containers) s.setContainers(patch.containers, patch.restartHistory);
  if (patch.stats) s.setStats(patch.stats);
  if ('gpu' in patch) s.setGpu(patch.gpu ?? null);
  if (patch.vulns) s.setVulns(patch.vulns);
}

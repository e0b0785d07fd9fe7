// Keeps a live map of the engine's containers: one full list at connect time, then only
// the containers named by the event stream are inspected again (throttled). Survives the
// engine going away and coming back: the stream ends, we say so, retry, and relist.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { log } from '../logging.js';
import { fromInspect, fromListEntry } from './containerInfo.js';
import { checkEngine, describeEngineError, type Engine } from './connection.js';
import { mapLimit } from './pool.js';
import type { ContainerInfo, EngineStatus } from './types.js';

/** Event actions that never change what the dashboard shows. */
const IGNORED = /^(exec_|top$|attach$|detach$|resize$|copy$|export$|commit$|archive-path$|extract-to-dir$)/;

export interface WatcherOptions {
  /** Events are gathered for this long before the named containers are inspected. */
  throttleMs?: number;
  /** Retry delays after the engine goes away, growing up to the last one. */
  retryMs?: number[];
  inspectConcurrency?: number;
  /** While connected, the engine is pinged this often… */
  probeMs?: number;
  /** …and counts as not answering when a ping takes longer than this. */
  probeTimeoutMs?: number;
}

export interface WatcherEvents {
  change: [containers: ReadonlyMap<string, ContainerInfo>];
  status: [status: EngineStatus];
}

export class EngineWatcher extends EventEmitter<WatcherEvents> {
  readonly containers = new Map<string, ContainerInfo>();
  status: EngineStatus;
  private stream: Readable | null = null;
  private dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = false;
  private generation = 0;
  private readonly throttleMs: number;
  private readonly retryMs: number[];
  private readonly concurrency: number;
  private readonly probeMs: number;
  private readonly probeTimeoutMs: number;
  private probeTimer: NodeJS.Timeout | null = null;
  /** A ping still waiting for its answer (a frozen engine never answers: one at a time). */
  private probing: Promise<unknown> | null = null;

  constructor(
    private readonly engine: Engine,
    opts: WatcherOptions = {},
  ) {
    super();
    this.throttleMs = opts.throttleMs ?? 75;
    this.retryMs = opts.retryMs ?? [250, 500, 1000, 2000, 4000];
    this.concurrency = opts.inspectConcurrency ?? 8;
    this.probeMs = opts.probeMs ?? 5000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 3000;
    this.status = { kind: 'connecting', address: engine.address };
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.flushTimer = this.retryTimer = this.probeTimer = null;
    this.closeStream();
  }

  /**
   * A frozen engine (SIGSTOP, a hung daemon) keeps its socket open and its event stream
   * quiet, so nothing else notices: a ping every probeMs that takes longer than
   * probeTimeoutMs marks it "not answering" until one is answered again.
   */
  private startProbe(gen: number): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = setInterval(() => {
      if (gen !== this.generation || this.stopped) return;
      const s = this.status;
      if (s.kind !== 'connected' && s.kind !== 'stalled') return;
      if (!this.probing) {
        const p = this.engine.docker.ping().then(
          () => {
            if (this.probing === p) this.probing = null;
            const now = this.status;
            if (gen === this.generation && now.kind === 'stalled') {
              log.info(`engine ${this.engine.address} answers again`);
              this.setStatus({ kind: 'connected', address: now.address, version: now.version, apiVersion: now.apiVersion });
            }
          },
          () => {
            // a refused connection ends the event stream too, which says so
            if (this.probing === p) this.probing = null;
          },
        );
        this.probing = p;
      }
      const pending = this.probing;
      setTimeout(() => {
        const now = this.status;
        if (this.probing !== pending || pending === null || gen !== this.generation || now.kind !== 'connected') return;
        log.warn(`engine ${this.engine.address} has not answered a ping for ${this.probeTimeoutMs} ms`);
        this.setStatus({ kind: 'stalled', address: now.address, version: now.version, apiVersion: now.apiVersion, since: Date.now() - this.probeTimeoutMs });
      }, this.probeTimeoutMs).unref();
    }, this.probeMs);
    this.probeTimer.unref();
  }

  /** Resolves once the first full list has been loaded (or the engine is found down). */
  ready(): Promise<void> {
    if (this.status.kind !== 'connecting') return Promise.resolve();
    return new Promise((resolve) => this.once('status', () => resolve()));
  }

  private setStatus(s: EngineStatus): void {
    this.status = s;
    this.emit('status', s);
  }

  private closeStream(): void {
    const s = this.stream;
    this.stream = null;
    if (s) {
      s.removeAllListeners();
      s.on('error', () => {});
      s.destroy();
    }
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    try {
      const v = await checkEngine(this.engine);
      if (gen !== this.generation) return;
      // Subscribe before listing, so nothing that happens in between is missed.
      const stream = (await this.engine.docker.getEvents({
        filters: { type: ['container'] },
      } as object)) as unknown as Readable;
      if (gen !== this.generation) {
        stream.destroy();
        return;
      }
      this.stream = stream;
      this.listenTo(stream, gen);
      const ids = await this.relist(gen);
      if (gen !== this.generation) return;
      this.attempt = 0;
      // connected first, then the new list: whoever sees the list sees a connected engine
      this.setStatus({ kind: 'connected', address: this.engine.address, version: v.version, apiVersion: v.apiVersion });
      this.emit('change', this.containers);
      this.startProbe(gen);
      log.info(`engine ${this.engine.address} connected (${v.version}), ${this.containers.size} containers`);
      // The list answer is enough for a first frame; the details (health, restarts, PID for
      // the stats) follow as the inspect answers come in, a few at a time.
      await mapLimit(ids, this.concurrency, (id) => this.refresh(id, gen));
      if (gen === this.generation) this.emit('change', this.containers);
    } catch (err) {
      if (gen !== this.generation) return;
      this.lost(err);
    }
  }

  private listenTo(stream: Readable, gen: number): void {
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) this.onEvent(line);
      }
    });
    const end = (err?: unknown) => {
      if (gen !== this.generation || this.stopped) return;
      this.lost(err ?? new Error('event stream closed by the engine'));
    };
    stream.on('end', () => end());
    stream.on('close', () => end());
    stream.on('error', (e) => end(e));
  }

  private onEvent(line: string): void {
    let ev: { Type?: string; Action?: string; id?: string; Actor?: { ID?: string } };
    try {
      ev = JSON.parse(line);
    } catch {
      return;
    }
    const id = ev.Actor?.ID ?? ev.id;
    const action = ev.Action ?? '';
    if (ev.Type !== 'container' || !id || IGNORED.test(action)) return;
    if (action === 'destroy') {
      this.dirty.delete(id);
      if (this.containers.delete(id)) this.emit('change', this.containers);
      return;
    }
    this.dirty.add(id);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => void this.flush(), this.throttleMs);
  }

  private async flush(): Promise<void> {
    this.flushTimer = null;
    const gen = this.generation;
    const ids = [...this.dirty];
    this.dirty.clear();
    await mapLimit(ids, this.concurrency, (id) => this.refresh(id, gen));
    if (gen === this.generation && ids.length) this.emit('change', this.containers);
  }

  private async refresh(id: string, gen: number): Promise<void> {
    try {
      const info = await this.engine.docker.getContainer(id).inspect();
      if (gen !== this.generation) return;
      this.containers.set(id, fromInspect(info));
    } catch (err) {
      if (gen !== this.generation) return;
      if ((err as { statusCode?: number }).statusCode === 404) this.containers.delete(id);
      else log.warn(`inspect ${id.slice(0, 12)}: ${describeEngineError(err)}`);
    }
  }

  /** Replaces the map with the engine's list (the caller says so); returns the ids to inspect. */
  private async relist(gen: number): Promise<string[]> {
    const list = await this.engine.docker.listContainers({ all: true });
    if (gen !== this.generation) return [];
    this.containers.clear();
    for (const entry of list) this.containers.set(entry.Id, fromListEntry(entry));
    return list.map((e) => e.Id);
  }

  private lost(err: unknown): void {
    this.closeStream();
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.probing = null;
    this.generation++;
    const msg = describeEngineError(err).replace(/^cannot reach the Docker engine at \S+: /, '');
    const since = this.status.kind === 'down' ? this.status.since : Date.now();
    if (this.status.kind !== 'down') log.warn(`engine ${this.engine.address} lost: ${msg}`);
    this.setStatus({ kind: 'down', address: this.engine.address, error: msg, since });
    if (this.stopped) return;
    const delay = this.retryMs[Math.min(this.attempt, this.retryMs.length - 1)]!;
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
  }
}

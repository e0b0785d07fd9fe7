// Background image scans for the dashboard, in the berth server: when Trivy or Grype is
// installed, the images of running containers are scanned one at a time, at the lowest CPU
// priority, newest container first; results are kept by image id and scanner database
// (ops/scan/cache.ts), so an image is scanned again only when it changes or the database
// does (the scanner is asked for its database every half hour). .trivyignore in a
// container's compose folder is honoured. Runs only while a dashboard is attached. No React.
import type { ContainerInfo } from '../engine/types.js';
import { log } from '../logging.js';
import type { SeverityCounts, Vuln } from '../ops/scan/report.js';
import type { Scanner } from '../ops/scan/scanner.js';

export interface ImageVulns {
  state: 'queued' | 'scanning' | 'done' | 'error';
  counts?: SeverityCounts;
  /** sorted, most severe first; ignores applied */
  vulns?: Vuln[];
  ignored?: number;
  error?: string;
  /** where the ignore rules came from */
  ignoreFile?: string | null;
}

export interface VulnView {
  /** the scanner in use; null with `problem` when there is none */
  scanner: { kind: string; version: string; db: string | null } | null;
  /** one line: no scanner, or no database */
  problem: string | null;
  byImage: Record<string, ImageVulns>;
}

export const NO_VULNS: VulnView = { scanner: null, problem: null, byImage: {} };

const scanOps = () => Promise.all([import('../ops/scan/scanOne.js'), import('../ops/scan/ignore.js')]);
const scannerOps = () => import('../ops/scan/scanner.js');

const RECHECK_MS = 30 * 60_000;

export class VulnScans {
  private view: VulnView = NO_VULNS;
  private scanner: Scanner | null = null;
  private checkedAt = 0;
  private running = false;
  private active = false;
  private queue: string[] = [];
  /** image id → a name to scan it by, and the folders its containers come from */
  private images = new Map<string, { name: string; dirs: Set<string> }>();
  private abort: AbortController | null = null;

  constructor(
    private readonly o: { dockerHost: string; onChange: (view: VulnView) => void; path?: string; enabled?: boolean; recheckMs?: number },
  ) {}

  get current(): VulnView {
    return this.view;
  }

  private set(patch: Partial<VulnView>): void {
    this.view = { ...this.view, ...patch };
    this.o.onChange(this.view);
  }

  private setImage(id: string, v: ImageVulns): void {
    this.set({ byImage: { ...this.view.byImage, [id]: v } });
  }

  start(): void {
    if (this.o.enabled === false || this.active) return;
    this.active = true;
    this.pump();
  }

  stop(): void {
    this.active = false;
    this.abort?.abort();
  }

  /** The containers now: their images join the queue (running ones, newest first). */
  update(containers: readonly ContainerInfo[]): void {
    if (this.o.enabled === false) return;
    const running = containers.filter((c) => c.state === 'running' && c.imageId).sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
    for (const c of running) {
      const id = c.imageId!;
      const dir = c.labels['com.docker.compose.project.working_dir'];
      const known = this.images.get(id) ?? { name: c.image, dirs: new Set<string>() };
      if (dir) known.dirs.add(dir);
      this.images.set(id, known);
      if (!this.view.byImage[id] && !this.queue.includes(id)) {
        this.queue.push(id);
        this.setImage(id, { state: 'queued' });
      }
    }
    this.pump();
  }

  private async ensureScanner(): Promise<Scanner | null> {
    if (this.checkedAt && Date.now() - this.checkedAt < (this.o.recheckMs ?? RECHECK_MS)) return this.scanner;
    const { findScanner, NO_SCANNER } = await scannerOps();
    const before = this.scanner?.db ?? null;
    this.scanner = await findScanner(this.o.path ?? process.env.PATH);
    this.checkedAt = Date.now();
    const s = this.scanner;
    this.set({ scanner: s ? { kind: s.kind, version: s.version, db: s.db } : null, problem: s ? s.dbProblem : NO_SCANNER });
    // a new database: every image again
    if (s && before !== null && s.db !== before) {
      log.info(`scan: ${s.kind} database changed (${before} → ${s.db}): scanning every image again`);
      this.queue = [...this.images.keys()];
      this.set({ byImage: Object.fromEntries(this.queue.map((id) => [id, { state: 'queued' as const }])) });
    }
    return s;
  }

  private pump(): void {
    if (this.running || !this.active) return;
    this.running = true;
    void this.work()
      .catch((e: Error) => log.warn(`scan: ${e.message}`))
      .finally(() => {
        this.running = false;
        if (this.active && this.queue.length) setTimeout(() => this.pump(), 1000).unref();
      });
  }

  private async work(): Promise<void> {
    const scanner = await this.ensureScanner();
    if (!scanner) {
      // nothing to scan with: the queue says so instead of waiting
      for (const id of this.queue.splice(0)) this.setImage(id, { state: 'error', error: this.view.problem ?? 'no scanner' });
      return;
    }
    const [{ scanOne }, { ignoreRules }] = await scanOps();
    while (this.active && this.queue.length) {
      const id = this.queue.shift()!;
      const img = this.images.get(id);
      if (!img) continue;
      const { rules, file } = ignoreRules([...img.dirs]);
      this.abort = new AbortController();
      const started = Date.now();
      const r = await scanOne(scanner, { image: img.name, id }, rules, { dockerHost: this.o.dockerHost, signal: this.abort.signal, onScanning: () => this.setImage(id, { state: 'scanning' }) });
      this.abort = null;
      if (r.error === 'cancelled') {
        this.queue.unshift(id);
        this.setImage(id, { state: 'queued' });
        return;
      }
      if (r.error) {
        log.warn(`scan ${img.name}: ${r.error}`);
        this.setImage(id, { state: 'error', error: r.error });
        if (r.noDb) {
          // every other image would fail the same way: said once, tried again at the next check
          this.set({ problem: r.error });
          for (const other of this.queue.splice(0)) this.setImage(other, { state: 'error', error: r.error });
          this.checkedAt = Date.now();
          this.scanner = null;
          return;
        }
        continue;
      }
      if (!r.cached) log.info(`scan ${img.name}: ${r.vulns!.length} findings in ${Date.now() - started} ms`);
      this.setImage(id, { state: 'done', counts: r.counts, vulns: r.vulns, ignored: r.ignored, ignoreFile: file });
    }
  }
}

// Backup, disk usage and prune from the dashboard: the state of their panels, the pure
// text the panels show, and the engine side (async, reporting to the status line). No React.
import { ProgressMeter } from '../lib/progress.js';
import { selectedScope } from './scope.js';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { UserError } from '../config/errors.js';
import { loadUserConfig } from '../config/userConfig.js';
import { archiveName, planBackup, runBackup, sourceKey, type BackupPlan, type Consistency } from '../ops/backup/backup.js';
import { backupDir } from '../ops/backup/paths.js';
import { latestBackup, listArchives } from '../ops/backup/retention.js';
import { decimalBytes, diskUsage, formatDiskUsage, type DiskUsage } from '../ops/diskUsage.js';
import { executePrune, planPrune, snapshotEngine, type PruneKind, type PrunePlan } from '../ops/prune/plan.js';
import { formatPlan } from '../ops/prune/run.js';
import { log } from '../logging.js';
import type { AppStore } from './store.js';

export type MaintPanel =
  | {
      kind: 'backup';
      target: string;
      plans: BackupPlan[] | null;
      error: string | null;
      consistency: Consistency;
      dump: boolean;
      dest: string;
      /** Agent panes in the containers stopped for the copy: they end with them. */
      panes?: Array<{ session: string; title: string; container: string }>;
    }
  | { kind: 'disk'; du: DiskUsage | null; error: string | null; scroll: number }
  | { kind: 'prune'; plan: PrunePlan | null; error: string | null; volumes: boolean; scroll: number };

export interface PanelLine {
  text: string;
  role?: 'heading' | 'dim' | 'error' | 'warning' | 'ok';
}

const DEFAULT_PRUNE: PruneKind[] = ['containers', 'images', 'networks', 'build-cache'];

/** The lines of the backup dialog: what is copied, stopped, copied live, dumped. */
export function backupLines(p: Extract<MaintPanel, { kind: 'backup' }>, when = new Date()): PanelLine[] {
  if (p.error) return [{ text: p.error, role: 'error' }];
  if (!p.plans) return [{ text: 'planning…', role: 'dim' }];
  const out: PanelLine[] = [];
  for (const plan of p.plans) {
    for (const t of plan.targets) {
      const src = t.source.kind === 'volume' ? `volume ${t.source.name}` : `folder ${t.source.path}`;
      out.push({ text: `copy ${src} -> ${path.join(p.dest, t.key, archiveName(t.key, when))}` });
    }
    for (const u of plan.stop) {
      out.push({ text: `stop ${u.name} for the copy, start it again after`, role: 'warning' });
      const panes = (p.panes ?? []).filter((x) => x.container === u.name);
      if (panes.length) {
        out.push({ text: `  its agent panes end with it and run again when it is back: ${panes.map((x) => `${x.session}: ${x.title}`).join(', ')}`, role: 'warning' });
      }
    }
    for (const u of plan.live) out.push({ text: `warning: ${u.name} keeps running: its data is copied live (may be inconsistent)`, role: 'warning' });
    for (const d of plan.dumps) out.push({ text: `dump: ${d.engine} in ${d.container.name} (${d.summary})` });
    for (const n of plan.notes) out.push({ text: `note: ${n}`, role: 'dim' });
  }
  return out;
}

/** The disk-usage view: `docker system df -v`. */
export function diskLines(p: Extract<MaintPanel, { kind: 'disk' }>, width = Infinity): PanelLine[] {
  if (p.error) return [{ text: p.error, role: 'error' }];
  if (!p.du) return [{ text: 'reading disk usage…', role: 'dim' }];
  return formatDiskUsage(p.du, true, width)
    .trimEnd()
    .split('\n')
    .map((text) => ({ text, role: /^(TYPE|Images space|Containers space|Local Volumes space|Build cache usage)/.test(text) ? ('heading' as const) : undefined }));
}

/** The prune preview: exactly what goes and what is kept. */
export function pruneLines(p: Extract<MaintPanel, { kind: 'prune' }>): PanelLine[] {
  if (p.error) return [{ text: p.error, role: 'error' }];
  if (!p.plan) return [{ text: 'planning…', role: 'dim' }];
  return formatPlan(p.plan).map((text) => ({
    text,
    role: /^\S/.test(text) ? ('heading' as const) : /^\s+keep /.test(text) ? ('dim' as const) : undefined,
  }));
}

/** Merges the plans of several volumes into one list of running containers to stop / copy live. */
function running(plans: BackupPlan[]): { stop: number; live: number } {
  const stop = new Set(plans.flatMap((p) => p.stop.map((u) => u.id)));
  const live = new Set(plans.flatMap((p) => p.live.map((u) => u.id)));
  return { stop: stop.size, live: live.size };
}

export class Maintenance {
  private abort: AbortController | null = null;

  constructor(
    private readonly docker: Dockerode,
    private readonly store: AppStore,
    /** The agent panes running in these containers (the dashboard's session host). */
    private readonly livePanes?: (containers: string[]) => Array<{ session: string; title: string; container: string }>,
  ) {}

  private say(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.getState().setMessage(text, kind);
  }

  private set(panel: MaintPanel | null): void {
    this.store.getState().patchUi({ maint: panel });
  }

  private patch(kind: MaintPanel['kind'], patch: Partial<MaintPanel>): void {
    const cur = this.store.getState().ui.maint;
    if (cur && cur.kind === kind) this.set({ ...cur, ...patch } as MaintPanel);
  }

  get running(): boolean {
    return this.abort !== null;
  }

  /** What B backs up: the selected container's named volumes, or the selected project. */
  private async backupTargets(): Promise<string[]> {
    const s = this.store.getState();
    const scope = selectedScope(s);
    let containerId: string;
    if (scope.kind === 'project') return [`project:${scope.name}`];
    if (scope.kind === 'container') containerId = scope.container.id;
    else if (scope.kind === 'gone') containerId = scope.id; // the engine says what is left
    else throw new UserError(scope.why === 'all' ? 'select one project (not "all") or a container to back up' : 'no container selected');
    const info = await this.docker.getContainer(containerId).inspect();
    const vols = (info.Mounts ?? []).filter((m) => m.Type === 'volume' && m.Name).map((m) => `volume:${m.Name}`);
    if (!vols.length) throw new UserError(`${info.Name.replace(/^\//, '')} has no named volumes to back up`);
    return vols;
  }

  /** B: the backup dialog, planned with the current options. */
  openBackup(): void {
    if (this.abort) return this.say('a backup is running; X cancels it', 'error');
    const config = loadUserConfig();
    const panel: MaintPanel = { kind: 'backup', target: '', plans: null, error: null, consistency: 'auto', dump: false, dest: backupDir(config) };
    this.set(panel);
    void this.replan();
  }

  private async replan(): Promise<void> {
    const cur = this.store.getState().ui.maint;
    if (!cur || cur.kind !== 'backup') return;
    try {
      const targets = await this.backupTargets();
      const config = loadUserConfig();
      const plans: BackupPlan[] = [];
      for (const t of targets) plans.push(await planBackup(this.docker, t, { projects: config.projects, consistency: cur.consistency, dump: cur.dump }));
      const panes = this.livePanes?.(plans.flatMap((p) => p.stop.map((u) => u.name))) ?? [];
      this.patch('backup', { plans, panes, target: targets.map((t) => t.replace(/^\w+:/, '')).join(', ') });
    } catch (err) {
      this.patch('backup', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** Answers of the backup dialog. */
  backupChoice(choice: 'yes' | 'dry' | 'no' | 'stop' | 'dump'): void {
    const p = this.store.getState().ui.maint;
    if (!p || p.kind !== 'backup') return;
    if (choice === 'stop') {
      const consistency: Consistency = p.consistency === 'stop' ? 'live' : 'stop';
      this.set({ ...p, consistency, plans: null, error: null });
      return void this.replan();
    }
    if (choice === 'dump') {
      this.set({ ...p, dump: !p.dump, plans: null, error: null });
      return void this.replan();
    }
    if (choice === 'no') {
      this.set(null);
      return this.say('backup cancelled');
    }
    if (!p.plans || p.error) return;
    this.set(null);
    if (choice === 'dry') {
      const r = running(p.plans);
      const n = p.plans.reduce((a, x) => a + x.targets.length, 0);
      return this.say(`dry run, nothing copied: ${n} source(s) of ${p.target}, ${r.stop} container(s) would stop, ${r.live} copied live`);
    }
    this.runBackups(p.plans, p.consistency, p.dump, p.dest);
  }

  private runBackups(plans: BackupPlan[], consistency: Consistency, dump: boolean, dest: string): void {
    const config = loadUserConfig();
    const abort = new AbortController();
    this.abort = abort;
    const s = this.store.getState();
    s.patchUi({ busy: s.ui.busy + 1 });
    let phase = 'backup: starting…';
    const eng = s.engine;
    const engine = eng.kind === 'connected' || eng.kind === 'stalled' ? { address: eng.address, version: eng.version } : undefined;
    const work = async () => {
      const files: string[] = [];
      for (const plan of plans) {
        const meter = new ProgressMeter();
        const results = await runBackup(this.docker, plan, {
          dest,
          consistency,
          dump,
          level: config.backup.level,
          signal: abort.signal,
          engine,
          onProgress: (pr) => {
            if (pr.phase === 'warning') return log.info(`backup: ${pr.message}`);
            if (pr.phase === 'done') return;
            phase = pr.phase === 'copy' && pr.bytes !== undefined ? `backup: copy ${pr.source ?? ''} ${meter.line({ bytes: pr.bytes, total: pr.total })}` : `backup: ${pr.message}`;
            this.say(`${phase}  (X cancels)`);
          },
        });
        for (const r of results) files.push(`${r.file} (${r.manifest.files} files, ${decimalBytes(r.manifest.bytes)})`);
      }
      return files;
    };
    void work()
      .then((files) => {
        log.info(`backup: ${files.join('; ')}`);
        this.say(`backup verified: ${files.join('; ')}`, 'ok');
      })
      .catch((err: unknown) => {
        const msg = abort.signal.aborted ? 'backup cancelled (temporary files removed, stopped containers started again)' : `backup failed: ${err instanceof Error ? err.message : String(err)}`;
        this.say(msg.replace(/\s*\n[\s\S]*$/, ''), 'error');
      })
      .finally(() => {
        this.abort = null;
        const st = this.store.getState();
        st.patchUi({ busy: Math.max(0, st.ui.busy - 1) });
      });
  }

  /** X: cancels the running backup. */
  cancelBackup(): void {
    if (!this.abort) return this.say('no backup running');
    this.say('cancelling the backup…');
    this.abort.abort();
  }

  /** U: the disk-usage view. */
  openDisk(): void {
    this.set({ kind: 'disk', du: null, error: null, scroll: 0 });
    diskUsage(this.docker).then(
      (du) => this.patch('disk', { du }),
      (err: unknown) => this.patch('disk', { error: `disk usage: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }

  /** P: the prune preview (volumes only when toggled). */
  openPrune(volumes = false): void {
    this.set({ kind: 'prune', plan: null, error: null, volumes, scroll: 0 });
    void this.planPrune(volumes).then(
      (plan) => this.patch('prune', { plan }),
      (err: unknown) => this.patch('prune', { error: `prune: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }

  /** The plan `berth prune` makes: known projects and recent backups protect volumes. */
  private async planPrune(volumes: boolean): Promise<PrunePlan> {
    const config = loadUserConfig();
    const archives = listArchives(backupDir(config));
    return planPrune(await snapshotEngine(this.docker), {
      kinds: volumes ? [...DEFAULT_PRUNE, 'volumes'] : DEFAULT_PRUNE,
      projects: config.projects,
      protectVolumes: config.backup.protect_volumes,
      lastBackup: (v) => latestBackup(archives, sourceKey({ kind: 'volume', name: v })),
      protectDays: config.backup.protect_days,
      now: new Date(),
    });
  }

  /** Answers of the prune preview. */
  pruneChoice(choice: 'yes' | 'no' | 'volumes'): void {
    const p = this.store.getState().ui.maint;
    if (!p || p.kind !== 'prune') return;
    if (choice === 'volumes') return this.openPrune(!p.volumes);
    if (choice === 'no') {
      this.set(null);
      return this.say('prune cancelled; nothing removed');
    }
    if (!p.plan) return;
    const plan = p.plan;
    this.set(null);
    if (!plan.items.length) return this.say('prune: nothing to remove');
    this.say(`pruning ${plan.items.length} object(s)…`);
    const s = this.store.getState();
    s.patchUi({ busy: s.ui.busy + 1 });
    void executePrune(this.docker, plan, {})
      .then((res) => {
        const failed = res.failed.length ? `; ${res.failed.length} failed: ${res.failed.map((f) => `${f.item.name}: ${f.error}`).join(', ')}` : '';
        this.say(`pruned ${res.removed.length} object(s), ${decimalBytes(res.reclaimed)} reclaimed${failed}`, res.failed.length ? 'error' : 'ok');
      })
      .catch((err: unknown) => this.say(`prune failed: ${err instanceof Error ? err.message : String(err)}`, 'error'))
      .finally(() => {
        const st = this.store.getState();
        st.patchUi({ busy: Math.max(0, st.ui.busy - 1) });
      });
  }

  close(): void {
    this.set(null);
  }
}

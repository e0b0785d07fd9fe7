// `berth backup` and `berth restore` for the command line: resolve the engine and the
// config, call the backend, print one line per step.
import path from 'node:path';
import { UserError } from '../../config/errors.js';
import { loadUserConfig } from '../../config/userConfig.js';
import { resolveEngine } from '../../engine/connection.js';
import { bytes } from '../../lib/format.js';
import { ProgressPrinter } from '../../lib/progress.js';
import { archiveName, planBackup, runBackup, sourceKey, type BackupPlan, type Consistency } from './backup.js';
import { applyRetention, listArchives, planRetention } from './retention.js';
import { backupDir } from './paths.js';
import { checkVolumeName, checkWritableDir } from './restorePolicy.js';
import { restoreArchive } from './restore.js';

export { backupDir };

export interface BackupCommandOptions {
  target?: string;
  dest?: string;
  stop?: boolean;
  live?: boolean;
  dryRun?: boolean;
  dump?: boolean;
  pruneOld?: boolean;
  keep?: number;
  level?: number;
  helperImage?: string;
  host?: string;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

export function describePlan(plan: BackupPlan, dest: string, when = new Date()): string[] {
  const lines = [`backup of ${plan.kind} ${plan.target}:`];
  for (const t of plan.targets) {
    const src = t.source.kind === 'volume' ? `volume ${t.source.name}` : `folder ${t.source.path}`;
    const users = t.users.length ? ` (used by ${t.users.map((u) => `${u.name}${u.running ? '' : ' (stopped)'}`).join(', ')})` : '';
    lines.push(`  ${src}${users} -> ${path.join(dest, t.key, archiveName(t.key, when))}`);
  }
  for (const u of plan.stop) lines.push(`  stop ${u.name} for the copy, start it again after`);
  for (const u of plan.live) lines.push(`  warning: ${u.name} keeps running: its data is copied live (use --stop for a consistent copy)`);
  for (const d of plan.dumps) lines.push(`  dump: ${d.engine} in ${d.container.name} (${d.summary})`);
  for (const n of plan.notes) lines.push(`  note: ${n}`);
  return lines;
}

export async function runBackupCommand(o: BackupCommandOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const say = (s: string) => out.write(s + '\n');
  if (o.stop && o.live) throw new UserError('--stop and --live exclude each other');
  if (!o.target && !o.pruneOld) throw new UserError('name a volume, a project or an absolute folder to back up (or use --prune-old)');
  const config = loadUserConfig();
  const dest = o.dest ? path.resolve(o.dest) : backupDir(config);
  const keep = o.keep ?? config.backup.keep;
  if (!Number.isInteger(keep) || keep < 1) throw new UserError('--keep must be a whole number >= 1');
  let keys: string[] | undefined;

  if (o.target) {
    const engine = await resolveEngine({ host: o.host, configHost: config.engine.host });
    const consistency: Consistency = o.stop ? 'stop' : o.live ? 'live' : 'auto';
    const plan = await planBackup(engine.docker, o.target, { projects: config.projects, consistency, dump: o.dump });
    keys = plan.targets.map((t) => sourceKey(t.source));
    const level = o.level ?? config.backup.level;
    if (!Number.isInteger(level) || level < 1 || level > 9) throw new UserError('--level must be a whole number from 1 to 9');
    if (o.dryRun) {
      for (const l of describePlan(plan, dest)) say(l);
      say('dry run: nothing was copied or stopped');
    } else {
      // Ctrl-C: stop copying, remove temporary files, start stopped containers again
      const abort = new AbortController();
      const onSignal = () => {
        err.write('berth: cancelling the backup (containers stopped for it are started again)\n');
        abort.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let results: Awaited<ReturnType<typeof runBackup>>;
      const bar = new ProgressPrinter(out as NodeJS.WritableStream & { isTTY?: boolean; columns?: number });
      try {
        results = await runBackup(engine.docker, plan, {
          dest,
          consistency,
          dump: o.dump,
          level,
          signal: abort.signal,
          helperImage: o.helperImage,
          engine: { address: engine.address, version: engine.version },
          onProgress: (p) => {
            if (p.phase === 'copy') return bar.update(`copying ${p.source ?? ''}`, { bytes: p.bytes ?? 0, total: p.total });
            bar.done();
            if (p.phase === 'warning') err.write(`berth: warning: ${p.message}\n`);
            else if (p.phase !== 'done') say(p.message);
          },
        });
      } finally {
        bar.done();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      for (const r of results) {
        const m = r.manifest;
        say(`${r.file}  ${m.files} files, ${bytes(m.bytes)} data, ${bytes(r.archiveBytes)} archive, ${m.consistency}${m.dumps.length ? `, dumps: ${m.dumps.map((d) => d.name).join(' ')}` : ''}, verified`);
      }
    }
  }
  if (o.pruneOld) {
    const plan = planRetention(listArchives(dest), keep, keys);
    if (!plan.remove.length) say(`retention: nothing to delete (keeping the newest ${keep} per volume in ${dest})`);
    for (const f of plan.remove) say(`${o.dryRun ? 'would delete' : 'delete'} ${f.file} (${bytes(f.size)})`);
    if (!o.dryRun) applyRetention(plan);
    else if (plan.remove.length) say(`dry run: ${plan.remove.length} archive(s) would be deleted, nothing was`);
  }
  return 0;
}

export interface RestoreCommandOptions {
  archive: string;
  to: string;
  force?: boolean;
  dest?: string;
  allowSpecial?: boolean;
  helperImage?: string;
  host?: string;
  json?: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

export async function runRestoreCommand(o: RestoreCommandOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const say = (s: string) => out.write(s + '\n');
  const config = loadUserConfig();
  // what the user typed is checked before the engine is asked anything
  checkVolumeName(o.to);
  const safetyDest = o.dest ? path.resolve(o.dest) : backupDir(config);
  if (o.force) checkWritableDir(safetyDest, o.dest ? '--dest' : '[backup] dir');
  const engine = await resolveEngine({ host: o.host, configHost: config.engine.host });
  const bar = new ProgressPrinter(out as NodeJS.WritableStream & { isTTY?: boolean; columns?: number });
  const r = await restoreArchive(engine.docker, path.resolve(o.archive), {
    volume: o.to,
    force: o.force,
    allowSpecial: o.allowSpecial,
    safetyDest,
    helperImage: o.helperImage,
    engine: { address: engine.address, version: engine.version },
    level: config.backup.level,
    onProgress: (p) => {
      if (p.phase === 'write' && p.total !== undefined) return o.json ? undefined : bar.update(`writing ${o.to}`, { bytes: p.bytes ?? 0, total: p.total });
      bar.done();
      if (p.phase === 'warning') err.write(`berth: warning: ${p.message}\n`);
      else if (!o.json) say(p.message);
    },
  });
  bar.done();
  if (o.json) {
    say(JSON.stringify({ volume: r.volume, created: r.created, recreated: r.recreated, safetyBackup: r.safetyBackup?.file ?? null, check: r.check }, null, 2));
  } else {
    if (r.safetyBackup) say(`safety backup: ${r.safetyBackup.file}`);
    for (const m of r.check.missing.slice(0, 20)) say(`  missing ${m.path}: ${m.problem}`);
    for (const d of r.check.different.slice(0, 20)) say(`  differs ${d.path}: ${d.problem}`);
    if (r.check.extra.length) say(`  ${r.check.extra.length} entries in the volume are not in the archive (kept from before)`);
  }
  if (!r.check.ok) {
    err.write(`berth: restore of ${o.to} does not match the archive (${r.check.missing.length} missing, ${r.check.different.length} different)\n`);
    return 1;
  }
  return 0;
}

// `berth backup --due`: runs exactly the [[backup.schedule]] entries that are due, one after
// the other, and applies each one's retention after its verified backup only. The clock is
// BERTH_NOW when set (an ISO time, for tests and for trying a schedule out), else the real one.
import fs from 'node:fs';
import { UserError } from '../../config/errors.js';
import { fileAt, locateKey } from '../../config/tomlLocate.js';
import type { UserConfig } from '../../config/schema.js';
import { resolveEngine } from '../../engine/connection.js';
import { bytes } from '../../lib/format.js';
import { planBackup, runBackup, sourceKey } from './backup.js';
import { backupDir } from './paths.js';
import { applyRetention, listArchives } from './retention.js';
import { checkDue, cronOf, scheduleRetention } from './schedule.js';

/** The clock of a --due run. */
export function dueNow(env: NodeJS.ProcessEnv = process.env): Date {
  const v = env.BERTH_NOW;
  if (!v) return new Date();
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UserError(`BERTH_NOW=${v}: not a time (use an ISO time like 2027-01-31T03:00:00)`);
  return d;
}

/** Every schedule's `when` checked, an error naming its line and column in the config file. */
export function checkSchedules(config: Pick<UserConfig, 'backup'>, file: string): void {
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // defaults: no schedules
  }
  config.backup.schedule.forEach((s, i) => {
    const c = cronOf(s.when);
    if ('error' in c) throw new UserError(`${fileAt(file, locateKey(text, ['backup', 'schedule', i, 'when']))}: backup.schedule[${i}].when: ${c.error}`);
  });
}

export interface DueOptions {
  config: UserConfig;
  configFile: string;
  host?: string;
  dryRun?: boolean;
  now?: Date;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  /** Passed to every backup (tests: the helper image and the labels of the test engine). */
  helperImage?: string;
  labels?: Record<string, string>;
}

const when = (d: Date | null) => (d ? d.toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z') : 'never');

export async function runDue(o: DueOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const say = (s: string) => out.write(`${s}\n`);
  const schedules = o.config.backup.schedule;
  if (!schedules.length) {
    say(`no [[backup.schedule]] in ${o.configFile}: nothing is ever due`);
    return 0;
  }
  checkSchedules(o.config, o.configFile);
  const now = o.now ?? dueNow();
  const engine = await resolveEngine({ host: o.host, configHost: o.config.engine.host });
  let failed = 0;
  for (const s of schedules) {
    const dest = backupDir({ backup: { ...o.config.backup, dir: s.dest ?? o.config.backup.dir } });
    const label = `${s.target} (${s.when})`;
    try {
      const consistency = s.mode;
      const plan = await planBackup(engine.docker, s.target, { projects: o.config.projects, consistency, dump: s.dump });
      const keys = plan.targets.map((t) => sourceKey(t.source));
      const due = checkDue(s.when, keys, listArchives(dest), now);
      if (!due.due) {
        say(`${label}: not due (newest ${when(due.newest)}, next ${when(due.at)})`);
        continue;
      }
      if (o.dryRun) {
        say(`${label}: due since ${when(due.at)} (${due.behind.join(', ')}): would back up to ${dest}`);
        continue;
      }
      say(`${label}: due since ${when(due.at)}: backing up ${due.behind.join(', ')}`);
      const results = await runBackup(engine.docker, plan, {
        dest,
        consistency,
        dump: s.dump,
        level: o.config.backup.level,
        now: () => now,
        helperImage: o.helperImage,
        labels: o.labels,
        engine: { address: engine.address, version: engine.version },
        onProgress: (p) => {
          if (p.phase === 'warning') err.write(`berth: warning: ${p.message}\n`);
        },
      });
      for (const r of results) say(`  ${r.file}  ${r.manifest.files} files, ${bytes(r.archiveBytes)}, verified`);
      // retention after the verified backup only, and only of this schedule's volumes
      const archives = listArchives(dest);
      for (const key of keys) {
        const gone = scheduleRetention(archives.get(key) ?? [], { keep: s.keep ?? o.config.backup.keep, keepDays: s.keep_days, now });
        for (const f of gone) say(`  retention: delete ${f.file} (${bytes(f.size)})`);
        applyRetention({ keep: [], remove: gone });
      }
    } catch (e) {
      failed++;
      err.write(`berth: ${label}: ${e instanceof Error ? e.message : String(e)} (its retention was not applied)\n`);
    }
  }
  return failed ? 1 : 0;
}

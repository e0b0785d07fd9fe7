// Backup schedules ([[backup.schedule]] in the config): when each is due, judged by the age
// of the newest archive of each volume it covers, and which archives its retention removes.
// Pure: the clock, the archives and the volumes are passed in. Cron expressions are parsed
// and walked by croner (a kept library; berth only turns "daily 03:00" into cron).
import { Cron } from 'croner';
import type { ArchiveFile } from './retention.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The cron expression of a `when`, or an error text that says what to write. */
export function cronOf(when: string): { cron: string } | { error: string } {
  const w = when.trim().toLowerCase();
  let cron: string;
  let m: RegExpExecArray | null;
  if (w === 'hourly') cron = '0 * * * *';
  else if ((m = /^daily(?: (\d{1,2}):(\d{2}))?$/.exec(w))) cron = `${Number(m[2] ?? 0)} ${Number(m[1] ?? 0)} * * *`;
  else if ((m = /^weekly(?: ([a-z]{3})[a-z]*)?(?: (\d{1,2}):(\d{2}))?$/.exec(w))) {
    const day = DAYS.indexOf(m[1] ?? 'sun');
    if (day < 0) return { error: `"${when}": a day like mon, tue … sun` };
    cron = `${Number(m[3] ?? 0)} ${Number(m[2] ?? 0)} * * ${day}`;
  } else cron = when.trim();
  try {
    new Cron(cron, { paused: true });
  } catch (e) {
    return { error: `"${when}": not hourly, daily HH:MM, weekly DAY HH:MM or a cron expression (${(e as Error).message})` };
  }
  return { cron };
}

function cronFor(when: string): Cron {
  const c = cronOf(when);
  if ('error' in c) throw new Error(c.error);
  return new Cron(c.cron, { paused: true });
}

/** The last time the schedule should have run, at or before `now` (local time). */
export function lastOccurrence(when: string, now: Date): Date | null {
  const c = cronFor(when);
  // a run exactly at `now` counts as the last one
  if (c.match(now)) return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  return c.previousRuns(1, now)[0] ?? null;
}

export function nextOccurrence(when: string, now: Date): Date | null {
  return cronFor(when).nextRun(now);
}

export interface DueCheck {
  due: boolean;
  /** The run it is due for (the last occurrence), or the next one when it is not due. */
  at: Date | null;
  /** The newest archive among the schedule's volumes' oldest-newest (the one that decides). */
  newest: Date | null;
  /** Volumes with no archive since the last occurrence. */
  behind: string[];
}

/**
 * A schedule is due when a volume it covers has no archive since the schedule's last
 * occurrence. Missed runs (the machine was off) make it due once: the archive it then
 * writes is newer than every occurrence before now.
 */
export function checkDue(when: string, keys: readonly string[], archives: Map<string, ArchiveFile[]>, now: Date): DueCheck {
  const last = lastOccurrence(when, now);
  const newestOf = (k: string) => archives.get(k)?.[0]?.time ?? null;
  const behind = keys.filter((k) => {
    const n = newestOf(k);
    return !n || (last !== null && n.getTime() < last.getTime());
  });
  const times = keys.map(newestOf);
  const newest = times.some((t) => t === null) ? null : new Date(Math.min(...times.map((t) => t!.getTime())));
  if (behind.length && last) return { due: true, at: last, newest, behind };
  return { due: false, at: nextOccurrence(when, now), newest, behind: [] };
}

/**
 * What a schedule's retention removes from one volume's archives (newest first): beyond the
 * newest `keep`, and older than `keepDays`; never the newest archive, which is verified.
 */
export function scheduleRetention(files: readonly ArchiveFile[], o: { keep: number; keepDays?: number; now: Date }): ArchiveFile[] {
  const sorted = [...files].sort((a, b) => b.time.getTime() - a.time.getTime());
  const cutoff = o.keepDays !== undefined ? o.now.getTime() - o.keepDays * 86_400_000 : -Infinity;
  return sorted.filter((f, i) => i > 0 && (i >= o.keep || f.time.getTime() < cutoff));
}

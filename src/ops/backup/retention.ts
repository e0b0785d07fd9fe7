// Retention: which archives of each source to keep (the newest N) and which to delete.
// Archives are found by name: <dest>/<key>/<key>-<stamp>[-tag].tar.gz. Pure planning plus
// a small file-system walk.
import fs from 'node:fs';
import path from 'node:path';
import { ARCHIVE_SUFFIX } from './archive.js';
import { sidecarsOf } from './sidecar.js';

export interface ArchiveFile {
  key: string;
  file: string;
  /** parsed from the name */
  time: Date;
  size: number;
}

const STAMP = /^(.+)-(\d{8}T\d{9}Z)(?:-[A-Za-z0-9-]+)?\.tar\.gz$/;

export function parseStamp(s: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(s);
  if (!m) return new Date(NaN);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!));
}

/** Recognises a finished archive name for `key` (temporary files start with a dot and never match). */
export function parseArchiveName(key: string, name: string): Date | null {
  const m = STAMP.exec(name);
  if (!m || m[1] !== key || name.startsWith('.')) return null;
  const d = parseStamp(m[2]!);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Every finished archive under dest, grouped by source key, newest first. */
export function listArchives(dest: string): Map<string, ArchiveFile[]> {
  const out = new Map<string, ArchiveFile[]>();
  let keys: string[];
  try {
    keys = fs.readdirSync(dest);
  } catch {
    return out;
  }
  for (const key of keys) {
    const dir = path.join(dest, key);
    let names: string[];
    try {
      if (!fs.statSync(dir).isDirectory()) continue;
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    const files: ArchiveFile[] = [];
    for (const n of names) {
      if (!n.endsWith(ARCHIVE_SUFFIX)) continue;
      const time = parseArchiveName(key, n);
      if (!time) continue;
      const file = path.join(dir, n);
      files.push({ key, file, time, size: fs.statSync(file).size });
    }
    if (files.length) out.set(key, files.sort((a, b) => b.time.getTime() - a.time.getTime() || b.file.localeCompare(a.file)));
  }
  return out;
}

export interface RetentionPlan {
  keep: ArchiveFile[];
  remove: ArchiveFile[];
}

/** Keep the newest `keep` archives of each key; the rest are removed. Pure. */
export function planRetention(archives: Map<string, ArchiveFile[]>, keep: number, onlyKeys?: readonly string[]): RetentionPlan {
  const plan: RetentionPlan = { keep: [], remove: [] };
  for (const [key, files] of archives) {
    if (onlyKeys && !onlyKeys.includes(key)) continue;
    const sorted = [...files].sort((a, b) => b.time.getTime() - a.time.getTime() || b.file.localeCompare(a.file));
    plan.keep.push(...sorted.slice(0, keep));
    plan.remove.push(...sorted.slice(keep));
  }
  return plan;
}

export function applyRetention(plan: RetentionPlan): string[] {
  const removed: string[] = [];
  for (const f of plan.remove) {
    // its manifest and dumps first: an archive never outlives its sidecars half-deleted
    for (const side of sidecarsOf(f.file)) fs.rmSync(side, { force: true });
    fs.rmSync(f.file, { force: true });
    removed.push(f.file);
  }
  return removed;
}

/** Newest archive time of a key, or null. */
export function latestBackup(archives: Map<string, ArchiveFile[]>, key: string): Date | null {
  return archives.get(key)?.[0]?.time ?? null;
}

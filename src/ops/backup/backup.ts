// Backup of a volume, a bind-mounted folder or every volume of a project. Backend only:
// takes a Dockerode and options, reports progress through a callback, never prints.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { UserError } from '../../config/errors.js';
import { MakeDirError, makeDirs } from '../../lib/makeDirs.js';
import { projectMembers } from '../../project/members.js';
import type { ProjectConfig } from '../../config/schema.js';
import { ARCHIVE_SUFFIX, syncDir, tempName, type SpooledFile } from './archive.js';
import { dumpCommand, execToFile } from './dump.js';
import { errorText, pickHelperImage, readArchive, removeLeftoverHelpers, sourceName, stopForCopy, usersOf, withHelper, type BackupSource, type Consistency, type VolumeUser } from './engine.js';
import { DUMP_DIR, FORMAT, type DumpRecord, type Manifest } from './manifest.js';
import { PlainScanner } from './plainArchive.js';
import { dumpFileOf, gzipStreamInto, manifestFileOf, verifySidecarArchive } from './sidecar.js';
import { TarFormatError, TarReader } from './tar.js';

export type { Consistency } from './engine.js';

export interface BackupProgress {
  phase: 'plan' | 'dump' | 'stop' | 'copy' | 'write' | 'verify' | 'start' | 'done' | 'warning';
  source?: string;
  /** bytes copied so far (phase copy) */
  bytes?: number;
  /** the source's size as the engine reports it (phase copy), when known */
  total?: number;
  message: string;
}

export interface BackupOptions {
  /** destination folder (archives go to <dest>/<key>/) */
  dest: string;
  consistency?: Consistency;
  dump?: boolean;
  /** gzip level, 1…9 */
  level?: number;
  /** image for helper containers (must be local); default: the users' image, then any local image */
  helperImage?: string;
  /** labels put on helper containers (tests label everything they create) */
  labels?: Record<string, string>;
  engine?: { address: string; version: string };
  /** archive name suffix, e.g. "pre-restore" */
  tag?: string;
  onProgress?: (p: BackupProgress) => void;
  now?: () => Date;
  /** abort the copy (Ctrl-C, a dashboard cancel key): temporary files are removed, stopped containers started again */
  signal?: AbortSignal;
}

export interface BackupTarget {
  source: BackupSource;
  /** folder and file name prefix of its archives */
  key: string;
  users: VolumeUser[];
}

export interface BackupPlan {
  /** what the user asked for */
  target: string;
  kind: 'volume' | 'bind' | 'project';
  targets: BackupTarget[];
  /** running containers that will be stopped for the copy and started again */
  stop: VolumeUser[];
  /** running containers whose data is copied live */
  live: VolumeUser[];
  /** containers a logical dump is taken from (--dump) */
  dumps: Array<{ container: VolumeUser; cmd: string[]; ext: string; engine: string; summary: string }>;
  /** things the plan leaves out (bind mounts of a project …) */
  notes: string[];
}

export interface BackupResult {
  source: string;
  file: string;
  manifest: Manifest;
  archiveBytes: number;
}

/** A file-system-safe key for a source: the volume name, or bind-<path with dashes>. */
export function sourceKey(source: BackupSource): string {
  if (source.kind === 'volume') return source.name.replace(/[^A-Za-z0-9_.-]/g, '_');
  const p = source.path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
  return `bind-${p || 'root'}`;
}

/** 2026-11-22T10:28:58.123Z -> 20261122T102858123Z (sorts by time) */
export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('.', '');
}

export function archiveName(key: string, when: Date, tag?: string): string {
  return `${key}-${stamp(when)}${tag ? `-${tag}` : ''}${ARCHIVE_SUFFIX}`;
}

/**
 * Resolves `target` (a volume name, an absolute host folder, or a project: a configured
 * one or a compose project label) into what will be backed up and which containers are
 * stopped. Prefixes volume:, project: and bind: remove ambiguity.
 */
export async function planBackup(
  docker: Dockerode,
  target: string,
  opts: { projects?: readonly ProjectConfig[]; consistency?: Consistency; dump?: boolean } = {},
): Promise<BackupPlan> {
  const consistency = opts.consistency ?? 'auto';
  let kind: BackupPlan['kind'];
  let name = target;
  const m = /^(volume|project|bind):(.+)$/.exec(target);
  const notes: string[] = [];
  let sources: BackupSource[] = [];
  const projectOf = async (p: string): Promise<{ sources: BackupSource[]; found: boolean }> => {
    const m = await projectMembers(docker, p, opts.projects ?? []);
    for (const b of m.binds) notes.push(`bind mount ${b} is not included (back it up with: berth backup ${b})`);
    return { sources: m.volumes.map((n) => ({ kind: 'volume' as const, name: n })), found: m.found };
  };
  const volumeExists = async (v: string) => {
    try {
      await docker.getVolume(v).inspect();
      return true;
    } catch {
      return false;
    }
  };
  if (m?.[1] === 'bind' || (!m && target.startsWith('/'))) {
    name = m ? m[2]! : target;
    if (!path.isAbsolute(name)) throw new UserError(`bind: needs an absolute path on the engine's host, got ${name}`);
    kind = 'bind';
    sources = [{ kind: 'bind', path: path.resolve(name) }];
  } else if (m?.[1] === 'volume') {
    name = m[2]!;
    if (!(await volumeExists(name))) throw new UserError(`no volume named ${name}`);
    kind = 'volume';
    sources = [{ kind: 'volume', name }];
  } else if (m?.[1] === 'project') {
    name = m[2]!;
    const p = await projectOf(name);
    if (!p.found) throw new UserError(`no project named ${name} (neither in the config nor a compose project on this engine)`);
    kind = 'project';
    sources = p.sources;
  } else {
    const isVol = await volumeExists(target);
    const p = await projectOf(target);
    if (isVol && p.found) throw new UserError(`${target} is both a volume and a project: say volume:${target} or project:${target}`);
    if (isVol) {
      kind = 'volume';
      sources = [{ kind: 'volume', name: target }];
    } else if (p.found) {
      kind = 'project';
      sources = p.sources;
    } else {
      throw new UserError(`${target}: no such volume or project (a host folder must be an absolute path)`);
    }
  }
  if (kind === 'project' && !sources.length) throw new UserError(`project ${name} has no volumes`);

  const targets: BackupTarget[] = [];
  for (const s of sources) targets.push({ source: s, key: sourceKey(s), users: await usersOf(docker, s) });
  // only the data of databases is stopped by default
  const { running: runningUsers, stop, live } = stopForCopy(targets.map((t) => t.users), consistency);
  const dumps: BackupPlan['dumps'] = [];
  if (opts.dump) {
    for (const u of runningUsers) {
      const d = dumpCommand(u.image);
      if (d) dumps.push({ container: u, cmd: d.cmd, ext: d.ext, engine: d.engine, summary: d.summary });
    }
    const stoppedDbs = targets.flatMap((t) => t.users).filter((u) => !u.running && dumpCommand(u.image));
    for (const u of stoppedDbs) notes.push(`no dump of ${u.name}: it is not running (the volume copy is consistent)`);
    if (!dumps.length && !stoppedDbs.length) notes.push('--dump: no running postgres, mysql, mariadb, mongo or redis container uses these volumes');
  }
  return { target, kind, targets, stop, live, dumps, notes };
}

/** The backup folder, created (0700) when missing; one line when it cannot be. */
function createDest(dir: string): void {
  try {
    makeDirs(dir, 0o700);
  } catch (e) {
    throw new UserError(`backup folder ${dir}: cannot create it (${e instanceof MakeDirError ? e.code : (e as Error).message})`);
  }
}

/** Backs up every target of the plan: dumps first (databases still running), then stop, copy, start. */
export async function runBackup(docker: Dockerode, plan: BackupPlan, opts: BackupOptions): Promise<BackupResult[]> {
  const progress = opts.onProgress ?? (() => {});
  const now = opts.now ?? (() => new Date());
  for (const u of plan.live) {
    progress({ phase: 'warning', message: `${u.name} is running: copying its data live (files changing during the copy may be inconsistent; use --stop for a consistent copy)` });
  }
  const leftovers = await removeLeftoverHelpers(docker);
  if (leftovers.length) progress({ phase: 'warning', message: `removed ${leftovers.length} helper container(s) an earlier berth left behind (${leftovers.join(', ')})` });
  const helperImage = opts.helperImage ?? (await pickHelperImage(docker, plan.targets.flatMap((t) => t.users.map((u) => u.image))));
  createDest(opts.dest);
  // the volumes' sizes as the engine counts them, for the copy's progress (one df call;
  // unknown for folders and when the engine does not say)
  const sizes = new Map<string, number>();
  if (plan.targets.some((t) => t.source.kind === 'volume')) {
    const df = (await docker.df().catch(() => null)) as { Volumes?: Array<{ Name: string; UsageData?: { Size?: number } }> } | null;
    for (const v of df?.Volumes ?? []) if ((v.UsageData?.Size ?? -1) >= 0) sizes.set(v.Name, v.UsageData!.Size!);
  }

  // dumps, while the databases run
  const dumpFiles = new Map<string, { spooled: SpooledFile; record: DumpRecord }>();
  const scratch: string[] = [];
  try {
    for (const d of plan.dumps) {
      if (opts.signal?.aborted) throw new UserError('backup cancelled');
      progress({ phase: 'dump', source: d.container.name, message: `dumping ${d.engine} in ${d.container.name}` });
      const name = `${d.container.name}.${d.ext}`;
      const file = tempName(opts.dest, d.container.name, 'dump');
      scratch.push(file);
      const r = await execToFile(docker, d.container.id, d.cmd, file);
      dumpFiles.set(d.container.id, {
        spooled: { name: `${DUMP_DIR}/${name}`, file, size: r.size, sha256: r.sha256 },
        record: { name, container: d.container.name, image: d.container.image, engine: d.engine, command: d.cmd, size: r.size, sha256: r.sha256 },
      });
    }

    const stopped: VolumeUser[] = [];
    const results: BackupResult[] = [];
    try {
      for (const u of plan.stop) {
        // a cancel stops no further container (those already stopped start again below)
        if (opts.signal?.aborted) throw new UserError('backup cancelled (nothing was kept; containers it had stopped are started again)');
        progress({ phase: 'stop', source: u.name, message: `stopping ${u.name} for a consistent copy` });
        try {
          await docker.getContainer(u.id).stop();
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 304) throw err;
        }
        stopped.push(u);
      }
      for (const t of plan.targets) {
        const myDumps = t.users.map((u) => dumpFiles.get(u.id)).filter((x): x is NonNullable<typeof x> => !!x);
        const running = t.users.filter((u) => u.running);
        const consistency: Manifest['consistency'] = running.length === 0 ? 'idle' : running.every((u) => stopped.includes(u)) ? 'stopped' : 'live';
        results.push(
          await backupSource(docker, t, {
            ...opts,
            helperImage,
            consistency,
            stoppedContainers: stopped.filter((u) => t.users.includes(u)).map((u) => u.name),
            dumps: myDumps,
            when: now(),
            total: t.source.kind === 'volume' ? sizes.get(t.source.name) : undefined,
          }),
        );
      }
    } finally {
      // start again what we stopped, also when the copy failed
      const problems: string[] = [];
      for (const u of stopped) {
        progress({ phase: 'start', source: u.name, message: `starting ${u.name} again` });
        try {
          await docker.getContainer(u.id).start();
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 304) problems.push(`${u.name}: ${errorText(err)}`);
        }
      }
      if (problems.length) progress({ phase: 'warning', message: `could not start again: ${problems.join('; ')}` });
    }
    return results;
  } finally {
    for (const f of scratch) fs.rmSync(f, { force: true });
  }
}

interface SourceOptions extends Omit<BackupOptions, 'consistency'> {
  helperImage: string;
  consistency: Manifest['consistency'];
  stoppedContainers: string[];
  dumps: Array<{ spooled: SpooledFile; record: DumpRecord }>;
  when: Date;
  /** the source's size, when known (progress) */
  total?: number;
}

/** Whether a failed copy looks like the engine's tar stream was cut by a file changing under it. */
function racedWithWriter(err: unknown): boolean {
  if (err instanceof TarFormatError) return true;
  const text = errorText(err);
  return /archive\/tar: write too long|truncated|unexpected EOF|premature close/i.test(text);
}

/** One source: copy through a helper container, gzip'd as it comes, into a temporary archive; verify, rename. */
async function backupSource(docker: Dockerode, t: BackupTarget, opts: SourceOptions): Promise<BackupResult> {
  const progress = opts.onProgress ?? (() => {});
  const name = sourceName(t.source);
  const dir = path.join(opts.dest, t.key);
  createDest(dir);
  const finalName = archiveName(t.key, opts.when, opts.tag);
  const final = path.join(dir, finalName);
  if (fs.existsSync(final)) throw new UserError(`${final} already exists`);
  const partial = tempName(dir, finalName, 'partial');
  /** temporary dumps and manifest beside the archive, removed unless renamed into place */
  const scratchFiles: string[] = [];
  /** One copy of the source through a helper, gzip'd into the archive file and scanned on the way. */
  const copyOnce = async () => {
    const scanner = new PlainScanner();
    const reader = new TarReader(scanner.onEntry);
    let lastReport = 0;
    const copied = await withHelper(docker, t.source, { image: opts.helperImage, readOnly: true, labels: opts.labels, purpose: 'backup' }, async (h) => {
      // the folder's contents (./…): the archive is what `tar czf x.tar.gz -C <volume> .` holds
      const stream = await readArchive(h, true);
      return gzipStreamInto(stream, partial, opts.level ?? 6, (c) => {
        if (opts.signal?.aborted) throw new UserError(`backup of ${name} cancelled (nothing was kept)`);
        return reader.write(c);
      }, (n) => {
        // four times a second: enough for a progress line, cheap for the copy
        const t = Date.now();
        if (t - lastReport >= 250) {
          lastReport = t;
          progress({ phase: 'copy', source: name, bytes: n, total: opts.total, message: `copying ${name}` });
        }
      });
    });
    reader.end();
    return { copied, summary: { root: '.', files: scanner.files, entries: scanner.list.length, bytes: scanner.bytes, entryList: scanner.list } };
  };
  try {
    progress({ phase: 'copy', source: name, bytes: 0, total: opts.total, message: `copying ${name}` });
    // A live copy can race with a writer (a file shrinks or grows while the engine reads it,
    // and its tar stream comes out cut short): try once more, then say what to do.
    let copy: Awaited<ReturnType<typeof copyOnce>>;
    try {
      copy = await copyOnce();
    } catch (err) {
      if (opts.signal?.aborted || opts.consistency !== 'live' || !racedWithWriter(err)) throw err;
      progress({ phase: 'warning', source: name, message: `the live copy of ${name} raced with a writer (${errorText(err)}); copying it once more` });
      fs.rmSync(partial, { force: true });
      try {
        copy = await copyOnce();
      } catch (again) {
        if (opts.signal?.aborted || !racedWithWriter(again)) throw again;
        throw new UserError(
          `backup of ${name} failed: the live copy raced with a writer twice (${errorText(again)}); nothing was kept. Stop what writes to it for the copy: berth backup … --stop`,
        );
      }
    }
    const { copied: both, summary } = copy;
    const copied = both.tar;
    const manifest: Manifest = {
      format: FORMAT,
      source: { kind: t.source.kind, name },
      volume: t.source.kind === 'volume' ? t.source.name : null,
      engine: opts.engine ?? { address: '', version: '' },
      createdAt: opts.when.toISOString(),
      consistency: opts.consistency,
      stoppedContainers: opts.stoppedContainers,
      root: summary.root,
      files: summary.files,
      entries: summary.entries,
      bytes: summary.bytes,
      payload: { name: '(the archive, decompressed)', size: copied.size, sha256: copied.sha256 },
      dumps: opts.dumps.map((d) => d.record),
      entryList: summary.entryList,
    };
    progress({ phase: 'copy', source: name, bytes: copied.size, total: Math.max(opts.total ?? 0, copied.size), message: `copied ${name}` });
    progress({ phase: 'write', source: name, bytes: copied.size, message: `writing ${finalName}` });
    // the archive is the engine's tar as it came, gzip'd (while it came); the manifest and the
    // dumps go beside it
    const written = both.archive;
    manifest.archive = { name: finalName, size: written.size, sha256: written.sha256 };
    const dumpTemps = opts.dumps.map((d) => ({ from: d.spooled.file, name: d.record.name, temp: tempName(dir, finalName, `dump-${d.record.name}`) }));
    for (const d of dumpTemps) {
      scratchFiles.push(d.temp);
      await fsp.copyFile(d.from, d.temp);
    }
    const manifestTemp = tempName(dir, finalName, 'manifest');
    scratchFiles.push(manifestTemp);
    await fsp.writeFile(manifestTemp, `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o600, flag: 'wx' });
    progress({ phase: 'verify', source: name, message: `verifying ${finalName}` });
    await verifySidecarArchive(partial, manifest, (n) => dumpTemps.find((d) => d.name === n)!.temp);
    // dumps, then the archive, then its manifest: an archive is never named with a manifest
    // that does not describe it
    for (const d of dumpTemps) await fsp.rename(d.temp, dumpFileOf(final, d.name));
    await fsp.rename(partial, final);
    await fsp.rename(manifestTemp, manifestFileOf(final));
    await syncDir(dir);
    const archiveBytes = (await fsp.stat(final)).size;
    progress({ phase: 'done', source: name, bytes: archiveBytes, message: `${final}: ${manifest.files} files, ${manifest.bytes} bytes` });
    return { source: name, file: final, manifest, archiveBytes };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC') throw new UserError(`backup of ${name} failed: no space left in ${dir} (nothing was kept; the source is untouched)`);
    if (err instanceof TarFormatError) throw new UserError(`backup of ${name} failed: the engine's copy is not a whole tar stream (${err.message}); nothing was kept`);
    if (e.code === 'EACCES' || e.code === 'EROFS') throw new UserError(`backup of ${name} failed: cannot write to ${dir} (${e.code})`);
    throw err;
  } finally {
    fs.rmSync(partial, { force: true });
    for (const f of scratchFiles) fs.rmSync(f, { force: true });
  }
}

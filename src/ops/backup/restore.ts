// Restore of an archive into a new or an empty volume (or, with force, over existing data
// after a safety backup). The archive is verified before anything is written, and the
// volume is read back and compared with the manifest afterwards.
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { UserError } from '../../config/errors.js';
import { readArchiveFile, verifyArchive, type VerifyReport } from './archive.js';
import { planBackup, runBackup, type BackupProgress, type BackupResult } from './backup.js';
import { errorText, HELPER_PARENT, pickHelperImage, readArchive, removeLeftoverHelpers, usersOf, withHelper, type Helper } from './engine.js';
import { compareEntries, PayloadScanner, type CompareResult, type Manifest } from './manifest.js';
import { checkVolumeName, refuseSpecial } from './restorePolicy.js';
import { TarReader } from './tar.js';

export interface RestoreProgress {
  phase: 'verify-archive' | 'inspect' | 'safety-backup' | 'create' | 'write' | 'verify' | 'rollback' | 'done' | 'warning';
  message: string;
  bytes?: number;
}

export interface RestoreOptions {
  volume: string;
  force?: boolean;
  /** where the safety backup goes (required with force when the volume has data) */
  safetyDest?: string;
  /** restore device nodes, setuid/setgid files and links leaving the volume (refused otherwise) */
  allowSpecial?: boolean;
  helperImage?: string;
  /** labels for created volumes and helper containers */
  labels?: Record<string, string>;
  engine?: { address: string; version: string };
  level?: number;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreResult {
  volume: string;
  created: boolean;
  /** the volume was removed and created again (forced restore, no container used it) */
  recreated: boolean;
  safetyBackup: BackupResult | null;
  archive: VerifyReport;
  check: CompareResult;
}

async function scanVolume(helper: Helper): Promise<PayloadScanner> {
  const scanner = new PayloadScanner();
  const reader = new TarReader(scanner.onEntry);
  const stream = await readArchive(helper);
  await new Promise<void>((resolve, reject) => {
    let chain = Promise.resolve();
    stream.on('data', (c: Buffer) => {
      stream.pause();
      chain = chain.then(() => reader.write(c)).then(() => void stream.resume(), reject);
    });
    stream.on('end', () => chain.then(resolve, reject));
    stream.on('error', reject);
  });
  reader.end();
  return scanner;
}

/** Entries in the volume other than its root folder (0 = empty). */
export async function volumeEntryCount(docker: Dockerode, volume: string, helperImage: string, labels?: Record<string, string>): Promise<number> {
  return withHelper(docker, { kind: 'volume', name: volume }, { image: helperImage, readOnly: true, labels, purpose: 'restore-check' }, async (h) => {
    const s = await scanVolume(h);
    return s.list.filter((e) => e.p !== '').length;
  });
}

/** Scan of a volume's current content, as a manifest entry list (for verification). */
export async function scanVolumeEntries(docker: Dockerode, volume: string, helperImage: string, labels?: Record<string, string>) {
  return withHelper(docker, { kind: 'volume', name: volume }, { image: helperImage, readOnly: true, labels, purpose: 'restore-check' }, async (h) => (await scanVolume(h)).list);
}

export async function restoreArchive(docker: Dockerode, file: string, opts: RestoreOptions): Promise<RestoreResult> {
  const progress = opts.onProgress ?? (() => {});
  progress({ phase: 'verify-archive', message: `verifying ${file}` });
  checkVolumeName(opts.volume);
  const report = await verifyArchive(file); // throws before anything is written
  const manifest = report.manifest;
  const special = refuseSpecial(file, manifest.entryList, opts.allowSpecial === true);
  if (special.length) progress({ phase: 'warning', message: `restoring ${special.length} special entries as asked (first: ${special[0]!.path}, ${special[0]!.why})` });

  progress({ phase: 'inspect', message: `checking volume ${opts.volume}` });
  const leftovers = await removeLeftoverHelpers(docker);
  if (leftovers.length) progress({ phase: 'warning', message: `removed ${leftovers.length} helper container(s) an earlier berth left behind (${leftovers.join(', ')})` });
  const helperImage = opts.helperImage ?? (await pickHelperImage(docker));
  let info: Dockerode.VolumeInspectInfo | null = null;
  try {
    info = await docker.getVolume(opts.volume).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
  let created = false;
  let recreated = false;
  let safety: BackupResult | null = null;
  if (info) {
    const count = await volumeEntryCount(docker, opts.volume, helperImage, opts.labels);
    if (count > 0) {
      if (!opts.force) throw new UserError(`volume ${opts.volume} is not empty (${count} entries): restore into a new volume, or use --force (a safety backup is taken first)`);
      const users = await usersOf(docker, { kind: 'volume', name: opts.volume });
      const running = users.filter((u) => u.running);
      if (running.length) throw new UserError(`volume ${opts.volume} is in use by running containers (${running.map((u) => u.name).join(', ')}): stop them first`);
      if (!opts.safetyDest) throw new UserError('a forced restore needs a folder for the safety backup');
      progress({ phase: 'safety-backup', message: `safety backup of ${opts.volume} before it is overwritten` });
      const plan = await planBackup(docker, `volume:${opts.volume}`, { consistency: 'live' });
      [safety] = await runBackup(docker, plan, {
        dest: opts.safetyDest,
        tag: 'pre-restore',
        helperImage,
        labels: opts.labels,
        engine: opts.engine,
        level: opts.level,
        onProgress: (p: BackupProgress) => progress({ phase: 'safety-backup', message: p.message }),
      });
      if (!users.length) {
        // nothing mounts it: make it empty by creating it again with the same settings
        progress({ phase: 'create', message: `emptying ${opts.volume} (removed and created again with the same driver, options and labels)` });
        await recreate(info);
        recreated = true;
      } else {
        progress({ phase: 'warning', message: `${opts.volume} is mounted by stopped containers (${users.map((u) => u.name).join(', ')}): files not in the archive stay in place` });
      }
    }
  } else {
    progress({ phase: 'create', message: `creating volume ${opts.volume}` });
    await docker.createVolume({ Name: opts.volume, Labels: { ...(opts.labels ?? {}), 'berth.restored-from': manifest.source.name } });
    created = true;
  }

  progress({ phase: 'write', message: `writing ${manifest.files} files (${manifest.bytes} bytes) into ${opts.volume}` });
  const check = await writeAndCheck(file, manifest).catch(async (err: unknown) => {
    // a volume this restore created is not left half-written
    if (created) await docker.getVolume(opts.volume).remove().catch(() => {});
    // one that had data is put back as it was: all or nothing
    if (safety) await rollBack(safety, err);
    throw err;
  });
  progress({
    phase: 'done',
    message: check.ok
      ? `restored ${opts.volume}: ${check.filesChecked} files match their checksums, ${check.checked} entries checked`
      : `restored ${opts.volume} with ${check.missing.length + check.different.length} differences`,
  });
  return { volume: opts.volume, created, recreated, safetyBackup: safety, archive: report, check };

  function writeAndCheck(from: string, m: Manifest): Promise<CompareResult> {
    return withHelper(docker, { kind: 'volume', name: opts.volume }, { image: helperImage, readOnly: false, labels: opts.labels, purpose: 'restore' }, async (h) => {
      await writePayload(from, m, h, root(m), progress);
      progress({ phase: 'verify', message: `reading ${opts.volume} back to compare with the manifest` });
      const scanned = await scanVolume(h);
      return compareEntries(m.entryList, scanned.list, { ignoreRoot: false });
    });
  }

  async function recreate(vol: Dockerode.VolumeInspectInfo): Promise<void> {
    await docker.getVolume(opts.volume).remove();
    await docker.createVolume({ Name: opts.volume, Driver: vol.Driver, DriverOpts: vol.Options ?? {}, Labels: vol.Labels ?? {} });
  }

  /** Puts the volume back from the safety backup after a failed write, and says what happened in one line. */
  async function rollBack(backup: BackupResult, cause: unknown): Promise<never> {
    const why = errorText(cause);
    progress({ phase: 'rollback', message: `writing into ${opts.volume} failed (${why}); putting its previous content back from ${backup.file}` });
    let back: CompareResult;
    try {
      if (recreated && info) await recreate(info);
      back = await writeAndCheck(backup.file, backup.manifest);
    } catch (again) {
      throw new UserError(
        `restore into ${opts.volume} failed (${why}), and putting back its previous content failed too (${errorText(again)}): the volume may be incomplete; the safety backup is ${backup.file} (berth restore ${backup.file} --to ${opts.volume} --force)`,
      );
    }
    const state = back.ok ? 'the volume holds its previous content again' : `the volume was put back with ${back.missing.length + back.different.length} differences`;
    throw new UserError(`restore into ${opts.volume} failed (${why}); nothing of the archive was kept: ${state}, from the safety backup ${backup.file} (kept)`);
  }
}

function root(m: Manifest): string {
  return m.root;
}

/** Streams payload.tar out of the archive into the helper (PUT archive), re-hashing it. */
async function writePayload(file: string, manifest: Manifest, helper: Helper, rootName: string, progress: (p: RestoreProgress) => void): Promise<void> {
  // The payload's entries are named <root>/…; the helper mounts the volume at /berth/volume.
  if (rootName !== 'volume') throw new UserError(`archive root "${rootName}" is not supported by this version`);
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  const hash = createHash('sha256');
  let size = 0;
  const put = helper.container.putArchive(body, { path: HELPER_PARENT });
  put.catch(() => {});
  const readDone = readArchiveFile(file, {
    payload: () => ({
      data: (c) => {
        hash.update(c);
        size += c.length;
        if (!body.write(c)) return new Promise<void>((r) => body.once('drain', () => r()));
      },
      end: () => {
        body.end();
      },
    }),
  }).catch((err: unknown) => {
    body.destroy(err as Error);
    throw err;
  });
  try {
    await readDone;
    const res = await put;
    // dockerode resolves with the response stream for PUT; drain it
    if (res && typeof (res as NodeJS.ReadableStream).resume === 'function') (res as NodeJS.ReadableStream).resume();
  } catch (err) {
    throw new UserError(`writing into the volume failed: ${errorText(err)}`);
  }
  progress({ phase: 'write', message: `wrote ${size} bytes`, bytes: size });
  if (size !== manifest.payload.size || hash.digest('hex') !== manifest.payload.sha256) {
    throw new UserError(`the archive changed while it was being restored (payload checksum differs); the volume may be incomplete`);
  }
}

// Restore of an archive into a new or an empty volume (or, with force, over existing data
// after a safety backup). The archive is verified before anything is written, and the
// volume is read back and compared with the manifest afterwards.
import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { UserError } from '../../config/errors.js';
import { readArchiveFile, verifyArchive, type VerifyReport } from './archive.js';
import { planBackup, runBackup, type BackupProgress, type BackupResult } from './backup.js';
import { applyRootEntry, drainResponse, errorText, HELPER_PARENT, HELPER_ROOT, pickHelperImage, readArchive, removeLeftoverHelpers, usersOf, withHelper, type Helper } from './engine.js';
import { compareEntries, FORMAT_V1, PayloadScanner, type CompareResult, type Manifest } from './manifest.js';
import { checkVolumeName, refuseSpecial } from './restorePolicy.js';
import { archiveKind, scanPlainArchive, tarStream, type PlainScan } from './plainArchive.js';
import { readSidecarManifest } from './sidecar.js';
import path from 'node:path';
import { TarReader } from './tar.js';

export interface RestoreProgress {
  phase: 'verify-archive' | 'inspect' | 'safety-backup' | 'create' | 'write' | 'verify' | 'rollback' | 'done' | 'warning';
  message: string;
  bytes?: number;
  /** with bytes, while writing: the whole */
  total?: number;
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
  /** berth's archives: the verification against the manifest; plain ones: null */
  archive: VerifyReport | null;
  /** a plain tar / tar.gz / tar.zst without a manifest: what it was */
  plain: PlainScan | null;
  check: CompareResult;
}

/** What is restored: its entries (to compare the volume with afterwards) and how it is written. */
interface RestoreSource {
  entryList: Manifest['entryList'];
  files: number;
  bytes: number;
  /** the label a created volume gets (berth.restored-from) */
  from: string;
  write(helper: Helper, progress: (p: RestoreProgress) => void): Promise<void>;
}

/** A verified berth archive: format 1 (one .tar.gz with the manifest inside) or 2 (the manifest beside it). */
function berthSource(file: string, m: Manifest): RestoreSource {
  if (m.format !== FORMAT_V1) {
    const scan: PlainScan = { kind: 'tar.gz', entryList: m.entryList, files: m.files, bytes: m.bytes, tarSha256: m.payload.sha256, tarSize: m.payload.size };
    return { ...plainSource(file, scan), from: m.source.name };
  }
  return { entryList: m.entryList, files: m.files, bytes: m.bytes, from: m.source.name, write: (h, progress) => writePayload(file, m, h, root(m), progress) };
}

function plainSource(file: string, scan: PlainScan): RestoreSource {
  return { entryList: scan.entryList, files: scan.files, bytes: scan.bytes, from: path.basename(file), write: (h, progress) => writePlain(file, scan, h, progress) };
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
  // berth's own archive is verified against its manifest; a plain tar / tar.gz / tar.zst is
  // read through for its structure, its compression's checksum and unsafe members; both
  // throw before anything is written
  // a manifest beside it: format 2, which archiveKind alone would take for a plain tar.gz
  const kind = readSidecarManifest(file) ? 'berth' : await archiveKind(file);
  let report: VerifyReport | null = null;
  let plain: PlainScan | null = null;
  let source: RestoreSource;
  if (kind === 'berth') {
    report = await verifyArchive(file);
    source = berthSource(file, report.manifest);
  } else {
    plain = await scanPlainArchive(file, kind);
    progress({ phase: 'warning', message: `${path.basename(file)} is a plain ${kind} without berth's manifest: its structure and ${kind === 'tar' ? 'tar headers' : 'compression checksum'} were checked, but nothing says what it should hold; the volume is compared with the archive after the restore` });
    source = plainSource(file, plain);
  }
  const special = refuseSpecial(file, source.entryList, opts.allowSpecial === true);
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
    await docker.createVolume({ Name: opts.volume, Labels: { ...(opts.labels ?? {}), 'berth.restored-from': source.from } });
    created = true;
  }

  progress({ phase: 'write', message: `writing ${source.files} files (${source.bytes} bytes) into ${opts.volume}` });
  const check = await writeAndCheck(source).catch(async (err: unknown) => {
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
  return { volume: opts.volume, created, recreated, safetyBackup: safety, archive: report, plain, check };

  function writeAndCheck(src: RestoreSource): Promise<CompareResult> {
    return withHelper(docker, { kind: 'volume', name: opts.volume }, { image: helperImage, readOnly: false, labels: opts.labels, purpose: 'restore' }, async (h) => {
      await src.write(h, progress);
      progress({ phase: 'verify', message: `reading ${opts.volume} back to compare with the ${report ? 'manifest' : 'archive'}` });
      const scanned = await scanVolume(h);
      return compareEntries(src.entryList, scanned.list, { ignoreRoot: false });
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
      back = await writeAndCheck(berthSource(backup.file, backup.manifest));
    } catch (again) {
      throw new UserError(
        `restore into ${opts.volume} failed (${why}), and putting back its previous content failed too (${errorText(again)}): the volume may be incomplete; the safety backup is ${backup.file} (berth restore ${backup.file} --to ${opts.volume} --force)`,
      );
    }
    const state = back.ok ? 'the volume holds its previous content again' : `the volume was put back with ${back.missing.length + back.different.length} differences`;
    throw new UserError(`restore into ${opts.volume} failed (${why}); nothing of the archive was kept: ${state}, from the safety backup ${backup.file} (kept)`);
  }
}

/** Streams a plain archive's tar into the volume (PUT archive at the volume's mount), re-hashing it. */
async function writePlain(file: string, scan: PlainScan, helper: Helper, progress: (p: RestoreProgress) => void): Promise<void> {
  const body = new PassThrough({ highWaterMark: 1 << 20 });
  const hash = createHash('sha256');
  let size = 0;
  const put = helper.container.putArchive(body, { path: `${HELPER_PARENT}/${HELPER_ROOT}` });
  put.catch(() => {});
  const source = tarStream(file, scan.kind);
  let shown = 0;
  try {
    for await (const c of source as AsyncIterable<Buffer>) {
      hash.update(c);
      size += c.length;
      if (Date.now() - shown >= 250) {
        shown = Date.now();
        progress({ phase: 'write', message: 'writing', bytes: size, total: scan.tarSize });
      }
      if (!body.write(c)) await new Promise<void>((r) => body.once('drain', () => r()));
    }
    body.end();
    drainResponse(await put);
  } catch (err) {
    body.destroy();
    throw new UserError(`writing into the volume failed: ${errorText(err)}`);
  }
  progress({ phase: 'write', message: 'writing', bytes: size, total: scan.tarSize });
  progress({ phase: 'write', message: `wrote ${size} bytes`, bytes: size });
  if (size !== scan.tarSize || hash.digest('hex') !== scan.tarSha256) throw new UserError('the archive changed while it was being restored; the volume may be incomplete');
  const rootEntry = scan.entryList.find((e) => e.p === '' && e.t === 'dir');
  if (rootEntry) await applyRootEntry(helper, rootEntry);
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
    drainResponse(await put);
  } catch (err) {
    throw new UserError(`writing into the volume failed: ${errorText(err)}`);
  }
  progress({ phase: 'write', message: `wrote ${size} bytes`, bytes: size });
  if (size !== manifest.payload.size || hash.digest('hex') !== manifest.payload.sha256) {
    throw new UserError(`the archive changed while it was being restored (payload checksum differs); the volume may be incomplete`);
  }
}

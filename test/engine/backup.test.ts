// Backup and restore against the private engine: a volume with thousands of files, a
// 200 MB file, symlinks, hard links, odd permissions and owners; damaged archives; a
// destination that fills up; stopping a database container for the copy; --dump.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { fingerprint as fingerprintOf, volumeExists as volumeExistsIn } from '../harness/volumes.js';
import { planBackup, runBackup, type BackupResult } from '../../src/ops/backup/backup.js';
import { ArchiveError, readArchiveFile, verifyArchive, writeArchiveFile } from '../../src/ops/backup/archive.js';
import { PayloadScanner, type Manifest } from '../../src/ops/backup/manifest.js';
import { PlainScanner } from '../../src/ops/backup/plainArchive.js';
import { sha256 as tarSha256, TarReader } from '../../src/ops/backup/tar.js';
import { END_OF_ARCHIVE, fileHeader, paddingFor } from '../helpers/tarBytes.js';
import { restoreArchive } from '../../src/ops/backup/restore.js';
import { runBackupCommand, runRestoreCommand } from '../../src/ops/backup/run.js';
import { UserError } from '../../src/config/errors.js';

let te: TestEngine;
let work: string;
const tag = `bk${process.pid}`;
const SRC = `${tag}-src`;
const SMALL = `${tag}-small`;
const MID = `${tag}-mid`;
const standin = `postgres:${tag}-standin`;
let mounted: string | null = null;

const fingerprint = (volume: string) => fingerprintOf(te, volume);
const fingerprintDir = (dir: string) => fingerprintOf(te, dir);
const volumeExists = (name: string) => volumeExistsIn(te, name);

const labelArgs = (extra: Record<string, string> = {}) => Object.entries({ ...te.labels, ...extra }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

beforeAll(async () => {
  te = await getTestEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-backup-'));
  await te.docker.createVolume({ Name: SRC, Labels: te.labels });
  await te.docker.createVolume({ Name: SMALL, Labels: te.labels });
  await te.docker.createVolume({ Name: MID, Labels: te.labels });
  await te.dockerCli(['run', '--rm', ...labelArgs(), '--network', 'none', '-v', `${MID}:/d`, te.image, 'sh', '-c', 'cd /d && dd if=/dev/urandom of=noise bs=1M count=12 2>/dev/null && mkdir a && echo x > a/x']);
  const fill =
    'set -e; cd /d; mkdir -p many empty/deeper "with space" sticky; ' +
    'i=0; while [ $i -lt 3000 ]; do echo "small file $i" > many/f$i; i=$((i+1)); done; ' +
    // 200 MiB: random head and tail around zeros (this suite runs on 2 slow cores: deflate of
    // 200 MiB of pure noise alone takes ~9 s there), so every byte position is still checked
    '{ dd if=/dev/urandom bs=1M count=16; dd if=/dev/zero bs=1M count=168; dd if=/dev/urandom bs=1M count=16; } > big 2>/dev/null; ' +
    'echo secret > "with space/ünïcødé file"; ' +
    'ln -s many/f1 rel-link; ln -s /etc/passwd abs-link; ln -s nowhere dangling; ln -s many dir-link; ln many/f2 hard-link; ' +
    'long=$(printf "n%.0s" $(seq 1 150)); echo long > "$long"; ' +
    'mkfifo fifo; ' +
    'echo a > owned; chown 1000:1000 owned; echo b > nobody; chown 65534:65534 nobody; chown 12345:54321 many/f7; ' +
    'chmod 4755 many/f3; chmod 000 many/f4; chmod 0400 many/f5; chmod 2750 empty; chmod 1777 sticky; chmod 0700 empty/deeper; ' +
    'chown 1000:1000 /d; chmod 0750 /d';
  await te.dockerCli(['run', '--rm', ...labelArgs(), '--network', 'none', '-v', `${SRC}:/d`, te.image, 'sh', '-c', fill]);
  await te.dockerCli(['run', '--rm', ...labelArgs(), '--network', 'none', '-v', `${SMALL}:/d`, te.image, 'sh', '-c', 'cd /d && mkdir sub && i=0; while [ $i -lt 50 ]; do echo "payload line $i" > sub/p$i; i=$((i+1)); done; ln -s sub/p1 l']);
}, 120_000);

afterAll(async () => {
  if (mounted) execFileSync('umount', [mounted]);
  await te?.dockerCli(['rmi', standin], { reject: false });
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('backup and restore of a large, awkward volume', () => {
  let result: BackupResult;
  let before: string[];

  it('backs up 3000 files, a 200 MB file, links, a fifo and odd owners into a verified 0600 archive', { timeout: 180_000 }, async () => {
    before = await fingerprint(SRC);
    expect(before.length).toBeGreaterThan(3000);
    const plan = await planBackup(te.docker, SRC);
    expect(plan.kind).toBe('volume');
    const phases: string[] = [];
    const t0 = Date.now();
    const copies: Array<{ bytes?: number; total?: number }> = [];
    [result] = (await runBackup(te.docker, plan, {
      dest: path.join(work, 'dest'),
      helperImage: te.image,
      labels: te.labels,
      level: 1,
      onProgress: (p) => {
        phases.push(p.phase);
        if (p.phase === 'copy') copies.push({ bytes: p.bytes, total: p.total });
      },
    })) as [BackupResult];
    // the copy's progress: the volume's size from the engine, then the bytes up to the end
    expect(copies[0]).toMatchObject({ bytes: 0, total: expect.any(Number) });
    expect(copies[0]!.total).toBeGreaterThan(200 * 1024 * 1024);
    expect(copies.at(-1)!.bytes).toBe(result.manifest.payload.size);
    const seconds = (Date.now() - t0) / 1000;
    expect(seconds).toBeLessThan(90); // seconds, not minutes, even on 2 loaded cores
    expect(phases).toEqual(expect.arrayContaining(['copy', 'write', 'verify', 'done']));
    const m = result.manifest;
    expect(m.files).toBe(3000 + 1 + 1 + 1 + 2); // many/*, big, "with space/…", long name, owned, nobody
    expect(m.bytes).toBeGreaterThan(200 * 1024 * 1024);
    expect(m.entryList.find((e) => e.p === 'big')).toMatchObject({ t: 'file', s: 200 * 1024 * 1024 });
    expect(m.entryList.find((e) => e.p === 'rel-link')).toMatchObject({ t: 'symlink', l: 'many/f1' });
    // the tar walk meets hard-link before many/f2: the second name is the link
    expect(m.entryList.find((e) => e.p === 'many/f2')).toMatchObject({ t: 'hardlink', l: 'hard-link' });
    expect(m.entryList.find((e) => e.p === 'many/f7')).toMatchObject({ u: 12345, g: 54321 });
    expect(m.entryList.find((e) => e.p === 'fifo')).toMatchObject({ t: 'fifo' });
    expect(m.entryList.find((e) => e.p === 'n'.repeat(150))).toBeTruthy();
    expect(m.entryList.find((e) => e.p === '')).toMatchObject({ t: 'dir', m: 0o750, u: 1000, g: 1000 });
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o600);
    expect(path.basename(result.file)).toMatch(new RegExp(`^${SRC}-\\d{8}T\\d{9}Z\\.tar\\.gz$`));
    // only the finished archive and its manifest are left in the folder
    expect(fs.readdirSync(path.dirname(result.file)).sort()).toEqual([path.basename(result.file), `${path.basename(result.file)}.manifest.json`]);
    expect(JSON.parse(fs.readFileSync(`${result.file}.manifest.json`, 'utf8'))).toMatchObject({ format: 'berth-backup/2', archive: { name: path.basename(result.file), size: fs.statSync(result.file).size } });
    // the archive is the volume's files alone, as tar -C <volume> . writes them
    const listing = execFileSync('tar', ['tzf', result.file], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim().split('\n');
    expect(listing[0]).toBe('./');
    expect(listing).toContain('./big');
    expect(listing).not.toContain('manifest.json');
  });

  it('a plain tar xzf of the archive into an empty folder gives the volume tree, byte for byte', { timeout: 180_000 }, async () => {
    const dir = path.join(work, 'untarred');
    fs.mkdirSync(dir);
    execFileSync('tar', ['xzpf', result.file, '-C', dir, '--same-owner', '--numeric-owner']);
    // the folder's own line (the mount point) aside, every entry and every checksum is the same
    const got = await fingerprintDir(dir);
    expect(got.filter((l) => !l.startsWith('.|'))).toEqual(before.filter((l) => !l.startsWith('.|')));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores into a new volume; every file, link, mode and owner matches', { timeout: 180_000 }, async () => {
    const target = `${tag}-restored`;
    // the volume holds an absolute link and setuid/setgid files: refused until asked for
    await expect(restoreArchive(te.docker, result.file, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(
      /: abs-link is a symbolic link to the absolute path \/etc\/passwd and 1 more; nothing was written\. Restore with --allow-special/,
    );
    expect(await volumeExists(target)).toBe(false);
    const t1 = Date.now();
    const r = await restoreArchive(te.docker, result.file, { volume: target, helperImage: te.image, labels: te.labels, allowSpecial: true });
    expect(Date.now() - t1).toBeLessThan(90_000);
    expect(r.created).toBe(true);
    expect(r.check.missing.slice(0, 3)).toEqual([]);
    expect(r.check.different.slice(0, 3)).toEqual([]);
    expect(r.check.ok).toBe(true);
    expect(r.check.filesChecked).toBe(result.manifest.files);
    expect(r.check.extra).toEqual([]);
    const after = await fingerprint(target);
    expect(after).toEqual(before);
    // and the source is as it was
    expect(await fingerprint(SRC)).toEqual(before);
  });
});

describe('damaged archives are refused before anything is written', () => {
  let small: BackupResult;
  beforeAll(async () => {
    const plan = await planBackup(te.docker, `volume:${SMALL}`);
    [small] = (await runBackup(te.docker, plan, { dest: path.join(work, 'small'), helperImage: te.image, labels: te.labels })) as [BackupResult];
  });

  it('verifies an intact archive', async () => {
    const v = await verifyArchive(small.file);
    expect(v.files).toBe(50);
    expect(v.payloadSha256).toBe(small.manifest.payload.sha256);
  });

  /** A copy of the small archive with its manifest beside it (the manifest as given, else as it was). */
  function copyWith(to: string, archive: Buffer, manifest = fs.readFileSync(`${small.file}.manifest.json`, 'utf8')): string {
    const file = path.join(work, to);
    fs.writeFileSync(file, archive);
    fs.writeFileSync(`${file}.manifest.json`, manifest);
    return file;
  }

  it('refuses a truncated archive and creates no volume', async () => {
    const buf = fs.readFileSync(small.file);
    const cut = copyWith('truncated.tar.gz', buf.subarray(0, Math.floor(buf.length * 0.6)));
    const target = `${tag}-from-truncated`;
    await expect(restoreArchive(te.docker, cut, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(ArchiveError);
    expect(await volumeExists(target)).toBe(false);
  });

  it('refuses an archive whose file content was changed (valid gzip and tar) and leaves an empty target empty', async () => {
    const raw = zlib.gunzipSync(fs.readFileSync(small.file));
    const at = raw.indexOf('payload line 42');
    expect(at).toBeGreaterThan(0);
    raw.write('PAYLOAD', at, 'latin1');
    const bad = copyWith('tampered.tar.gz', zlib.gzipSync(raw));
    const target = `${tag}-empty-target`;
    await te.docker.createVolume({ Name: target, Labels: te.labels });
    await expect(restoreArchive(te.docker, bad, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(/tampered\.tar\.gz: damaged or not a berth backup: its sha256 does not match the manifest/);
    expect(await fingerprint(target)).toEqual(['.|755|0|0|directory|.']);
  });

  it('refuses an archive whose manifest was edited (file count), before creating the volume', async () => {
    const m = JSON.parse(fs.readFileSync(`${small.file}.manifest.json`, 'utf8')) as Manifest;
    expect(m.files).toBe(50);
    const bad = copyWith('manifest-edited.tar.gz', fs.readFileSync(small.file), JSON.stringify({ ...m, files: 51 }));
    const target = `${tag}-from-edited`;
    await expect(restoreArchive(te.docker, bad, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(/manifest's counts \(51 files/);
    expect(await volumeExists(target)).toBe(false);
  });

  it("an archive in berth's first format (manifest.json and payload.tar inside one .tar.gz) is still verified and restored", async () => {
    const old = path.join(work, 'first-format.tar.gz');
    await firstFormatArchive(old, { 'a.txt': 'alpha\n', 'b.txt': 'beta\n' });
    expect((await verifyArchive(old)).files).toBe(2);
    const target = `${tag}-from-first-format`;
    const r = await restoreArchive(te.docker, old, { volume: target, helperImage: te.image, labels: te.labels });
    expect(r.check.ok).toBe(true);
    expect(r.plain).toBeNull();
    expect((await fingerprint(target)).filter((l) => / {2}\.\/(a|b)\.txt$/.test(l))).toEqual([`${await sha('alpha\n')}  ./a.txt`, `${await sha('beta\n')}  ./b.txt`]);
  });

  it('restore into a non-empty volume needs --force, which takes a safety backup first', async () => {
    const target = `${tag}-busy`;
    await te.docker.createVolume({ Name: target, Labels: te.labels });
    await te.dockerCli(['run', '--rm', ...labelArgs(), '-v', `${target}:/d`, te.image, 'sh', '-c', 'echo old > /d/old-file']);
    await expect(restoreArchive(te.docker, small.file, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(/not empty.*--force/);
    expect(await fingerprint(target)).toContain(`${await sha('old\n')}  ./old-file`);
    const safetyDest = path.join(work, 'safety');
    const r = await restoreArchive(te.docker, small.file, { volume: target, force: true, safetyDest, helperImage: te.image, labels: te.labels });
    expect(r.safetyBackup?.file).toMatch(/-pre-restore\.tar\.gz$/);
    expect(r.safetyBackup!.manifest.entryList.map((e) => e.p)).toContain('old-file');
    expect(r.recreated).toBe(true);
    expect(r.check.ok).toBe(true);
    expect(await fingerprint(target)).toEqual(await fingerprint(SMALL));
  });
});

/** A plain file entry of a tar payload. */
function fileEntry(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  return Buffer.concat([fileHeader(name, data.length, { mode: 0o644 }), data, paddingFor(data.length)]);
}

/** A berth archive like `from`, with `entries` added to its tar and its manifest (beside it) made to match. */
async function withExtraEntries(from: string, to: string, entries: Buffer[]): Promise<void> {
  let payload = zlib.gunzipSync(fs.readFileSync(from));
  while (payload.length >= 512 && payload.subarray(payload.length - 512).every((b) => b === 0)) payload = payload.subarray(0, payload.length - 512);
  payload = Buffer.concat([payload, ...entries, END_OF_ARCHIVE]);
  const scanner = new PlainScanner();
  const inner = new TarReader(scanner.onEntry);
  await inner.write(payload);
  inner.end();
  const manifest = JSON.parse(fs.readFileSync(`${from}.manifest.json`, 'utf8')) as Manifest;
  Object.assign(manifest, { files: scanner.files, entries: scanner.list.length, bytes: scanner.bytes, entryList: scanner.list });
  manifest.payload = { ...manifest.payload, size: payload.length, sha256: tarSha256(payload) };
  const gz = zlib.gzipSync(payload);
  fs.writeFileSync(to, gz);
  manifest.archive = { name: path.basename(to), size: gz.length, sha256: tarSha256(gz) };
  fs.writeFileSync(`${to}.manifest.json`, JSON.stringify(manifest));
}

/** An archive in berth's first format (one .tar.gz: manifest.json, payload.tar with volume/… names) of a few files. */
async function firstFormatArchive(to: string, files: Record<string, string>): Promise<void> {
  const payload = Buffer.concat([...Object.entries(files).map(([n, c]) => fileEntry(`volume/${n}`, c)), END_OF_ARCHIVE]);
  const scanner = new PayloadScanner();
  const inner = new TarReader(scanner.onEntry);
  await inner.write(payload);
  inner.end();
  const sum = scanner.summary();
  const manifest: Manifest = {
    format: 'berth-backup/1',
    source: { kind: 'volume', name: 'old' },
    volume: 'old',
    engine: { address: te.host, version: '20.10' },
    createdAt: new Date().toISOString(),
    consistency: 'idle',
    stoppedContainers: [],
    root: sum.root,
    files: sum.files,
    entries: sum.entries,
    bytes: sum.bytes,
    payload: { name: 'payload.tar', size: payload.length, sha256: tarSha256(payload) },
    dumps: [],
    entryList: sum.entryList,
  };
  const spool = path.join(work, `payload-${path.basename(to)}`);
  fs.writeFileSync(spool, payload);
  await writeArchiveFile(to, manifest, [{ name: 'payload.tar', file: spool, size: payload.length, sha256: manifest.payload.sha256 }], 1);
}

describe('restores that must not write what they are given', () => {
  /** A volume filled by `script` (run as root in the fixture), backed up. */
  async function archiveOf(name: string, script: string): Promise<BackupResult> {
    const vol = `${tag}-${name}`;
    await te.docker.createVolume({ Name: vol, Labels: te.labels });
    await te.dockerCli(['run', '--rm', ...labelArgs(), '--network', 'none', '-v', `${vol}:/d`, te.image, 'sh', '-c', `cd /d && ${script}`]);
    const plan = await planBackup(te.docker, `volume:${vol}`);
    const [r] = await runBackup(te.docker, plan, { dest: path.join(work, name), helperImage: te.image, labels: te.labels });
    return r!;
  }

  it('--to must be a volume name and --dest a writable folder, both checked before the engine is asked', async () => {
    const archive = path.join(work, 'none.tar.gz');
    await expect(runRestoreCommand({ archive, to: '/etc' })).rejects.toThrow(
      '--to "/etc" is not a volume name: use letters, digits, \'_\', \'.\' or \'-\', starting with a letter or digit (e.g. myproject_data)',
    );
    await expect(runRestoreCommand({ archive, to: 'ok-name', force: true, dest: '/proc/x' })).rejects.toThrow(/^--dest \/proc\/x: cannot create the folder \(ENOENT\)$/);
  });

  it('an escaping symlink (etc -> /etc, ../../../etc) is refused before anything is written', async () => {
    const a = await archiveOf('abslink', 'ln -s /etc etc && echo x > f');
    const target = `${tag}-from-abslink`;
    await expect(restoreArchive(te.docker, a.file, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(/: etc is a symbolic link to the absolute path \/etc; nothing was written/);
    expect(await volumeExists(target)).toBe(false);
    const b = await archiveOf('rellink', 'mkdir sub && ln -s ../../../etc sub/up && ln -s ../f sub/ok && echo x > f');
    await expect(restoreArchive(te.docker, b.file, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(/: sub\/up is a symbolic link leaving the volume \(\.\.\/\.\.\/\.\.\/etc\); nothing was written/);
    expect(await volumeExists(target)).toBe(false);
  });

  it('a device node and a setuid file are refused unless --allow-special', async () => {
    const a = await archiveOf('device', 'mknod null c 1 3 && chmod 666 null && echo x > f');
    const target = `${tag}-from-device`;
    await expect(restoreArchive(te.docker, a.file, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(/: null is a character device; nothing was written/);
    expect(await volumeExists(target)).toBe(false);
    const b = await archiveOf('setuid', 'echo x > f && chmod 4755 f');
    await expect(restoreArchive(te.docker, b.file, { volume: target, helperImage: te.image, labels: te.labels })).rejects.toThrow(/: f is setuid; nothing was written/);
    const r = await restoreArchive(te.docker, a.file, { volume: target, helperImage: te.image, labels: te.labels, allowSpecial: true });
    expect(r.check.ok).toBe(true);
    expect((await fingerprint(target)).find((l) => l.startsWith('./null|'))).toMatch(/^\.\/null\|666\|0\|0\|character special file\|/);
  });

  it('--force is all or nothing: when the engine refuses the write, the volume gets its old content back', async () => {
    // passes berth's checks; the engine refuses to write a file under what the archive made a file
    const base = await archiveOf('refused', 'echo new > new-file && mkdir sub && echo x > sub/plain');
    const bad = { file: path.join(work, 'under-a-file.tar.gz') };
    await withExtraEntries(base.file, bad.file, [fileEntry('./sub/plain/planted', 'under a file\n')]);
    expect((await verifyArchive(bad.file)).manifest.entryList.map((e) => e.p)).toContain('sub/plain/planted');
    const target = `${tag}-keep`;
    await te.docker.createVolume({ Name: target, Labels: te.labels });
    await te.dockerCli(['run', '--rm', ...labelArgs(), '-v', `${target}:/d`, te.image, 'sh', '-c', 'echo old > /d/old-file && mkdir /d/keep && echo 1 > /d/keep/one']);
    const before = await fingerprint(target);
    const safetyDest = path.join(work, 'safety-refused');
    const err = await restoreArchive(te.docker, bad.file, { volume: target, force: true, allowSpecial: true, safetyDest, helperImage: te.image, labels: te.labels }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    const safety = (fs.readdirSync(safetyDest, { recursive: true }) as string[]).find((f) => f.endsWith('-pre-restore.tar.gz'))!;
    expect(safety, err!.message).toBeDefined();
    expect(err!.message).toMatch(new RegExp(`^restore into ${target} failed \\(.+\\); nothing of the archive was kept: the volume holds its previous content again, from the safety backup ${path.join(safetyDest, safety).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(kept\\)$`));
    expect(err!.message.split('\n')).toHaveLength(1);
    expect(await fingerprint(target)).toEqual(before);
  });
});

async function sha(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

describe('a destination that fills up', () => {
  it('fails cleanly: no finished-looking file, source untouched, the stopped container runs again', async () => {
    const dir = path.join(work, 'tiny');
    fs.mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=5m', 'tmpfs', dir]);
    mounted = dir;
    await te.dockerCli(['tag', te.image, standin]);
    const db = `${tag}-db`;
    await te.dockerCli(['run', '-d', ...labelArgs(), '--stop-timeout', '1', '--name', db, '--network', 'none', '-v', `${MID}:/var/lib/postgresql/data`, standin, 'sleep', '600']);
    const startedBefore = (await te.docker.getContainer(db).inspect()).State.StartedAt;
    const before = await fingerprint(MID);
    const plan = await planBackup(te.docker, MID);
    expect(plan.stop.map((u) => u.name)).toEqual([db]); // a database image: stopped by default
    const phases: string[] = [];
    const err = await runBackup(te.docker, plan, { dest: dir, helperImage: te.image, labels: te.labels, level: 1, onProgress: (p) => phases.push(p.phase) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/no space left/);
    expect(phases).toEqual(expect.arrayContaining(['stop', 'start']));
    const left = fs.readdirSync(dir, { recursive: true }) as string[];
    expect(left.filter((f) => f.endsWith('.tar.gz'))).toEqual([]);
    expect(left.filter((f) => path.basename(f).startsWith('.'))).toEqual([]);
    const info = await te.docker.getContainer(db).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.State.StartedAt).not.toBe(startedBefore);
    expect(await fingerprint(MID)).toEqual(before);
    execFileSync('umount', [dir]);
    mounted = null;
  });
});

describe('cancelling', () => {
  it('a cancelled backup keeps nothing and leaves the source as it was', async () => {
    const dest = path.join(work, 'cancel');
    const abort = new AbortController();
    const plan = await planBackup(te.docker, MID);
    const p = runBackup(te.docker, plan, { dest, helperImage: te.image, labels: te.labels, signal: abort.signal, onProgress: (x) => x.phase === 'copy' && abort.abort() });
    await expect(p).rejects.toThrow(/cancelled/);
    expect((fs.readdirSync(dest, { recursive: true }) as string[]).filter((f) => !fs.statSync(path.join(dest, f)).isDirectory())).toEqual([]);
    // no helper container is left behind
    const helpers = await te.docker.listContainers({ all: true, filters: { label: ['berth.helper'] } });
    expect(helpers).toEqual([]);
  });
});

describe('what a crash, a cancel or a busy writer leaves', () => {
  it('helper containers a dead berth left behind are found and removed at the next start; a live one stays', async () => {
    const vol = `${tag}-leftover`;
    await te.docker.createVolume({ Name: vol, Labels: te.labels });
    const dead = spawnSync('true').pid!; // a pid that has exited
    const create = (name: string, owner: string) =>
      te.dockerCli(['create', '--name', name, ...labelArgs({ 'berth.helper': 'backup', 'berth.helper.owner': owner }), '--network', 'none', '-v', `${vol}:/berth/volume`, te.image, 'true']);
    await create(`${tag}-left-dead`, `${os.hostname()}:${dead}`);
    await create(`${tag}-left-live`, `${os.hostname()}:${process.pid}`);
    const said: string[] = [];
    const plan = await planBackup(te.docker, `volume:${vol}`);
    await runBackup(te.docker, plan, { dest: path.join(work, 'leftover'), helperImage: te.image, labels: te.labels, onProgress: (p) => said.push(p.message) });
    expect(said).toContain(`removed 1 helper container(s) an earlier berth left behind (${tag}-left-dead)`);
    const names = (await te.docker.listContainers({ all: true, filters: { label: ['berth.helper'] } })).map((c) => c.Names[0]);
    expect(names).toEqual([`/${tag}-left-live`]);
    await te.dockerCli(['rm', '-f', `${tag}-left-live`]);
  });

  it('a cancel while containers are being stopped stops no further one, and starts the stopped one again', async () => {
    const vol = `${tag}-two-users`;
    await te.docker.createVolume({ Name: vol, Labels: te.labels });
    const users = [`${tag}-user-a`, `${tag}-user-b`];
    for (const u of users) await te.dockerCli(['run', '-d', '--name', u, ...labelArgs(), '--network', 'none', '-v', `${vol}:/d`, te.image, 'sleep', '3600']);
    const started = async (u: string) => (await te.docker.getContainer(u).inspect()).State;
    const before = await Promise.all(users.map(started));
    const abort = new AbortController();
    const stops: string[] = [];
    const plan = await planBackup(te.docker, `volume:${vol}`, { consistency: 'stop' });
    expect(plan.stop.map((u) => u.name).sort()).toEqual([...users].sort());
    const p = runBackup(te.docker, plan, {
      dest: path.join(work, 'cancel-stop'),
      helperImage: te.image,
      labels: te.labels,
      signal: abort.signal,
      onProgress: (x) => {
        if (x.phase === 'stop') {
          stops.push(x.source!);
          abort.abort(); // Ctrl-C right after the first stop began
        }
      },
    });
    await expect(p).rejects.toThrow(/backup cancelled/);
    expect(stops).toHaveLength(1);
    const after = await Promise.all(users.map(started));
    expect(after.map((s) => s.Running)).toEqual([true, true]);
    // the other container was never stopped: same start time as before
    const other = users.findIndex((u) => u !== stops[0]);
    expect(after[other]!.StartedAt).toBe(before[other]!.StartedAt);
    for (const u of users) await te.dockerCli(['rm', '-f', u]);
  });

  it('a live copy that races with a writer is tried once more, then fails naming the volume and --stop', async () => {
    const vol = `${tag}-busy-writer`;
    await te.docker.createVolume({ Name: vol, Labels: te.labels });
    const writer = `${tag}-writer`;
    // rewrites (truncates, then fills) eight files in turn as fast as it can: a file shrinks
    // under the engine's reader in every copy, and its tar stream is cut short
    await te.dockerCli(['run', '-d', '--name', writer, ...labelArgs(), '--network', 'none', '-v', `${vol}:/d`, te.image, 'sh', '-c', 'while :; do for i in 1 2 3 4 5 6 7 8; do dd if=/dev/zero of=/d/f$i bs=1M count=16 2>/dev/null; done; done']);
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const said: string[] = [];
      const plan = await planBackup(te.docker, `volume:${vol}`, { consistency: 'live' });
      const err = await runBackup(te.docker, plan, { dest: path.join(work, 'busy'), helperImage: te.image, labels: te.labels, onProgress: (p) => said.push(p.message) }).then(
        () => null,
        (e: Error) => e,
      );
      expect(said.filter((m) => m.startsWith(`the live copy of ${vol} raced with a writer`))).toHaveLength(1);
      expect(err?.message).toMatch(new RegExp(`^backup of ${vol} failed: the live copy raced with a writer twice \\(.+\\); nothing was kept\\. Stop what writes to it for the copy: berth backup … --stop$`));
      expect((await te.docker.listContainers({ all: true, filters: { label: ['berth.helper'] } })).length).toBe(0);
    } finally {
      await te.dockerCli(['rm', '-f', writer]);
    }
  }, 120_000);
});

describe('--dump and the command line', () => {
  it('takes a logical dump through docker exec beside the volume copy (stand-in pg_dumpall)', async () => {
    const vol = `${tag}-pg`;
    await te.docker.createVolume({ Name: vol, Labels: te.labels });
    await te.dockerCli(['tag', te.image, standin]);
    const script =
      "mkdir -p /usr/local/bin && printf '#!/bin/sh\\necho \"-- stand-in pg_dumpall for $POSTGRES_USER: $*\"\\necho \"CREATE TABLE t();\"\\n' > /usr/local/bin/pg_dumpall && " +
      'chmod +x /usr/local/bin/pg_dumpall && echo data > /var/lib/postgresql/data/PG_VERSION && exec sleep 600';
    const name = `${tag}-pg1`;
    await te.dockerCli(['run', '-d', ...labelArgs(), '--stop-timeout', '1', '--name', name, '--network', 'none', '-e', 'POSTGRES_USER=app', '-v', `${vol}:/var/lib/postgresql/data`, standin, 'sh', '-c', script]);
    let ready = false;
    for (let i = 0; i < 50 && !ready; i++) {
      ready = (await te.dockerCli(['exec', name, 'test', '-x', '/usr/local/bin/pg_dumpall'], { reject: false })).exitCode === 0;
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(true);
    const plan = await planBackup(te.docker, vol, { dump: true });
    expect(plan.dumps.map((d) => d.engine)).toEqual(['postgres']);
    expect(plan.stop.map((s) => s.name)).toEqual([name]);
    const [r] = await runBackup(te.docker, plan, { dest: path.join(work, 'pg'), helperImage: te.image, labels: te.labels });
    expect(r!.manifest.dumps).toHaveLength(1);
    expect(r!.manifest.consistency).toBe('stopped');
    const v = await verifyArchive(r!.file);
    expect(v.dumps).toEqual([{ name: `${name}.sql`, ok: true }]);
    // the dump sits beside the archive, not in the volume's tree
    expect(execFileSync('tar', ['tzf', r!.file], { encoding: 'utf8' })).not.toContain('.sql');
    const text = fs.readFileSync(`${r!.file}.dump.${name}.sql`, 'utf8');
    expect(text).toBe('-- stand-in pg_dumpall for app: --clean --if-exists -U app\nCREATE TABLE t();\n');
    expect((await te.docker.getContainer(name).inspect()).State.Running).toBe(true);
  });

  it('a failing dump stops the backup before anything is stopped or written', async () => {
    const vol = `${tag}-pg2`;
    await te.docker.createVolume({ Name: vol, Labels: te.labels });
    await te.dockerCli(['tag', te.image, standin]);
    const name = `${tag}-pg2`;
    // no pg_dumpall in this container: the dump command fails with "not found"
    await te.dockerCli(['run', '-d', ...labelArgs(), '--stop-timeout', '1', '--name', name, '--network', 'none', '-v', `${vol}:/var/lib/postgresql/data`, standin, 'sleep', '600']);
    const startedAt = (await te.docker.getContainer(name).inspect()).State.StartedAt;
    const dest = path.join(work, 'pg2');
    const plan = await planBackup(te.docker, vol, { dump: true });
    await expect(runBackup(te.docker, plan, { dest, helperImage: te.image, labels: te.labels })).rejects.toThrow(/dump command exited with 127: .*pg_dumpall: not found/);
    expect((fs.readdirSync(dest, { recursive: true }) as string[]).filter((f) => !fs.statSync(path.join(dest, f)).isDirectory())).toEqual([]);
    const info = await te.docker.getContainer(name).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.State.StartedAt).toBe(startedAt);
  });

  it('berth backup --dry-run, --prune-old keeps the newest N', async () => {
    const dest = path.join(work, 'cli');
    const chunks: string[] = [];
    const out = { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream;
    await runBackupCommand({ target: SMALL, dest, dryRun: true, out, err: out, helperImage: te.image });
    expect(chunks.join('')).toMatch(/dry run: nothing was copied/);
    expect(fs.existsSync(dest)).toBe(false);
    for (let i = 0; i < 3; i++) await runBackupCommand({ target: SMALL, dest, out, err: out, helperImage: te.image });
    const dir = path.join(dest, SMALL);
    const archives = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tar.gz')).sort();
    const three = archives();
    expect(three).toHaveLength(3);
    // each with its manifest beside it
    expect(fs.readdirSync(dir)).toHaveLength(6);
    chunks.length = 0;
    await runBackupCommand({ dest, pruneOld: true, keep: 2, dryRun: true, out, err: out });
    expect(chunks.join('')).toContain(`would delete ${path.join(dir, three[0]!)}`);
    expect(archives()).toHaveLength(3);
    await runBackupCommand({ dest, pruneOld: true, keep: 2, out, err: out });
    // the oldest archive went with its manifest
    expect(fs.readdirSync(dir).sort()).toEqual(three.slice(1).flatMap((a) => [a, `${a}.manifest.json`]));
  });

  it('backs up a host folder (bind) and every volume of a compose project', async () => {
    const folder = path.join(work, 'host-data');
    fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'sub', 'notes.txt'), 'from the host\n');
    fs.symlinkSync('sub/notes.txt', path.join(folder, 'link'));
    const bind = await planBackup(te.docker, folder);
    expect(bind.kind).toBe('bind');
    const [b] = await runBackup(te.docker, bind, { dest: path.join(work, 'bind'), helperImage: te.image, labels: te.labels });
    expect(path.basename(path.dirname(b!.file))).toMatch(/^bind-/);
    expect(b!.manifest.entryList.find((e) => e.p === 'link')).toMatchObject({ t: 'symlink', l: 'sub/notes.txt' });
    const r = await restoreArchive(te.docker, b!.file, { volume: `${tag}-from-host`, helperImage: te.image, labels: te.labels });
    expect(r.check.ok).toBe(true);

    const proj = `${tag}-proj`;
    for (const v of ['a', 'b']) await te.dockerCli(['volume', 'create', ...labelArgs({ 'com.docker.compose.project': proj }), `${proj}_${v}`]);
    await te.dockerCli(['create', ...labelArgs({ 'com.docker.compose.project': proj }), '--name', `${proj}-app`, '-v', `${proj}_a:/a`, '-v', `${folder}:/host`, te.image, 'true']);
    const plan = await planBackup(te.docker, proj);
    expect(plan.kind).toBe('project');
    expect(plan.targets.map((t) => t.key)).toEqual([`${proj}_a`, `${proj}_b`]);
    expect(plan.notes.join()).toContain(`bind mount ${folder} is not included`);
    const results = await runBackup(te.docker, plan, { dest: path.join(work, 'proj'), helperImage: te.image, labels: te.labels });
    expect(results.map((x) => x.manifest.volume)).toEqual([`${proj}_a`, `${proj}_b`]);
    await expect(planBackup(te.docker, `${tag}-nothing-by-this-name`)).rejects.toThrow(/no such volume or project/);
  });
});

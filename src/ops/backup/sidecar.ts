// berth's archive format 2: the .tar.gz is exactly the volume's files (the engine's own tar
// of `<mount>/.`, gzip'd as it came), so a plain `tar xzf` restores it; the manifest
// (x.tar.gz.manifest.json, with the archive's own sha256) and database dumps
// (x.tar.gz.dump.<name>) sit beside it. The manifest is written last: an archive without
// one is still a plain tar.gz that restore takes.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { ArchiveError } from './archive.js';
import { manifestMismatch, manifestSchema, type Manifest } from './manifest.js';
import { PlainScanner } from './plainArchive.js';
import { TarReader } from './tar.js';
import { consumer } from './archive.js';

export const MANIFEST_SUFFIX = '.manifest.json';

export function manifestFileOf(archive: string): string {
  return `${archive}${MANIFEST_SUFFIX}`;
}

export function dumpFileOf(archive: string, name: string): string {
  return `${archive}.dump.${name}`;
}

/** The files that belong to an archive (its manifest, its dumps), for retention. */
export function sidecarsOf(archive: string): string[] {
  const dir = archive.slice(0, archive.lastIndexOf('/') + 1);
  const base = archive.slice(dir.length);
  try {
    return fs
      .readdirSync(dir || '.')
      .filter((n) => n === `${base}${MANIFEST_SUFFIX}` || n.startsWith(`${base}.dump.`))
      .map((n) => dir + n);
  } catch {
    return [];
  }
}

function damaged(file: string, why: string): ArchiveError {
  return new ArchiveError(`${file}: damaged or not a berth backup: ${why}`);
}

/** The manifest beside an archive, or null when there is none (a v1 archive, or a plain one). */
export function readSidecarManifest(archive: string): Manifest | null {
  let text: string;
  try {
    text = fs.readFileSync(manifestFileOf(archive), 'utf8');
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw damaged(manifestFileOf(archive), `not JSON (${(e as Error).message})`);
  }
  const res = manifestSchema.safeParse(json);
  if (!res.success) throw damaged(manifestFileOf(archive), `not a berth manifest (${res.error.issues[0]?.path.join('.')}: ${res.error.issues[0]?.message})`);
  return res.data;
}

/**
 * Streams the engine's tar `input` straight into the gzip'd archive `out` (created 0600,
 * must not exist; fsynced): one pass, no spool file. Every chunk of the tar is hashed and
 * handed to `tap` (the scanner that takes each file's sha256) before it is compressed, so the
 * hashing runs on the main thread while zlib compresses on its own. Returns the tar's and
 * the archive's size and sha256.
 */
export async function gzipStreamInto(
  input: NodeJS.ReadableStream,
  out: string,
  level: number,
  tap?: (chunk: Buffer) => Promise<void> | void,
  onBytes?: (n: number) => void,
): Promise<{ tar: { size: number; sha256: string }; archive: { size: number; sha256: string } }> {
  const tarHash = createHash('sha256');
  const fileHash = createHash('sha256');
  let tarSize = 0;
  let fileSize = 0;
  const gz = zlib.createGzip({ level, chunkSize: 1 << 17 });
  const counted = new Transform({
    transform(chunk: Buffer, _e, cb) {
      fileHash.update(chunk);
      fileSize += chunk.length;
      cb(null, chunk);
    },
  });
  let writeError: Error | null = null;
  const written = pipeline(gz, counted, fs.createWriteStream(out, { flags: 'wx', mode: 0o600 }));
  written.catch((e: Error) => (writeError = e));
  // room in the compressor again, or the write side failed (a full disk): never wait forever
  const room = () =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null) => {
        gz.off('drain', onDrain);
        gz.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => void written.then(() => done(new Error('the archive stream closed early')), (e: Error) => done(e));
      gz.once('drain', onDrain);
      gz.once('close', onClose);
    });
  try {
    await pipeline(
      input,
      consumer(
        async (chunk) => {
          tarHash.update(chunk);
          tarSize += chunk.length;
          if (tap) await tap(chunk);
          if (writeError) throw writeError;
          if (!gz.write(chunk)) await room();
          onBytes?.(tarSize);
        },
        () => void gz.end(),
      ),
    );
  } catch (err) {
    gz.destroy(err as Error);
    await written.catch(() => {});
    throw err;
  }
  await written;
  // on disk before it is named
  const fh = await fsp.open(out, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { tar: { size: tarSize, sha256: tarHash.digest('hex') }, archive: { size: fileSize, sha256: fileHash.digest('hex') } };
}

export interface SidecarReport {
  files: number;
  dumps: Array<{ name: string; ok: boolean }>;
  payloadSize: number;
  payloadSha256: string;
}

/**
 * Full check of a format-2 archive against its manifest: the file's size and sha256, the
 * tar's, every entry's fingerprint, the counts, every dump's sha256.
 */
export async function verifySidecarArchive(file: string, m: Manifest, dumpFile: (name: string) => string = (n) => dumpFileOf(file, n)): Promise<SidecarReport> {
  if (!m.archive) throw damaged(file, 'the manifest names no archive');
  const fileHash = createHash('sha256');
  const tarHash = createHash('sha256');
  let fileSize = 0;
  let tarSize = 0;
  const scanner = new PlainScanner();
  const reader = new TarReader(scanner.onEntry);
  try {
    const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    raw.on('data', (c) => {
      fileHash.update(c);
      fileSize += c.length;
    });
    for await (const c of raw.pipe(zlib.createGunzip()) as AsyncIterable<Buffer>) {
      tarHash.update(c);
      tarSize += c.length;
      await reader.write(c);
    }
    reader.end();
  } catch (e) {
    throw damaged(file, (e as Error).message);
  }
  if (fileSize !== m.archive.size || fileHash.digest('hex') !== m.archive.sha256) throw damaged(file, 'its sha256 does not match the manifest (tampered or corrupted)');
  const tarSha = tarHash.digest('hex');
  if (tarSize !== m.payload.size || tarSha !== m.payload.sha256) throw damaged(file, 'its tar does not match the manifest');
  if (scanner.unsafe.length) throw damaged(file, `${scanner.unsafe[0]!.path} is ${scanner.unsafe[0]!.why}`);
  const mismatch = manifestMismatch(m, scanner, 'archive');
  if (mismatch) throw damaged(file, mismatch);
  const dumps: SidecarReport['dumps'] = [];
  for (const d of m.dumps) {
    const h = createHash('sha256');
    let n = 0;
    try {
      for await (const c of fs.createReadStream(dumpFile(d.name)) as AsyncIterable<Buffer>) {
        h.update(c);
        n += c.length;
      }
    } catch {
      throw damaged(file, `dump ${d.name} is missing (${dumpFile(d.name)})`);
    }
    const ok = n === d.size && h.digest('hex') === d.sha256;
    if (!ok) throw damaged(file, `dump ${d.name}: its sha256 does not match the manifest`);
    dumps.push({ name: d.name, ok });
  }
  return { files: scanner.files, dumps, payloadSize: tarSize, payloadSha256: tarSha };
}

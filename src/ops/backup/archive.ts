// berth's first archive format (format 1): a gzip'd tar whose members are manifest.json
// (first), payload.tar (the engine's own tar of the volume, byte for byte) and optional
// dumps/<name>. berth writes format 2 now (sidecar.ts: the .tar.gz is the volume's files,
// the manifest beside it); format 1 archives are still read, verified and restored here.
// verifyArchive checks either format.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tarStream from 'tar-stream';
import { UserError } from '../../config/errors.js';
import { DUMP_DIR, manifestMismatch, MANIFEST_NAME, manifestSchema, PAYLOAD_NAME, PayloadScanner, type Manifest } from './manifest.js';
import { readSidecarManifest, verifySidecarArchive } from './sidecar.js';
import { TarReader, type EntrySink, type TarHeader } from './tar.js';

export const ARCHIVE_SUFFIX = '.tar.gz';

export interface SpooledFile {
  /** name inside the archive */
  name: string;
  file: string;
  size: number;
  sha256: string;
}

/** A Writable that feeds an async consumer chunk by chunk (backpressure through the promise). */
export function consumer(fn: (chunk: Buffer) => Promise<void> | void, final?: () => Promise<void> | void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      Promise.resolve(fn(chunk)).then(() => cb(), cb);
    },
    final(cb) {
      Promise.resolve(final?.()).then(() => cb(), cb);
    },
  });
}

/**
 * Streams `input` into `file` (created 0600, must not exist), hashing it as it goes and
 * handing every chunk to `tap` (e.g. a TarReader scanning the payload).
 */
export async function spool(
  input: NodeJS.ReadableStream,
  file: string,
  tap?: (chunk: Buffer) => Promise<void> | void,
  onBytes?: (n: number) => void,
): Promise<{ size: number; sha256: string }> {
  const fh = await fsp.open(file, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      input,
      consumer(async (chunk) => {
        hash.update(chunk);
        size += chunk.length;
        if (tap) await tap(chunk);
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
        onBytes?.(size);
      }),
    );
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { size, sha256: hash.digest('hex') };
}

/** Writes the archive to `file` (created 0600, must not exist) and fsyncs it; tar by tar-stream. */
export async function writeArchiveFile(file: string, manifest: Manifest, members: readonly SpooledFile[], level: number): Promise<void> {
  const fh = await fsp.open(file, 'wx', 0o600);
  try {
    const json = Buffer.from(JSON.stringify(manifest) + '\n');
    const mtime = new Date(Date.parse(manifest.createdAt));
    const pack = tarStream.pack();
    const fill = (async () => {
      await new Promise<void>((resolve, reject) => pack.entry({ name: MANIFEST_NAME, size: json.length, mode: 0o600, mtime }, json, (e) => (e ? reject(e) : resolve())));
      // a member whose size is not what the header says is an error of tar-stream's ("size mismatch")
      for (const m of members) await pipeline(fs.createReadStream(m.file, { highWaterMark: 1 << 20 }), pack.entry({ name: m.name, size: m.size, mode: 0o600, mtime }));
      pack.finalize();
    })().catch((e: Error) => {
      pack.destroy(e);
      throw e;
    });
    const write = pipeline(
      pack,
      zlib.createGzip({ level }),
      consumer(async (chunk) => {
        let off = 0;
        while (off < chunk.length) off += (await fh.write(chunk, off, chunk.length - off)).bytesWritten;
      }),
    );
    await Promise.all([fill, write]);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface ReadArchiveHooks {
  /** Called for payload.tar's data (after the manifest was read and validated). */
  payload?: (manifest: Manifest) => EntrySink | void;
  /** Called for every other member after the manifest. */
  member?: (header: TarHeader, manifest: Manifest) => EntrySink | void;
}

export class ArchiveError extends UserError {}

function damaged(file: string, why: string): ArchiveError {
  return new ArchiveError(`${file}: not a valid berth backup: ${why}`);
}

/**
 * Reads an archive file once: gunzip, outer tar, manifest first (validated), then the
 * members through the hooks. Throws ArchiveError on gzip or tar damage.
 */
export async function readArchiveFile(file: string, hooks: ReadArchiveHooks): Promise<Manifest> {
  let manifest: Manifest | null = null;
  let first = true;
  const reader = new TarReader((header) => {
    if (first) {
      first = false;
      if (header.path !== MANIFEST_NAME || header.type !== 'file') throw damaged(file, `the first member is ${header.path}, not ${MANIFEST_NAME}`);
      if (header.size > 256 << 20) throw damaged(file, 'the manifest is implausibly large');
      const chunks: Buffer[] = [];
      return {
        data: (c) => {
          chunks.push(Buffer.from(c));
        },
        end: () => {
          let raw: unknown;
          try {
            raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            throw damaged(file, 'the manifest is not JSON');
          }
          const res = manifestSchema.safeParse(raw);
          if (!res.success) throw damaged(file, `the manifest does not match ${'berth-backup/1'}: ${res.error.issues[0]?.path.join('.')} ${res.error.issues[0]?.message}`);
          manifest = res.data;
        },
      };
    }
    if (!manifest) throw damaged(file, 'the manifest is incomplete');
    if (header.path === PAYLOAD_NAME) return hooks.payload?.(manifest);
    return hooks.member?.(header, manifest);
  });
  try {
    await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), zlib.createGunzip(), consumer((c) => reader.write(c)));
    reader.end();
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') throw new UserError(`${file}: cannot read (${e.code})`);
    if (e.code?.startsWith('Z_') || e.code === 'ERR_STREAM_PREMATURE_CLOSE') throw damaged(file, `gzip: ${e.message}`);
    throw damaged(file, e.message);
  }
  if (!manifest) throw damaged(file, 'empty archive');
  return manifest;
}

export interface VerifyReport {
  manifest: Manifest;
  payloadSize: number;
  payloadSha256: string;
  /** per-file check of the payload against the manifest's entry list */
  files: number;
  dumps: Array<{ name: string; ok: boolean }>;
}

/**
 * Full check of an archive before anything is restored from it: gzip and tar integrity,
 * payload size and sha256, every entry's fingerprint against the manifest, dump checksums.
 */
export async function verifyArchive(file: string): Promise<VerifyReport> {
  // format 2: a plain tar.gz with its manifest beside it
  const side = readSidecarManifest(file);
  if (side) {
    const r = await verifySidecarArchive(file, side);
    return { manifest: side, payloadSize: r.payloadSize, payloadSha256: r.payloadSha256, files: r.files, dumps: r.dumps };
  }
  const hash = createHash('sha256');
  let size = 0;
  let sawPayload = false;
  const scanner = new PayloadScanner();
  const inner = new TarReader(scanner.onEntry);
  const dumps: Array<{ name: string; ok: boolean }> = [];
  const manifest = await readArchiveFile(file, {
    payload: () => {
      sawPayload = true;
      return {
        data: async (c) => {
          hash.update(c);
          size += c.length;
          await inner.write(c);
        },
        end: () => inner.end(),
      };
    },
    member: (header, m) => {
      if (!header.path.startsWith(`${DUMP_DIR}/`)) return;
      const rec = m.dumps.find((d) => `${DUMP_DIR}/${d.name}` === header.path);
      const h = createHash('sha256');
      return {
        data: (c) => {
          h.update(c);
        },
        end: () => {
          dumps.push({ name: header.path, ok: !!rec && rec.sha256 === h.digest('hex') && rec.size === header.size });
        },
      };
    },
  });
  if (!sawPayload) throw damaged(file, `${PAYLOAD_NAME} is missing`);
  const sha = hash.digest('hex');
  if (size !== manifest.payload.size) throw damaged(file, `payload is ${size} bytes, the manifest says ${manifest.payload.size}`);
  if (sha !== manifest.payload.sha256) throw damaged(file, 'payload sha256 does not match the manifest (tampered or corrupted)');
  if (scanner.unsafe.length) throw damaged(file, `payload has entries outside its top folder (${scanner.unsafe[0]})`);
  if (scanner.root !== null && scanner.root !== manifest.root) throw damaged(file, `payload top folder is ${scanner.root}, the manifest says ${manifest.root}`);
  const mismatch = manifestMismatch(manifest, scanner, 'payload');
  if (mismatch) throw damaged(file, mismatch);
  for (const d of manifest.dumps) {
    if (!dumps.some((x) => x.name === `${DUMP_DIR}/${d.name}` && x.ok)) throw damaged(file, `dump ${d.name} is missing or its sha256 does not match`);
  }
  return { manifest, payloadSize: size, payloadSha256: sha, files: scanner.files, dumps };
}

/** Reads just the manifest (stops reading after it is parsed). */
export async function readManifest(file: string): Promise<Manifest> {
  const stop = new Error('stop');
  let found: Manifest | null = null;
  try {
    found = await readArchiveFile(file, {
      payload: (m) => {
        found = m;
        throw stop;
      },
    });
  } catch (err) {
    if (err !== stop && !(err instanceof ArchiveError && found)) throw err;
  }
  if (!found) throw damaged(file, 'no manifest');
  return found;
}

/** fsync a directory so a rename in it is durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function tempName(dir: string, base: string, what: string): string {
  return path.join(dir, `.${base}.${what}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
}

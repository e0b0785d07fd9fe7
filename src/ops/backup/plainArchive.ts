// Archives that are not berth's: a plain tar, tar.gz or tar.zst of a volume's files, as the
// recipes people already use make them (`tar czf x.tar.gz -C /data .`). They have no
// manifest, so a restore can only check what the archive itself carries: its structure,
// gzip's CRC (or zstd's checksum), and that no member could land outside the volume. It
// reads the archive once to check and fingerprint it, then once more to write it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { UserError } from '../../config/errors.js';
import { hashInto, type ManifestEntry } from './manifest.js';
import { TarReader, type EntrySink, type TarEntryType, type TarHeader } from './tar.js';

export type ArchiveKind = 'berth' | 'tar' | 'tar.gz' | 'tar.zst';

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

function startsWith(b: Buffer, magic: number[]): boolean {
  return magic.every((m, i) => b[i] === m);
}

/** What kind of archive a file is, from its first bytes (a gzip'd tar whose first member is manifest.json is berth's). */
export async function archiveKind(file: string): Promise<ArchiveKind> {
  const fd = await fs.promises.open(file, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`${file}: cannot read (${e.code ?? e.message})`);
  });
  const head = Buffer.alloc(4096);
  const { bytesRead } = await fd.read(head, 0, head.length, 0);
  await fd.close();
  const b = head.subarray(0, bytesRead);
  if (startsWith(b, GZIP)) {
    // the first tar header, inflated: berth's archives start with manifest.json
    const first = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      const z = zlib.createGunzip();
      z.on('data', (c: Buffer) => {
        chunks.push(c);
        if (Buffer.concat(chunks).length >= 512) z.destroy();
      });
      z.on('close', () => resolve(Buffer.concat(chunks)));
      z.on('error', () => resolve(Buffer.concat(chunks)));
      z.end(b);
    });
    return first.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '') === 'manifest.json' ? 'berth' : 'tar.gz';
  }
  if (startsWith(b, ZSTD)) return 'tar.zst';
  if (b.length >= 263 && b.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  throw new UserError(`${path.basename(file)}: not a tar, tar.gz or tar.zst archive (nor a berth backup): nothing was written`);
}

/** The archive's tar stream, decompressed (gzip's CRC and zstd's checksum are checked at its end). */
export function tarStream(file: string, kind: Exclude<ArchiveKind, 'berth'>): Readable {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (kind === 'tar') return raw;
  if (kind === 'tar.gz') return raw.pipe(zlib.createGunzip()).on('error', () => {});
  // Node 20's zlib has no zstd: the zstd command does it (Debian's zstd package)
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const child = spawn('zstd', ['-dc', '--', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.on('error', (e: NodeJS.ErrnoException) => out.destroy(new UserError(e.code === 'ENOENT' ? `${path.basename(file)}: reading .tar.zst needs the zstd command (apt-get install zstd)` : e.message)));
  child.stdout.pipe(out, { end: false });
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new Error(`zstd: ${err.trim().split('\n').pop() ?? `exit ${code}`}`));
  });
  return out;
}

/** A path in a plain archive relative to the volume root ('' for the root itself). */
function rel(name: string): string {
  const clean = name.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  return clean === '.' ? '' : clean;
}

/**
 * Fingerprints a plain archive (the same entry list a berth manifest holds) and names the
 * members that could write outside the volume: absolute paths, '..', a member under a
 * symbolic link of the archive (a link out, then a file through it), a hard link to a
 * path the archive did not hold before it.
 */
export class PlainScanner {
  readonly list: ManifestEntry[] = [];
  readonly unsafe: Array<{ path: string; why: string }> = [];
  files = 0;
  bytes = 0;
  private readonly links = new Set<string>();
  private readonly seen = new Set<string>();

  onEntry = (h: TarHeader): EntrySink | void => {
    const p = rel(h.path);
    const bad = (why: string) => this.unsafe.push({ path: h.path, why });
    if (h.path.startsWith('/')) bad('an absolute path');
    else if (p.split('/').includes('..')) bad("a path with '..'");
    else {
      const parts = p.split('/');
      for (let i = 1; i < parts.length; i++) {
        const up = parts.slice(0, i).join('/');
        if (this.links.has(up)) {
          bad(`a path through the symbolic link ${up} of the archive`);
          break;
        }
      }
    }
    const entry: ManifestEntry = { p, t: h.type as TarEntryType, m: h.mode, u: h.uid, g: h.gid };
    if (h.type === 'symlink') {
      entry.l = h.linkname;
      this.links.add(p);
    }
    if (h.type === 'hardlink') {
      entry.l = rel(h.linkname);
      if (h.linkname.startsWith('/') || entry.l.split('/').includes('..') || !this.seen.has(entry.l)) bad(`a hard link to ${h.linkname}, which the archive does not hold before it`);
    }
    this.seen.add(p);
    this.list.push(entry);
    if (h.type !== 'file') return;
    this.files++;
    this.bytes += h.size;
    return hashInto(entry, h.size);
  };
}

export interface PlainScan {
  kind: Exclude<ArchiveKind, 'berth'>;
  entryList: ManifestEntry[];
  files: number;
  bytes: number;
  /** sha256 and size of the decompressed tar (to see it did not change before it is written) */
  tarSha256: string;
  tarSize: number;
}

/** Reads a plain archive through, refusing it (nothing written) when it is damaged or unsafe. */
export async function scanPlainArchive(file: string, kind: Exclude<ArchiveKind, 'berth'>): Promise<PlainScan> {
  const scanner = new PlainScanner();
  const reader = new TarReader(scanner.onEntry);
  const hash = createHash('sha256');
  let size = 0;
  const name = path.basename(file);
  try {
    for await (const chunk of tarStream(file, kind) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      await reader.write(chunk);
    }
    reader.end();
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${name}: damaged (${(e as Error).message}); nothing was written`);
  }
  if (!scanner.list.length) throw new UserError(`${name}: holds no files; nothing was written`);
  if (scanner.unsafe.length) {
    const first = scanner.unsafe[0]!;
    const more = scanner.unsafe.length > 1 ? ` and ${scanner.unsafe.length - 1} more` : '';
    throw new UserError(`${name}: refused, ${first.path} is ${first.why}${more}; nothing was written`);
  }
  return { kind, entryList: scanner.list, files: scanner.files, bytes: scanner.bytes, tarSha256: hash.digest('hex'), tarSize: size };
}

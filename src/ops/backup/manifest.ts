// The manifest stored as the first member of every berth backup archive, and the
// per-entry fingerprint used to verify archives and restored volumes. Pure.
import { createHash, type Hash } from 'node:crypto';
import { z } from 'zod';
import type { EntrySink, TarEntryType, TarHeader } from './tar.js';

export const MANIFEST_NAME = 'manifest.json';
export const PAYLOAD_NAME = 'payload.tar';
export const DUMP_DIR = 'dumps';
/** berth's first format: one .tar.gz holding manifest.json, payload.tar and dumps/. */
export const FORMAT_V1 = 'berth-backup/1';
/**
 * Today's: the .tar.gz is the volume's files alone (what `tar czf x.tar.gz -C <volume> .`
 * holds), the manifest and the dumps are files beside it (x.tar.gz.manifest.json,
 * x.tar.gz.dump.<name>).
 */
export const FORMAT = 'berth-backup/2';

/** One entry of the payload: path relative to the volume root ('' is the root itself). */
export const entrySchema = z
  .object({
    p: z.string(),
    t: z.enum(['file', 'hardlink', 'symlink', 'dir', 'char', 'block', 'fifo', 'other']),
    m: z.number().int(),
    u: z.number().int(),
    g: z.number().int(),
    s: z.number().int().optional(),
    h: z.string().optional(),
    l: z.string().optional(),
  })
  .strict();
export type ManifestEntry = z.infer<typeof entrySchema>;

export const dumpSchema = z.object({
  name: z.string(),
  container: z.string(),
  image: z.string(),
  engine: z.string(),
  command: z.array(z.string()),
  size: z.number().int(),
  sha256: z.string(),
});
export type DumpRecord = z.infer<typeof dumpSchema>;

export const manifestSchema = z.object({
  format: z.enum([FORMAT_V1, FORMAT]),
  source: z.object({ kind: z.enum(['volume', 'bind']), name: z.string() }),
  volume: z.string().nullable(),
  engine: z.object({ address: z.string(), version: z.string() }),
  createdAt: z.string(),
  consistency: z.enum(['stopped', 'live', 'idle']),
  stoppedContainers: z.array(z.string()),
  root: z.string(),
  files: z.number().int(),
  entries: z.number().int(),
  bytes: z.number().int(),
  /** the volume's tar (v1: the payload.tar member; v2: the archive decompressed) */
  payload: z.object({ name: z.string(), size: z.number().int(), sha256: z.string() }),
  /** v2: the archive file itself, as written */
  archive: z.object({ name: z.string(), size: z.number().int(), sha256: z.string() }).optional(),
  dumps: z.array(dumpSchema),
  entryList: z.array(entrySchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export interface PayloadSummary {
  root: string;
  files: number;
  entries: number;
  bytes: number;
  entryList: ManifestEntry[];
}

/** Strips the archive's top directory (Docker names entries after the copied folder). */
export function relativePath(path: string): { root: string; rel: string } {
  const clean = path.replace(/^\.\//, '').replace(/\/+$/, '');
  const slash = clean.indexOf('/');
  return slash === -1 ? { root: clean, rel: '' } : { root: clean.slice(0, slash), rel: clean.slice(slash + 1) };
}

function relLink(header: TarHeader): string {
  // hard link targets are archive paths: make them relative like the entry paths
  return header.type === 'hardlink' ? relativePath(header.linkname).rel : header.linkname;
}

/** A regular file's size and, once its data went by, its sha256, into its entry. */
export function hashInto(entry: ManifestEntry, size: number): EntrySink {
  entry.s = size;
  const hash: Hash = createHash('sha256');
  return {
    data: (chunk) => {
      hash.update(chunk);
    },
    end: () => {
      entry.h = hash.digest('hex');
    },
  };
}

/**
 * Collects one fingerprint per entry of a payload tar, with the sha256 of every regular
 * file. Use `onEntry` as the TarReader callback.
 */
export class PayloadScanner {
  readonly list: ManifestEntry[] = [];
  root: string | null = null;
  files = 0;
  bytes = 0;

  /** entries outside the top folder or with '..' components (never written by Docker; refused on restore) */
  readonly unsafe: string[] = [];

  onEntry = (header: TarHeader): EntrySink | void => {
    const { root, rel } = relativePath(header.path);
    if (this.root === null) this.root = root;
    if (root !== this.root || header.path.startsWith('/') || header.path.split('/').includes('..')) this.unsafe.push(header.path);
    const entry: ManifestEntry = { p: rel, t: header.type as TarEntryType, m: header.mode, u: header.uid, g: header.gid };
    if (header.type === 'symlink' || header.type === 'hardlink') entry.l = relLink(header);
    this.list.push(entry);
    if (header.type !== 'file') return;
    this.files++;
    this.bytes += header.size;
    return hashInto(entry, header.size);
  };

  summary(): PayloadSummary {
    return { root: this.root ?? '', files: this.files, entries: this.list.length, bytes: this.bytes, entryList: this.list };
  }
}

/**
 * What a scan of an archive's tar (`what`: "payload", "archive") says against its manifest:
 * the first entry that differs, or counts that disagree; null when they match.
 */
export function manifestMismatch(m: Manifest, found: { list: readonly ManifestEntry[]; files: number; bytes: number }, what: string): string | null {
  const cmp = compareEntries(m.entryList, found.list);
  if (!cmp.ok || cmp.extra.length) {
    const first = cmp.missing[0] ?? cmp.different[0] ?? { path: cmp.extra[0], problem: 'not in the manifest' };
    return `${what} does not match the manifest's file list (${first.path}: ${first.problem})`;
  }
  if (found.files !== m.files || found.list.length !== m.entries || found.bytes !== m.bytes) {
    return `the manifest's counts (${m.files} files, ${m.entries} entries, ${m.bytes} bytes) do not match the ${what} (${found.files}, ${found.list.length}, ${found.bytes})`;
  }
  return null;
}

export interface EntryMismatch {
  path: string;
  problem: string;
}

export interface CompareResult {
  ok: boolean;
  checked: number;
  filesChecked: number;
  missing: EntryMismatch[];
  different: EntryMismatch[];
  extra: string[];
}

function describeEntry(e: ManifestEntry): string {
  return `${e.t} mode ${e.m.toString(8)} owner ${e.u}:${e.g}${e.s !== undefined ? ` ${e.s} bytes` : ''}${e.l !== undefined ? ` -> ${e.l}` : ''}`;
}

/**
 * Compares what should be (the manifest) with what is (a scan of an archive or of a
 * restored volume): type, permissions, owner, size, content hash and link target.
 * Directory modes of the root are not compared when `ignoreRoot` (a mount point).
 */
export function compareEntries(expected: readonly ManifestEntry[], actual: readonly ManifestEntry[], opts: { ignoreRoot?: boolean } = {}): CompareResult {
  const have = new Map(actual.map((e) => [e.p, e]));
  const want = new Set(expected.map((e) => e.p));
  const missing: EntryMismatch[] = [];
  const different: EntryMismatch[] = [];
  let filesChecked = 0;
  for (const e of expected) {
    const a = have.get(e.p);
    if (!a) {
      missing.push({ path: e.p, problem: `missing (${describeEntry(e)})` });
      continue;
    }
    if (e.p === '' && opts.ignoreRoot) continue;
    const problems: string[] = [];
    if (a.t !== e.t) problems.push(`type ${a.t}, expected ${e.t}`);
    if (a.m !== e.m && e.t !== 'symlink') problems.push(`mode ${a.m.toString(8)}, expected ${e.m.toString(8)}`);
    if (a.u !== e.u || a.g !== e.g) problems.push(`owner ${a.u}:${a.g}, expected ${e.u}:${e.g}`);
    if (e.t === 'file') {
      filesChecked++;
      if (a.s !== e.s) problems.push(`size ${a.s}, expected ${e.s}`);
      else if (a.h !== e.h) problems.push('content differs (sha256)');
    }
    if (e.t === 'symlink' && a.l !== e.l) problems.push(`link target ${a.l}, expected ${e.l}`);
    if (problems.length) different.push({ path: e.p, problem: problems.join(', ') });
  }
  const extra = actual.filter((e) => !want.has(e.p)).map((e) => e.p);
  return { ok: !missing.length && !different.length, checked: expected.length, filesChecked, missing, different, extra };
}

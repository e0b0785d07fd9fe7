// A streaming tar reader. Pure: no Docker, no file system.
//
// It understands what the Docker engine's archive API emits (Go's archive/tar: ustar, PAX
// extended headers, GNU long names, base-256 sizes) and what GNU and busybox tar write,
// checks every header's checksum, and demands the end-of-archive blocks, so a tampered or
// truncated stream is an error rather than silently short data. berth writes tar with
// tar-stream (archive.ts, restore.ts); reading stays here, for a measured reason:
//
// - Speed is no reason either way (bench/tar-reader.mjs, 2026-12-08, 2 CPUs, medians of 3,
//   read through with a sha256 of every file): 1074 MB in 65 entries: this reader 1.01 s,
//   tar-stream 3.3 0.99 s, node-tar 7.5 1.29 s; 110 MB in 40201 entries: 0.43 s, 0.47 s, 0.44 s.
// - Both libraries accept a tar cut at an entry boundary (no end-of-archive blocks) and data
//   after the end marker without a word (test/unit/backup/tar.test.ts shows it and fails the
//   day they stop doing so). A plain `.tar` restore has no gzip CRC and no manifest: the end
//   marker is the only sign that nothing is missing, so berth must not lose that check.
import { createHash } from 'node:crypto';

export const BLOCK = 512;

export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'dir' | 'char' | 'block' | 'fifo' | 'other';

export interface TarHeader {
  path: string;
  type: TarEntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname: string;
}

/** What the reader does with one entry's data. Returning a promise applies backpressure. */
export interface EntrySink {
  data?(chunk: Buffer): void | Promise<void>;
  end?(): void | Promise<void>;
}

export class TarFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarFormatError';
  }
}

function cstr(buf: Buffer, start: number, len: number): string {
  const slice = buf.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return (nul === -1 ? slice : slice.subarray(0, nul)).toString('utf8');
}

/** A numeric header field: octal text, or base-256 when the high bit of the first byte is set. */
export function parseNumeric(buf: Buffer, start: number, len: number): number {
  const field = buf.subarray(start, start + len);
  if (field[0]! & 0x80) {
    if (field[0] === 0xff) throw new TarFormatError('negative base-256 number in tar header');
    let v = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) v = v * 256 + field[i]!;
    if (!Number.isSafeInteger(v)) throw new TarFormatError('base-256 number in tar header is too large');
    return v;
  }
  const text = cstr(buf, start, len).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad octal number in tar header: ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

export function headerChecksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum;
}

function typeOf(flag: string): TarEntryType {
  switch (flag) {
    case '0':
    case '\0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '3':
      return 'char';
    case '4':
      return 'block';
    case '5':
      return 'dir';
    case '6':
      return 'fifo';
    default:
      return 'other';
  }
}

/** PAX records: "<len> <key>=<value>\n" repeated. */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) throw new TarFormatError('bad PAX record');
    const digits = data.subarray(pos, space).toString('ascii');
    const len = /^[0-9]{1,10}$/.test(digits) ? Number(digits) : NaN;
    if (!Number.isFinite(len) || len <= space - pos + 1 || pos + len > data.length || data[pos + len - 1] !== 0x0a) {
      throw new TarFormatError('bad PAX record length');
    }
    const record = data.subarray(space + 1, pos + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    pos += len;
  }
  return out;
}

type Meta = 'pax' | 'gnu-name' | 'gnu-link' | 'pax-global';

/** PAX headers and GNU long names larger than this are refused (real ones are a few hundred bytes). */
const MAX_META = 1 << 20;

/** A PAX number (size, uid, gid): a non-negative decimal integer, else the archive is refused. */
function paxInteger(pax: Record<string, string>, key: string, fallback: number): number {
  const text = pax[key];
  if (text === undefined) return fallback;
  if (!/^[0-9]{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new TarFormatError(`bad PAX ${key} in tar header: ${JSON.stringify(text.slice(0, 40))}`);
  }
  return Number(text);
}

/** A PAX time: decimal seconds, maybe negative, maybe with a fraction. */
function paxTime(pax: Record<string, string>, key: string, fallback: number): number {
  const text = pax[key];
  if (text === undefined) return fallback;
  if (!/^-?[0-9]{1,16}(\.[0-9]{0,9})?$/.test(text)) throw new TarFormatError(`bad PAX ${key} in tar header: ${JSON.stringify(text.slice(0, 40))}`);
  return Math.floor(Number(text));
}

/**
 * Incremental tar reader. Feed it with write(); call end() when the input is over: it
 * throws when the archive stopped in the middle or never reached its end-of-archive blocks.
 */
export class TarReader {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private state: 'header' | 'data' | 'padding' | 'done' = 'header';
  private remaining = 0;
  private padding = 0;
  private sink: EntrySink | null = null;
  private meta: { kind: Meta; chunks: Buffer[] } | null = null;
  private pax: Record<string, string> = {};
  private gnuName: string | null = null;
  private gnuLink: string | null = null;
  private zeroBlocks = 0;
  /** Bytes consumed so far. */
  bytes = 0;
  entries = 0;

  constructor(private readonly onEntry: (header: TarHeader) => EntrySink | void | Promise<EntrySink | void>) {}

  private take(n: number): Buffer | null {
    if (this.pendingLen < n) return null;
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingLen);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.pending = rest.length ? [rest] : [];
    this.pendingLen = rest.length;
    return out;
  }

  private takeUpTo(n: number): Buffer | null {
    if (this.pendingLen === 0) return null;
    const first = this.pending[0]!;
    if (first.length <= n) {
      this.pending.shift();
      this.pendingLen -= first.length;
      return first;
    }
    this.pending[0] = first.subarray(n);
    this.pendingLen -= n;
    return first.subarray(0, n);
  }

  async write(chunk: Buffer): Promise<void> {
    this.bytes += chunk.length;
    if (this.state === 'done') return; // trailing zero padding after the end marker
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    for (;;) {
      if (this.state === 'header') {
        const block = this.take(BLOCK);
        if (!block) return;
        await this.header(block);
        if ((this.state as string) === 'done') return;
      } else if (this.state === 'data') {
        if (this.remaining === 0) {
          await this.finishEntry();
          continue;
        }
        const piece = this.takeUpTo(this.remaining);
        if (!piece) return;
        this.remaining -= piece.length;
        if (this.meta) this.meta.chunks.push(Buffer.from(piece));
        else if (this.sink?.data) await this.sink.data(piece);
      } else if (this.state === 'padding') {
        const piece = this.takeUpTo(this.padding);
        if (!piece) {
          if (this.padding === 0) this.state = 'header';
          else return;
          continue;
        }
        this.padding -= piece.length;
        if (this.padding === 0) this.state = 'header';
      } else {
        return;
      }
    }
  }

  private async header(block: Buffer): Promise<void> {
    if (block.every((b) => b === 0)) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) this.state = 'done';
      return;
    }
    if (this.zeroBlocks) throw new TarFormatError('data after an empty tar block');
    const stored = parseNumeric(block, 148, 8);
    if (stored !== headerChecksum(block)) throw new TarFormatError(`tar header checksum mismatch at byte ${this.bytes - this.pendingLen - BLOCK}`);
    const flag = String.fromCharCode(block[156]!);
    const size = parseNumeric(block, 124, 12);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      const kind: Meta = flag === 'x' ? 'pax' : flag === 'g' ? 'pax-global' : flag === 'L' ? 'gnu-name' : 'gnu-link';
      if (size > MAX_META) throw new TarFormatError(`tar ${kind} header of ${size} bytes is implausibly large`);
      this.meta = { kind, chunks: [] };
      this.startData(size);
      return;
    }
    const magic = block.subarray(257, 263).toString('latin1');
    let name = cstr(block, 0, 100);
    const prefix = magic.startsWith('ustar') ? cstr(block, 345, 155) : '';
    if (prefix && magic === 'ustar\0') name = `${prefix}/${name}`;
    const pax = this.pax;
    const header: TarHeader = {
      path: pax.path ?? this.gnuName ?? name,
      type: typeOf(flag),
      size: paxInteger(pax, 'size', size),
      mode: parseNumeric(block, 100, 8) & 0o7777,
      uid: paxInteger(pax, 'uid', parseNumeric(block, 108, 8)),
      gid: paxInteger(pax, 'gid', parseNumeric(block, 116, 8)),
      mtime: paxTime(pax, 'mtime', parseNumeric(block, 136, 12)),
      linkname: pax.linkpath ?? this.gnuLink ?? cstr(block, 157, 100),
    };
    this.pax = {};
    this.gnuName = null;
    this.gnuLink = null;
    this.entries++;
    // hard links, symlinks, directories and devices carry no data even if a size is set
    const dataSize = header.type === 'file' || header.type === 'other' ? header.size : 0;
    this.sink = (await this.onEntry(header)) ?? null;
    this.startData(dataSize);
  }

  private startData(size: number): void {
    // a guard for every path here: a negative or fractional size would never be consumed
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`bad entry size in tar header: ${size}`);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.state = 'data';
  }

  private async finishEntry(): Promise<void> {
    if (this.meta) {
      const data = Buffer.concat(this.meta.chunks);
      if (this.meta.kind === 'pax') this.pax = parsePax(data);
      else if (this.meta.kind === 'gnu-name') this.gnuName = cstr(data, 0, data.length);
      else if (this.meta.kind === 'gnu-link') this.gnuLink = cstr(data, 0, data.length);
      this.meta = null;
    } else if (this.sink?.end) {
      await this.sink.end();
    }
    this.sink = null;
    this.state = 'padding';
  }

  /** Throws unless the archive ended cleanly. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state !== 'header' || this.pendingLen > 0) {
      throw new TarFormatError('tar archive is truncated (it ends in the middle of an entry)');
    }
    // Docker writes two zero blocks; accept one (some writers do), demand at least one.
    if (this.zeroBlocks === 0) throw new TarFormatError('tar archive ends without its end-of-archive blocks (truncated?)');
  }
}

/** sha256 hex of a buffer (helper for tests and manifests). */
export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// Docker's multiplexed log stream (containers without a TTY): every frame is an 8-byte
// header [stream, 0, 0, 0, size(4 bytes, big endian)] followed by `size` bytes of
// payload; stream 1 is stdout, 2 is stderr (0 stdin). Frames may be split anywhere
// across chunks. A TTY container's stream has no headers at all. Pure, incremental.

export type LogStreamName = 'stdout' | 'stderr';

export interface Frame {
  stream: LogStreamName;
  data: Buffer;
}

export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the complete frames it finishes. */
  push(chunk: Buffer): Frame[] {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Frame[] = [];
    let off = 0;
    while (buf.length - off >= 8) {
      const size = buf.readUInt32BE(off + 4);
      if (buf.length - off - 8 < size) break;
      const kind = buf[off]!;
      frames.push({ stream: kind === 2 ? 'stderr' : 'stdout', data: buf.subarray(off + 8, off + 8 + size) });
      off += 8 + size;
    }
    // Copy the remainder so the big chunk it came from can be freed.
    this.pending = off < buf.length ? Buffer.from(buf.subarray(off)) : Buffer.alloc(0);
    return frames;
  }

  /** Bytes waiting for the rest of their frame. */
  get buffered(): number {
    return this.pending.length;
  }
}

/** Splits a byte stream into lines (\n, a trailing \r dropped); keeps the unfinished tail. */
export class LineSplitter {
  private tail = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly maxLine = 1_000_000) {}

  push(data: Buffer): string[] {
    const text = this.tail + this.decoder.decode(data, { stream: true });
    const parts = text.split('\n');
    this.tail = parts.pop() ?? '';
    // A line that never ends is cut into pieces of maxLine, so memory stays bounded.
    const out = parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    while (this.tail.length > this.maxLine) {
      out.push(this.tail.slice(0, this.maxLine));
      this.tail = this.tail.slice(this.maxLine);
    }
    return out;
  }

  /** The unfinished last line, if any (at the end of the stream). */
  flush(): string[] {
    const rest = this.tail + this.decoder.decode();
    this.tail = '';
    return rest ? [rest.endsWith('\r') ? rest.slice(0, -1) : rest] : [];
  }
}

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

/** Splits docker's `timestamps: true` prefix off a line: [ms since epoch, iso text, rest]. */
export function splitTimestamp(line: string): { t: number; ts: string; text: string } {
  const m = TS.exec(line);
  if (!m) return { t: 0, ts: '', text: line };
  const iso = m[1]!;
  // Date.parse keeps milliseconds only; that is enough to order lines of a project.
  return { t: Date.parse(iso), ts: iso, text: line.slice(m[0].length) };
}

// CSI/OSC escape sequences and other control characters would move the cursor or change
// colours inside berth's frame: they are removed; a tab becomes spaces.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f]/g;

export function sanitizeLine(text: string): string {
  let s = text;
  if (s.includes('\t')) s = s.replace(/\t/g, '    ');
  // Fast path: most lines have nothing to remove.
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f]/.test(s)) return s;
  return s.replace(ESCAPES, '');
}

// Streams the logs of one container, or of all containers of a project merged in time
// order, into a bounded LogBuffer. Lines are always requested with timestamps, so the
// merge is exact and the timestamps can be shown or hidden without asking again. No React.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { engineMessage } from '../actions.js';
import { LogBuffer, type LogLine } from './buffer.js';
import { FrameDemuxer, LineSplitter, sanitizeLine, splitTimestamp } from './demux.js';

export interface LogSource {
  id: string;
  name: string;
}

export interface LogQuery {
  /** Lines from the end of the log to start with; 'all' for everything. */
  tail: number | 'all';
  /** Only lines since this time (seconds since epoch), when set. */
  since?: number;
}

export interface LogSessionOptions {
  maxLines: number;
  query: LogQuery;
  /** Change events are sent at most this often. */
  throttleMs?: number;
}

export interface LogSessionEvents {
  change: [];
  problem: [message: string];
}

/** Turns "500", "all", "10m", "2h", "30s", "1d" or an ISO date into a query. */
export function parseLogQuery(text: string, now = Date.now()): LogQuery | string {
  const s = text.trim();
  if (!s || s === 'all') return { tail: 'all' };
  if (/^\d+$/.test(s)) return { tail: Number(s) };
  const rel = /^(\d+)\s*(s|m|h|d)$/.exec(s);
  if (rel) {
    const mult = { s: 1, m: 60, h: 3600, d: 86400 }[rel[2] as 's' | 'm' | 'h' | 'd'];
    return { tail: 'all', since: Math.floor(now / 1000) - Number(rel[1]) * mult };
  }
  const t = Date.parse(s);
  if (Number.isFinite(t)) return { tail: 'all', since: Math.floor(t / 1000) };
  return `"${s}" is not a line count (500), a duration (10m, 2h) or a date (2024-05-01T10:00)`;
}

export function describeQuery(q: LogQuery): string {
  const parts: string[] = [];
  if (q.since) parts.push(`since ${new Date(q.since * 1000).toISOString().slice(0, 19)}Z`);
  if (q.tail !== 'all' || !q.since) parts.push(q.tail === 'all' ? 'all lines' : `last ${q.tail}`);
  return parts.join(', ');
}

export class LogSession extends EventEmitter<LogSessionEvents> {
  readonly buffer: LogBuffer;
  query: LogQuery;
  private streams: Readable[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastEmit = 0;
  private stopped = false;
  private generation = 0;
  private readonly throttleMs: number;
  /** Containers whose stream ended (stopped or removed). */
  ended = new Set<number>();

  constructor(
    private readonly docker: Dockerode,
    readonly sources: LogSource[],
    opts: LogSessionOptions,
  ) {
    super();
    this.buffer = new LogBuffer(opts.maxLines);
    this.query = opts.query;
    this.throttleMs = opts.throttleMs ?? 100;
  }

  async start(): Promise<void> {
    const gen = ++this.generation;
    this.stopped = false;
    await Promise.all(this.sources.map((src, i) => this.follow(src, i, gen)));
  }

  /**
   * A container whose stream ended runs again (restarted, started): its log is followed on
   * from just after its last line kept, so the view goes on where it stopped, without
   * repeating lines.
   */
  resume(index: number): void {
    if (this.stopped || !this.ended.has(index) || !this.sources[index]) return;
    this.ended.delete(index);
    let last = 0;
    for (let i = this.buffer.length - 1; i >= 0; i--) {
      const l = this.buffer.at(i);
      if (l.source === index && l.t) {
        last = l.t;
        break;
      }
    }
    // docker's since takes fractional seconds; a millisecond after the last line kept
    const since = last ? ((last + 1) / 1000).toFixed(3) : undefined;
    void this.follow(this.sources[index]!, index, this.generation, since);
    this.changed();
  }

  /** Starts again with another query (tail/since): the buffer is refilled. */
  async restart(query: LogQuery): Promise<void> {
    this.closeStreams();
    this.query = query;
    this.buffer.clear();
    this.ended.clear();
    await this.start();
    this.changed();
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    this.closeStreams();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private closeStreams(): void {
    this.generation++;
    for (const s of this.streams) {
      s.removeAllListeners('data');
      s.on('error', () => {});
      s.destroy();
    }
    this.streams = [];
  }

  private changed(): void {
    if (this.timer || this.stopped) return;
    const wait = this.lastEmit + this.throttleMs - Date.now();
    const fire = () => {
      this.timer = null;
      this.lastEmit = Date.now();
      this.emit('change');
    };
    if (wait <= 0) fire();
    else this.timer = setTimeout(fire, wait);
  }

  private async follow(src: LogSource, index: number, gen: number, resumeSince?: string): Promise<void> {
    const c = this.docker.getContainer(src.id);
    let tty = false;
    let stream: Readable;
    try {
      const info = await c.inspect();
      tty = !!info.Config?.Tty;
      const opts: Record<string, unknown> = { follow: true, stdout: true, stderr: true, timestamps: true };
      if (resumeSince) opts.since = resumeSince;
      else {
        if (this.query.tail !== 'all') opts.tail = this.query.tail;
        if (this.query.since) opts.since = this.query.since;
      }
      stream = (await c.logs(opts as { follow: true })) as unknown as Readable;
    } catch (err) {
      if (gen === this.generation) {
        const gone = (err as { statusCode?: number }).statusCode === 404;
        this.emit('problem', gone ? `${src.name}: no longer exists (removed meanwhile); no logs` : `${src.name}: logs: ${engineMessage(err)}`);
      }
      return;
    }
    if (gen !== this.generation || this.stopped) {
      stream.destroy();
      return;
    }
    this.streams.push(stream);
    const demux = tty ? null : new FrameDemuxer();
    const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
    const take = (raw: string[], streamName: 'stdout' | 'stderr', out: LogLine[]) => {
      for (const r of raw) {
        const { t, ts, text } = splitTimestamp(r);
        out.push({ t, ts, text: sanitizeLine(text), stream: streamName, source: index });
      }
    };
    stream.on('data', (chunk: Buffer) => {
      if (gen !== this.generation) return;
      const out: LogLine[] = [];
      if (demux) {
        for (const f of demux.push(chunk)) take(splitters[f.stream].push(f.data), f.stream, out);
      } else {
        take(splitters.stdout.push(chunk), 'stdout', out);
      }
      if (out.length) {
        this.buffer.append(out);
        this.changed();
      }
    });
    const end = () => {
      if (gen !== this.generation) return;
      const out: LogLine[] = [];
      take(splitters.stdout.flush(), 'stdout', out);
      take(splitters.stderr.flush(), 'stderr', out);
      this.buffer.append(out);
      this.ended.add(index);
      this.changed();
    };
    stream.on('end', end);
    stream.on('close', end);
    stream.on('error', (err) => {
      if (gen === this.generation) this.emit('problem', `${src.name}: log stream: ${err.message}`);
    });
  }

  /** Fetches the whole log of every source again (not only what the buffer holds). */
  async fullLog(): Promise<LogLine[]> {
    const all: LogLine[] = [];
    await Promise.all(
      this.sources.map(async (src, index) => {
        const c = this.docker.getContainer(src.id);
        const info = await c.inspect();
        const raw = (await c.logs({ follow: false, stdout: true, stderr: true, timestamps: true })) as unknown as Buffer;
        const lines: LogLine[] = [];
        const push = (text: string[], stream: 'stdout' | 'stderr') => {
          for (const r of text) {
            const s = splitTimestamp(r);
            lines.push({ t: s.t, ts: s.ts, text: sanitizeLine(s.text), stream, source: index });
          }
        };
        if (info.Config?.Tty) {
          const sp = new LineSplitter();
          push([...sp.push(raw), ...sp.flush()], 'stdout');
        } else {
          const sp = { stdout: new LineSplitter(), stderr: new LineSplitter() };
          for (const f of new FrameDemuxer().push(raw)) push(sp[f.stream].push(f.data), f.stream);
          push(sp.stdout.flush(), 'stdout');
          push(sp.stderr.flush(), 'stderr');
        }
        all.push(...lines);
      }),
    );
    // lines of several containers in the same millisecond: in the order of the sources
    return all.sort((a, b) => a.t - b.t || a.source - b.source);
  }
}

/** The text of a line as saved to a file. */
export function formatLogLine(line: LogLine, opts: { timestamps: boolean; sources?: LogSource[] }): string {
  const name = opts.sources && opts.sources.length > 1 ? `${opts.sources[line.source]?.name ?? '?'} | ` : '';
  return `${name}${opts.timestamps && line.ts ? `${line.ts} ` : ''}${line.text}`;
}

/**
 * Writes lines to `file`; never overwrites: an existing file is refused (flag 'wx').
 * Returns the number of lines written.
 */
export async function saveLines(file: string, lines: Iterable<string>): Promise<number> {
  const fh = await fs.promises.open(file, 'wx');
  let n = 0;
  try {
    let chunk: string[] = [];
    for (const l of lines) {
      chunk.push(l);
      n++;
      if (chunk.length >= 1000) {
        await fh.write(chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) await fh.write(chunk.join('\n') + '\n');
  } finally {
    await fh.close();
  }
  return n;
}

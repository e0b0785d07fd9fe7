// Sits between Ink and the terminal. Ink renders each frame (debug mode, as whole text)
// into a sink; the writer keeps the last screen as cells and writes only the cells that
// changed, at most `maxFps` times a second. This is what keeps berth cheap over SSH:
// a figure that changes costs a few bytes, not a redrawn line or screen.
import { EventEmitter } from 'node:events';
import { parseLine, type Cell } from './cells.js';
import { diffScreens } from './diff.js';

export interface ScreenWriterOptions {
  maxFps?: number;
}

export class ScreenWriter {
  /** Give this to Ink's render() as `stdout` (with `debug: true`). */
  readonly sink: NodeJS.WriteStream;
  bytesWritten = 0;
  framesWritten = 0;
  private prev: Cell[][] | null = null;
  private pending: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private closed = false;
  private readonly interval: number;
  private readonly onResize = () => {
    this.prev = null;
    this.emitRaw('\x1b[0m\x1b[2J');
    this.sinkEvents.emit('resize');
  };
  private readonly sinkEvents = new EventEmitter();

  constructor(
    private readonly out: NodeJS.WriteStream,
    opts: ScreenWriterOptions = {},
  ) {
    this.interval = 1000 / (opts.maxFps ?? 30);
    const self = this;
    const events = this.sinkEvents;
    const sink = {
      isTTY: true,
      get columns() {
        return out.columns || 80;
      },
      get rows() {
        return out.rows || 24;
      },
      write(data: string | Uint8Array): boolean {
        self.frame(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
        return true;
      },
      on: (ev: string, fn: (...a: unknown[]) => void) => (events.on(ev, fn), sink),
      off: (ev: string, fn: (...a: unknown[]) => void) => (events.off(ev, fn), sink),
      once: (ev: string, fn: (...a: unknown[]) => void) => (events.once(ev, fn), sink),
      addListener: (ev: string, fn: (...a: unknown[]) => void) => (events.on(ev, fn), sink),
      removeListener: (ev: string, fn: (...a: unknown[]) => void) => (events.off(ev, fn), sink),
      emit: (ev: string, ...a: unknown[]) => events.emit(ev, ...a),
      listenerCount: (ev: string) => events.listenerCount(ev),
      end() {},
    };
    this.sink = sink as unknown as NodeJS.WriteStream;
    out.on('resize', this.onResize);
  }

  /** Takes a whole frame from Ink; it is drawn now or at the next frame slot. */
  frame(text: string): void {
    if (this.closed) return;
    this.pending = text;
    if (this.timer) return;
    const wait = this.lastFlush + this.interval - Date.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Draws the pending frame now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const text = this.pending;
    this.pending = null;
    if (text === null || this.closed) return;
    this.lastFlush = Date.now();
    const cols = this.out.columns || 80;
    const rows = this.out.rows || 24;
    const lines = text.split('\n');
    const next: Cell[][] = [];
    for (let y = 0; y < rows; y++) next.push(parseLine(lines[y] ?? '', cols));
    const bytes = diffScreens(this.prev, next);
    this.prev = next;
    if (bytes) {
      this.framesWritten++;
      this.emitRaw(bytes);
    }
  }

  /** Forgets what is on screen, so the next frame is drawn whole. */
  invalidate(): void {
    this.prev = null;
  }

  close(): void {
    this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.out.off('resize', this.onResize);
  }

  private emitRaw(s: string): void {
    this.bytesWritten += Buffer.byteLength(s);
    try {
      this.out.write(s);
    } catch {
      // The terminal went away (hang-up); the shutdown path takes it from here.
      this.closed = true;
    }
  }
}

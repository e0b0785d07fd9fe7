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

/** A rectangle drawn by its owner, on top of Ink's frame, without an Ink render. */
export interface Overlay {
  x: number;
  y: number;
  /** Rows of cells; rows and cells beyond the screen are cut. */
  rows: Cell[][];
}

export class ScreenWriter {
  /** Give this to Ink's render() as `stdout` (with `debug: true`). */
  readonly sink: NodeJS.WriteStream;
  bytesWritten = 0;
  framesWritten = 0;
  private prev: Cell[][] | null = null;
  private pending: string | null = null;
  /** Ink's last frame as cells, so overlays can be redrawn without a new Ink frame. */
  private base: Cell[][] | null = null;
  private readonly overlays = new Map<string, Overlay>();
  /** What each composed row was made of (its base row, then overlay rows), and the row. */
  private composed: Array<{ parts: Cell[][]; line: Cell[] } | undefined> = [];
  private overlaysDirty = false;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private closed = false;
  private readonly interval: number;
  private suspended = false;
  private readonly onResize = () => {
    this.prev = null;
    if (!this.suspended) this.emitRaw('\x1b[0m\x1b[2J');
    this.sinkEvents.emit('resize');
  };
  private readonly sinkEvents = new EventEmitter();
  private readonly drawnWaiters: Array<() => void> = [];

  constructor(
    private out: NodeJS.WriteStream,
    private readonly opts: ScreenWriterOptions = {},
  ) {
    this.interval = 1000 / (opts.maxFps ?? 30);
    const self = this;
    const events = this.sinkEvents;
    const sink = {
      isTTY: true,
      get columns() {
        return self.out.columns || 80;
      },
      get rows() {
        return self.out.rows || 24;
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
    this.schedule();
  }

  /**
   * Sets (or with null removes) a region drawn on top of Ink's frame. The screen is updated
   * at the next frame slot without asking Ink to render again.
   */
  setOverlay(id: string, overlay: Overlay | null): void {
    if (this.closed) return;
    if (overlay) this.overlays.set(id, overlay);
    else if (!this.overlays.delete(id)) return;
    this.overlaysDirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    // at once means after what runs now: the changes of one tick (a stats round repaints the
    // table and the header) go out in one diff, not one each
    const wait = Math.max(0, this.lastFlush + this.interval - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Stops drawing (another program has the terminal); frames and overlays are kept for later. */
  suspend(): void {
    this.flush();
    this.suspended = true;
  }

  /** Draws again, the whole screen, from the latest frame and overlays. */
  resume(): void {
    this.suspended = false;
    this.prev = null;
    this.overlaysDirty = true;
    this.schedule();
  }

  /** Draws the pending frame now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.suspended) return;
    const text = this.pending;
    this.pending = null;
    if (this.closed || (text === null && !this.overlaysDirty)) return;
    this.overlaysDirty = false;
    this.lastFlush = Date.now();
    const cols = this.out.columns || 80;
    const rows = this.out.rows || 24;
    if (text !== null) {
      const lines = text.split('\n');
      const base: Cell[][] = [];
      for (let y = 0; y < rows; y++) base.push(parseLine(lines[y] ?? '', cols));
      this.base = base;
    }
    // Overlays wait for Ink's first frame (after a resize Ink sends a new one).
    if (!this.base) return;
    const next = this.compose(this.base, this.base[0]?.length ?? cols, this.base.length);
    const bytes = diffScreens(this.prev, next);
    this.prev = next;
    if (bytes) {
      this.framesWritten++;
      this.emitRaw(bytes);
      const drawn = this.drawnWaiters.splice(0);
      for (const fn of drawn) fn();
    }
  }

  /**
   * Ink's frame with the overlays on top; rows without an overlay are shared, not copied. A
   * row made of the same base row and the same overlay rows as last time is last time's row
   * (overlay painters reuse rows that did not change), so the diff skips it at once.
   */
  private compose(base: Cell[][], cols: number, rows: number): Cell[][] {
    if (!this.overlays.size) return base;
    // what each row is made of: its base row, then the overlay rows drawn on it, in order
    const parts: Array<Cell[][] | null> = new Array(base.length).fill(null);
    for (const o of this.overlays.values()) {
      for (let r = 0; r < o.rows.length; r++) {
        const y = o.y + r;
        if (y < 0 || y >= rows) continue;
        (parts[y] ??= [base[y]!]).push(o.rows[r]!);
      }
    }
    const out = base.slice();
    const made = this.composed;
    for (let y = 0; y < out.length; y++) {
      const now = parts[y];
      if (!now) {
        made[y] = undefined;
        continue;
      }
      const was = made[y];
      if (was && was.parts.length === now.length && was.parts.every((p, i) => p === now[i])) {
        out[y] = was.line;
        continue;
      }
      const line = base[y]!.slice();
      let k = 0;
      for (const o of this.overlays.values()) {
        const r = y - o.y;
        if (r < 0 || r >= o.rows.length) continue;
        const src = now[++k]!;
        for (let c = 0; c < src.length; c++) {
          const x = o.x + c;
          if (x >= 0 && x < cols) line[x] = src[c]!;
        }
      }
      out[y] = line;
      made[y] = { parts: now, line };
    }
    made.length = out.length;
    return out;
  }

  /** Calls `fn` once the next frame has been written (for timing a start). */
  whenDrawn(fn: () => void): void {
    this.drawnWaiters.push(fn);
  }

  /**
   * Draws on another terminal from now on (a client that comes back to its view): the
   * last frame is drawn there whole at once, without asking Ink for a new one; when the new
   * terminal has another size, Ink is told (a 'resize') and draws a frame for it.
   */
  retarget(out: NodeJS.WriteStream): void {
    const sized = (o: NodeJS.WriteStream) => `${o.columns || 80}x${o.rows || 24}`;
    const resized = sized(out) !== sized(this.out);
    this.out.off('resize', this.onResize);
    this.out = out;
    out.on('resize', this.onResize);
    this.closed = false;
    this.prev = null;
    this.overlaysDirty = true;
    if (resized) {
      // the last frame was laid out for the old size: nothing is drawn until Ink's next one
      this.base = null;
      this.pending = null;
      this.emitRaw('\x1b[0m\x1b[2J');
      this.sinkEvents.emit('resize');
    }
    this.schedule();
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

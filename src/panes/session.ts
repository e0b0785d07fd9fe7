// A pane outside React: node-pty runs a command, its output goes into an @xterm/headless
// terminal sized exactly to the pane's inner box, and the terminal's replies (device
// attributes, cursor position reports …) go back to the pty so programs that probe the
// terminal never stall. The UI asks for snapshots of panes that changed (`dirty`).
import { EventEmitter } from 'node:events';
import xtermHeadless from '@xterm/headless';
import { spawn } from 'node:child_process';
import * as pty from 'node-pty';
import type { IPty } from 'node-pty';
import { snapshotTerminal, type PaneSnapshot } from './snapshot.js';
import { parseSignal, type StateSignal } from './status.js';

const { Terminal } = xtermHeadless;
type XTerminal = InstanceType<typeof Terminal>;

export interface PaneCommand {
  file: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * Run (detached, best effort) when the pane is disposed while its process still runs:
   * `docker exec` does not end the process in the container when the client goes away.
   */
  cleanup?: { file: string; args: string[]; env?: Record<string, string | undefined> };
}

export interface PaneSessionOptions extends PaneCommand {
  cols: number;
  rows: number;
  scrollback?: number;
}

export interface PaneExit {
  code: number;
  signal?: number;
}

/** Output waiting to be parsed above which the pty is paused (flow control). */
const HIGH_WATER = 512 * 1024;
const LOW_WATER = 64 * 1024;


/** Output this soon after a resize is the program's redraw, not activity. */
const REDRAW_MS = 400;
export class PaneSession extends EventEmitter {
  readonly term: XTerminal;
  cols: number;
  rows: number;
  /** The screen changed since the last snapshot. */
  dirty = true;
  /** Set when the process ended; cleared by respawn(). */
  exit: PaneExit | null = null;
  /** Time of the last output from the process (ms since epoch). */
  lastOutput = 0;
  /** When the pane last changed size (its program's redraw follows). */
  private resizedAt = 0;
  /** Time of the last input written to the process. */
  lastInput = 0;
  cursorVisible = true;
  /** The title the program last set (OSC 0 / OSC 2), which screen rules may read. */
  programTitle = '';
  /** The last state the agent reported through a hook (cleared when it starts again). */
  signal: StateSignal | null = null;
  private proc: IPty | null = null;
  private pending = 0;
  private paused = false;
  private seq = 0;
  private disposed = false;
  private readonly command: PaneCommand;

  constructor(opts: PaneSessionOptions) {
    super();
    this.cols = Math.max(1, opts.cols);
    this.rows = Math.max(1, opts.rows);
    this.command = { file: opts.file, args: opts.args, env: opts.env, cwd: opts.cwd, cleanup: opts.cleanup };
    this.term = new Terminal({ cols: this.cols, rows: this.rows, scrollback: opts.scrollback ?? 5000, allowProposedApi: true });
    this.term.onData((data) => this.proc?.write(data));
    this.term.onWriteParsed(() => this.markDirty());
    // DECTCEM (cursor shown/hidden) is not in xterm's public API; watch for it without
    // taking it over (returning false lets xterm handle the sequence as well).
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => {
      if (params.includes(25)) this.cursorVisible = true;
      return false;
    });
    this.term.parser.registerCsiHandler({ prefix: '?', final: 'l' }, (params) => {
      if (params.includes(25)) this.cursorVisible = false;
      return false;
    });
    this.term.onTitleChange((t) => {
      this.programTitle = t;
      this.emit('title', t);
    });
    // what agents do to call the user: a bell, or a desktop notification (OSC 9, OSC 777;notify)
    this.term.onBell(() => this.emit('alert', 'rang the bell'));
    this.term.parser.registerOscHandler(9, (data) => {
      // OSC 9;4;… is a progress report (ConEmu, Windows Terminal), not a notification
      if (!/^4;/.test(data)) this.emit('alert', data.trim() || 'sent a notification');
      return true;
    });
    this.term.parser.registerOscHandler(777, (data) => {
      const [kind, title = '', body = ''] = data.split(';');
      if (kind === 'notify') this.emit('alert', [title, body].filter(Boolean).join(': ') || 'sent a notification');
      // an agent's hook reporting its state: OSC 777;berth;state;<state>[;<reason>]
      if (kind === 'berth') {
        const signal = parseSignal(data.slice('berth;'.length), Date.now());
        if (signal) {
          this.signal = signal;
          this.emit('signal', signal);
        }
      }
      return true;
    });
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  /** When the command was last started (ms since the epoch). */
  startedAt = 0;

  /** Starts the command (again after it exited). */
  start(): void {
    if (this.proc || this.disposed) return;
    this.exit = null;
    this.signal = null;
    this.startedAt = Date.now();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...this.command.env })) if (v !== undefined) env[k] = v;
    env.TERM ??= 'xterm-256color';
    const p = pty.spawn(this.command.file, this.command.args, {
      name: 'xterm-256color',
      cols: this.cols,
      rows: this.rows,
      cwd: this.command.cwd ?? process.cwd(),
      env,
    });
    this.proc = p;
    p.onData((data) => this.feed(data));
    p.onExit(({ exitCode, signal }) => {
      if (this.proc !== p) return;
      this.proc = null;
      this.exit = { code: exitCode, signal: signal || undefined };
      // Let the last output be parsed before reporting.
      this.term.write('', () => {
        this.markDirty();
        this.emit('exit', this.exit);
      });
    });
  }

  /**
   * Runs the command again below what the pane showed (its scrollback kept), after a line
   * saying why: a container that restarted under it.
   */
  rerun(note: string): void {
    if (this.proc || this.disposed) return;
    this.term.write(`\r\n\x1b[0;7m ${note} \x1b[0m\r\n`);
    this.cursorVisible = true;
    this.start();
    this.markDirty();
  }

  /** Clears the screen and runs the command again. */
  respawn(): void {
    if (this.proc) return;
    this.term.reset();
    this.cursorVisible = true;
    this.start();
    this.markDirty();
  }

  private feed(data: string): void {
    // what a program draws again because its window changed size is not work: it does not
    // count as output (a resize or zoom would flip every agent to working)
    // (a program's first output always counts: it is no redraw)
    const now = Date.now();
    if (this.lastOutput === 0 || now - this.resizedAt > REDRAW_MS) this.lastOutput = now;
    this.pending += data.length;
    if (!this.paused && this.pending > HIGH_WATER && this.proc) {
      this.paused = true;
      this.proc.pause();
    }
    this.term.write(data, () => {
      this.pending -= data.length;
      if (this.paused && this.pending < LOW_WATER) {
        this.paused = false;
        this.proc?.resume();
      }
    });
  }

  /**
   * Writes bytes typed by the user (or a prompt) to the process. They go through the
   * terminal as user input (and on to the pty through term.onData), which tells xterm to
   * parse the next output at once instead of on its next timer: that output is usually the
   * echo, so it reaches the screen about a millisecond sooner.
   */
  write(data: string): void {
    if (!this.proc) return;
    this.lastInput = Date.now();
    this.term.input(data, true);
  }

  /** Sends text as a bracketed paste when the program asked for it. */
  paste(text: string): void {
    const clean = text.replace(/\x1b\[20[01]~/g, '');
    this.write(this.term.modes.bracketedPasteMode ? `\x1b[200~${clean}\x1b[201~` : clean);
  }

  /** Focus in/out reports, for programs that enabled them (DECSET 1004). */
  focus(focused: boolean): void {
    if (this.term.modes.sendFocusMode) this.write(focused ? '\x1b[I' : '\x1b[O');
  }

  resize(cols: number, rows: number): void {
    cols = Math.max(1, cols);
    rows = Math.max(1, rows);
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    this.resizedAt = Date.now();
    this.term.resize(cols, rows);
    try {
      this.proc?.resize(cols, rows);
    } catch {
      // the process just ended
    }
    this.markDirty();
  }

  kill(signal = 'SIGTERM'): void {
    try {
      this.proc?.kill(signal);
    } catch {
      // already gone
    }
  }

  private lastSnapshot: PaneSnapshot | null = null;

  /**
   * The visible screen; clears `dirty`. Kept until the screen changes, so every client
   * drawing this pane (a session shown in several terminals) gets the same, current one.
   */
  snapshot(): PaneSnapshot {
    const last = this.lastSnapshot;
    if (last && !this.dirty && last.cols === this.cols && last.rows === this.rows) return last;
    this.dirty = false;
    this.lastSnapshot = snapshotTerminal(this.term, this.cursorVisible, ++this.seq);
    return this.lastSnapshot;
  }

  /** The screen as plain text rows (for status detection and tests). */
  text(): string[] {
    const buf = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.rows; y++) out.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
    return out;
  }

  /** Resolves once everything written so far has been parsed. */
  flushed(): Promise<void> {
    return new Promise((r) => this.term.write('', r));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const p = this.proc;
    this.proc = null;
    if (p) this.runCleanup();
    try {
      p?.kill('SIGHUP');
    } catch {
      // already gone
    }
    this.term.dispose();
    this.removeAllListeners();
  }

  /** Ends what the pane started inside a container (see PaneCommand.cleanup). */
  runCleanup(): void {
    const c = this.command.cleanup;
    if (!c) return;
    try {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...process.env, ...c.env })) if (v !== undefined) env[k] = v;
      const child = spawn(c.file, c.args, { env, stdio: 'ignore', detached: true });
      child.on('error', () => {});
      child.unref();
    } catch {
      // best effort
    }
  }

  private markDirty(): void {
    this.dirty = true;
    this.emit('dirty');
  }
}

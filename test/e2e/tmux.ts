// Drives a real program in a private tmux server (its own socket), the way a user would.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { pidAlive } from '../../src/lib/process.js';
import { unreachableCuts } from './cutCheck.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export class Tmux {
  readonly socket: string;
  private readonly session = 'berth-e2e';
  /** Homes berth ran in: their berth servers are ended by kill(). */
  private readonly homes = new Set<string>();

  constructor() {
    this.socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tmux-')), 's');
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Starts `command` (a shell line) in a detached session of cols x rows. */
  start(command: string, cols: number, rows: number, env: Record<string, string>): void {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    const exports = Object.entries(env)
      .map(([k, v]) => `export ${k}=${shellQuote(v)};`)
      .join(' ');
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.session, '-x', String(cols), '-y', String(rows), `${exports} ${command}`);
    this.tmux('set-option', '-g', 'escape-time', '0');
    // a program's OSC 52 (copy to clipboard) becomes a tmux buffer, which buffer() reads
    this.tmux('set-option', '-g', 'set-clipboard', 'on');
  }

  /** The newest tmux paste buffer ('' when there is none). */
  buffer(): string {
    try {
      return this.tmux('show-buffer');
    } catch {
      return '';
    }
  }

  /**
   * berth (the dashboard, or `args`) in this terminal with the environment of berthEnv; the
   * shell prints BEFORE-BERTH first and AFTER-BERTH rc=<exit status> when berth has ended.
   */
  startBerth(home: string, host: string, cols: number, rows: number, opts: { args?: string; env?: Record<string, string> } = {}): void {
    this.homes.add(home);
    this.start(`cd ${shellQuote(home)}; echo BEFORE-BERTH; node ${CLI} ${opts.args ?? ''}; echo AFTER-BERTH rc=$?; sleep 120`, cols, rows, berthEnv(host, home, opts.env));
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  /** Literal text, not key names. */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(cols), '-y', String(rows));
  }

  capture(): string {
    const screen = this.tmux('capture-pane', '-p', '-t', this.session);
    this.checkCuts(screen);
    return screen;
  }

  /**
   * A screen of 80 columns or fewer with a row cut with "…" that its view gives no way to
   * read fails the test that captured it (see cutCheck.ts), there and then.
   */
  private checkCuts(screen: string): void {
    if (!screen.includes('…')) return;
    const { cols } = this.size();
    if (cols > 80) return;
    recordCuts(screen);
    const rows = unreachableCuts(screen, cols);
    if (rows.length) {
      throw new Error(`rows cut with "…" at 80 columns that their view gives no way to read in full (test/e2e/cutCheck.ts):\n${rows.map((r) => `    ${r.trimEnd()}`).join('\n')}\non the screen:\n${screen}`);
    }
  }

  size(): { cols: number; rows: number } {
    const [c, r] = this.tmux('display-message', '-p', '-t', this.session, '#{pane_width} #{pane_height}').trim().split(' ');
    return { cols: Number(c), rows: Number(r) };
  }

  /** From now on, everything the program writes to this terminal is appended to `file` (tmux pipe-pane). */
  pipeOutput(file: string): void {
    this.tmux('pipe-pane', '-o', '-t', this.session, `cat >> ${shellQuote(file)}`);
  }

  /** PID of the shell running in the pane. */
  panePid(): number {
    return Number(this.tmux('display-message', '-p', '-t', this.session, '#{pane_pid}').trim());
  }

  /** Waits until the screen satisfies `pred`; returns the screen. */
  async waitFor(pred: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    const t0 = Date.now();
    let screen = '';
    while (Date.now() - t0 < timeoutMs) {
      screen = this.capture();
      if (pred(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen was:\n${screen}`);
  }

  /** Closes the terminal (the tmux server goes: SIGHUP to what runs in it); berth's server stays. */
  hangUp(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }

  kill(): void {
    this.hangUp();
    for (const home of this.homes) stopBerthServer(home);
    fs.rmSync(path.dirname(this.socket), { recursive: true, force: true });
  }
}

/** The berth server of a test's home (the dashboard's, the sessions'), if one runs: SIGTERM, then SIGKILL. */
export function stopBerthServer(home: string): void {
  const pidFile = path.join(home, 'run', 'berth', 'server.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!(pid > 0)) return;
  const alive = () => pidAlive(pid);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + 5000;
  while (alive() && Date.now() < until) execFileSync('sleep', ['0.05']);
  if (alive()) process.kill(pid, 'SIGKILL');
}

/** The environment berth runs with in a test: the engine at `host`, its own folders under `home`. */
export function berthEnv(host: string, home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DOCKER_HOST: host,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_STATE_HOME: path.join(home, 'state'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_RUNTIME_DIR: path.join(home, 'run'),
    TERM: 'xterm-256color',
    ...extra,
  };
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * BERTH_E2E_CUTS=file: every distinct screen of at most 80 columns that shows a row cut with
 * "…" is appended to the file (JSON lines: the test and the screen), to find what a user at
 * 80x24 cannot read in full.
 */
const seenCuts = new Set<string>();
function recordCuts(screen: string): void {
  const file = process.env.BERTH_E2E_CUTS;
  if (!file || !screen.includes('…') || seenCuts.has(screen)) return;
  if (Math.max(...screen.split('\n').map((l) => [...l].length)) > 80) return;
  seenCuts.add(screen);
  const test = expect.getState().currentTestName ?? '';
  fs.appendFileSync(file, `${JSON.stringify({ test, screen })}\n`);
}

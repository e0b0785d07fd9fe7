// The client side of the session server: finds (or starts) the server, asks it for a list or
// to end sessions, or lends it this terminal (raw input out, screen bytes in) until the
// server says the client may go (detach, session over, taken over by another terminal).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { ReadStream } from 'node:tty';
import { UserError } from '../config/errors.js';
import { stateDir } from '../config/paths.js';
import { OUTER_MODES_OFF } from '../input/paneKeys.js';
import { checkSocketFile, ensureSocketDir } from './socketDir.js';
import { encodeFrame, FrameReader, MSG, PROTOCOL_VERSION, socketPath, type ExitMessage, type Hello, type OmitEach, type VersionInfo } from './protocol.js';
import { makeDirs } from '../lib/makeDirs.js';
import { pidAlive } from '../lib/process.js';

function connect(file: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(file);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The server runs small pieces of code once a second for hours (a stats round, a repaint)
 * and a few very hot ones now and then (a pane's output). V8 optimises a function once it
 * has run a given amount of bytecode; at the default budget the once-a-second code is
 * optimised again and again in the server's first minutes, which cost more CPU than the
 * work itself (150 optimisations in its first minute; 10 with a budget 15 times larger:
 * bench/README.md, "The server's first minute"). Hot code is still optimised within
 * milliseconds. The flag must be on the command line (set at run time it has no effect);
 * it is passed only to the V8 versions known to have it (Node 18 to 24), since Node refuses
 * to start with an unknown one.
 */
export function serverNodeFlags(v8 = process.versions.v8): string[] {
  const major = Number(v8.split('.')[0]);
  return major >= 10 && major <= 13 ? ['--interrupt-budget=1000000'] : [];
}

/**
 * Starts `berth server` in the background, detached from this terminal and not a child of
 * this client (as tmux's server is not its client's): a shell starts it in the background
 * and exits, so the server belongs to no client's process tree.
 */
async function startServer(args: string[]): Promise<void> {
  // loaded only here: a client that finds its server running never needs it
  const { spawn } = await import('node:child_process');
  const cli = process.argv[1];
  if (!cli) throw new UserError('cannot start the session server: the path of berth itself is unknown');
  makeDirs(stateDir());
  const out = fs.openSync(path.join(stateDir(), 'server.out'), 'a', 0o600);
  const child = spawn('/bin/sh', ['-c', '"$@" &', 'sh', process.execPath, ...serverNodeFlags(), cli, 'server', ...args], { detached: true, stdio: ['ignore', out, out], cwd: '/', env: process.env });
  child.unref();
  fs.closeSync(out);
}

/**
 * A connection to the session server; started first when `start` and none runs (`start`
 * may be the server's extra arguments, e.g. --prewarm for a dashboard).
 */
export async function connectServer(start: boolean | string[]): Promise<net.Socket | null> {
  const file = socketPath();
  if (!ensureSocketDir(path.dirname(file), start !== false)) return null;
  checkSocketFile(file);
  try {
    return await connect(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw new UserError(`cannot reach the berth session server at ${file}: ${(e as Error).message}`);
    if (!start) return null;
  }
  await startServer(Array.isArray(start) ? start : []);
  const until = Date.now() + 10_000;
  let last: unknown;
  while (Date.now() < until) {
    // the socket appears some 300 ms after the start: look often, it is one stat() a time
    await sleep(10);
    if (!fs.existsSync(file)) continue;
    try {
      checkSocketFile(file);
      return await connect(file);
    } catch (e) {
      last = e;
    }
  }
  throw new UserError(`the berth session server did not start (see ${path.join(stateDir(), 'server.out')}): ${(last as Error)?.message ?? 'no answer'}`);
}

/**
 * A server of another protocol version (an older or newer berth) answered. One that holds
 * no session is replaced: ended (SIGTERM), so the next connection starts this version's
 * server. One with sessions is left alone and the user is told, in one line, what to do.
 */
async function replaceOtherVersion(info: VersionInfo): Promise<void> {
  if (info.sessions > 0) {
    throw new UserError(
      `a berth session server of another version (protocol ${info.protocol}, this berth speaks ${PROTOCOL_VERSION}) runs ${info.sessions} session(s): ` +
        `finish them or end it with that version's berth kill-server (or kill ${info.pid}), then try again`,
    );
  }
  try {
    process.kill(info.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const until = Date.now() + 5000;
  while (Date.now() < until && pidAlive(info.pid)) await sleep(50);
  // a server that went away without removing its socket leaves it to the next one
  fs.rmSync(socketPath(), { force: true });
}

const otherVersion = (v: VersionInfo | undefined): v is VersionInfo => v !== undefined && v.protocol !== PROTOCOL_VERSION;

/** Reads frames from the server until it ends the connection. */
function frames(socket: net.Socket, onFrame: (type: number, payload: Buffer) => void): Promise<void> {
  const reader = new FrameReader();
  return new Promise((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const f of reader.push(chunk)) onFrame(f.type, f.payload);
      } catch (e) {
        socket.destroy();
        reject(e);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
}

/** Asks the server something that has a JSON answer (list, kill); null when no server runs. */
export async function request<T>(hello: OmitEach<Extract<Hello, { op: 'list' | 'kill' }>, 'v'>, retried = false): Promise<T | null> {
  const socket = await connectServer(false);
  if (!socket) return null;
  let answer: T | undefined;
  let error: string | undefined;
  let version: VersionInfo | undefined;
  const done = frames(socket, (type, payload) => {
    if (type === MSG.reply) answer = JSON.parse(payload.toString('utf8')) as T;
    else if (type === MSG.error) error = payload.toString('utf8');
    else if (type === MSG.version) version = JSON.parse(payload.toString('utf8')) as VersionInfo;
  });
  socket.write(encodeFrame(MSG.hello, JSON.stringify({ ...hello, v: PROTOCOL_VERSION })));
  await done;
  if (otherVersion(version) && !retried) {
    await replaceOtherVersion(version);
    return request<T>(hello, true);
  }
  if (error !== undefined) throw new UserError(error);
  if (answer === undefined) throw new UserError('the berth session server ended the connection without an answer');
  return answer;
}

/** What the server said, or `signal` when this client was told to go (SIGHUP, SIGTERM). */
export type AttachResult = ExitMessage & { signal?: 'SIGHUP' | 'SIGTERM' };

/**
 * Lends this terminal to a session: raw mode, every byte typed goes to the server, every byte
 * it sends goes to the screen, size changes follow. Resolves when the server lets go.
 */
export async function attachTerminal(
  hello: OmitEach<Extract<Hello, { op: 'spawn' | 'attach' | 'open' | 'dashboard' }>, 'v' | 'cols' | 'rows'>,
  stdin: NodeJS.ReadStream = process.stdin,
  stdout: NodeJS.WriteStream = process.stdout,
  /** Aborting lets go of the session as a hang-up would (the session stays). */
  signal?: AbortSignal,
  retried = false,
): Promise<AttachResult> {
  const start = hello.op === 'attach' ? false : hello.op === 'dashboard' ? ['--prewarm', ...(hello.host ? ['--host', hello.host] : [])] : true;
  const socket = await connectServer(start);
  if (!socket) throw new UserError('no berth sessions; start one with berth spawn <project>');
  let result: AttachResult | undefined;
  let error: string | undefined;
  let version: VersionInfo | undefined;
  let drawn = false;
  const done = frames(socket, (type, payload) => {
    if (type === MSG.output) {
      drawn = true;
      stdout.write(payload);
    } else if (type === MSG.exit) result = JSON.parse(payload.toString('utf8')) as AttachResult;
    else if (type === MSG.error) error = payload.toString('utf8');
    else if (type === MSG.version) version = JSON.parse(payload.toString('utf8')) as VersionInfo;
  });
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  socket.write(encodeFrame(MSG.hello, JSON.stringify({ ...hello, ...size(), v: PROTOCOL_VERSION })));

  const wasRaw = (stdin as ReadStream).isRaw ?? false;
  // the dashboard reads stdin too (its keys are off meanwhile): leave it flowing for it
  const wasFlowing = stdin.readableFlowing === true;
  if (stdin.isTTY) (stdin as ReadStream).setRawMode(true);
  const onData = (d: Buffer) => {
    if (!socket.destroyed) socket.write(encodeFrame(MSG.input, d));
  };
  const onResize = () => {
    if (!socket.destroyed) socket.write(encodeFrame(MSG.resize, JSON.stringify(size())));
  };
  // the user's terminal went away (SSH dropped, window closed): just go, the session stays
  let hungUp: false | 'SIGHUP' | 'SIGTERM' | 'abort' = false;
  const onHangup = (sig?: unknown) => {
    hungUp = sig === 'SIGHUP' || sig === 'SIGTERM' ? sig : 'abort';
    socket.destroy();
  };
  signal?.addEventListener('abort', onHangup);
  if (signal?.aborted) onHangup();
  stdin.on('data', onData);
  stdin.resume();
  stdout.on('resize', onResize);
  process.on('SIGHUP', onHangup);
  process.on('SIGTERM', onHangup);
  try {
    await done;
  } catch (e) {
    error ??= `lost the berth session server: ${(e as Error).message}`;
  } finally {
    stdin.off('data', onData);
    if (!wasFlowing) stdin.pause();
    stdout.off('resize', onResize);
    process.off('SIGHUP', onHangup);
    process.off('SIGTERM', onHangup);
    signal?.removeEventListener('abort', onHangup);
    try {
      if (stdin.isTTY) (stdin as ReadStream).setRawMode(wasRaw);
      // the server leaves the alternate screen itself; if it went away without, do it here
      if (drawn && !result) stdout.write(`\x1b[0m${OUTER_MODES_OFF}\x1b[?25h\x1b[?1049l`);
    } catch {
      // no terminal left
    }
  }
  if (hungUp) return { reason: 'detach', name: ('name' in hello && hello.name) || '', signal: hungUp === 'abort' ? undefined : hungUp };
  if (otherVersion(version) && !retried) {
    await replaceOtherVersion(version);
    return attachTerminal(hello, stdin, stdout, signal, true);
  }
  if (error !== undefined) throw new UserError(error);
  if (!result) {
    // the server closed the connection without an exit frame: it dropped this client (its
    // output queue was full: the terminal did not keep up) or it ended abruptly
    throw new UserError(`the berth server closed this connection without a word (a terminal too slow to read its output is dropped; see ${path.join(stateDir(), 'server.log')})`);
  }
  return result;
}

/** What a client prints when it leaves, as tmux does. */
export function exitLine(r: AttachResult): string {
  switch (r.reason) {
    case 'detach':
      return `[detached (from session ${r.name})]`;
    case 'taken':
      return `[detached (from session ${r.name}): attached from another terminal]`;
    case 'killed':
      return `[session ${r.name} ended]`;
    case 'shutdown':
      return '[server exited]';
    case 'empty':
    case 'quit':
      return '[exited]';
  }
}

// What the session server and its clients say to each other over the Unix socket: frames of
// one type byte, a 4-byte big-endian length and the payload. The client sends a hello (what
// it wants, as JSON), then the user's raw input and size changes; the server sends terminal
// output, a reply (JSON) or an error line, and an exit reason when the client should go.
import path from 'node:path';
import { runtimeDir } from '../config/paths.js';
import type { SpawnOptions } from '../workspace/spawn.js';

export const PROTOCOL_VERSION = 2;

export const MSG = {
  hello: 1,
  input: 2,
  resize: 3,
  output: 4,
  exit: 5,
  error: 6,
  reply: 7,
  /** Server -> client, before the error line, when their protocol versions differ. */
  version: 8,
} as const;

/** What a server tells a client of another protocol version, so the client can replace an idle one. */
export interface VersionInfo {
  protocol: number;
  sessions: number;
  pid: number;
}
export type MsgType = (typeof MSG)[keyof typeof MSG];

/** Frames larger than this are refused by default: nothing berth sends comes close. */
const MAX_FRAME = 64 * 1024 * 1024;

export interface Frame {
  type: number;
  payload: Buffer;
}

export function encodeFrame(type: MsgType, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const head = Buffer.allocUnsafe(5);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** Cuts a byte stream into frames, however the stream was split into chunks. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);

  /** `max`: the largest payload accepted; a larger one throws (the server reads clients with a small one). */
  constructor(private readonly max = MAX_FRAME) {}

  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buf.length >= 5) {
      const len = this.buf.readUInt32BE(1);
      if (len > this.max) throw new Error(`frame of ${len} bytes is too large (at most ${this.max})`);
      if (this.buf.length < 5 + len) break;
      out.push({ type: this.buf.readUInt8(0), payload: this.buf.subarray(5, 5 + len) });
      this.buf = this.buf.subarray(5 + len);
    }
    return out;
  }
}

/** A spawn as the client asks for it: SpawnOptions that survive JSON. */
export type SpawnRequest = Omit<SpawnOptions, 'into'>;

/** What every request that shows a session carries. */
interface Screen {
  v: number;
  cols: number;
  rows: number;
  prefix: string;
  /** false when the client is already in the alternate screen (the dashboard). */
  fullscreen?: boolean;
  /** The client's `[panes] mouse` setting. */
  mouse?: boolean;
}

export type Hello =
  | (Screen & { op: 'spawn'; name: string; spawn: SpawnRequest })
  /** `detachOthers`: tmux's `attach -d`, the other clients of the session are detached. */
  | (Screen & { op: 'attach'; name?: string; detachOthers?: boolean })
  /**
   * The dashboard's keys: shows the session `name`, creating it when needed. `agents`: make sure
   * it has agent panes (started from this request when it has none); `shell`: a shell pane for
   * this container, focused (added when it has none).
   */
  | (Screen & {
      op: 'open';
      name: string;
      agents?: SpawnRequest;
      /** `berth add`: the session must exist, and the agents are added even when it has some. */
      add?: boolean;
      /** With add: the agents go into a new window of the session, named this (the dashboard's A). */
      window?: string;
      /** Show this window and pane of the session (the dashboard's N). */
      focus?: { window: number; pane: number };
      shell?: { container: string; env: Record<string, string | undefined> };
    })
  /**
   * The dashboard, drawn by the server for this client. `env`: the client's Docker and
   * colour variables (DOCKER_HOST, DOCKER_CONTEXT, NO_COLOR …), so the engine and the
   * colours are the ones this terminal would get; `host`, `theme`: the command line's.
   */
  | (Screen & { op: 'dashboard'; host?: string; theme?: string; env: Record<string, string> })
  | { v: number; op: 'list' }
  | { v: number; op: 'kill'; name?: string; all?: boolean; dryRun?: boolean };

export interface PaneInfo {
  /** Its number in its window (what C-b q shows). */
  index: number;
  /** The window it is in. */
  window: number;
  title: string;
  kind: string;
  status: string;
  running: boolean;
  container?: string;
  /** What its program called the user with (a bell, a notification), until they typed into it. */
  alert?: string;
}

export interface SessionInfo {
  name: string;
  created: number;
  attached: boolean;
  /** How many clients show it (they share it at the smallest client's size). */
  clients: number;
  /** Window names, in order (tmux's window list). */
  windows: string[];
  /** The window shown. */
  window: number;
  /** Every pane of every window. */
  panes: PaneInfo[];
}

/** Omit for each member of a union on its own. */
export type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Why the server let a client go. */
export type ExitReason = 'detach' | 'empty' | 'taken' | 'killed' | 'shutdown' | 'quit';

export interface ExitMessage {
  reason: ExitReason;
  name: string;
  /** What happened last, e.g. "box-1: shell exited" when the last pane's shell ended. */
  note?: string;
  /** quit: the process exit status the client should end with. */
  code?: number;
}

export function socketPath(): string {
  return path.join(runtimeDir(), 'server.sock');
}

export function pidPath(): string {
  return path.join(runtimeDir(), 'server.pid');
}

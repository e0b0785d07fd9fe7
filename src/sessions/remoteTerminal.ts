// The terminal of a client on the other end of the session socket, shaped like the
// process.stdin / process.stdout pair openWorkspace draws on: what the workspace writes
// goes to the client as output frames, what the user types arrives as input frames, and a
// size change from the client is a 'resize' event, as SIGWINCH would be.
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { log } from '../logging.js';
import { encodeFrame, MSG } from './protocol.js';

/**
 * Output queued for one client at most: a client that stops reading (a frozen terminal, a
 * hostile process) is dropped rather than buffered without limit. Several full redraws of
 * the largest terminal fit.
 */
export const MAX_CLIENT_QUEUE = 16 << 20;

export class RemoteOutput extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;

  constructor(
    private readonly socket: net.Socket,
    cols: number,
    rows: number,
  ) {
    super();
    this.columns = cols;
    this.rows = rows;
  }

  /** The client has gone. */
  get closed(): boolean {
    return this.socket.destroyed;
  }

  write(data: string | Uint8Array): boolean {
    if (this.socket.destroyed) throw new Error('the client has gone');
    if (this.socket.writableLength > MAX_CLIENT_QUEUE) {
      log.warn(`session client dropped: it has not read ${this.socket.writableLength} bytes of output (at most ${MAX_CLIENT_QUEUE} are kept)`);
      this.socket.destroy();
      throw new Error('the client has gone');
    }
    this.socket.write(encodeFrame(MSG.output, typeof data === 'string' ? data : Buffer.from(data)));
    return true;
  }

  resize(cols: number, rows: number): void {
    if (cols === this.columns && rows === this.rows) return;
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

export class RemoteInput extends EventEmitter {
  /** Raw mode is the client's business: its own terminal is in raw mode. */
  readonly isTTY = false;

  push(data: Buffer): void {
    this.emit('data', data);
  }

  resume(): this {
    return this;
  }

  pause(): this {
    return this;
  }
}

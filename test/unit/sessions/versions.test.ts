// A client meeting a session server of another protocol version (another berth install):
// an idle one is replaced, one holding sessions is left alone with a one-line explanation.
// The "other version" is a real process on the real socket that answers as such a server
// would: a version frame, then its error line.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from '../../../src/sessions/client.js';
import { PROTOCOL_VERSION, socketPath } from '../../../src/sessions/protocol.js';

let dir: string;
let other: ChildProcess | null = null;
const saved = process.env.XDG_RUNTIME_DIR;

/** A server that speaks protocol 99 and holds `sessions` sessions. */
function otherServer(sessions: number): Promise<ChildProcess> {
  const script = `
    const net = require('node:net');
    const frame = (t, s) => { const b = Buffer.from(s); const h = Buffer.alloc(5); h.writeUInt8(t, 0); h.writeUInt32BE(b.length, 1); return Buffer.concat([h, b]); };
    net.createServer((c) => {
      c.once('data', () => {
        c.write(frame(8, JSON.stringify({ protocol: 99, sessions: ${sessions}, pid: process.pid })));
        c.end(frame(6, 'this berth session server speaks protocol 99, the client ${PROTOCOL_VERSION}'));
      });
    }).listen(process.argv[1], () => process.stdout.write('up\\n'));
    process.on('SIGTERM', () => process.exit(0));
  `;
  const child = spawn(process.execPath, ['-e', script, socketPath()], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout!.once('data', () => resolve(child)));
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-versions-'));
  process.env.XDG_RUNTIME_DIR = dir;
  fs.mkdirSync(path.join(dir, 'berth'), { mode: 0o700 });
});

afterEach(() => {
  other?.kill('SIGKILL');
  other = null;
  process.env.XDG_RUNTIME_DIR = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a server of another protocol version', () => {
  it('holding no session is replaced: ended, its socket gone', async () => {
    other = await otherServer(0);
    const exited = new Promise((r) => other!.once('exit', r));
    expect(await request({ op: 'list' })).toBeNull(); // no server of this version runs afterwards
    await exited;
    expect(fs.existsSync(socketPath())).toBe(false);
  });

  it('holding sessions is left running, and the user is told what to do in one line', async () => {
    other = await otherServer(2);
    const err = await request({ op: 'list' }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toBe(
      `a berth session server of another version (protocol 99, this berth speaks ${PROTOCOL_VERSION}) runs 2 session(s): finish them or end it with that version's berth kill-server (or kill ${other.pid}), then try again`,
    );
    expect(other.exitCode).toBeNull();
  });
});

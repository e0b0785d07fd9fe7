// What the session server takes from a client and where its socket lives: the schema of
// hello and resize frames (with sizes clamped), the checks on the socket folder that keep
// another local user from putting a listener there first, and the bound on what is queued
// for a client that stops reading.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectServer } from '../../../src/sessions/client.js';
import { checkHello, checkResize, MAX_COLS, MAX_ROWS } from '../../../src/sessions/messages.js';
import { PROTOCOL_VERSION, socketPath } from '../../../src/sessions/protocol.js';
import { MAX_CLIENT_QUEUE, RemoteOutput } from '../../../src/sessions/remoteTerminal.js';
import { SessionServer } from '../../../src/sessions/server.js';
import { checkSocketFile, ensureSocketDir } from '../../../src/sessions/socketDir.js';

const j = (v: unknown) => Buffer.from(JSON.stringify(v));
const attach = { v: PROTOCOL_VERSION, op: 'attach', name: 's', cols: 80, rows: 24, prefix: 'C-b' };

describe('hello and resize frames', () => {
  it('accepts every request berth itself sends', () => {
    const ok = [
      attach,
      { v: PROTOCOL_VERSION, op: 'list' },
      { v: PROTOCOL_VERSION, op: 'kill', all: true, dryRun: true },
      { v: PROTOCOL_VERSION, op: 'spawn', name: 'p', cols: 80, rows: 24, prefix: 'C-a', spawn: { project: 'p', agents: [{ kind: 'cc', count: 2, model: 'opus', prompt: 'hi' }], layout: 'tiled', user: true, trust: false, defaultAgents: true } },
      { v: PROTOCOL_VERSION, op: 'open', name: 'p', cols: 80, rows: 24, prefix: 'C-b', fullscreen: false, mouse: true, shell: { container: 'p-web-1', env: { DOCKER_HOST: 'unix:///x.sock' } } },
      { v: PROTOCOL_VERSION, op: 'dashboard', cols: 80, rows: 24, prefix: 'C-b', host: 'unix:///x.sock', theme: 'default', env: { DOCKER_CONTEXT: 'x', PWD: '/src' } },
    ];
    for (const h of ok) expect(checkHello(j(h))).toMatchObject({ ok: true });
  });

  it('refuses nulls, wrong types, unknown fields and absurd requests with the field at fault', () => {
    const bad: Array<[unknown, string]> = [
      [null, 'bad hello: it needs a protocol version "v" and an "op"'],
      [{ ...attach, op: 'open', name: 'p', shell: { container: null, env: {} } }, 'bad hello: shell.container: Expected string, received null'],
      [{ ...attach, cols: '80' }, 'bad hello: cols: Expected number, received string'],
      [{ ...attach, cols: null }, 'bad hello: cols: Expected number, received null'],
      [{ ...attach, name: 'a\0b' }, 'bad hello: name: contains a NUL byte'],
      [{ ...attach, extra: 1 }, "bad hello: the message: Unrecognized key(s) in object: 'extra'"],
      [{ v: PROTOCOL_VERSION, op: 'shutdown' }, "bad hello: op: Invalid discriminator value. Expected 'spawn' | 'attach' | 'open' | 'dashboard' | 'list' | 'kill'"],
      [{ v: PROTOCOL_VERSION, op: 'dashboard', cols: 80, rows: 24, prefix: 'C-b', env: { NO_COLOR: null } }, 'bad hello: env.NO_COLOR: Expected string, received null'],
      [{ v: PROTOCOL_VERSION, op: 'open', name: 'p', cols: 80, rows: 24, prefix: 'C-b', shell: { container: 'c', env: { A: 1 } } }, 'bad hello: shell.env.A: Expected string, received number'],
      [{ v: PROTOCOL_VERSION, op: 'spawn', name: 'p', cols: 80, rows: 24, prefix: 'C-b', spawn: { project: 'p', agents: [{ kind: 'cc', count: 40 }, { kind: 'cod', count: 40 }] } }, 'bad hello: spawn: asks for more than 64 panes'],
    ];
    for (const [h, msg] of bad) expect(checkHello(j(h))).toEqual({ ok: false, error: msg });
    expect(checkHello(Buffer.from('{"v":'))).toEqual({ ok: false, error: 'bad hello: not JSON' });
  });

  it('clamps sizes to what a terminal can be and says so', () => {
    expect(checkHello(j({ ...attach, cols: 100000, rows: 100000 }))).toEqual({ ok: true, value: { ...attach, cols: MAX_COLS, rows: MAX_ROWS }, clamped: `100000x100000 clamped to ${MAX_COLS}x${MAX_ROWS}` });
    expect(checkResize(j({ cols: 50000, rows: 50000 }))).toMatchObject({ ok: true, value: { cols: MAX_COLS, rows: MAX_ROWS } });
    expect(checkResize(j({ cols: -4, rows: 0.5 }))).toMatchObject({ ok: true, value: { cols: 1, rows: 1 } });
    expect(checkResize(j({ cols: 120, rows: 40 }))).toEqual({ ok: true, value: { cols: 120, rows: 40 }, clamped: undefined });
    expect(checkResize(j({ cols: 1e400, rows: 1 }))).toMatchObject({ ok: false });
    expect(checkResize(j(null))).toMatchObject({ ok: false, error: 'bad resize: the message: Expected object, received null' });
  });
});

describe('the socket folder', () => {
  let dir: string;
  const saved = { run: process.env.XDG_RUNTIME_DIR };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sockdir-'));
  });
  afterEach(() => {
    process.env.XDG_RUNTIME_DIR = saved.run;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is created 0700 when missing', () => {
    const d = path.join(dir, 'berth');
    expect(ensureSocketDir(d, false)).toBe(false);
    expect(fs.existsSync(d)).toBe(false);
    expect(ensureSocketDir(d, true)).toBe(true);
    expect(fs.statSync(d).mode & 0o777).toBe(0o700);
  });

  it('refuses a 0777 folder, a link and a file, saying what to fix; leaves them as they are', () => {
    const open = path.join(dir, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    expect(() => ensureSocketDir(open, true)).toThrow(`refusing to use the session socket folder: ${open} has mode 0777, open to other users: make it private with chmod 700 ${open}`);
    expect(fs.statSync(open).mode & 0o777).toBe(0o777);
    fs.chmodSync(open, 0o750);
    expect(() => ensureSocketDir(open, true)).toThrow(/has mode 0750/);
    const link = path.join(dir, 'link');
    fs.symlinkSync(open, link);
    expect(() => ensureSocketDir(link, true)).toThrow(`refusing to use the session socket folder: ${link} is a symbolic link: remove it (berth creates the folder itself)`);
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    expect(() => ensureSocketDir(file, true)).toThrow(/is not a folder/);
  });

  it.runIf(process.getuid?.() === 0)('refuses a folder of another user (what a local attacker would create first)', () => {
    const theirs = path.join(dir, 'theirs');
    fs.mkdirSync(theirs, { mode: 0o700 });
    fs.chownSync(theirs, 4242, 4242);
    expect(() => ensureSocketDir(theirs, true)).toThrow(`${theirs} belongs to uid 4242, not to you (uid 0): remove it, or set XDG_RUNTIME_DIR to a folder of your own`);
  });

  it.runIf(fs.existsSync('/proc/self'))('a runtime folder that cannot be created is one line, not a hang (XDG_RUNTIME_DIR=/proc/x)', () => {
    expect(() => ensureSocketDir('/proc/x/berth', true)).toThrow('cannot create /proc/x/berth: cannot create /proc/x (ENOENT)');
  });

  it('refuses a socket path that is not a socket', () => {
    const f = path.join(dir, 'server.sock');
    fs.writeFileSync(f, '');
    expect(() => checkSocketFile(f)).toThrow(`refusing to use ${f}: it is not a socket; remove it`);
  });

  it('the client refuses to connect into an unsafe folder, and the server to listen there', async () => {
    process.env.XDG_RUNTIME_DIR = dir;
    const d = path.join(dir, 'berth');
    fs.mkdirSync(d, { mode: 0o777 });
    fs.chmodSync(d, 0o777);
    await expect(connectServer(false)).rejects.toThrow(/has mode 0777/);
    await expect(new SessionServer({ socketPath: socketPath() }).listen()).rejects.toThrow(/has mode 0777/);
    expect(fs.existsSync(socketPath())).toBe(false);
  });
});

describe('output for a client', () => {
  it('a client that stops reading is dropped once its queue passes the bound', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-queue-'));
    const file = path.join(dir, 's');
    let peer!: net.Socket;
    const server = net.createServer((c) => {
      peer = c;
      c.pause(); // never reads
    });
    await new Promise<void>((r) => server.listen(file, r));
    const socket = net.connect(file);
    await new Promise((r) => socket.once('connect', r));
    const out = new RemoteOutput(socket, 80, 24);
    const screen = 'x'.repeat(64 * 1024);
    let written = 0;
    let error: Error | null = null;
    try {
      for (let i = 0; i < 1000; i++) {
        out.write(screen);
        written += screen.length;
      }
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toBe('the client has gone');
    expect(socket.destroyed).toBe(true);
    expect(written).toBeGreaterThan(MAX_CLIENT_QUEUE - screen.length);
    expect(written).toBeLessThan(MAX_CLIENT_QUEUE + 2 * screen.length + 4 * 1024 * 1024);
    peer?.destroy();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

// The session server under hostile and broken input: a real `berth server` process with a
// live session (a shell pane through `docker exec` into a container of the private engine)
// gets thousands of random and mutated frames; it must refuse each bad one on its own
// connection, keep serving, keep the session's pane running, and keep its memory bounded.
// The cases that once killed or bloated it are regression tests of their own.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../harness/random.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { encodeFrame, FrameReader, MSG, PROTOCOL_VERSION, type SessionInfo } from '../../src/sessions/protocol.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const NAME = `berth-fuzz-${process.pid}`;

let engine: TestEngine;
let dir: string;
let runtime: string;
let server: ChildProcess;
let socketFile: string;

function env(): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: engine.host, XDG_RUNTIME_DIR: runtime, XDG_STATE_HOME: path.join(dir, 'state') };
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0);
}

function alive(): boolean {
  return server.exitCode === null && server.signalCode === null;
}

/** Sends raw bytes on a new connection; resolves with what came back once the server closed it (or after ms). */
function exchange(bytes: Buffer[], ms = 1500): Promise<{ frames: { type: number; text: string }[]; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(socketFile);
    const reader = new FrameReader();
    const frames: { type: number; text: string }[] = [];
    let closedByServer = false;
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ frames, closedByServer });
    }, ms);
    s.on('connect', () => {
      for (const b of bytes) s.write(b);
    });
    s.on('data', (c: Buffer) => {
      try {
        for (const f of reader.push(c)) frames.push({ type: f.type, text: f.payload.toString('utf8') });
      } catch {
        // output of a screen may be cut by the timer
      }
    });
    s.on('error', () => {});
    s.on('end', () => {
      closedByServer = true;
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ frames, closedByServer });
    });
  });
}

const hello = (h: unknown) => encodeFrame(MSG.hello, typeof h === 'string' ? h : JSON.stringify(h));
const errorOf = (r: { frames: { type: number; text: string }[] }) => r.frames.find((f) => f.type === MSG.error)?.text;

async function list(): Promise<SessionInfo[]> {
  const r = await exchange([hello({ v: PROTOCOL_VERSION, op: 'list' })], 5000);
  const reply = r.frames.find((f) => f.type === MSG.reply);
  if (!reply) throw new Error(`no list reply: ${JSON.stringify(r.frames)}`);
  return JSON.parse(reply.text) as SessionInfo[];
}

/** The live session the fuzzing must not hurt: a shell in the container. */
const openShell = () => ({ v: PROTOCOL_VERSION, op: 'open', name: 'fz', cols: 80, rows: 24, prefix: 'C-b', shell: { container: NAME, env: { DOCKER_HOST: engine.host } } });

async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  engine = await getTestEngine();
  await engine.dockerCli(['run', '-d', '--name', NAME, '--label', 'berth.test=1', '--network', 'none', engine.image, 'sleep', '3600']);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-fuzz-'));
  runtime = path.join(dir, 'run');
  fs.mkdirSync(runtime, { mode: 0o700 });
  socketFile = path.join(runtime, 'berth', 'server.sock');
  server = spawn(process.execPath, [CLI, 'server'], { env: env(), stdio: 'ignore' });
  await until(() => fs.existsSync(socketFile), 'the server socket');
  // open the session and leave it (the client goes, the session stays)
  const r = await exchange([hello(openShell()), encodeFrame(MSG.input, 'echo fuzz-ready-$((6*7))\r')], 4000);
  expect(errorOf(r)).toBeUndefined();
  await until(async () => (await list()).some((s) => s.name === 'fz' && s.panes[0]?.running === true), 'the live session');
});

afterAll(async () => {
  if (server && alive()) {
    server.kill('SIGTERM');
    await until(() => !alive(), 'the server to stop', 10_000).catch(() => server.kill('SIGKILL'));
  }
  await engine?.dockerCli(['rm', '-f', NAME]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('session server regressions', () => {
  it('a hello whose shell.container is null is refused in one line; the server lives on', async () => {
    const r = await exchange([hello({ ...openShell(), name: 'bad', shell: { container: null, env: {} } })]);
    expect(errorOf(r)).toBe('berth session server: bad hello: shell.container: Expected string, received null');
    expect(alive()).toBe(true);
    expect((await list()).map((s) => s.name)).toEqual(['fz']);
  });

  it('a hello of null, or of no JSON, is refused and leaves no stack trace in the log', async () => {
    expect(errorOf(await exchange([hello('null')]))).toBe('berth session server: bad hello: it needs a protocol version "v" and an "op"');
    expect(errorOf(await exchange([hello('{"v":1,')]))).toBe('berth session server: bad hello: not JSON');
    const logText = fs.readFileSync(path.join(dir, 'state', 'berth', 'server.log'), 'utf8');
    expect(logText).toContain('session client refused: bad hello');
    expect(logText).not.toMatch(/\n\s+at /);
  });

  it('an attach of 100000 columns and a resize of 50000x50000 are clamped; memory stays small', async () => {
    const before = rssKb(server.pid!);
    const r = await exchange(
      [hello({ v: PROTOCOL_VERSION, op: 'attach', name: 'fz', cols: 100000, rows: 100000, prefix: 'C-b' }), encodeFrame(MSG.resize, JSON.stringify({ cols: 50000, rows: 50000 }))],
      3000,
    );
    expect(r.frames.some((f) => f.type === MSG.output)).toBe(true);
    expect(alive()).toBe(true);
    expect(rssKb(server.pid!) - before).toBeLessThan(150 * 1024);
    expect(fs.readFileSync(path.join(dir, 'state', 'berth', 'server.log'), 'utf8')).toContain('clamped to 1000x500');
  });

  it('an oversized frame header and an unknown frame type close only that connection', async () => {
    const huge = Buffer.alloc(5);
    huge.writeUInt8(MSG.input, 0);
    huge.writeUInt32BE(0xffffffff, 1);
    expect(errorOf(await exchange([huge]))).toMatch(/^berth session server: frame of 4294967295 bytes is too large/);
    expect(errorOf(await exchange([hello({ v: PROTOCOL_VERSION, op: 'list' }).subarray(0, 3)], 500))).toBeUndefined();
    const odd = Buffer.concat([hello({ v: PROTOCOL_VERSION, op: 'attach', name: 'nope', cols: 80, rows: 24, prefix: 'C-b' })]);
    expect(errorOf(await exchange([odd]))).toBe('no session "nope" (berth ls lists them)');
    expect(errorOf(await exchange([encodeFrame(9 as never, 'x')]))).toBe('berth session server: the first frame must be a hello, not type 9');
    // a client of another version learns whether this server holds sessions (so it can replace an idle one)
    const other = await exchange([hello({ v: PROTOCOL_VERSION + 1, op: 'list' })]);
    expect(JSON.parse(other.frames.find((f) => f.type === MSG.version)!.text)).toEqual({ protocol: PROTOCOL_VERSION, sessions: 1, pid: server.pid });
    expect(errorOf(other)).toBe(`this berth session server speaks protocol ${PROTOCOL_VERSION}, the client ${PROTOCOL_VERSION + 1}: end it with berth kill-server, then try again`);
  });

  it('a client that stops reading while the pane redraws does not grow the server or stop other clients', async () => {
    const before = rssKb(server.pid!);
    const s = net.connect(socketFile);
    await new Promise((r) => s.once('connect', r));
    s.write(hello({ v: PROTOCOL_VERSION, op: 'attach', name: 'fz', cols: 400, rows: 100, prefix: 'C-b' }));
    s.pause(); // reads nothing from now on
    s.write(encodeFrame(MSG.input, 'i=0; while [ $i -lt 400 ]; do printf "\\033[H\\033[2J"; seq -s " " $i $((i+9000)); i=$((i+1)); done\r'));
    // and asks for a full redraw again and again
    for (let k = 0; k < 2000; k++) s.write(encodeFrame(MSG.resize, JSON.stringify({ cols: 400 - (k % 2), rows: 100 })));
    await new Promise((r) => setTimeout(r, 5000));
    expect(alive()).toBe(true);
    expect((await list()).find((x) => x.name === 'fz')?.attached).toBe(true);
    expect(rssKb(server.pid!) - before).toBeLessThan(150 * 1024);
    s.destroy();
    await until(async () => (await list()).find((x) => x.name === 'fz')?.attached === false, 'the stuck client to be let go');
  }, 40_000);
});


const ODD_VALUES: unknown[] = [null, true, 0, -1, 1e308, -1e308, 2 ** 53, 100000, 'x', '', '\0', 'a'.repeat(5000), [], [1, 2], {}, { a: 1 }];

function mutate(value: unknown, rand: () => number, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 4) return ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)];
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (!keys.length) return ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)];
  const k = keys[Math.floor(rand() * keys.length)]!;
  const roll = rand();
  if (roll < 0.2) delete copy[k];
  else if (roll < 0.6) copy[k] = mutate(copy[k], rand, depth + 1);
  else copy[k] = ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)];
  return copy;
}

describe('session server fuzz', () => {
  it('thousands of random and mutated frames: it still serves, the session lives, memory stays bounded', async () => {
    const rand = rng(0xbe47);
    const valid: unknown[] = [
      { v: PROTOCOL_VERSION, op: 'list' },
      { v: PROTOCOL_VERSION, op: 'kill', name: 'none-such', dryRun: true },
      { v: PROTOCOL_VERSION, op: 'attach', name: 'none-such', cols: 80, rows: 24, prefix: 'C-b' },
      { v: PROTOCOL_VERSION, op: 'spawn', name: 'fz', cols: 80, rows: 24, prefix: 'C-b', spawn: { project: 'fz', agents: [{ kind: 'cc', count: 1 }] } },
      { ...openShell(), name: 'fz' },
    ];
    const start = rssKb(server.pid!);
    let frames = 0;
    let refused = 0;
    const t0 = Date.now();
    // bounded in count and time
    for (let round = 0; round < 700 && Date.now() - t0 < 60_000; round++) {
      const bytes: Buffer[] = [];
      const kind = rand();
      if (kind < 0.45) {
        // a valid hello with a field mutated (types, nulls, huge numbers, deletions)
        const base = valid[Math.floor(rand() * valid.length)]!;
        let h = mutate(base, rand);
        // never a request that would really end or change the live session
        if (h && typeof h === 'object' && ((h as { op?: unknown }).op === 'kill' || (h as { name?: unknown }).name === 'fz')) h = { ...(h as object), name: 'other', all: false };
        bytes.push(hello(h));
        for (let i = 0; i < 3; i++) {
          bytes.push(encodeFrame(MSG.resize, JSON.stringify(mutate({ cols: 80, rows: 24 }, rand))));
          frames++;
        }
      } else if (kind < 0.65) {
        // random bytes, framed or not
        const n = Math.floor(rand() * 600);
        const b = Buffer.alloc(n);
        for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
        bytes.push(rand() < 0.5 ? b : encodeFrame(MSG.hello, b));
      } else if (kind < 0.8) {
        // a valid frame cut short, or with a length that lies
        const f = hello(valid[Math.floor(rand() * 3)]);
        const cut = Buffer.from(f.subarray(0, Math.floor(rand() * f.length)));
        if (cut.length >= 5 && rand() < 0.5) cut.writeUInt32BE(Math.floor(rand() * 0xffffffff), 1);
        bytes.push(cut);
      } else {
        // frames of other types before or instead of a hello, and a wrong protocol version
        bytes.push(encodeFrame((1 + Math.floor(rand() * 9)) as never, JSON.stringify(mutate({ cols: 1, rows: 1 }, rand))));
        if (rand() < 0.5) bytes.push(hello({ v: PROTOCOL_VERSION + 1 + Math.floor(rand() * 5), op: 'list' }));
      }
      frames += bytes.length;
      const r = await exchange(bytes, 300);
      if (errorOf(r)) refused++;
      if (!alive()) throw new Error(`the server died in round ${round} on ${JSON.stringify(bytes.map((b) => b.toString('latin1')))}`);
    }
    expect(frames).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(100);
    // still serves: the list answers, the live session's pane still runs and still echoes
    const sessions = await list();
    expect(sessions.find((s) => s.name === 'fz')?.panes[0]?.running).toBe(true);
    const r = await exchange([hello({ v: PROTOCOL_VERSION, op: 'attach', name: 'fz', cols: 80, rows: 24, prefix: 'C-b' }), encodeFrame(MSG.input, 'echo still-$((40+2))-here\r')], 3000);
    expect(r.frames.filter((f) => f.type === MSG.output).map((f) => f.text).join('')).toContain('still-42-here');
    expect(rssKb(server.pid!) - start).toBeLessThan(100 * 1024);
  }, 120_000);
});

// The tar reader never loops and never hangs: real archives (one recorded from the Docker
// engine's archive API, and ones GNU tar writes in PAX, GNU and ustar formats) are mutated
// (header fields with their checksums fixed, PAX records, sizes, truncation, random bytes)
// and every case must end in a result or a one-line error within a second. The reader runs
// in a worker thread that a watchdog can end, because a reader stuck in a loop would block
// the test's own timers too.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom as rng } from '../../harness/random.js';
import { BLOCK, headerChecksum } from '../../../src/ops/backup/tar.js';

const here = import.meta.dirname;
const ROOT = path.resolve(here, '../../..');
const recorded = fs.readFileSync(path.join(here, 'fixtures', 'docker-archive.tar'));
let dir: string;
let readerModule: string;
const bases: Buffer[] = [recorded];

interface Outcome {
  i: number;
  ok: boolean;
  message?: string;
  entries?: number;
}

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
const { TarReader } = await import(workerData.module);
for (let i = 0; i < workerData.cases.length; i++) {
  const buf = Buffer.from(workerData.cases[i]);
  const chunk = workerData.chunks[i];
  let entries = 0;
  try {
    const reader = new TarReader(() => { entries++; return { data() {}, end() {} }; });
    for (let p = 0; p < buf.length; p += chunk) await reader.write(buf.subarray(p, p + chunk));
    reader.end();
    parentPort.postMessage({ i, ok: true, entries });
  } catch (e) {
    parentPort.postMessage({ i, ok: false, message: String(e && e.message), name: e && e.name });
  }
}
`;

/** Runs the cases in a worker; rejects naming the first case that took longer than 1 s. */
function runCases(cases: Buffer[], chunks: number[]): Promise<Array<Outcome & { name?: string }>> {
  const workerFile = path.join(dir, 'worker.mjs');
  fs.writeFileSync(workerFile, WORKER);
  return new Promise((resolve, reject) => {
    const out: Array<Outcome & { name?: string }> = [];
    const w = new Worker(workerFile, { workerData: { module: readerModule, cases, chunks } });
    let watchdog: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        void w.terminate();
        const i = out.length;
        reject(new Error(`case ${i} (${cases[i]!.length} bytes, read in chunks of ${chunks[i]}; the cases are made from a fixed seed) did not end within a second`));
      }, 1000);
    };
    arm();
    w.on('message', (m: Outcome) => {
      out.push(m);
      if (out.length === cases.length) {
        clearTimeout(watchdog);
        void w.terminate();
        resolve(out);
      } else arm();
    });
    w.on('error', (e) => {
      clearTimeout(watchdog);
      reject(e);
    });
  });
}


/** Offsets of the blocks that are tar headers (their checksum holds). */
function headerOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  for (let o = 0; o + BLOCK <= buf.length; o += BLOCK) {
    const block = buf.subarray(o, o + BLOCK);
    if (block.every((b) => b === 0)) continue;
    const stored = parseInt(block.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
    if (stored === headerChecksum(block)) out.push(o);
  }
  return out;
}

function fixChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  block.write(headerChecksum(block).toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
}

/** A PAX extended header entry carrying `records` (raw text, so malformed records can be made). */
function paxEntry(records: string): Buffer {
  const data = Buffer.from(records, 'utf8');
  const head = Buffer.alloc(BLOCK);
  head.write('PaxHeaders/x', 0, 100, 'utf8');
  head.write('0000644\0', 100, 8, 'ascii');
  head.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
  head.write('00000000000\0', 136, 12, 'ascii');
  head.write('x', 156, 1, 'ascii');
  head.write('ustar\0', 257, 6, 'latin1');
  head.write('00', 263, 2, 'ascii');
  fixChecksum(head);
  return Buffer.concat([head, data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)]);
}

const record = (kv: string) => {
  // "<len> <kv>\n" where len counts itself
  let len = kv.length + 3;
  while (`${len} ${kv}\n`.length !== len) len = `${len} ${kv}\n`.length;
  return `${len} ${kv}\n`;
};

const HOSTILE_PAX = [
  record('size=-5'),
  record('size=abc'),
  record('size=1e3'),
  record('size=99999999999999999999'),
  record('size='),
  record('size=0.5'),
  record('uid=-1'),
  record('gid=x'),
  record('mtime=abc'),
  record(`path=${'p/'.repeat(3000)}`),
  record('linkpath=../../../etc/passwd'),
  '5 size=1\n',
  '999 size=1\n',
  'abc size=1\n',
  '0 =\n',
  '-3 size=1\n',
  '12 size=1',
  `${'9'.repeat(30)} size=1\n`,
];

function insertAt(buf: Buffer, at: number, piece: Buffer): Buffer {
  return Buffer.concat([buf.subarray(0, at), piece, buf.subarray(at)]);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tarfuzz-'));
  const out = buildSync({ entryPoints: [path.join(ROOT, 'src/ops/backup/tar.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  readerModule = path.join(dir, 'tar.mjs');
  fs.writeFileSync(readerModule, out.outputFiles[0]!.contents);
  // real archives from GNU tar in three formats: long names, links, a big and an empty file
  const src = path.join(dir, 'src');
  const deep = path.join(src, 'd'.repeat(90), 'e'.repeat(90));
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, `${'f'.repeat(120)}.txt`), 'deep\n');
  fs.writeFileSync(path.join(src, 'big'), Buffer.alloc(70_000, 7));
  fs.writeFileSync(path.join(src, 'empty'), '');
  fs.symlinkSync('big', path.join(src, 'link'));
  fs.linkSync(path.join(src, 'big'), path.join(src, 'hard'));
  for (const format of ['pax', 'gnu', 'ustar']) {
    const file = path.join(dir, `${format}.tar`);
    try {
      execFileSync('tar', [`--format=${format}`, '-cf', file, '-C', src, '.'], { stdio: 'ignore' });
    } catch {
      // ustar cannot hold the long name: GNU tar still writes what it can and exits 2
    }
    if (fs.existsSync(file) && fs.statSync(file).size > 0) bases.push(fs.readFileSync(file));
  }
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('TarReader under mutated archives', () => {
  it('reads the unmutated archives (the harness itself works)', async () => {
    expect(bases.length).toBeGreaterThanOrEqual(3);
    const r = await runCases(bases, bases.map(() => 4096));
    expect(r.map((x) => x.ok)).toEqual(bases.map(() => true));
    expect(r.every((x) => (x.entries ?? 0) >= 6)).toBe(true);
  });

  it('PAX size=-5 and size=abc end in a one-line error (they once spun forever)', async () => {
    const file = bases[0]!;
    // before a plain file's header that has no PAX header of its own
    const heads = headerOffsets(file);
    const at = heads.find((o, k) => file[o + 156] === 0x30 && (k === 0 || file[heads[k - 1]! + 156] !== 0x78))!;
    expect(at).toBeDefined();
    const cases = [record('size=-5'), record('size=abc')].map((r) => insertAt(file, at, paxEntry(r)));
    const r = await runCases(cases, [512, 512]);
    expect(r.map((x) => [x.ok, x.message])).toEqual([
      [false, 'bad PAX size in tar header: "-5"'],
      [false, 'bad PAX size in tar header: "abc"'],
    ]);
  });

  it('thousands of mutations: each one a result or a one-line error within a second', async () => {
    const rand = rng(0x7a4);
    const cases: Buffer[] = [];
    const chunks: number[] = [];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    for (let n = 0; n < 2500; n++) {
      const base = pick(bases);
      const heads = headerOffsets(base);
      let c: Buffer;
      const kind = n % 6;
      if (kind === 0) {
        c = base.subarray(0, Math.floor(rand() * base.length));
      } else if (kind === 1) {
        // a header field overwritten, checksum fixed so the reader goes on
        c = Buffer.from(base);
        const at = pick(heads);
        const field = pick([
          [0, 100],
          [100, 8],
          [108, 8],
          [124, 12],
          [136, 12],
          [156, 1],
          [157, 100],
          [257, 8],
          [345, 155],
        ] as const);
        for (let i = 0; i < field[1]; i++) if (rand() < 0.5) c[at + field[0] + i] = Math.floor(rand() * 256);
        fixChecksum(c.subarray(at, at + BLOCK));
      } else if (kind === 2) {
        c = insertAt(base, pick(heads), paxEntry(pick(HOSTILE_PAX)));
      } else if (kind === 3) {
        // the size field: huge octal, base-256, negative base-256
        c = Buffer.from(base);
        const at = pick(heads);
        const size = pick(['77777777777\0', '00000000000\0', '7777777777777', 'zz']);
        if (rand() < 0.3) {
          c[at + 124] = pick([0x80, 0xff]);
          for (let i = 1; i < 12; i++) c[at + 124 + i] = Math.floor(rand() * 256);
        } else c.write(size.padEnd(12, '\0'), at + 124, 12, 'latin1');
        fixChecksum(c.subarray(at, at + BLOCK));
      } else if (kind === 4) {
        c = Buffer.from(base);
        for (let i = 0; i < 8; i++) c[Math.floor(rand() * c.length)] = Math.floor(rand() * 256);
      } else {
        // a PAX header whose own length lies, then truncated somewhere after it
        const pax = paxEntry(pick(HOSTILE_PAX));
        pax.write(Math.floor(rand() * 1e9).toString(8).padStart(11, '0').slice(-11) + '\0', 124, 12, 'ascii');
        fixChecksum(pax.subarray(0, BLOCK));
        c = insertAt(base, pick(heads), pax);
        if (rand() < 0.5) c = c.subarray(0, Math.floor(c.length * rand()));
      }
      cases.push(c);
      chunks.push(pick([1, 7, 512, 513, 4096, 1 << 20]));
    }
    const t0 = Date.now();
    const r = await runCases(cases, chunks);
    expect(r).toHaveLength(cases.length);
    const errors = r.filter((x) => !x.ok);
    // errors are one line and are the reader's own, not a crash of the reader's code
    expect(errors.filter((x) => (x.message ?? '').includes('\n'))).toEqual([]);
    expect(errors.filter((x) => x.name !== 'TarFormatError').map((x) => `${x.name}: ${x.message}`)).toEqual([]);
    expect(errors.length).toBeGreaterThan(1000);
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 90_000);
});

// The same job done by three tar readers, for bench/tar-reader.mjs: read a tar file through,
// take a sha256 of every regular file's data (what berth's backup and restore checks do),
// and return the entry count and one digest over all (path, sha256) pairs, so the readers
// can be checked against each other as well as timed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import * as nodeTar from 'tar';
import * as tarStream from 'tar-stream';
import { TarReader } from '../../src/ops/backup/tar.js';

export interface ReadResult {
  entries: number;
  files: number;
  bytes: number;
  digest: string;
}

function summary(pairs: string[], entries: number, bytes: number): ReadResult {
  const all = createHash('sha256');
  for (const p of pairs.map((p) => p.replace(/^\.\//, '')).sort()) all.update(p + '\n');
  return { entries, files: pairs.length, bytes, digest: all.digest('hex') };
}

const CHUNK = 1 << 20;

/** berth's own reader (src/ops/backup/tar.ts). */
export async function berthReader(file: string): Promise<ReadResult> {
  const pairs: string[] = [];
  let bytes = 0;
  const reader = new TarReader((h) => {
    if (h.type !== 'file') return;
    const hash = createHash('sha256');
    return {
      data: (c) => {
        bytes += c.length;
        hash.update(c);
      },
      end: () => {
        pairs.push(`${h.path} ${hash.digest('hex')}`);
      },
    };
  });
  for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) await reader.write(chunk as Buffer);
  reader.end();
  return summary(pairs, reader.entries, bytes);
}

/** tar-stream 3 (mafintosh), its async iterator. */
export async function tarStreamReader(file: string): Promise<ReadResult> {
  const pairs: string[] = [];
  let bytes = 0;
  let entries = 0;
  const extract = tarStream.extract();
  const feed = pipeline(fs.createReadStream(file, { highWaterMark: CHUNK }), extract);
  for await (const entry of extract) {
    entries++;
    if (entry.header.type === 'file') {
      const hash = createHash('sha256');
      for await (const c of entry) {
        bytes += (c as Buffer).length;
        hash.update(c as Buffer);
      }
      pairs.push(`${entry.header.name} ${hash.digest('hex')}`);
    } else entry.resume();
  }
  await feed;
  return summary(pairs, entries, bytes);
}

/** node-tar 7 (isaacs), its Parser. */
export async function nodeTarReader(file: string): Promise<ReadResult> {
  const pairs: string[] = [];
  let bytes = 0;
  let entries = 0;
  const parser = new nodeTar.Parser({
    strict: true,
    onReadEntry: (entry) => {
      entries++;
      if (entry.type !== 'File') return entry.resume();
      const hash = createHash('sha256');
      entry.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
      });
      entry.on('end', () => pairs.push(`${entry.path} ${hash.digest('hex')}`));
    },
  });
  await pipeline(fs.createReadStream(file, { highWaterMark: CHUNK }), parser);
  return summary(pairs, entries, bytes);
}

export const READERS = { berth: berthReader, 'tar-stream': tarStreamReader, 'node-tar': nodeTarReader } as const;

// `node tar-readers.mjs READER FILE`: one read, its result and cost as one JSON line
if (process.argv[2] && process.argv[3]) {
  const reader = READERS[process.argv[2] as keyof typeof READERS];
  if (!reader) throw new Error(`no reader ${process.argv[2]}`);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = await reader(process.argv[3]);
  const cpu = process.cpuUsage(c0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ reader: process.argv[2], ...r, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

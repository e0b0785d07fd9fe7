#!/usr/bin/env node
// Reading tar streams: berth's own reader (src/ops/backup/tar.ts) against tar-stream 3 and
// node-tar 7 doing the same job (read a tar file through, sha256 of every file's data), on
// the same archives, in alternating runs, each run its own process. Two archives made by GNU
// tar: "big" (about 1 GB in 16 MB files, as bench/backup's volume) and "many" (small files:
// per-entry cost). Issue "Backups that any tar can restore" asks for a kept library unless a
// measured reason says otherwise; this is that measurement.
//
//   node bench/tar-reader.mjs [--mb 1024] [--files 40000] [--rounds 3] [--dir DIR]
//
// Prints each run, then the medians per archive and reader; every reader must report the
// same files and digest, or the run fails.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { opt, ROOT } from './lib/args.mjs';

const mb = Number(opt('mb', '1024'));
const smallFiles = Number(opt('files', '40000'));
const rounds = Number(opt('rounds', '3'));
const dir = opt('dir', fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tar-bench-')));
const keep = opt('dir', '') !== '';

const runner = path.join(ROOT, 'node_modules/.cache/berth/tar-readers.mjs');
execFileSync(
  path.join(ROOT, 'node_modules/.bin/esbuild'),
  ['bench/lib/tarReaders.ts', '--bundle', '--platform=node', '--format=esm', '--packages=external', `--outfile=${runner}`, '--log-level=warning'],
  { cwd: ROOT, stdio: 'inherit' },
);

/** The archives, made once (kept with --dir). */
function makeArchives() {
  const big = path.join(dir, 'big.tar');
  const many = path.join(dir, 'many.tar');
  if (!fs.existsSync(big)) {
    const tree = path.join(dir, 'big');
    fs.mkdirSync(tree, { recursive: true });
    const block = crypto.randomBytes(1 << 20);
    for (let i = 0; i * 16 < mb; i++) {
      const fd = fs.openSync(path.join(tree, `f${i}`), 'w');
      for (let j = 0; j < 16; j++) {
        block.writeUInt32LE(i * 16 + j, 0); // no two megabytes alike
        fs.writeSync(fd, block);
      }
      fs.closeSync(fd);
    }
    execFileSync('tar', ['cf', big, '-C', tree, '.']);
    fs.rmSync(tree, { recursive: true });
  }
  if (!fs.existsSync(many)) {
    const tree = path.join(dir, 'many');
    for (let i = 0; i < smallFiles; i++) {
      const sub = path.join(tree, `d${i % 200}`);
      if (i < 200) fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(path.join(sub, `file-with-a-longer-name-${i}.txt`), crypto.randomBytes(512 + (i % 3000)));
    }
    execFileSync('tar', ['cf', many, '-C', tree, '.']);
    fs.rmSync(tree, { recursive: true });
  }
  return { big, many };
}

const archives = makeArchives();
const readers = ['berth', 'tar-stream', 'node-tar'];
const results = [];
for (const [name, file] of Object.entries(archives)) {
  const size = fs.statSync(file).size;
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...readers].reverse() : readers;
    for (const reader of order) {
      const res = JSON.parse(execFileSync('node', [runner, reader, file], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim());
      res.archive = name;
      res.mbPerSecond = size / 1e6 / res.seconds;
      results.push(res);
      console.log(`${name} round ${r + 1} ${reader}: ${res.seconds.toFixed(2)} s, cpu ${res.cpuSeconds.toFixed(2)} s, ${res.mbPerSecond.toFixed(0)} MB/s, rss ${res.maxRssMB.toFixed(0)} MB, ${res.entries} entries`);
    }
  }
  const digests = new Set(results.filter((x) => x.archive === name).map((x) => `${x.files} ${x.digest}`));
  if (digests.size !== 1) {
    console.error(`${name}: the readers disagree: ${[...digests].join(' | ')}`);
    process.exit(1);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\nmedians (${rounds} rounds, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}):`);
console.log('| archive | reader | time | cpu | throughput | peak RSS |');
console.log('| --- | --- | ---: | ---: | ---: | ---: |');
for (const name of Object.keys(archives)) {
  const size = fs.statSync(archives[name]).size;
  for (const reader of readers) {
    const xs = results.filter((x) => x.archive === name && x.reader === reader);
    const t = median(xs.map((x) => x.seconds));
    console.log(`| ${name} (${(size / 1e6).toFixed(0)} MB, ${xs[0].entries} entries) | ${reader} | ${t.toFixed(2)} s | ${median(xs.map((x) => x.cpuSeconds)).toFixed(2)} s | ${(size / 1e6 / t).toFixed(0)} MB/s | ${median(xs.map((x) => x.maxRssMB)).toFixed(0)} MB |`);
  }
}
if (!keep) fs.rmSync(dir, { recursive: true, force: true });

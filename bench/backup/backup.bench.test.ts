// Backup throughput: berth backup of a volume holding ~1 GB against GNU tar (Debian's, on
// the host, over the volume's folder in the engine's data root) and `docker run … tar czf`
// (busybox) over the same volume, on the same private engine, in one run.
// BERTH_BENCH_MB sets the size (default 1024). Results are printed and written to
// $BERTH_BENCH_OUT (default: results.json in the test temp folder).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../../test/harness/engine.js';
import { planBackup, runBackup } from '../../src/ops/backup/backup.js';

const MB = Number(process.env.BERTH_BENCH_MB ?? 1024);
let te: TestEngine;
let work: string;
const vol = `bench${process.pid}`;

beforeAll(async () => {
  te = await getTestEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
  await te.docker.createVolume({ Name: vol, Labels: te.labels });
  // a quarter incompressible noise, three quarters base64 text (compresses to ~75%), in 16 MB files
  const files = Math.max(4, Math.round(MB / 16));
  const script =
    `cd /d && i=0; while [ $i -lt ${files} ]; do ` +
    `if [ $((i % 4)) -eq 0 ]; then dd if=/dev/urandom of=noise$i bs=1M count=16 2>/dev/null; ` +
    `else head -c 12582912 /dev/urandom | base64 > text$i; fi; i=$((i+1)); done; du -sm /d`;
  const r = await te.dockerCli(['run', '--rm', '--label', 'berth.test=1', '--network', 'none', '-v', `${vol}:/d`, te.image, 'sh', '-c', script]);
  process.stdout.write(`bench data: ${r.stdout.trim()}\n`);
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const v = await fn();
  return [v, Number(process.hrtime.bigint() - t0) / 1e9];
}

it(`backs up ${MB} MB: berth vs GNU tar and docker run tar czf`, async () => {
  const rows: Array<{ what: string; seconds: number; archiveBytes: number }> = [];
  // docker run … tar czf (busybox tar + gzip -6 in the fixture image; no verification)
  const out = path.join(work, 'docker');
  fs.mkdirSync(out);
  const [, dockerSec] = await timed(() =>
    te.dockerCli(['run', '--rm', '--label', 'berth.test=1', '--network', 'none', '-v', `${vol}:/data:ro`, '-v', `${out}:/out`, te.image, 'tar', 'czf', '/out/backup.tar.gz', '-C', '/data', '.']),
  );
  rows.push({ what: 'docker run … tar czf (busybox, gzip -6)', seconds: dockerSec, archiveBytes: fs.statSync(path.join(out, 'backup.tar.gz')).size });
  // GNU tar on the host over the volume's own folder, at the same gzip levels as berth (no
  // checksums: berth's time includes its own)
  const mount = (await te.docker.getVolume(vol).inspect()).Mountpoint;
  for (const level of [6, 1]) {
    const file = path.join(work, `gnu-${level}.tar.gz`);
    const [, sec] = await timed(async () => {
      execFileSync('tar', ['-I', `gzip -${level}`, '-cf', file, '-C', mount, '.']);
    });
    rows.push({ what: `GNU tar czf (gzip -${level})`, seconds: sec, archiveBytes: fs.statSync(file).size });
  }
  for (const level of [6, 1]) {
    const dest = path.join(work, `berth-${level}`);
    const plan = await planBackup(te.docker, vol);
    const [res, sec] = await timed(() => runBackup(te.docker, plan, { dest, level, helperImage: te.image, labels: te.labels }));
    rows.push({ what: `berth backup (level ${level}: copy + sha256 per file + write + fsync + verify)`, seconds: sec, archiveBytes: res[0]!.archiveBytes });
  }
  const cpus = os.cpus().length;
  const load = os.loadavg()[0]!.toFixed(1);
  const ratio = (level: number) => rows.find((r) => r.what.startsWith(`berth backup (level ${level}`))!.seconds / rows.find((r) => r.what.startsWith(`GNU tar czf (gzip -${level})`))!.seconds;
  const lines = [`backup of ${MB} MB, ${cpus} CPU(s), load ${load}; berth / GNU tar: ${ratio(6).toFixed(2)}x at level 6, ${ratio(1).toFixed(2)}x at level 1`, ...rows.map((r) => `${r.what.padEnd(78)} ${r.seconds.toFixed(1).padStart(7)} s  ${(MB / r.seconds).toFixed(1).padStart(6)} MB/s  ${(r.archiveBytes / 1e6).toFixed(0)} MB archive`)];
  process.stdout.write(lines.join('\n') + '\n');
  fs.writeFileSync(process.env.BERTH_BENCH_OUT ?? path.join(os.tmpdir(), 'berth-backup-bench.json'), JSON.stringify({ mb: MB, cpus, load: Number(load), rows }, null, 2));
  expect(rows).toHaveLength(5);
});

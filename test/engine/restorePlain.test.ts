// `berth restore` of archives made without berth, by the recipes people already use
// (`tar czf x.tar.gz -C /data .`, GNU tar from Debian): a new volume gets the archive's tree
// exactly (owners, modes, symlinks, hard links, names with spaces); a flipped byte is caught
// by gzip's CRC; hostile archives are refused before anything is written.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { fingerprint as fingerprintOf, volumeExists as volumeExistsIn } from '../harness/volumes.js';
import { restoreArchive } from '../../src/ops/backup/restore.js';

let te: TestEngine;
let work: string;
let tree: string;
const tag = `rp${process.pid}`;

const fingerprint = (mount: string) => fingerprintOf(te, mount);
const volumeExists = (name: string) => volumeExistsIn(te, name);

const restore = (file: string, volume: string, allowSpecial = false) => restoreArchive(te.docker, file, { volume, helperImage: te.image, labels: te.labels, allowSpecial });

beforeAll(async () => {
  te = await getTestEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-plain-'));
  tree = path.join(work, 'data');
  const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { cwd: tree });
  fs.mkdirSync(tree);
  sh(
    'mkdir -p app/logs "with space" shared && echo hello > app/config.yml && head -c 300000 /dev/urandom > app/blob.bin && ' +
      'echo "ünïcødé" > "with space/ñame.txt" && ln -s config.yml app/current && ln app/config.yml app/config.hard && ' +
      'chmod 0640 app/config.yml && chmod 0750 app && chmod 1777 shared && chmod 0600 "with space/ñame.txt" && ' +
      'chown -R 1000:1000 app && chown 33:33 "with space/ñame.txt"',
  );
  // the seeds' recipe, with GNU tar
  execFileSync('tar', ['czf', path.join(work, 'plain.tar.gz'), '-C', tree, '.']);
  execFileSync('tar', ['cf', path.join(work, 'plain.tar'), '-C', tree, '.']);
  execFileSync('zstd', ['-q', '-o', path.join(work, 'plain.tar.zst'), path.join(work, 'plain.tar')]);
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('restore of plain archives', () => {
  it.each(['plain.tar.gz', 'plain.tar', 'plain.tar.zst'])('%s made with tar -C /data . fills a new volume identically', async (name) => {
    const volume = `${tag}-${name.replace(/\./g, '-')}`;
    const warnings: string[] = [];
    const r = await restoreArchive(te.docker, path.join(work, name), {
      volume,
      helperImage: te.image,
      labels: te.labels,
      onProgress: (p) => (p.phase === 'warning' ? warnings.push(p.message) : undefined),
    });
    expect(r.plain?.kind).toBe(name.replace(/^plain\./, ''));
    expect(r.check.ok).toBe(true);
    expect(r.check.missing).toEqual([]);
    expect(warnings.some((w) => /without berth's manifest/.test(w))).toBe(true);
    const [want, got] = [await fingerprint(tree), await fingerprint(volume)];
    // the volume's root is the mount point in both: its line may differ in mode only
    expect(got.filter((l) => !l.startsWith('.|'))).toEqual(want.filter((l) => !l.startsWith('.|')));
    expect(got.length).toBeGreaterThan(10);
    await te.docker.getVolume(volume).remove();
  });

  it('a flipped byte in a plain tar.gz is caught (gzip CRC or inflate), and nothing is created', async () => {
    const bad = path.join(work, 'flipped.tar.gz');
    const bytes = fs.readFileSync(path.join(work, 'plain.tar.gz'));
    bytes[Math.floor(bytes.length / 2)] ^= 0x40;
    fs.writeFileSync(bad, bytes);
    await expect(restore(bad, `${tag}-flipped`)).rejects.toThrow(/flipped\.tar\.gz: damaged \(.+\); nothing was written/);
    expect(await volumeExists(`${tag}-flipped`)).toBe(false);
  });

  /** Hostile archives made with GNU tar itself (-P keeps what tar would otherwise clean up). */
  function hostile(kind: string): string {
    const dir = path.join(work, `h-${kind}`);
    fs.mkdirSync(path.join(dir, 'real'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'ok'), 'fine');
    fs.writeFileSync(path.join(dir, 'real', 'berth-pwned'), 'x');
    fs.symlinkSync('/tmp', path.join(dir, 'out'));
    const file = path.join(work, `${kind}.tar.gz`);
    const args: Record<string, string[]> = {
      // ./ok, then ../berth-pwned
      dotdot: ['-P', '--transform', 's,^real/,../,', 'ok', 'real/berth-pwned'],
      // an absolute member: the file by its own absolute path
      absolute: ['-P', path.join(dir, 'real', 'berth-pwned')],
      // a symbolic link out of the volume, then a file through it
      'through-link': ['-P', '--transform', 's,^real/,out/,', 'out', 'real/berth-pwned'],
    };
    execFileSync('tar', ['czf', file, '-C', dir, ...args[kind]!]);
    return file;
  }

  it.each([
    ['dotdot', /\.\.\/berth-pwned is a path with '\.\.'/],
    ['absolute', /berth-pwned is an absolute path/],
    ['through-link', /out\/berth-pwned is a path through the symbolic link out/],
  ] as const)('a hostile archive (%s) is refused before anything is written, even with --allow-special', async (kind, why) => {
    const file = hostile(kind);
    const volume = `${tag}-${kind}`;
    await expect(restore(file, volume, true)).rejects.toThrow(why);
    expect(await volumeExists(volume)).toBe(false);
    // nothing reached the helper image's folders either (no container was even created)
    const helpers = await te.docker.listContainers({ all: true, filters: { label: ['berth.helper'] } });
    expect(helpers).toEqual([]);
  });
});

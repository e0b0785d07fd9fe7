// `berth backup --due` against the private engine with a fake clock: runs what is due,
// skips what is not, keeps N, never deletes the only verified archive; the dry run and the
// BERTH_NOW clock through the real command line.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { runDue } from '../../src/ops/backup/due.js';
import { verifyArchive } from '../../src/ops/backup/archive.js';
import { parseUserConfig } from '../../src/config/userConfig.js';
import { CLI } from '../e2e/tmux.js';

const run = promisify(execFile);
let te: TestEngine;
let work: string;
const tag = `due${process.pid}`;
const VOL = `${tag}-db`;
const OTHER = `${tag}-files`;

beforeAll(async () => {
  te = await getTestEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-due-'));
  for (const v of [VOL, OTHER]) await te.docker.createVolume({ Name: v, Labels: te.labels });
  await te.dockerCli(['run', '--rm', '--label', 'berth.test=1', '--network', 'none', '-v', `${VOL}:/d`, te.image, 'sh', '-c', 'echo rows > /d/table']);
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function config(schedules: string): { file: string; text: string } {
  const file = path.join(work, 'config.toml');
  const text = `[backup]\ndir = "${path.join(work, 'backups')}"\n\n${schedules}`;
  fs.writeFileSync(file, text);
  return { file, text };
}

async function due(now: string, schedules: string, dryRun = false): Promise<{ code: number; out: string; err: string }> {
  const { file, text } = config(schedules);
  let out = '';
  let err = '';
  const code = await runDue({
    config: parseUserConfig(text, file),
    configFile: file,
    host: te.host,
    now: new Date(now),
    dryRun,
    helperImage: te.image,
    labels: te.labels,
    out: { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream,
    err: { write: (s: string) => ((err += s), true) } as unknown as NodeJS.WritableStream,
  });
  return { code, out, err };
}

const archives = (key: string) => {
  try {
    return fs.readdirSync(path.join(work, 'backups', key)).filter((f) => f.endsWith('.tar.gz')).sort();
  } catch {
    return [];
  }
};

describe('berth backup --due', () => {
  const daily = `[[backup.schedule]]\ntarget = "volume:${VOL}"\nwhen = "daily 03:00"\nkeep = 1\nkeep_days = 0\n\n[[backup.schedule]]\ntarget = "volume:${OTHER}"\nwhen = "weekly sun 03:00"\n`;

  it('runs what is due, skips what is not, keeps N, never the only verified archive', async () => {
    // Sunday 2027-01-10, 04:00: both are due (no archive yet)
    let r = await due('2027-01-10T04:00:00', daily);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`volume:${VOL} \\(daily 03:00\\): due since`));
    expect(archives(VOL)).toHaveLength(1);
    expect(archives(OTHER)).toHaveLength(1);
    const first = archives(VOL)[0]!;
    expect((await verifyArchive(path.join(work, 'backups', VOL, first))).manifest.volume).toBe(VOL);
    // keep_days = 0 would delete everything older than now: the newest stays all the same
    expect(r.out).not.toContain('retention: delete');

    // the same day, later: nothing is due, nothing is written
    r = await due('2027-01-10T20:00:00', daily);
    expect(r.out).toMatch(/not due \(newest .*, next .*\)/);
    expect(r.out).not.toContain('backing up');
    expect(archives(VOL)).toEqual([first]);

    // Monday: the daily one is due, the weekly one not; keep 1 deletes the older archive
    r = await due('2027-01-11T03:30:00', daily);
    expect(r.out).toMatch(new RegExp(`volume:${VOL} \\(daily 03:00\\): due since`));
    expect(r.out).toMatch(new RegExp(`volume:${OTHER} \\(weekly sun 03:00\\): not due`));
    expect(r.out).toContain(`retention: delete ${path.join(work, 'backups', VOL, first)}`);
    expect(archives(VOL)).toHaveLength(1);
    expect(archives(VOL)[0]).not.toBe(first);
    expect(archives(OTHER)).toHaveLength(1);
  });

  it('the dry run names what is due and writes nothing; the command line reads BERTH_NOW', async () => {
    const before = archives(VOL);
    const r = await due('2027-01-14T09:00:00', daily, true);
    expect(r.out).toMatch(/would back up to/);
    expect(archives(VOL)).toEqual(before);
    const { file } = config(daily);
    const env = { ...process.env, BERTH_CONFIG: file, BERTH_NOW: '2027-01-14T09:00:00', DOCKER_HOST: te.host };
    const cli = await run('node', [CLI, 'backup', '--due', '--dry-run'], { env, encoding: 'utf8' });
    expect(cli.stdout).toMatch(new RegExp(`volume:${VOL} \\(daily 03:00\\): due since 2027-01-14T\\d\\d:00Z .*would back up`));
    expect(archives(VOL)).toEqual(before);
    const bad = await run('node', [CLI, 'backup', '--due'], { env: { ...env, BERTH_NOW: 'tomorrow' }, encoding: 'utf8' }).catch((e: { stderr: string; code: number }) => e);
    expect(bad).toMatchObject({ code: 1, stderr: 'berth: BERTH_NOW=tomorrow: not a time (use an ISO time like 2027-01-31T03:00:00)\n' });
  });
});

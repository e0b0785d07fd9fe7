// Backup schedules: when an entry is due (by its volumes' newest archives), what its
// retention removes, and the timer or crontab line that runs `berth backup --due`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { checkDue, cronOf, scheduleRetention } from '../../../src/ops/backup/schedule.js';
import { checkSchedules } from '../../../src/ops/backup/due.js';
import { cronLine, dueCommand, systemdUnits } from '../../../src/ops/backup/scheduler.js';
import type { ArchiveFile } from '../../../src/ops/backup/retention.js';
import { parseUserConfig } from '../../../src/config/userConfig.js';

// local times: schedules are in the machine's time zone, as cron's
const at = (s: string) => new Date(s);
const archive = (key: string, time: string): ArchiveFile => ({ key, file: `/b/${key}/${key}-${time}.tar.gz`, time: at(time), size: 10 });
const list = (...files: ArchiveFile[]) => {
  const m = new Map<string, ArchiveFile[]>();
  for (const f of files) m.set(f.key, [...(m.get(f.key) ?? []), f].sort((a, b) => b.time.getTime() - a.time.getTime()));
  return m;
};

describe('when', () => {
  it('reads hourly, daily HH:MM, weekly DAY HH:MM and cron expressions', () => {
    expect(cronOf('hourly')).toEqual({ cron: '0 * * * *' });
    expect(cronOf('daily 03:00')).toEqual({ cron: '0 3 * * *' });
    expect(cronOf('daily')).toEqual({ cron: '0 0 * * *' });
    expect(cronOf('weekly sun 04:30')).toEqual({ cron: '30 4 * * 0' });
    expect(cronOf('*/30 2-5 * * 1-5')).toEqual({ cron: '*/30 2-5 * * 1-5' });
    expect(cronOf('daily 25:00')).toMatchObject({ error: expect.stringMatching(/^"daily 25:00": not hourly, daily HH:MM/) });
    expect(cronOf('weekly funday 03:00')).toMatchObject({ error: expect.stringMatching(/a day like mon/) });
    expect(cronOf('every now and then')).toMatchObject({ error: expect.any(String) });
  });
  it('a bad one in the config is named with its line and column', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sched-'));
    const file = path.join(dir, 'config.toml');
    const text = '[[backup.schedule]]\ntarget = "shop"\nwhen = "daily 03:00"\n\n[[backup.schedule]]\ntarget = "db"\nwhen = "61 * * * *"\n';
    fs.writeFileSync(file, text);
    expect(() => checkSchedules(parseUserConfig(text, file), file)).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:\\d+: backup\\.schedule\\[1\\]\\.when: "61 \\* \\* \\* \\*": `));
  });
});

describe('due', () => {
  const daily = 'daily 03:00';
  it('with no archive it is due for its last run; after one it waits for the next', () => {
    const now = at('2027-01-10T04:00:00');
    expect(checkDue(daily, ['db'], list(), now)).toMatchObject({ due: true, at: at('2027-01-10T03:00:00'), behind: ['db'] });
    const done = list(archive('db', '2027-01-10T04:00:05'));
    expect(checkDue(daily, ['db'], done, at('2027-01-10T23:00:00'))).toMatchObject({ due: false, at: at('2027-01-11T03:00:00'), behind: [] });
  });
  it('before its time it is not due: a backup of yesterday is new enough until 03:00', () => {
    const y = list(archive('db', '2027-01-09T03:00:10'));
    expect(checkDue(daily, ['db'], y, at('2027-01-10T02:59:00')).due).toBe(false);
    expect(checkDue(daily, ['db'], y, at('2027-01-10T03:00:00')).due).toBe(true);
  });
  it('missed runs (the machine was off for days) make it due once', () => {
    const old = list(archive('db', '2027-01-01T03:00:10'));
    const now = at('2027-01-10T08:00:00');
    expect(checkDue(daily, ['db'], old, now)).toMatchObject({ due: true, at: at('2027-01-10T03:00:00') });
    const caught = list(archive('db', '2027-01-01T03:00:10'), archive('db', '2027-01-10T08:00:00'));
    expect(checkDue(daily, ['db'], caught, at('2027-01-10T08:05:00')).due).toBe(false);
  });
  it('a project is due when any of its volumes is behind, and names those', () => {
    const some = list(archive('db', '2027-01-10T03:01:00'), archive('files', '2027-01-09T03:01:00'));
    expect(checkDue(daily, ['db', 'files'], some, at('2027-01-10T05:00:00'))).toMatchObject({ due: true, behind: ['files'] });
  });
});

describe('retention after a scheduled backup', () => {
  const files = ['2027-01-10T03:00:00', '2027-01-09T03:00:00', '2027-01-08T03:00:00', '2027-01-01T03:00:00'].map((t) => archive('db', t));
  const now = at('2027-01-10T04:00:00');
  it('keeps the newest N', () => {
    expect(scheduleRetention(files, { keep: 2, now }).map((f) => f.time)).toEqual([at('2027-01-08T03:00:00'), at('2027-01-01T03:00:00')]);
  });
  it('keep_days removes older ones too', () => {
    expect(scheduleRetention(files, { keep: 10, keepDays: 5, now }).map((f) => f.time)).toEqual([at('2027-01-01T03:00:00')]);
  });
  it('never the newest archive, whatever keep_days says', () => {
    const only = [archive('db', '2026-01-01T03:00:00')];
    expect(scheduleRetention(only, { keep: 1, keepDays: 0, now })).toEqual([]);
    expect(scheduleRetention(files, { keep: 1, keepDays: 0, now })).toHaveLength(3);
  });
});

describe('what runs berth backup --due', () => {
  const c = { node: '/usr/bin/node', cli: '/opt/berth/dist/cli.js', env: { DOCKER_HOST: 'unix:///run/user/1000/docker.sock', XDG_CONFIG_HOME: '/home/me/my config' } };
  it('a crontab line every 15 minutes that a cron parser reads, the environment passed', () => {
    const line = cronLine(c, '/home/me/.local/state/berth/backup-due.log');
    const fields = line.split(' ');
    const cron = fields.slice(0, 5).join(' ');
    expect(cron).toBe('*/15 * * * *');
    expect(new Cron(cron, { paused: true }).nextRun(at('2027-01-10T04:01:00'))).toEqual(at('2027-01-10T04:15:00'));
    expect(line).toContain("DOCKER_HOST=unix:///run/user/1000/docker.sock XDG_CONFIG_HOME='/home/me/my config' /usr/bin/node /opt/berth/dist/cli.js backup --due >> /home/me/.local/state/berth/backup-due.log 2>&1 # berth backup --due");
  });
  it.runIf(fs.existsSync('/usr/bin/systemd-analyze') || fs.existsSync('/bin/systemd-analyze'))('a systemd service and timer that systemd-analyze verify accepts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-units-'));
    const cli = path.join(dir, 'cli.js');
    fs.writeFileSync(cli, '');
    const units = systemdUnits(dueCommand(cli, { XDG_CONFIG_HOME: '/home/me/my config' }));
    fs.writeFileSync(path.join(dir, 'berth-backup.service'), units.service);
    fs.writeFileSync(path.join(dir, 'berth-backup.timer'), units.timer);
    expect(units.service).toContain('Environment="XDG_CONFIG_HOME=/home/me/my config"');
    expect(units.timer).toContain('OnCalendar=*:0/15');
    // exits non-zero, with the reason on stderr, for a unit it does not accept
    execFileSync('systemd-analyze', ['verify', path.join(dir, 'berth-backup.service'), path.join(dir, 'berth-backup.timer')], { cwd: dir, stdio: 'pipe' });
    fs.writeFileSync(path.join(dir, 'berth-backup.timer'), units.timer.replace('*:0/15', '*:0/15x'));
    expect(() => execFileSync('systemd-analyze', ['verify', path.join(dir, 'berth-backup.timer')], { cwd: dir, stdio: 'pipe' })).toThrow();
  });
});

describe('berth backup schedule install|uninstall', () => {
  it('shows the units it would write and the commands it would run; uninstall with nothing installed says so', async () => {
    const { runScheduleCommand } = await import('../../../src/ops/backup/scheduleCommand.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-schedcmd-'));
    const saved = { c: process.env.BERTH_CONFIG, x: process.env.XDG_CONFIG_HOME };
    process.env.BERTH_CONFIG = path.join(dir, 'config.toml');
    process.env.XDG_CONFIG_HOME = dir;
    fs.writeFileSync(process.env.BERTH_CONFIG, '[[backup.schedule]]\ntarget = "shop"\nwhen = "hourly"\n');
    try {
      let out = '';
      const sink = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream;
      expect(runScheduleCommand('install', { scheduler: 'systemd', dryRun: true }, sink)).toBe(0);
      expect(out).toContain(`would write ${path.join(dir, 'systemd', 'user', 'berth-backup.service')}`);
      expect(out).toMatch(/ExecStart=\S+node \S+\/dist\/cli\.js backup --due/);
      expect(out).toContain('would run: systemctl --user enable --now berth-backup.timer');
      expect(fs.existsSync(path.join(dir, 'systemd'))).toBe(false);
      out = '';
      expect(runScheduleCommand('install', { scheduler: 'cron', dryRun: true }, sink)).toBe(0);
      expect(out).toMatch(/^would add to the crontab:\n {2}\*\/15 \* \* \* \* .* backup --due >> .* # berth backup --due\n/);
      out = '';
      runScheduleCommand('uninstall', { scheduler: 'systemd', dryRun: true }, sink);
      expect(out).toBe('no berth schedule to remove (systemd)\n');
      expect(() => runScheduleCommand('enable', {}, sink)).toThrow('backup schedule enable: use install or uninstall');
    } finally {
      process.env.BERTH_CONFIG = saved.c;
      process.env.XDG_CONFIG_HOME = saved.x;
      if (saved.c === undefined) delete process.env.BERTH_CONFIG;
      if (saved.x === undefined) delete process.env.XDG_CONFIG_HOME;
    }
  });
});

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUserConfig } from '../../../src/config/userConfig.js';
import { backupDir } from '../../../src/ops/backup/paths.js';

const saved = process.env.XDG_DATA_HOME;
afterEach(() => {
  if (saved === undefined) delete process.env.XDG_DATA_HOME;
  else process.env.XDG_DATA_HOME = saved;
});

describe('[backup] config', () => {
  it('has defaults when absent', () => {
    const c = parseUserConfig('', 'config.toml');
    expect(c.backup).toEqual({ keep: 7, protect_days: 7, protect_volumes: [], level: 6, schedule: [] });
    process.env.XDG_DATA_HOME = '/data/home';
    expect(backupDir(c)).toBe(path.join('/data/home', 'berth', 'backups'));
  });
  it('reads [[backup.schedule]] entries with their defaults, and refuses unknown keys with their line', () => {
    const c = parseUserConfig('[[backup.schedule]]\ntarget = "shop"\nwhen = "daily 03:00"\nkeep = 3\n', 'config.toml');
    expect(c.backup.schedule).toEqual([{ target: 'shop', when: 'daily 03:00', keep: 3, mode: 'auto', dump: false }]);
    expect(() => parseUserConfig('[[backup.schedule]]\ntarget = "shop"\nwhen = "hourly"\nevery = 2\n', 'config.toml')).toThrow(/^config\.toml:4:\d+: .*every/);
  });
  it('reads every key and refuses unknown ones and bad values with the key named', () => {
    const c = parseUserConfig('[backup]\ndir = "/srv/backups"\nkeep = 3\nprotect_days = 1.5\nprotect_volumes = ["pg"]\nlevel = 1\n', 'config.toml');
    expect(c.backup).toEqual({ dir: '/srv/backups', keep: 3, protect_days: 1.5, protect_volumes: ['pg'], level: 1, schedule: [] });
    expect(backupDir(c)).toBe('/srv/backups');
    expect(() => parseUserConfig('[backup]\nkeepp = 3\n', 'config.toml')).toThrow(/^config.toml:2:1: backup: unknown key keepp/);
    expect(() => parseUserConfig('[backup]\nkeep = 0\n', 'config.toml')).toThrow(/^config.toml:2:1: backup.keep:/);
    expect(() => parseUserConfig('[backup]\nlevel = 10\n', 'config.toml')).toThrow(/backup.level/);
  });
});

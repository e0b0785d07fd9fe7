import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveName, sourceKey, stamp } from '../../../src/ops/backup/backup.js';
import { applyRetention, latestBackup, listArchives, parseArchiveName, planRetention } from '../../../src/ops/backup/retention.js';

describe('archive names', () => {
  it('sort by time and parse back', () => {
    const d = new Date('2026-11-22T10:28:58.123Z');
    expect(stamp(d)).toBe('20261122T102858123Z');
    expect(archiveName('shop_db', d)).toBe('shop_db-20261122T102858123Z.tar.gz');
    expect(archiveName('shop_db', d, 'pre-restore')).toBe('shop_db-20261122T102858123Z-pre-restore.tar.gz');
    expect(parseArchiveName('shop_db', 'shop_db-20261122T102858123Z.tar.gz')?.toISOString()).toBe(d.toISOString());
    expect(parseArchiveName('shop_db', 'shop_db-20261122T102858123Z-pre-restore.tar.gz')?.toISOString()).toBe(d.toISOString());
    // temporary files never count as backups
    expect(parseArchiveName('shop_db', '.shop_db-20261122T102858123Z.tar.gz.partial-1-abc')).toBeNull();
    expect(parseArchiveName('shop', 'shop_db-20261122T102858123Z.tar.gz')).toBeNull();
  });
  it('keys: volumes by name, host folders by path', () => {
    expect(sourceKey({ kind: 'volume', name: 'shop_db' })).toBe('shop_db');
    expect(sourceKey({ kind: 'bind', path: '/srv/my data/' })).toBe('bind-srv-my-data');
  });
});

describe('retention', () => {
  it('keeps the newest N per volume and deletes the rest', () => {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ret-'));
    try {
      const mk = (key: string, iso: string, tag?: string) => {
        fs.mkdirSync(path.join(dest, key), { recursive: true });
        const f = path.join(dest, key, archiveName(key, new Date(iso), tag));
        fs.writeFileSync(f, 'x');
        return f;
      };
      const a1 = mk('a', '2026-01-01T00:00:00Z');
      const a2 = mk('a', '2026-01-02T00:00:00Z');
      const a3 = mk('a', '2026-01-03T00:00:00Z', 'pre-restore');
      const b1 = mk('b', '2026-01-01T00:00:00Z');
      fs.writeFileSync(path.join(dest, 'a', '.a-20260104T000000000Z.tar.gz.partial-9-x'), 'partial');
      const all = listArchives(dest);
      expect(all.get('a')!.map((f) => f.file)).toEqual([a3, a2, a1]);
      expect(latestBackup(all, 'a')?.toISOString()).toBe('2026-01-03T00:00:00.000Z');
      expect(latestBackup(all, 'zzz')).toBeNull();
      const plan = planRetention(all, 2);
      expect(plan.remove.map((f) => f.file)).toEqual([a1]);
      expect(plan.keep.map((f) => f.file).sort()).toEqual([a2, a3, b1].sort());
      expect(planRetention(all, 1, ['b']).remove).toEqual([]);
      expect(applyRetention(planRetention(all, 1))).toEqual([a2, a1]);
      expect(fs.readdirSync(path.join(dest, 'a')).sort()).toEqual(['.a-20260104T000000000Z.tar.gz.partial-9-x', path.basename(a3)]);
    } finally {
      fs.rmSync(dest, { recursive: true, force: true });
    }
  });
});

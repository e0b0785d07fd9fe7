// planPrune and the disk-usage summary on a snapshot recorded from the private engine:
// rec-running (running, network rec-net-used, volume rec-vol), rec-stopped (exited), the
// image rec-img:1 plus the dangling image it replaced, berth-fixture:latest, networks
// rec-net (unused) and rec-net-used, volumes rec-vol (in use), shop_db (compose label),
// scratch (unused).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiskUsage, summarizeDiskUsage } from '../../../src/ops/diskUsage.js';
import { planPrune, type EngineSnapshot, type PruneContext } from '../../../src/ops/prune/plan.js';
import { formatPlan, parseFilters, parseKinds } from '../../../src/ops/prune/run.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const snap = JSON.parse(fs.readFileSync(path.join(here, 'fixtures', 'engine-snapshot.json'), 'utf8')) as EngineSnapshot;
const now = new Date('2026-11-22T12:00:00Z');

function ctx(over: Partial<PruneContext> = {}): PruneContext {
  return { kinds: ['containers', 'images', 'networks', 'build-cache'], projects: [], protectVolumes: [], lastBackup: () => null, protectDays: 7, now, ...over };
}
const names = (p: ReturnType<typeof planPrune>) => p.items.map((i) => `${i.kind}:${i.name}`);

describe('planPrune', () => {
  it('default kinds: stopped containers, dangling images, unused networks; never volumes', () => {
    const plan = planPrune(snap, ctx());
    const dangling = snap.df.Images!.find((i) => i.RepoTags?.[0] === '<none>:<none>')!.Id;
    expect(names(plan)).toEqual(['containers:rec-stopped', `images:<none> ${dangling.slice(7, 19)}`, 'networks:rec-net']);
    expect(plan.items[0]!.size).toBeGreaterThan(0);
    expect(plan.reclaimable).toBe(plan.items.reduce((n, i) => n + i.size, 0));
  });

  it('--all-images adds unused tagged images, not those a remaining container uses', () => {
    const plan = planPrune(snap, ctx({ kinds: ['images'], allImages: true }));
    expect(names(plan)).toContain('images:rec-img:1');
    expect(names(plan)).not.toContain('images:berth-fixture:latest');
  });

  it('an image only a pruned container uses goes too, when both are pruned', () => {
    // with containers pruned, rec-stopped no longer holds berth-fixture, but rec-running still does
    const plan = planPrune(snap, ctx({ kinds: ['containers', 'images'], allImages: true }));
    expect(names(plan)).not.toContain('images:berth-fixture:latest');
  });

  it('volumes: unused and unprotected only; compose, configured, listed and recently backed-up volumes are kept', () => {
    const all = planPrune(snap, ctx({ kinds: ['volumes'] }));
    expect(names(all)).toEqual(['volumes:scratch']);
    expect(all.kept).toEqual([
      { kind: 'volumes', name: 'rec-vol', reason: 'in use by rec-running' },
      { kind: 'volumes', name: 'shop_db', reason: 'belongs to compose project shop' },
    ]);
    expect(planPrune(snap, ctx({ kinds: ['volumes'], protectVolumes: ['scratch'] })).kept.at(-1)).toEqual({ kind: 'volumes', name: 'scratch', reason: 'listed in [backup] protect_volumes' });
    expect(planPrune(snap, ctx({ kinds: ['volumes'], projects: [{ name: 'scratch', containers: [] }] })).items).toEqual([]);
    const recent = planPrune(snap, ctx({ kinds: ['volumes'], lastBackup: (v) => (v === 'scratch' ? new Date(now.getTime() - 3 * 86_400_000) : null) }));
    expect(recent.items).toEqual([]);
    expect(recent.kept.at(-1)!.reason).toBe('backed up 3 day(s) ago (younger than [backup] protect_days = 7)');
    const old = planPrune(snap, ctx({ kinds: ['volumes'], lastBackup: () => new Date(now.getTime() - 30 * 86_400_000) }));
    expect(names(old)).toEqual(['volumes:scratch']);
  });

  it('volumes named explicitly: only those, protection lifted, in-use still kept', () => {
    const plan = planPrune(snap, ctx({ kinds: ['volumes'], volumes: ['shop_db', 'rec-vol', 'nope'] }));
    expect(names(plan)).toEqual(['volumes:shop_db']);
    expect(plan.kept).toEqual([
      { kind: 'volumes', name: 'nope', reason: 'no such volume' },
      { kind: 'volumes', name: 'rec-vol', reason: 'in use by rec-running' },
    ]);
  });

  it('a label filter limits every kind', () => {
    expect(planPrune(snap, ctx({ labels: ['no.such.label'] })).items).toEqual([]);
    expect(names(planPrune(snap, ctx({ kinds: ['containers', 'networks'], labels: ['berth.test=1'] })))).toEqual(['containers:rec-stopped', 'networks:rec-net']);
  });

  it('the preview text lists every item, what is kept and the total', () => {
    const text = formatPlan(planPrune(snap, ctx({ kinds: ['containers', 'volumes'] }))).join('\n');
    expect(text).toMatch(/^containers: 1 to remove\n  rec-stopped  \S+  \(berth-fixture:latest, Exited \(0\)/);
    expect(text).toContain('volumes: 1 to remove\n  scratch  0B  (local)');
    expect(text).toContain('  keep shop_db: belongs to compose project shop');
    expect(text).toMatch(/total: 2 object\(s\), \S+ reclaimed$/);
  });
});

describe('command-line parsing', () => {
  it('kinds', () => {
    expect(parseKinds([], false)).toEqual(['containers', 'images', 'networks', 'build-cache']);
    expect(parseKinds(['all'], true)).toEqual(['containers', 'images', 'networks', 'build-cache', 'volumes']);
    expect(parseKinds(['volumes', 'cache'], false)).toEqual(['build-cache', 'volumes']);
    expect(() => parseKinds(['everything'], false)).toThrow(/unknown kind "everything"/);
  });
  it('filters', () => {
    expect(parseFilters(['label=a', 'label=b=c'])).toEqual(['a', 'b=c']);
    expect(() => parseFilters(['until=24h'])).toThrow(/unsupported filter/);
  });
});

describe('disk usage', () => {
  it('sums sizes and reclaimable space per section', () => {
    const du = summarizeDiskUsage(snap.df);
    expect(du.images).toMatchObject({ total: 3, active: 1, size: snap.df.LayersSize });
    expect(du.containers).toMatchObject({ total: 2, active: 1 });
    expect(du.containers.reclaimable).toBe(du.containers.items.find((c) => c.name === 'rec-stopped')!.size);
    expect(du.volumes).toMatchObject({ total: 3, active: 1, reclaimable: 0 });
    expect(du.volumes.size).toBe(716);
    expect(du.buildCache).toMatchObject({ total: 0, size: 0, reclaimable: 0 });
  });
  it('prints a table like docker system df, and items with -v', () => {
    const du = summarizeDiskUsage(snap.df);
    const text = formatDiskUsage(du);
    expect(text.split('\n')[0]).toMatch(/^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
    expect(text).toMatch(/\nImages\s+3\s+1\s+1\.99MB\s+/);
    expect(text).toMatch(/\nLocal Volumes\s+3\s+1\s+716B\s+0B \(0%\)\n/);
    const v = formatDiskUsage(du, true);
    expect(v).toContain('Local Volumes space usage:');
    expect(v).toMatch(/\nshop_db\s+0\s+0B/);
    expect(v).toMatch(/rec-img:1\s+[0-9a-f]{12}\s+/);
  });
  it('narrower than a table, prints each item as a record: its name, then the columns by name', () => {
    const du = summarizeDiskUsage(snap.df);
    const v = formatDiskUsage(du, true, 60);
    const lines = v.split('\n');
    expect(lines[0]).toMatch(/^TYPE\s+TOTAL/); // the summary fits
    const img = lines.indexOf('rec-img:1');
    expect(img).toBeGreaterThan(0);
    expect(lines[img + 1]).toMatch(/^ {2}IMAGE ID [0-9a-f]{12}, SIZE \S+, SHARED SIZE \S+, UNIQUE SIZE \S+, CONTAINERS \d+$/);
    // a table that fits stays a table
    expect(v).toMatch(/\nshop_db\s+0\s+0B/);
  });
});

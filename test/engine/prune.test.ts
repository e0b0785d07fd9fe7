// Prune against the private engine: the preview lists exactly what is then removed, and
// volumes of known projects (compose label, configured project, protect list, recent
// backup) survive unless named explicitly.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { executePrune, planPrune, snapshotEngine, type PruneContext } from '../../src/ops/prune/plan.js';
import { runPruneCommand } from '../../src/ops/prune/run.js';
import { diskUsage } from '../../src/ops/diskUsage.js';
import { UserError } from '../../src/config/errors.js';

let te: TestEngine;
let work: string;
const tag = `pr${process.pid}`;
const labelArgs = (extra: Record<string, string> = {}) => Object.entries({ ...te.labels, ...extra }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
const names = {
  stopped: `${tag}-stopped`,
  created: `${tag}-created`,
  running: `${tag}-running`,
  net: `${tag}-net`,
  netUsed: `${tag}-net-used`,
  volFree: `${tag}-free`,
  volCompose: `${tag}-compose`,
  volConfigured: `${tag}-mine_data`,
  volProtected: `${tag}-protected`,
  volBackedUp: `${tag}-backedup`,
  volUsed: `${tag}-used`,
};

function context(over: Partial<PruneContext> = {}): PruneContext {
  const now = new Date();
  return {
    kinds: ['containers', 'images', 'networks', 'build-cache', 'volumes'],
    labels: ['berth.test=1'],
    projects: [{ name: `${tag}-mine`, containers: [] }],
    protectVolumes: [names.volProtected],
    lastBackup: (v) => (v === names.volBackedUp ? new Date(now.getTime() - 2 * 86_400_000) : null),
    protectDays: 7,
    now,
    ...over,
  };
}

async function exists(kind: 'container' | 'volume' | 'network' | 'image', id: string): Promise<boolean> {
  try {
    if (kind === 'container') await te.docker.getContainer(id).inspect();
    else if (kind === 'volume') await te.docker.getVolume(id).inspect();
    else if (kind === 'network') await te.docker.getNetwork(id).inspect();
    else await te.docker.getImage(id).inspect();
    return true;
  } catch {
    return false;
  }
}

let danglingId = '';

beforeAll(async () => {
  te = await getTestEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-prune-'));
  const cli = te.dockerCli.bind(te);
  await cli(['run', '--name', names.stopped, ...labelArgs(), '--network', 'none', te.image, 'sh', '-c', 'echo x > /written']);
  await cli(['create', '--name', names.created, ...labelArgs(), '--network', 'none', te.image, 'true']);
  await cli(['network', 'create', '--internal', ...labelArgs(), names.net]);
  await cli(['network', 'create', '--internal', ...labelArgs(), names.netUsed]);
  for (const v of [names.volFree, names.volConfigured, names.volProtected, names.volBackedUp, names.volUsed]) await cli(['volume', 'create', ...labelArgs(), v]);
  await cli(['volume', 'create', ...labelArgs({ 'com.docker.compose.project': `${tag}-proj` }), names.volCompose]);
  await cli(['run', '-d', '--stop-timeout', '1', '--name', names.running, ...labelArgs(), '--network', names.netUsed, '-v', `${names.volUsed}:/v`, te.image, 'sleep', '600']);
  // a dangling image: commit twice to the same tag
  await cli(['commit', '--change', 'LABEL berth.test=1', names.stopped, `${tag}-img:1`]);
  danglingId = (await cli(['image', 'inspect', '-f', '{{.Id}}', `${tag}-img:1`])).stdout.trim();
  await cli(['commit', '--change', 'LABEL berth.test=1', '--change', 'ENV X=2', names.stopped, `${tag}-img:1`]);
});

afterAll(async () => {
  await te?.dockerCli(['rmi', `${tag}-img:1`], { reject: false });
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('prune', () => {
  it('df reports the test objects with sizes and reclaimable space', async () => {
    const du = await diskUsage(te.docker);
    expect(du.containers.items.map((c) => c.name)).toEqual(expect.arrayContaining([names.stopped, names.created, names.running]));
    expect(du.containers.items.find((c) => c.name === names.stopped)!.size).toBeGreaterThan(0);
    expect(du.containers.reclaimable).toBeGreaterThan(0);
    expect(du.volumes.items.map((v) => v.name)).toEqual(expect.arrayContaining(Object.values(names).filter((n) => n.includes('-') && !n.includes('net') && !n.includes('stopped') && !n.includes('created') && !n.includes('running'))));
    expect(du.images.items.some((i) => i.dangling && i.id === danglingId)).toBe(true);
  });

  it('the preview lists exactly what prune removes; protected volumes survive', async () => {
    const plan = planPrune(await snapshotEngine(te.docker), context());
    const listed = plan.items.map((i) => `${i.kind}:${i.name}`).sort();
    expect(listed).toEqual(
      [`containers:${names.created}`, `containers:${names.stopped}`, `images:<none> ${danglingId.replace('sha256:', '').slice(0, 12)}`, `networks:${names.net}`, `volumes:${names.volFree}`].sort(),
    );
    const kept = Object.fromEntries(plan.kept.map((k) => [k.name, k.reason]));
    expect(kept[names.volCompose]).toMatch(/compose project/);
    expect(kept[names.volConfigured]).toMatch(/configured project/);
    expect(kept[names.volProtected]).toMatch(/protect_volumes/);
    expect(kept[names.volBackedUp]).toMatch(/backed up 2 day/);
    expect(kept[names.volUsed]).toMatch(new RegExp(`in use by ${names.running}`));

    const outcome = await executePrune(te.docker, plan);
    expect(outcome.failed).toEqual([]);
    expect(outcome.removed).toEqual(plan.items);
    for (const i of plan.items) expect(await exists(i.kind === 'containers' ? 'container' : i.kind === 'images' ? 'image' : i.kind === 'networks' ? 'network' : 'volume', i.id)).toBe(false);
    for (const v of [names.volCompose, names.volConfigured, names.volProtected, names.volBackedUp, names.volUsed]) expect(await exists('volume', v)).toBe(true);
    expect(await exists('container', names.running)).toBe(true);
    expect(await exists('network', names.netUsed)).toBe(true);
    expect(await exists('image', `${tag}-img:1`)).toBe(true);
    expect(await exists('image', te.image)).toBe(true);
    // a second preview is empty
    expect(planPrune(await snapshotEngine(te.docker), context()).items).toEqual([]);
  });

  it('a volume named explicitly is removed even when protected, never when in use', async () => {
    const plan = planPrune(await snapshotEngine(te.docker), context({ kinds: ['volumes'], volumes: [names.volCompose, names.volUsed] }));
    expect(plan.items.map((i) => i.name)).toEqual([names.volCompose]);
    expect(plan.kept).toEqual([{ kind: 'volumes', name: names.volUsed, reason: `in use by ${names.running}` }]);
    const outcome = await executePrune(te.docker, plan);
    expect(outcome.removed.map((i) => i.name)).toEqual([names.volCompose]);
    expect(await exists('volume', names.volCompose)).toBe(false);
  });

  it('the command refuses to ask on a non-interactive input, and --dry-run removes nothing', async () => {
    await te.dockerCli(['create', '--name', `${tag}-again`, ...labelArgs(), '--network', 'none', te.image, 'true']);
    const chunks: string[] = [];
    const out = { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream;
    const base = { what: ['containers'], filter: ['label=berth.test=1'], out, err: out, isTTY: false };
    await expect(runPruneCommand(base)).rejects.toThrow(UserError);
    expect(chunks.join('')).toContain(`${tag}-again`);
    expect(await exists('container', `${tag}-again`)).toBe(true);
    chunks.length = 0;
    expect(await runPruneCommand({ ...base, dryRun: true })).toBe(0);
    expect(chunks.join('')).toMatch(/dry run: nothing was removed/);
    expect(await exists('container', `${tag}-again`)).toBe(true);
    expect(await runPruneCommand({ ...base, confirm: async () => false })).toBe(1);
    expect(await exists('container', `${tag}-again`)).toBe(true);
    chunks.length = 0;
    expect(await runPruneCommand({ ...base, yes: true })).toBe(0);
    expect(chunks.join('')).toContain(`removed container ${tag}-again`);
    expect(await exists('container', `${tag}-again`)).toBe(false);
  });

  it('--backup-volumes backs a volume up before removing it', async () => {
    const vol = `${tag}-tobackup`;
    await te.dockerCli(['volume', 'create', ...labelArgs(), vol]);
    await te.dockerCli(['run', '--rm', ...labelArgs(), '--network', 'none', '-v', `${vol}:/d`, te.image, 'sh', '-c', 'echo keep-me > /d/f']);
    const chunks: string[] = [];
    const out = { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream;
    const xdg = path.join(work, 'data');
    const prev = process.env.XDG_DATA_HOME;
    process.env.XDG_DATA_HOME = xdg;
    try {
      expect(await runPruneCommand({ what: [], volume: [vol], backupVolumes: true, yes: true, out, err: out })).toBe(0);
    } finally {
      if (prev === undefined) delete process.env.XDG_DATA_HOME;
      else process.env.XDG_DATA_HOME = prev;
    }
    expect(await exists('volume', vol)).toBe(false);
    const dir = path.join(xdg, 'berth', 'backups', vol);
    // one archive, with its manifest beside it
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(1);
    expect(fs.readdirSync(dir)).toHaveLength(2);
    expect(chunks.join('')).toContain(`backed up ${vol}`);
  });

  it('an unused image with two tags is removed tag by tag (never forced)', async () => {
    await te.dockerCli(['create', '--name', `${tag}-imgsrc`, ...labelArgs(), '--network', 'none', te.image, 'true']);
    await te.dockerCli(['commit', '--change', 'LABEL berth.test=1', '--change', 'ENV Y=1', `${tag}-imgsrc`, `${tag}-two:a`]);
    await te.dockerCli(['tag', `${tag}-two:a`, `${tag}-two:b`]);
    await te.dockerCli(['rm', `${tag}-imgsrc`]);
    const plan = planPrune(await snapshotEngine(te.docker), context({ kinds: ['images'], allImages: true }));
    const item = plan.items.find((i) => i.name.includes(`${tag}-two:a`))!;
    expect(item.name).toBe(`${tag}-two:a, ${tag}-two:b`);
    const outcome = await executePrune(te.docker, { ...plan, items: [item] });
    expect(outcome.failed).toEqual([]);
    expect(await exists('image', item.id)).toBe(false);
  });
});

// The dashboard's backup driver (src/dashboard/maintenance.ts) on the private engine: the plan
// in the dialog, a cancelled backup leaves no archive and the container running, a finished
// one names its verified archive; the prune preview answered with n removes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dataDir } from '../../src/config/paths.js';
import { Maintenance } from '../../src/dashboard/maintenance.js';
import { createAppStore, type AppStore } from '../../src/dashboard/store.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

let te: TestEngine;
const tag = `mt${process.pid % 1000}`;
const volume = `${tag}-big`;
let app: string;

async function until<T>(get: () => T | null | undefined | false, what: string, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function storeOn(): AppStore {
  const store = createAppStore([], te.host);
  store.getState().setEngine({ kind: 'connected', address: te.host, version: '20.10', apiVersion: '1.41' });
  store.getState().patchUi({ view: 'detail', detail: { kind: 'container', id: app, name: `${tag}-app`, project: 'other' } });
  return store;
}

const archives = () => {
  const dir = path.join(dataDir(), 'backups', volume);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

beforeAll(async () => {
  te = await getTestEngine();
  const labels = Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await te.dockerCli(['volume', 'create', ...labels, volume]);
  app = (
    await te.dockerCli(['run', '-d', '--stop-timeout', '1', '--name', `${tag}-app`, ...labels, '-v', `${volume}:/data`, te.image, 'sh', '-c', 'head -c 150000000 /dev/urandom > /data/big; echo ready > /data/ready; while :; do sleep 1; done'])
  ).stdout.trim();
  for (let i = 0; i < 600; i++) {
    const r = await te.dockerCli(['exec', app, 'cat', '/data/ready'], { reject: false });
    if (r.stdout.includes('ready')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

describe('dashboard backup and prune driver', () => {
  it('plans the container volume; X cancels the running backup, leaving no archive and the container running', async () => {
    const store = storeOn();
    const m = new Maintenance(te.docker, store);
    m.cancelBackup();
    expect(store.getState().ui.message).toBe('no backup running');
    m.openBackup();
    const p = await until(() => {
      const x = store.getState().ui.maint;
      return x?.kind === 'backup' && (x.plans || x.error) ? x : null;
    }, 'the plan');
    expect(p.error).toBeNull();
    expect(p.target).toBe(volume);
    expect(p.plans![0]!.live.map((u) => u.name)).toEqual([`${tag}-app`]);
    m.backupChoice('yes');
    expect(store.getState().ui.maint).toBeNull();
    expect(m.running).toBe(true);
    await until(() => /backup: copy/.test(store.getState().ui.message ?? ''), 'copy progress');
    m.cancelBackup();
    await until(() => !m.running, 'the backup to end');
    expect(store.getState().ui.message).toMatch(/^backup cancelled/);
    expect(store.getState().ui.messageKind).toBe('error');
    expect(archives()).toEqual([]); // no temporary file either
    expect((await te.docker.getContainer(app).inspect()).State.Running).toBe(true);
  });

  it('s stops the container for the copy; the finished backup names its verified archive and the container runs again', async () => {
    const store = storeOn();
    const m = new Maintenance(te.docker, store);
    m.openBackup();
    await until(() => (store.getState().ui.maint as { plans?: unknown } | null)?.plans, 'the plan');
    m.backupChoice('stop');
    const p = await until(() => {
      const x = store.getState().ui.maint;
      return x?.kind === 'backup' && x.plans ? x : null;
    }, 'the new plan');
    expect(p.consistency).toBe('stop');
    expect(p.plans![0]!.stop.map((u) => u.name)).toEqual([`${tag}-app`]);
    m.backupChoice('yes');
    await until(() => !m.running, 'the backup to end', 55_000);
    const msg = store.getState().ui.message ?? '';
    expect(msg).toMatch(/^backup verified: /);
    const files = archives().filter((f) => f.endsWith('.tar.gz'));
    expect(files).toHaveLength(1);
    expect(msg).toContain(files[0]);
    expect((await te.docker.getContainer(app).inspect()).State.Running).toBe(true);
  });

  it('the prune preview answered with n removes nothing', async () => {
    const labels = Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    await te.dockerCli(['run', '--name', `${tag}-done`, ...labels, te.image, 'true']);
    const store = storeOn();
    const m = new Maintenance(te.docker, store);
    m.openPrune();
    const p = await until(() => {
      const x = store.getState().ui.maint;
      return x?.kind === 'prune' && x.plan ? x : null;
    }, 'the preview');
    expect(p.plan!.items.map((i) => i.name)).toContain(`${tag}-done`);
    expect(p.plan!.kinds).not.toContain('volumes');
    m.pruneChoice('volumes');
    const v = await until(() => {
      const x = store.getState().ui.maint;
      return x?.kind === 'prune' && x.plan ? x : null;
    }, 'the preview with volumes');
    expect(v.volumes).toBe(true);
    expect(v.plan!.kinds).toContain('volumes');
    m.pruneChoice('no');
    expect(store.getState().ui.maint).toBeNull();
    expect((await te.docker.getContainer(`${tag}-done`).inspect()).State.Status).toBe('exited');
  });
});

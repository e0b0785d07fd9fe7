// Backup, disk usage and prune from the dashboard, in tmux against the private engine: B on
// a container backs up its named volume (archive checked on disk), U shows the volume, P
// previews the prune of the stopped container and y removes exactly that one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/ops/backup/archive.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { CLI, Tmux } from './tmux.js';

let te: TestEngine;
let tmux: Tmux;
let home: string;
const tag = `m${process.pid % 1000}`;
const project = `mnt${tag}`;
const volume = `${tag}-data`;

const labelArgs = (extra: Record<string, string> = {}) => Object.entries({ ...te.labels, ...extra }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
const names = async () => (await te.docker.listContainers({ all: true })).map((c) => (c.Names?.[0] ?? '').replace(/^\//, '')).sort();

beforeAll(async () => {
  te = await getTestEngine();
  // Stopped containers other test files left on this private engine (compose projects carry
  // no test label) would crowd the prune preview: start from an engine without any.
  for (const c of await te.docker.listContainers({ all: true })) {
    if (['exited', 'created', 'dead'].includes(c.State)) await te.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {});
  }
  await te.dockerCli(['volume', 'create', ...labelArgs(), volume]);
  // the stopped one, written first so the volume holds a file
  await te.dockerCli(['run', '--name', `${tag}-old`, ...labelArgs({ 'com.docker.compose.project': project }), '-v', `${volume}:/data`, te.image, 'sh', '-c', 'echo hello-backup > /data/hello.txt']);
  await te.dockerCli(['run', '-d', '--stop-timeout', '1', '--name', `${tag}-app`, ...labelArgs({ 'com.docker.compose.project': project }), '-v', `${volume}:/data`, te.image, 'sh', '-c', 'while :; do sleep 1; done']);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-maint-'));
  tmux = new Tmux();
});

afterAll(() => {
  tmux?.kill();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('backup, disk usage and prune from the dashboard', () => {
  it('B backs up the volume (verified archive), U shows it, P previews and y prunes exactly the stopped container', async () => {
    tmux.startBerth(home, te.host, 160, 40);
    await tmux.waitFor((s) => s.includes(`${tag}-app`), 'the container list', 40_000);
    tmux.type('/');
    tmux.type(`${tag}-app`);
    tmux.keys('Enter');
    tmux.keys('Tab');
    await tmux.waitFor((s) => s.includes(`/${tag}-app`) && !s.includes(`${tag}-old`), 'the app container selected');

    // Backup: the dialog names the volume, the archive path and the live copy; n cancels, B again, y runs.
    tmux.type('B');
    let screen = await tmux.waitFor((s) => s.includes(`copy volume ${volume} ->`) && s.includes('copied live'), 'the backup dialog', 20_000);
    expect(screen).toContain(path.join(home, 'data', 'berth', 'backups', volume));
    tmux.type('n');
    await tmux.waitFor((s) => s.includes('backup cancelled'), 'the cancel');
    expect(fs.existsSync(path.join(home, 'data', 'berth', 'backups'))).toBe(false);
    tmux.type('B');
    await tmux.waitFor((s) => s.includes(`copy volume ${volume} ->`), 'the backup dialog again', 20_000);
    tmux.type('y');
    await tmux.waitFor((s) => s.includes('backup verified'), 'the backup result', 40_000);
    const dir = path.join(home, 'data', 'berth', 'backups', volume);
    const archives = fs.readdirSync(dir).filter((f) => f.endsWith('.tar.gz'));
    expect(archives).toHaveLength(1);
    const report = await verifyArchive(path.join(dir, archives[0]!));
    expect(report.manifest.volume).toBe(volume);
    expect(report.manifest.consistency).toBe('live');
    expect(report.manifest.entryList.map((e) => e.p)).toContain('hello.txt');
    expect(report.manifest.engine.address).toBe(te.host);

    // At 80x24 the status line and the disk usage view: nothing cut beyond reach (the e2e
    // screens are checked, see cutCheck.ts); M shows the backup message whole.
    tmux.resize(80, 24);
    await tmux.waitFor((s) => s.includes('backup verified') && s.split('\n')[0]!.length <= 80, 'the dashboard at 80x24');
    tmux.type('M');
    screen = await tmux.waitFor((s) => s.includes('backup verified') && s.includes(archives[0]!.slice(0, 20)), 'the messages in full');
    tmux.keys('Escape'); // then a pause: ESC and U at once would read as alt+U
    await tmux.waitFor((s) => s.includes('NAME'), 'the list again');

    // Disk usage: the volume is listed.
    tmux.type('U');
    // items as records at this width (name, then its columns by name), scrolled with j
    screen = await tmux.waitFor((s) => s.includes('RECLAIMABLE') && /^║ {3}IMAGE ID [0-9a-f]{12}, SIZE /m.test(s), 'the disk-usage view at 80x24', 20_000);
    for (let i = 0; i < 30; i++) tmux.keys('j');
    await tmux.waitFor((s) => s.includes('Local Volumes space usage') && s.includes(volume), 'the volumes, scrolled to', 20_000);
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('NAME'), 'the list again');
    tmux.resize(160, 40);
    await tmux.waitFor((s) => s.includes('NAME') && s.split('\n')[0]!.length > 80, 'the dashboard at 160x40');
    tmux.type('U');
    await tmux.waitFor((s) => s.includes('Local Volumes space usage') && s.includes(volume), 'the disk-usage view', 20_000);

    // Prune preview from there: the stopped container is listed, the running one is not.
    const before = await names();
    // Earlier test files may have left stopped containers of their own on the shared engine:
    // the preview must list every stopped one, and prune must remove exactly those.
    const stopped = (await te.docker.listContainers({ all: true }))
      .filter((c) => ['exited', 'created', 'dead'].includes(c.State))
      .map((c) => (c.Names?.[0] ?? '').replace(/^\//, ''))
      .sort();
    expect(stopped).toContain(`${tag}-old`);
    tmux.type('P');
    screen = await tmux.waitFor((s) => /containers: \d+ to remove/.test(s) && s.includes('total:'), 'the prune preview', 20_000);
    expect(screen).toContain(`containers: ${stopped.length} to remove`);
    expect(screen).toContain(`${tag}-old`);
    expect(screen).not.toContain(`${tag}-app`);
    expect(before).toContain(`${tag}-old`);
    tmux.type('y');
    await tmux.waitFor((s) => s.includes('pruned'), 'the prune result', 30_000);
    const after = await names();
    expect(before.filter((n) => !after.includes(n))).toEqual(stopped);
    expect(after).toContain(`${tag}-app`);
    expect((await te.docker.getVolume(volume).inspect()).Name).toBe(volume);

    tmux.type('q');
    screen = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit');
    expect(screen).toContain('AFTER-BERTH rc=0');
  });
});

// The dashboard's background scans (src/dashboard/vulnScans.ts) with a stand-in Trivy: the
// images of running containers are scanned one at a time, each once; a new image id scans
// again, a new scanner database scans everything again, the cache answers otherwise; stopped
// containers are not scanned; without a scanner, one line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VulnScans, type VulnView } from '../../../src/dashboard/vulnScans.js';
import type { ContainerInfo } from '../../../src/engine/types.js';
import { writeStandinTrivy } from '../../helpers/standinScanner.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vulnscans-'));
let oldCache: string | undefined;
beforeAll(() => {
  oldCache = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = path.join(tmp, 'cache');
});
afterAll(() => {
  if (oldCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = oldCache;
  fs.rmSync(tmp, { recursive: true, force: true });
});

const container = (name: string, image: string, imageId: string, state: ContainerInfo['state'] = 'running'): ContainerInfo =>
  ({ id: name, name, image, imageId, state, status: '', health: null, restartCount: 0, startedAt: Date.now(), finishedAt: null, exitCode: null, oomKilled: false, pid: 0, labels: {}, composeProject: null, composeService: null, created: 0, gpuRequested: false }) as ContainerInfo;

async function until(pred: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('background scans', () => {
  it('one scan per image; a new image id or a new database scans again; the cache answers otherwise', async () => {
    const bin = path.join(tmp, 'bin');
    const s = writeStandinTrivy(bin, { vulnerable: 'vulnerable' });
    let view: VulnView | null = null;
    const scans = new VulnScans({ dockerHost: 'unix:///nowhere.sock', path: `${bin}${path.delimiter}${process.env.PATH}`, recheckMs: 0, onChange: (v) => (view = v) });
    scans.start();
    scans.update([container('a', 'shop/vulnerable:1', 'sha256:aaa'), container('b', 'clean:1', 'sha256:bbb'), container('c', 'shop/vulnerable:1', 'sha256:aaa'), container('d', 'stopped/vulnerable:1', 'sha256:ddd', 'exited')]);
    await until(() => view?.byImage['sha256:aaa']?.state === 'done' && view.byImage['sha256:bbb']?.state === 'done', 'both images scanned');
    expect(view!.scanner).toEqual({ kind: 'trivy', version: '0.56.2', db: 'v2 2026-12-08T06:00:00Z' });
    expect(view!.byImage['sha256:aaa']!.counts).toMatchObject({ CRITICAL: 1, LOW: 1 });
    expect(view!.byImage['sha256:bbb']!.counts).toMatchObject({ CRITICAL: 0, HIGH: 0 });
    expect(view!.byImage['sha256:ddd']).toBeUndefined();
    const calls = () => fs.readFileSync(s.calls, 'utf8').trim().split('\n');
    expect(calls().sort()).toEqual(['clean:1', 'shop/vulnerable:1']);

    // the same image again: nothing; a rebuilt one (new id): scanned
    scans.update([container('a', 'shop/vulnerable:1', 'sha256:aaa'), container('e', 'shop/vulnerable:1', 'sha256:eee')]);
    await until(() => view?.byImage['sha256:eee']?.state === 'done', 'the new image id scanned');
    expect(calls()).toHaveLength(3);

    // a new database: every image again (the old results were kept under the old database)
    fs.writeFileSync(s.bin, fs.readFileSync(s.bin, 'utf8').replace('2026-12-08T06:00:00Z', '2026-12-09T06:00:00Z'));
    scans.update([container('a', 'shop/vulnerable:1', 'sha256:aaa')]);
    await until(() => calls().length === 6 && Object.values(view!.byImage).every((v) => v.state === 'done'), 'every image scanned again');
    expect(view!.scanner!.db).toBe('v2 2026-12-09T06:00:00Z');
    scans.stop();

    // another server with the first database: all from the cache, no scanner call
    fs.writeFileSync(s.bin, fs.readFileSync(s.bin, 'utf8').replace('2026-12-09T06:00:00Z', '2026-12-08T06:00:00Z'));
    let view2: VulnView | null = null;
    const again = new VulnScans({ dockerHost: 'unix:///nowhere.sock', path: `${bin}${path.delimiter}${process.env.PATH}`, onChange: (v) => (view2 = v) });
    again.start();
    again.update([container('a', 'shop/vulnerable:1', 'sha256:aaa'), container('b', 'clean:1', 'sha256:bbb')]);
    await until(() => view2?.byImage['sha256:aaa']?.state === 'done' && view2.byImage['sha256:bbb']?.state === 'done', 'results from the cache');
    expect(calls()).toHaveLength(6);
    again.stop();
  });

  it('no scanner: one line, the images marked, nothing else', async () => {
    let view: VulnView | null = null;
    const scans = new VulnScans({ dockerHost: 'unix:///nowhere.sock', path: path.join(tmp, 'empty'), onChange: (v) => (view = v) });
    scans.start();
    scans.update([container('a', 'x:1', 'sha256:xxx')]);
    await until(() => view?.byImage['sha256:xxx']?.state === 'error', 'the image marked');
    expect(view!.scanner).toBeNull();
    expect(view!.problem).toMatch(/^no vulnerability scanner: install Trivy/);
    scans.stop();
  });
});

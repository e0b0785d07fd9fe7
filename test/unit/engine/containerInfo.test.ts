import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { fromInspect, fromListEntry, humanDuration, statusText } from '../../../src/engine/containerInfo.js';

// Recorded from a dockerd 20.10 (API 1.41) with the busybox fixture image.
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const load = <T>(f: string): T => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as T;

describe('fromInspect', () => {
  it('reads a running container', () => {
    const c = fromInspect(load<Dockerode.ContainerInspectInfo>('inspect-running.json'));
    expect(c).toMatchObject({ name: 'burn', state: 'running', image: 'berth-fixture', composeProject: 'p1', exitCode: null, oomKilled: false });
    expect(c.pid).toBeGreaterThan(0);
    expect(c.startedAt).toBeGreaterThan(Date.parse('2020-01-01'));
  });
  it('reads an exited compose container with its exit code', () => {
    const c = fromInspect(load<Dockerode.ContainerInspectInfo>('inspect-exited.json'));
    expect(c).toMatchObject({ name: 'exited1', state: 'exited', exitCode: 3, pid: 0, startedAt: null, composeProject: 'demo', composeService: 'worker' });
    expect(statusText(c, c.finishedAt! + 90_000)).toBe('Exited (3) 1m ago');
  });
  it('reads the health state', () => {
    const c = fromInspect(load<Dockerode.ContainerInspectInfo>('inspect-healthy.json'));
    expect(c.health).toBe('healthy');
    expect(statusText(c, c.startedAt! + 5000)).toBe('Up 5s (healthy)');
  });
});

describe('fromListEntry', () => {
  it('reads names, states, health and exit codes from the list answer', () => {
    const list = load<Dockerode.ContainerInfo[]>('list.json').map(fromListEntry);
    const byName = Object.fromEntries(list.map((c) => [c.name, c]));
    expect(byName.hc).toMatchObject({ state: 'running', health: 'healthy' });
    expect(byName.exited1).toMatchObject({ state: 'exited', exitCode: 3, composeProject: 'demo' });
    expect(byName.burn).toMatchObject({ state: 'running', composeProject: 'p1' });
  });
});

describe('humanDuration', () => {
  it('picks one unit like docker ps does', () => {
    expect([humanDuration(5_000), humanDuration(125_000), humanDuration(3 * 3600_000), humanDuration(72 * 3600_000)]).toEqual(['5s', '2m', '3h', '3d']);
  });
});

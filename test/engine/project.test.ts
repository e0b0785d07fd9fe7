// What belongs to a project, asked of the private engine: containers labelled by compose
// v1 or v2 naming or listed in the config, the volumes they mount and the ones compose
// labelled, the folders they bind, and the project folder from compose's label.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { containerName, projectMembers } from '../../src/project/members.js';

let te: TestEngine;
const tag = `pm${process.pid}`;
let bindDir: string;

const labels = (extra: Record<string, string>) => Object.entries({ ...te.labels, ...extra }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

beforeAll(async () => {
  te = await getTestEngine();
  bindDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-pm-'));
  const project = `${tag}_app`; // v2 keeps the '_', v1 drops it
  const v1 = `${tag}app`;
  await te.docker.createVolume({ Name: `${tag}-data`, Labels: te.labels });
  await te.docker.createVolume({ Name: `${tag}-unmounted`, Labels: { ...te.labels, 'com.docker.compose.project': project } });
  await te.dockerCli(['create', '--name', `${tag}-v2-web`, ...labels({ 'com.docker.compose.project': project, 'com.docker.compose.project.working_dir': '/src/app' }), '-v', `${tag}-data:/data`, te.image, 'true']);
  await te.dockerCli(['create', '--name', `${tag}-v1-db`, ...labels({ 'com.docker.compose.project': v1 }), '-v', `${bindDir}:/b`, te.image, 'true']);
  await te.dockerCli(['create', '--name', `${tag}-listed`, ...labels({}), te.image, 'true']);
  await te.dockerCli(['create', '--name', `${tag}-stranger`, ...labels({ 'com.docker.compose.project': `${tag}other` }), te.image, 'true']);
});

afterAll(() => {
  if (bindDir) fs.rmSync(bindDir, { recursive: true, force: true });
});

describe('projectMembers', () => {
  it('answers which containers, volumes, binds and folder belong to a project, v1 and v2 names alike', async () => {
    const m = await projectMembers(te.docker, `${tag}_app`, [{ name: `${tag}_app`, containers: [`${tag}-listed`] }]);
    expect(m.containers.map(containerName)).toEqual([`${tag}-listed`, `${tag}-v1-db`, `${tag}-v2-web`]);
    expect(m.volumes).toEqual([`${tag}-data`, `${tag}-unmounted`]);
    expect(m.binds).toEqual([bindDir]);
    expect(m.dir).toBe('/src/app');
    expect(m.found).toBe(true);
    const none = await projectMembers(te.docker, `${tag}-nothing`);
    expect(none).toMatchObject({ containers: [], volumes: [], found: false, dir: null });
  });
});

// The doctor's GPU checks on real containers: a compose service that asks for a GPU whose
// container has no device request, and one whose device request the engine cannot honour
// (this engine has no NVIDIA runtime, as on any machine without the toolkit).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/ops/doctor/run.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

let te: TestEngine;
let dir: string;
const project = `gpuproj${process.pid}`;

beforeAll(async () => {
  te = await getTestEngine();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-doctor-gpu-'));
  fs.writeFileSync(
    path.join(dir, 'compose.yaml'),
    [
      `name: ${project}`,
      'services:',
      '  trainer:',
      '    image: berth-fixture:latest',
      '    deploy:',
      '      resources:',
      '        reservations:',
      '          devices:',
      '            - driver: nvidia',
      '              count: all',
      '              capabilities: [gpu]',
      '  shell:',
      '    image: berth-fixture:latest',
      '',
    ].join('\n'),
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function create(service: string, name: string, deviceRequest: boolean) {
  const c = await te.docker.createContainer({
    Image: te.image,
    name,
    Cmd: ['sleep', '600'],
    Labels: { ...te.labels, 'com.docker.compose.project': project, 'com.docker.compose.service': service },
    HostConfig: deviceRequest ? { DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] } : {},
  });
  return c;
}

describe('doctor GPU checks', () => {
  it('flags a GPU service whose container requests no GPU, and not the other service', async () => {
    const trainer = await create('trainer', `${project}-trainer-1`, false);
    await trainer.start();
    const shell = await create('shell', `${project}-shell-1`, false);
    await shell.start();
    const report = await runDoctor({ dir, docker: te.docker, local: true });
    const gpu = report.findings.filter((f) => f.id.startsWith('gpu/'));
    expect(gpu).toHaveLength(1);
    expect(gpu[0]).toMatchObject({ id: 'gpu/request-missing', severity: 'error', where: { container: `${project}-trainer-1` } });
    await trainer.remove({ force: true });
    await shell.remove({ force: true });
  });

  it('reports the missing driver when the engine cannot give the container its GPU', async () => {
    const trainer = await create('trainer', `${project}-trainer-2`, true);
    await expect(trainer.start()).rejects.toThrow(/could not select device driver/);
    const report = await runDoctor({ dir, docker: te.docker, local: true });
    const gpu = report.findings.filter((f) => f.id.startsWith('gpu/'));
    expect(gpu.map((f) => `${f.severity} ${f.id}`)).toContain('error gpu/driver-missing');
    expect(gpu.find((f) => f.id === 'gpu/driver-missing')?.fix).toMatch(/NVIDIA Container Toolkit/);
    await trainer.remove({ force: true });
  });
});

// Compose control through berth against the private engine: detection, up/down of a
// two-service fixture project (volumes kept unless asked), streamed output, logs,
// restart, and a failing build reported clearly.
//
// The private engine runs with --bridge=none; compose still creates its per-project
// network with the bridge driver, so the fixtures keep the default network.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { detectCompose, runCompose, streamCompose, volumesAtRisk, type ComposeLine, type ComposeTarget } from '../../src/ops/compose/run.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/compose');

let eng: TestEngine;
let tmp: string;
const targets: ComposeTarget[] = [];

/** A copy of a fixture project in a fresh folder; the folder name is the compose project name. */
function project(fixture: string, name: string): ComposeTarget {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  const t = { dir, host: eng.host };
  targets.push(t);
  return t;
}

async function projectContainers(name: string) {
  return eng.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } });
}

async function volumeExists(name: string): Promise<boolean> {
  const { Volumes } = await eng.docker.listVolumes({ filters: { name: [name] } });
  return (Volumes ?? []).some((v) => v.Name === name);
}

beforeAll(async () => {
  eng = await getTestEngine();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compose-'));
});

afterAll(async () => {
  for (const t of targets) await runCompose(t, 'down', { volumes: true }).catch(() => undefined);
  await eng.dockerCli(['image', 'rm', '-f', 'berth-failing-build:test'], { reject: false });
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('compose control', () => {
  it('finds a compose tool (v2 plugin, else docker-compose v1)', async () => {
    const tool = await detectCompose({ refresh: true });
    expect(['v1', 'v2']).toContain(tool.kind);
    expect(tool.version).toMatch(/^\d+\.\d+\.\d+/);
    if (tool.kind === 'v1') expect(tool.command).toBe('docker-compose');
  });

  it('brings a two-service project up and down, streaming output, keeping volumes unless asked', async () => {
    const name = `berthct${process.pid}`;
    const t = project('two-service', name);
    const lines: ComposeLine[] = [];
    const up = await runCompose(t, 'up', { onLine: (l) => lines.push(l) });
    expect(up.error).toBeUndefined();
    expect(up.ok).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.line).join('\n')).toMatch(/worker/);

    const running = await projectContainers(name);
    expect(running.map((c) => c.Labels['com.docker.compose.service']).sort()).toEqual(['web', 'worker']);
    expect(running.every((c) => c.State === 'running')).toBe(true);

    // The data volume is what `down --volumes` would delete.
    const risk = await volumesAtRisk(t, eng.docker);
    expect(risk).toEqual([{ name: `${name}_data`, kind: 'named' }]);
    expect(await volumesAtRisk(t)).toEqual([{ name: `${name}_data`, kind: 'named' }]);

    const logs: string[] = [];
    const stream = streamCompose(t, 'logs', { services: ['worker'] });
    for await (const l of stream) logs.push(l.line);
    expect((await stream.result).ok).toBe(true);
    expect(logs.join('\n')).toContain('worker started');

    const restart = await runCompose(t, 'restart', { services: ['web'] });
    expect(restart.ok).toBe(true);

    const down = await runCompose(t, 'down');
    expect(down.ok).toBe(true);
    expect(await projectContainers(name)).toEqual([]);
    expect(await volumeExists(`${name}_data`)).toBe(true);

    const downAll = await runCompose(t, 'down', { volumes: true });
    expect(downAll.ok).toBe(true);
    expect(await volumeExists(`${name}_data`)).toBe(false);
  });

  it('reports a failing build clearly: which service, which step, the exit code', async () => {
    // the legacy builder keeps a failed step's container (no label): removed at the end
    const before = new Set((await eng.docker.listContainers({ all: true })).map((c) => c.Id));
    onTestFinished(async () => {
      for (const c of await eng.docker.listContainers({ all: true })) if (!before.has(c.Id) && !c.Labels?.['berth.test']) await eng.docker.getContainer(c.Id).remove({ force: true }).catch(() => {});
    });
    const t = project('failing-build', `berthfb${process.pid}`);
    const lines: string[] = [];
    const r = await runCompose(t, 'build', { onLine: (l) => lines.push(l.line) });
    expect(r.ok).toBe(false);
    expect(r.exitCode).not.toBe(0);
    expect(lines.join('\n')).toContain('about to fail');
    expect(r.error).toMatch(/^docker(-| )compose build failed \(exit \d+\): /);
    expect(r.error).toMatch(/app/);
    expect(r.error).toMatch(/exit 3|non-zero code: 3|exit code: 3/);
    // up --build fails the same way and starts nothing.
    const up = await runCompose(t, 'up', { build: true });
    expect(up.ok).toBe(false);
    expect(up.error).toMatch(/non-zero code: 3|exit code: 3/);
    expect(await projectContainers(`berthfb${process.pid}`)).toEqual([]);
  });

  it('reports an image that cannot be pulled', async () => {
    const t = project('two-service', `berthpull${process.pid}`);
    fs.writeFileSync(path.join(t.dir, 'compose.yaml'), 'services:\n  ghost:\n    image: berth-no-such-image-anywhere:0.0.1\n');
    const r = await runCompose(t, 'pull');
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^docker(-| )compose pull failed/);
    expect(r.error).toMatch(/berth-no-such-image-anywhere|ghost/);
  });
});

describe('berth compose (the command)', () => {
  it('says which volumes down keeps, and refuses to delete them unconfirmed', async () => {
    const { composeCommand } = await import('../../src/ops/compose/command.js');
    const name = `berthcmd${process.pid}`;
    const t = project('two-service', name);
    const sink = () => {
      const chunks: string[] = [];
      return { write: (s: string) => chunks.push(s) > 0, text: () => chunks.join('') } as unknown as NodeJS.WritableStream & { text(): string };
    };
    const out = sink();
    const err = sink();
    expect(await composeCommand({ project: t.dir, action: 'up', host: eng.host, out, err })).toBe(0);
    expect(err.text() + out.text()).toMatch(/web/);
    expect(await projectContainers(name)).toHaveLength(2);

    // Not a terminal and no --yes: nothing is deleted, the message names the volume.
    await expect(composeCommand({ project: t.dir, action: 'down', volumes: true, host: eng.host, out, err })).rejects.toThrow(
      `down --volumes would delete volumes ${name}_data; pass --yes to confirm`,
    );
    // Asked and answered no.
    const asked: string[] = [];
    const no = sink();
    expect(await composeCommand({ project: t.dir, action: 'down', volumes: true, host: eng.host, out, err: no, confirm: async (q) => (asked.push(q), false) })).toBe(1);
    expect(asked).toEqual(['Delete these volumes? [y/N] ']);
    expect(no.text()).toContain(`warning: down --volumes deletes volumes ${name}_data and the data in them`);
    expect(await projectContainers(name)).toHaveLength(2);

    const dry = sink();
    const dryErr = sink();
    expect(await composeCommand({ project: t.dir, action: 'down', volumes: true, dryRun: true, host: eng.host, out: dry, err: dryErr })).toBe(0);
    expect(dryErr.text()).toContain(`down --volumes would delete volumes ${name}_data`);
    expect(dry.text()).toMatch(new RegExp(`^would run: DOCKER_HOST=${eng.host} docker(-compose| compose) .* down --volumes\n$`));
    expect(await projectContainers(name)).toHaveLength(2);

    const keep = sink();
    expect(await composeCommand({ project: t.dir, action: 'down', host: eng.host, out, err: keep })).toBe(0);
    expect(keep.text()).toContain(`berth: keeping volumes ${name}_data (down --volumes would delete them)`);
    expect(await projectContainers(name)).toEqual([]);
    expect(await volumeExists(`${name}_data`)).toBe(true);

    expect(await composeCommand({ project: t.dir, action: 'down', volumes: true, yes: true, host: eng.host, out, err })).toBe(0);
    expect(await volumeExists(`${name}_data`)).toBe(false);
  });

  it('turns a failed build into a one-line error', async () => {
    const { composeCommand } = await import('../../src/ops/compose/command.js');
    const t = project('failing-build', `berthcmdfb${process.pid}`);
    const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
    await expect(composeCommand({ project: t.dir, action: 'build', host: eng.host, out: quiet, err: quiet })).rejects.toThrow(
      /^docker(-| )compose build failed \(exit \d+\): .*(non-zero code: 3|exit code: 3)$/,
    );
  });
});

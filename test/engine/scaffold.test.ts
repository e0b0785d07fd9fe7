// Files written by `berth init` against real tools: `docker-compose config` accepts every
// template's compose file, and every template's Dockerfile builds on the private engine
// with the fixture image as BASE_IMAGE and the network steps switched off.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectCompose } from '../../src/ops/compose/run.js';
import { initProject, TEMPLATES } from '../../src/ops/scaffold/index.js';
import { getTestEngine, TEST_LABEL, type TestEngine } from '../harness/engine.js';

let eng: TestEngine;
let tmp: string;
const images: string[] = [];

beforeAll(async () => {
  eng = await getTestEngine();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-scaffold-'));
  fs.mkdirSync(path.join(tmp, 'home'));
});

afterAll(async () => {
  if (images.length) await eng.dockerCli(['image', 'rm', '-f', ...images], { reject: false });
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function scaffold(template: string): Promise<string> {
  const dir = path.join(tmp, `proj-${template}`);
  fs.mkdirSync(dir);
  await initProject({ dir, template, configFile: path.join(tmp, 'config.toml'), home: path.join(tmp, 'home'), uid: 1234, gid: 2345 });
  return dir;
}

async function composeConfig(dir: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const tool = await detectCompose();
  const r = await execa(tool.command, [...tool.prefix, 'config'], {
    cwd: dir,
    env: { ...process.env, DOCKER_HOST: eng.host, HOME: path.join(tmp, 'home') },
    reject: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe.each(TEMPLATES)('template %s', (template) => {
  it('is accepted by docker compose config', async () => {
    const dir = await scaffold(template);
    if (template === 'fullstack') {
      // The database password is required: without .env, config says so.
      const missing = await composeConfig(dir);
      expect(missing.exitCode).not.toBe(0);
      expect(missing.stderr).toContain('POSTGRES_PASSWORD');
      fs.writeFileSync(path.join(dir, '.env'), fs.readFileSync(path.join(dir, '.env.example'), 'utf8').replace(/^POSTGRES_PASSWORD=$/m, 'POSTGRES_PASSWORD=s3cret'));
    }
    const r = await composeConfig(dir);
    expect(r.stderr).not.toMatch(/ERROR|error/);
    expect(r.exitCode).toBe(0);
    const cfg = parseYaml(r.stdout) as { services: Record<string, Record<string, unknown>>; volumes: Record<string, unknown> };
    const agent = cfg.services.agent!;
    expect(agent.container_name).toBe(`proj-${template}-agent`);
    expect(agent.restart).toBe('unless-stopped');
    const volumes = (agent.volumes as (string | { source: string; target: string })[]).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    expect(volumes.some((v) => v.startsWith(`${dir}:/workspace`))).toBe(true);
    expect(volumes.some((v) => v.startsWith(`${path.join(tmp, 'home', '.claude')}:/home/agent/.claude`))).toBe(true);
    expect(Object.keys(cfg.volumes)).toContain('cache');
    if (template === 'fullstack') expect(Object.keys(cfg.services).sort()).toEqual(['agent', 'db']);
  });

  it('builds with the fixture image as BASE_IMAGE (no network: packages and agents skipped)', async () => {
    const dir = path.join(tmp, `proj-${template}`);
    const tag = `berth-scaffold-${template}:test`;
    images.push(tag);
    const build = await eng.dockerCli(
      ['build', '-q', '--label', `${TEST_LABEL}=1`, '-t', tag, '--build-arg', `BASE_IMAGE=${eng.image}`, '--build-arg', 'INSTALL_PACKAGES=0', '--build-arg', 'INSTALL_AGENTS=0', '--build-arg', 'USER_UID=1234', '--build-arg', 'USER_GID=2345', dir],
      { reject: false },
    );
    expect(build.stderr.split('\n').filter((l) => /error|failed/i.test(l))).toEqual([]);
    expect(build.exitCode).toBe(0);
    const inspect = await eng.docker.getImage(tag).inspect();
    expect(inspect.Config.User).toBe('agent');
    expect(inspect.Config.WorkingDir).toBe('/workspace');
    const run = await eng.dockerCli(['run', '--rm', '--label', `${TEST_LABEL}=1`, tag, 'sh', '-c', 'id -u; id -g; stat -c %u:%g /workspace /home/agent/.cache /home/agent/.claude; echo $HOME']);
    expect(run.stdout.split('\n')).toEqual(['1234', '2345', '1234:2345', '1234:2345', '1234:2345', '/home/agent']);
  }, 240_000);
});

describe('berth init run as root', () => {
  it('writes UID/GID 0, and the image built with them runs as root under the name agent: /workspace writable, the health check passes', async () => {
    const dir = path.join(tmp, 'proj-root');
    fs.mkdirSync(dir);
    await initProject({ dir, template: 'base', configFile: path.join(tmp, 'config-root.toml'), home: path.join(tmp, 'home'), uid: 0, gid: 0 });
    expect(fs.readFileSync(path.join(dir, '.env.example'), 'utf8')).toMatch(/^USER_UID=0$/m);
    const tag = 'berth-scaffold-root:test';
    images.push(tag);
    const build = await eng.dockerCli(
      ['build', '-q', '--label', `${TEST_LABEL}=1`, '-t', tag, '--build-arg', `BASE_IMAGE=${eng.image}`, '--build-arg', 'INSTALL_PACKAGES=0', '--build-arg', 'INSTALL_AGENTS=0', '--build-arg', 'USER_UID=0', '--build-arg', 'USER_GID=0', dir],
      { reject: false },
    );
    expect(build.exitCode, build.stderr).toBe(0);
    const run = await eng.dockerCli(['run', '--rm', '--label', `${TEST_LABEL}=1`, tag, 'sh', '-c', 'id -u; id -g; test -d /workspace && test -w /workspace && echo healthy; echo $HOME']);
    expect(run.stdout.split('\n')).toEqual(['0', '0', 'healthy', '/home/agent']);
  }, 240_000);
});

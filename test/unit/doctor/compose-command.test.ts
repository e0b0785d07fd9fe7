// Compose control without an engine: argument styles of v1 and v2, failure summaries,
// project resolution, and the doctor command's exit status and output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addProject } from '../../../src/config/userConfig.js';
import { parseAction } from '../../../src/ops/compose/command.js';
import { resolveProject } from '../../../src/ops/compose/project.js';
import { composeArgs, composeEnv, summarizeFailure, type ComposeLine, type ComposeTool } from '../../../src/ops/compose/run.js';
import { doctorCommand } from '../../../src/ops/doctor/command.js';
import { FIXTURES } from './helpers.js';

const V1: ComposeTool = { kind: 'v1', command: 'docker-compose', prefix: [], version: '1.29.2' };
const V2: ComposeTool = { kind: 'v2', command: 'docker', prefix: ['compose'], version: '2.29.7' };

describe('composeArgs', () => {
  const g1 = ['--ansi', 'never', '-f', '/p/compose.yaml', '--project-directory', '/p'];
  it('builds v1 command lines', () => {
    expect(composeArgs(V1, '/p/compose.yaml', '/p', 'up', { build: true, services: ['web'] })).toEqual([...g1, 'up', '-d', '--build', 'web']);
    expect(composeArgs(V1, '/p/compose.yaml', '/p', 'down')).toEqual([...g1, 'down']);
    expect(composeArgs(V1, '/p/compose.yaml', '/p', 'down', { volumes: true })).toEqual([...g1, 'down', '--volumes']);
    expect(composeArgs(V1, '/p/compose.yaml', '/p', 'pull')).toEqual([...g1, 'pull']);
    expect(composeArgs(V1, '/p/compose.yaml', '/p', 'logs', { follow: true, tail: 50, services: ['db'] })).toEqual([...g1, 'logs', '--no-color', '-f', '--tail', '50', 'db']);
  });
  it('builds v2 command lines (plugin prefix, plain progress, buildable images not pulled)', () => {
    expect(composeArgs(V2, '/p/compose.yaml', '/p', 'build')).toEqual(['compose', ...g1, '--progress', 'plain', 'build']);
    expect(composeArgs(V2, '/p/compose.yaml', '/p', 'pull')).toEqual(['compose', ...g1, '--progress', 'plain', 'pull', '--ignore-buildable']);
    expect(composeArgs(V2, '/p/compose.yaml', '/p', 'restart', { services: ['a', 'b'] })).toEqual(['compose', ...g1, 'restart', 'a', 'b']);
  });
  it('passes the engine as DOCKER_HOST and drops DOCKER_CONTEXT', () => {
    const env = composeEnv('unix:///run/user/1000/docker.sock', { DOCKER_CONTEXT: 'remote', PATH: '/bin' });
    expect(env.DOCKER_HOST).toBe('unix:///run/user/1000/docker.sock');
    expect(env.DOCKER_CONTEXT).toBeUndefined();
    expect(env.PATH).toBe('/bin');
  });
  it('rejects an unknown action', () => {
    expect(() => parseAction('start')).toThrow('unknown compose action "start" (choose one of up, down, build, pull, restart, logs)');
  });
});

const err = (line: string): ComposeLine => ({ stream: 'stderr', line });
const out = (line: string): ComposeLine => ({ stream: 'stdout', line });

describe('summarizeFailure', () => {
  it('names the service and the failing step of a v1 build (output recorded from docker-compose 1.29.2)', () => {
    const lines = [
      out('Step 3/3 : RUN echo "about to fail" && exit 3'),
      out(' ---> Running in 4e41fc0dd2df'),
      out('about to fail'),
      err('Building app'),
      err('DEPRECATED: The legacy builder is deprecated and will be removed in a future release.'),
      err("The command '/bin/sh -c echo \"about to fail\" && exit 3' returned a non-zero code: 3"),
      err("Service 'app' failed to build : Build failed"),
    ];
    expect(summarizeFailure(lines)).toBe("Service 'app' failed to build: The command '/bin/sh -c echo \"about to fail\" && exit 3' returned a non-zero code: 3");
  });
  it('reads the v2 (BuildKit) form', () => {
    const lines = [
      err('#7 ERROR: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3'),
      err('------'),
      err('failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3'),
    ];
    expect(summarizeFailure(lines)).toBe('failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3');
  });
  it('falls back to the last error line (pull output recorded from docker-compose 1.29.2)', () => {
    const lines = [err('Pulling ghost ... '), err('ERROR: for ghost  Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host'), err('')];
    expect(summarizeFailure(lines)).toMatch(/^ERROR: for ghost {2}Get/);
    expect(summarizeFailure([])).toBeNull();
  });
});

describe('resolveProject and the doctor command', () => {
  let tmp: string;
  let configFile: string;
  const savedConfig = process.env.BERTH_CONFIG;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-resolve-'));
    configFile = path.join(tmp, 'config.toml');
    process.env.BERTH_CONFIG = configFile;
  });
  afterEach(() => {
    if (savedConfig === undefined) delete process.env.BERTH_CONFIG;
    else process.env.BERTH_CONFIG = savedConfig;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('resolves a registered name, a folder, and the current folder', () => {
    const dir = path.join(FIXTURES, 'project', 'ports-alpha');
    addProject({ name: 'alpha', path: dir, containers: ['alpha-agent'] }, configFile);
    expect(resolveProject('alpha', undefined, configFile)).toMatchObject({ name: 'alpha', dir, containers: ['alpha-agent'], registered: true });
    expect(resolveProject(undefined, undefined, configFile, dir)).toMatchObject({ name: 'alpha', registered: true });
    expect(resolveProject('./ports-beta', undefined, configFile, path.join(FIXTURES, 'project'))).toMatchObject({ name: 'ports-beta', registered: false });
    expect(() => resolveProject('nope', undefined, configFile)).toThrow('unknown project "nope" (known: alpha)');
  });

  it('exits 1 and prints file:line findings when an error is found; 0 otherwise', async () => {
    const capture = (): PassThrough & { text: () => string } => {
      const s = new PassThrough() as PassThrough & { text: () => string };
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => chunks.push(c));
      s.text = () => Buffer.concat(chunks).toString('utf8');
      return s;
    };
    const bad = capture();
    const code = await doctorCommand({ path: path.join(FIXTURES, 'project', 'ports-alpha'), containers: false, out: bad });
    expect(code).toBe(1);
    expect(bad.text()).toContain('\n\ncompose.yaml\n  warning compose.yaml:2:3 service "web" has no health check [compose/healthcheck] fix: ');
    expect(bad.text()).toContain('\n  error   compose.yaml:10:9 host port 8080/tcp of service "admin" is also published by service "web" in this project [project/port-conflicts] fix: ');
    expect(bad.text()).toMatch(/\n\d+ errors?, \d+ warnings?, \d+ info \(checked 1 compose file, 0 containers\)\n$/);

    const good = capture();
    const dir = path.join(tmp, 'clean');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27.0\n');
    expect(await doctorCommand({ path: dir, containers: false, out: good, json: true })).toBe(0);
    const json = JSON.parse(good.text()) as { summary: { error: number; warning: number }; findings: { id: string }[] };
    expect(json.summary.error).toBe(0);
    expect(json.summary.warning).toBeGreaterThan(0);
    expect(json.findings.map((f) => f.id)).toContain('compose/healthcheck');
  });
});

describe('composeInstallHint', () => {
  it('names the package for the system that lacks a compose tool', async () => {
    const { composeInstallHint } = await import('../../../src/ops/compose/run.js');
    expect(composeInstallHint('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', 'linux')).toMatch(/apt-get install docker-compose .*docker-compose-plugin/);
    expect(composeInstallHint('ID=ubuntu\nID_LIKE=debian\n', 'linux')).toMatch(/^install one: apt-get/);
    expect(composeInstallHint('ID="rocky"\nID_LIKE="rhel centos fedora"\n', 'linux')).toMatch(/^install one: dnf install docker-compose-plugin/);
    expect(composeInstallHint('ID=alpine\n', 'linux')).toBe('install it: apk add docker-cli-compose');
    expect(composeInstallHint('ID=arch\n', 'linux')).toBe('install it: pacman -S docker-compose');
    expect(composeInstallHint(null, 'darwin')).toMatch(/brew install docker-compose/);
    expect(composeInstallHint(null, 'linux')).toMatch(/docs\.docker\.com\/compose\/install/);
  });
});

describe('no compose tool at all', () => {
  it('says so in one line with the package to install', async () => {
    const { detectCompose } = await import('../../../src/ops/compose/run.js');
    const saved = process.env.PATH;
    process.env.PATH = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-nopath-'));
    try {
      await expect(detectCompose({ refresh: true })).rejects.toThrow(/^neither `docker compose` nor `docker-compose` is installed; (install|see)/);
    } finally {
      process.env.PATH = saved;
      await detectCompose({ refresh: true }).catch(() => undefined);
    }
  });
});

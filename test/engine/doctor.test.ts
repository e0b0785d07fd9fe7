// The doctor's container checks on real containers of the private engine: a well set-up
// agent container, a bare one, unsafe credential folders, a stopped container, a missing
// one, and the whole doctor over a compose project that is up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCompose } from '../../src/ops/compose/run.js';
import { checkContainer, execIn, runDoctor } from '../../src/ops/doctor/run.js';
import type { Finding } from '../../src/ops/doctor/types.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/compose');

let eng: TestEngine;
let tmp: string;
let home: string;
let projectDir: string;
let fakeClaude: string;
const tag = `${process.pid}`;

beforeAll(async () => {
  eng = await getTestEngine();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-doctor-'));
  home = path.join(tmp, 'home');
  projectDir = path.join(tmp, 'proj');
  fs.mkdirSync(projectDir, { recursive: true });
  for (const d of ['.claude', '.codex', '.config/gemini']) fs.mkdirSync(path.join(home, d), { recursive: true, mode: 0o700 });
  fakeClaude = path.join(tmp, 'claude');
  fs.writeFileSync(fakeClaude, '#!/bin/sh\necho "2.1.330 (Claude Code)"\n', { mode: 0o755 });
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function start(name: string, opts: Partial<Dockerode.ContainerCreateOptions> & { script?: string; run?: boolean } = {}): Promise<string> {
  const { script = 'exec sleep 600', run = true, ...rest } = opts;
  const c = await eng.docker.createContainer({
    Image: eng.image,
    name: `berth-doctor-${name}-${tag}`,
    Cmd: ['sh', '-c', script],
    Labels: eng.labels,
    StopTimeout: 1,
    ...rest,
  });
  if (run) await c.start();
  return `berth-doctor-${name}-${tag}`;
}

function ids(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.id}`).sort();
}

describe('container checks', () => {
  it('runs commands through exec and reports their exit code', async () => {
    const name = await start('exec');
    expect(await execIn(eng.docker, name, ['sh', '-c', 'echo out; echo err >&2; exit 4'])).toEqual({ exitCode: 4, stdout: 'out\n', stderr: 'err\n' });
    const missing = await execIn(eng.docker, name, ['no-such-program', '--version']);
    expect([126, 127]).toContain(missing.exitCode); // runc says 126 for "executable file not found"
    const slow = await execIn(eng.docker, name, ['sleep', '5'], 300);
    expect(slow.exitCode).toBe(-1);
    expect(slow.stderr).toContain('timed out');
  });

  it('finds nothing wrong with a well set-up agent container, and reports agent versions', async () => {
    const vol = `berth-doctor-mysql-${tag}`;
    await eng.docker.createVolume({ Name: vol, Labels: eng.labels });
    const name = await start('good', {
      script: 'mkdir -p /var/lib/mysql; exec sleep 600',
      HostConfig: {
        RestartPolicy: { Name: 'unless-stopped' },
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
        Mounts: [
          { Type: 'bind', Source: projectDir, Target: '/workspace' },
          { Type: 'bind', Source: path.join(home, '.claude'), Target: '/home/agent/.claude' },
          { Type: 'bind', Source: path.join(home, '.codex'), Target: '/home/agent/.codex' },
          { Type: 'bind', Source: path.join(home, '.config/gemini'), Target: '/home/agent/.config/gemini' },
          { Type: 'bind', Source: fakeClaude, Target: '/usr/local/bin/claude', ReadOnly: true },
          { Type: 'volume', Source: vol, Target: '/var/lib/mysql' },
        ],
      },
    });
    const f = await checkContainer(eng.docker, name, { local: true, projectDir });
    expect(ids(f)).toEqual(['info container/agent-clis', 'warning container/agent-clis', 'warning container/agent-clis']);
    expect(f.map((x) => x.message).sort()).toEqual(['claude 2.1.330 (Claude Code)', 'codex is not installed', 'gemini is not installed']);
    expect(f.every((x) => x.where && 'container' in x.where && x.where.container === name)).toBe(true);
  });

  it('reports everything missing on a bare container', async () => {
    const name = await start('bare', { script: 'mkdir -p /var/lib/mysql /root/.cache /data/db; exec sleep 600', Volumes: { '/data/db': {} } });
    const f = await checkContainer(eng.docker, name, { local: true, projectDir });
    expect(ids(f)).toEqual([
      'error container/workspace-mount',
      'info container/data-volume',
      'warning container/agent-clis',
      'warning container/agent-clis',
      'warning container/agent-clis',
      'warning container/credential-mounts',
      'warning container/credential-mounts',
      'warning container/credential-mounts',
      'warning container/data-volume',
      'warning container/data-volume',
      'warning container/log-rotation',
      'warning container/restart-policy',
    ]);
    const data = f.filter((x) => x.id === 'container/data-volume').map((x) => x.message).sort();
    expect(data).toEqual([
      '/data/db (database) is on an anonymous volume: a new container does not get it back',
      '/root/.cache (cache) is not on a volume: it is lost when the container is recreated',
      '/var/lib/mysql (database) is not on a volume: it is lost when the container is recreated',
    ]);
  });

  it('flags credential folders writable by others and ones missing on the host', async () => {
    const open = path.join(tmp, 'open-claude');
    const gone = path.join(tmp, 'gone-codex');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    fs.mkdirSync(gone);
    const name = await start('creds', {
      HostConfig: {
        Mounts: [
          { Type: 'bind', Source: open, Target: '/root/.claude' },
          { Type: 'bind', Source: gone, Target: '/root/.codex' },
          { Type: 'bind', Source: path.join(home, '.config/gemini'), Target: '/root/.gemini' },
        ],
      },
    });
    fs.rmdirSync(gone);
    const f = (await checkContainer(eng.docker, name, { local: true })).filter((x) => x.id === 'container/credential-mounts');
    expect(f.map((x) => `${x.severity}: ${x.message}`)).toEqual([
      `error: ${open} (claude credentials) is writable by every user on the host (mode 777)`,
      `warning: the host side of the codex credential mount (${gone}) does not exist`,
    ]);
    // On a remote engine the host paths are not ours to stat.
    expect((await checkContainer(eng.docker, name, { local: false })).filter((x) => x.id === 'container/credential-mounts')).toEqual([]);
  });

  it('reports a stopped container and skips the checks that need it running', async () => {
    const name = await start('stopped', { script: 'exit 3', HostConfig: { RestartPolicy: { Name: 'no' } } });
    await eng.docker.getContainer(name).wait();
    const f = await checkContainer(eng.docker, name, { local: true });
    const running = f.find((x) => x.id === 'container/running')!;
    expect(running.severity).toBe('warning');
    expect(running.message).toBe('not running (exited with exit code 3); checks inside the container were skipped');
    expect(f.some((x) => x.id === 'container/agent-clis' || x.id === 'container/data-volume')).toBe(false);
  });

  it('an unhealthy container: its last check outputs and a probable cause', async () => {
    const name = await start('sick', {
      Healthcheck: { Test: ['CMD-SHELL', 'echo "connect to db:5432: Connection refused" >&2; exit 1'], Interval: 200_000_000, Timeout: 1_000_000_000, Retries: 2 },
    });
    for (let i = 0; i < 100; i++) {
      const st = (await eng.docker.getContainer(name).inspect()).State as { Health?: { Status?: string } };
      if (st.Health?.Status === 'unhealthy') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const f = (await checkContainer(eng.docker, name, { local: true, projectDir })).filter((x) => x.id === 'container/health');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.message).toMatch(/^unhealthy: its health check failed \d+ time\(s\) in a row; probably what it checks does not answer/);
    expect(f[0]!.message).toContain('exit 1: connect to db:5432: Connection refused');
    expect(f[0]!.fix).toContain(`docker exec ${name} sh -c 'echo "connect to db:5432: Connection refused" >&2; exit 1'`);
    // a healthy one says nothing
    const well = await start('well', { Healthcheck: { Test: ['CMD', 'true'], Interval: 200_000_000, Retries: 2 } });
    await new Promise((r) => setTimeout(r, 600));
    expect((await checkContainer(eng.docker, well, { local: true, projectDir })).filter((x) => x.id === 'container/health')).toEqual([]);
  });

  it("checks the agents a project's .ntm/config.toml maps to other commands as configured", async () => {
    const dir = path.join(tmp, 'mapped');
    fs.mkdirSync(path.join(dir, '.ntm'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.ntm', 'config.toml'), '[agents]\nclaude = "FOO=1 sh -c claude-stand-in"\ncodex = "no-such-agent --fast"\n');
    const name = await start('mapped');
    const f = (await checkContainer(eng.docker, name, { local: true, projectDir: dir })).filter((x) => x.id === 'container/agent-clis');
    const file = path.join(dir, '.ntm', 'config.toml');
    expect(f.map((x) => `${x.severity} ${x.message}`).sort()).toEqual([
      `info claude runs \`FOO=1 sh -c claude-stand-in\` (${file}): sh found`,
      'warning gemini is not installed',
      `warning codex runs \`no-such-agent --fast\` (${file}), and no-such-agent is not in the container`,
    ].sort());
  });

  it('reports a container that does not exist', async () => {
    const f = await checkContainer(eng.docker, `berth-doctor-nope-${tag}`);
    expect(f).toEqual([expect.objectContaining({ id: 'container/running', severity: 'error', message: 'no such container' })]);
  });
});

describe('runDoctor over a compose project', () => {
  it('finds the project containers by compose label and checks them with the files', async () => {
    const name = `berthdoc${tag}`;
    const dir = path.join(tmp, name);
    fs.cpSync(path.join(FIXTURES, 'two-service'), dir, { recursive: true });
    const up = await runCompose({ dir, host: eng.host }, 'up');
    expect(up.error).toBeUndefined();
    try {
      const report = await runDoctor({ dir, docker: eng.docker, local: true, home });
      expect(report.project).toBe(name);
      // v1 names them <project>_web_1, v2 <project>-web-1.
      expect(report.containers).toHaveLength(2);
      const web = report.containers.find((c) => /^berthdoc\d+[-_]web[-_]1$/.test(c))!;
      expect(web).toBeDefined();
      const byContainer = report.findings.filter((f) => f.where && 'container' in f.where && f.where.container === web);
      expect(byContainer.map((f) => f.id)).toContain('container/workspace-mount');
      expect(report.findings.some((f) => f.id === 'compose/restart-policy' && f.where && 'file' in f.where && f.where.file === 'compose.yaml')).toBe(true);
      expect(report.findings.some((f) => f.severity === 'error')).toBe(true);
    } finally {
      await runCompose({ dir, host: eng.host }, 'down', { volumes: true });
    }
  });
});

// `berth ps` as a script would run it, against the private engine.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { CLI } from '../e2e/tmux.js';

const run = promisify(execFile);
let te: TestEngine;
let home: string;
const tag = `ps${process.pid}`;

async function berth(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run('node', [CLI, ...args], {
      env: { ...process.env, DOCKER_HOST: te.host, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_STATE_HOME: path.join(home, 'state'), ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  te = await getTestEngine();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ps-'));
  fs.mkdirSync(path.join(home, 'config', 'berth'), { recursive: true });
  fs.writeFileSync(path.join(home, 'config', 'berth', 'config.toml'), `[[projects]]\nname = "${tag}-mine"\ncontainers = ["${tag}-box"]\n[[projects]]\nname = "${tag}-empty"\n`);
  const label = (extra: Record<string, string> = {}) => Object.entries({ ...te.labels, ...extra }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await te.dockerCli(['run', '-d', '--name', `${tag}-box`, ...label(), te.image, 'sh', '-c', 'yes > /dev/null']);
  await te.dockerCli(['run', '-d', '--name', `${tag}-web`, ...label({ 'com.docker.compose.project': `${tag}-comp` }), te.image, 'sleep', '300']);
  await te.dockerCli(['create', '--name', `${tag}-off`, ...label({ 'com.docker.compose.project': `${tag}-comp` }), te.image, 'true']);
});

afterAll(() => {
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('berth ps', () => {
  it('--json gives the grouped snapshot with live figures for running containers', async () => {
    const r = await berth(['ps', '--json']);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout);
    expect(snap.engine.address).toBe(te.host);
    const byName = Object.fromEntries(snap.projects.map((p: { name: string }) => [p.name, p]));
    expect(byName[`${tag}-mine`]).toMatchObject({ source: 'config', running: 1, total: 1 });
    expect(byName[`${tag}-empty`]).toMatchObject({ source: 'config', total: 0 });
    expect(byName[`${tag}-comp`]).toMatchObject({ source: 'compose', running: 1, total: 2 });
    const box = byName[`${tag}-mine`].containers[0];
    expect(box.name).toBe(`${tag}-box`);
    expect(box.stats.cpuPct).toBeGreaterThan(5);
    expect(box.stats.memLimit).toBeGreaterThan(0);
    const off = byName[`${tag}-comp`].containers.find((c: { name: string }) => c.name === `${tag}-off`);
    expect(off).toMatchObject({ state: 'created', stats: null });
  });

  it('prints a table grouped by project', async () => {
    const r = await berth(['ps', '--no-stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${tag}-mine \\(1/1 running\\)`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^${tag}-comp \\(1/2 running\\)`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`${tag}-off\\s+created`));
  });

  it('says in one line which address did not answer', async () => {
    const r = await berth(['ps'], { DOCKER_HOST: 'unix:///nonexistent/berth.sock' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('berth: cannot reach the Docker engine at unix:///nonexistent/berth.sock: no socket there (is dockerd running?)\n');
  });

  it('names the file, line and column of a broken config, and never prints a stack', async () => {
    const bad = path.join(home, 'bad.toml');
    fs.writeFileSync(bad, 'theme = "default"\n[[projects]\n');
    const r = await berth(['ps'], { BERTH_CONFIG: bad });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^berth: ${bad.replace(/[.]/g, '\\.')}:2:\\d+: `));
  });
});

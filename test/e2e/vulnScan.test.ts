// Image scans with a stand-in Trivy on PATH (test/helpers/standinScanner.ts: real Trivy
// reports), the real berth in tmux against the private engine: the VULN column shows the
// vulnerable image's counts within seconds of start and the clean one's ✓, the vulns tab
// lists the CVEs, `berth scan --severity HIGH` exits 1 on it and 0 on the clean image, a
// second scan of the same image comes from the cache; with a scanner that has no database:
// one line, no crash, in the CLI and in the dashboard.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { writeStandinTrivy } from '../helpers/standinScanner.js';
import { berthEnv, CLI, Tmux } from './tmux.js';

let te: TestEngine;
let tmux: Tmux;
let home: string;
// short, so the NAME column shows it whole at 100 columns
const name = `s${process.pid % 100000}`;
const vulnerable = `berth-test/vulnerable-${process.pid}:1`;
let scanner: { bin: string; calls: string };

const labels = (service: string) => Object.entries({ ...te.labels, 'com.docker.compose.project': name, 'com.docker.compose.service': service }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

beforeAll(async () => {
  te = await getTestEngine();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-scan-'));
  scanner = writeStandinTrivy(path.join(home, 'bin'), { vulnerable: 'vulnerable' });
  // an image of its own (a different id than the fixture's): FROM it with a label, no RUN
  const ctx = path.join(home, 'img');
  fs.mkdirSync(ctx);
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${te.image}\nLABEL berth.test.scan=${process.pid}\n`);
  await te.dockerCli(['build', '-q', '--label', 'berth.test=1', '-t', vulnerable, ctx]);
  await te.dockerCli(['run', '-d', '--name', `${name}-api-1`, '--network', 'none', ...labels('api'), vulnerable, 'sleep', '600']);
  await te.dockerCli(['run', '-d', '--name', `${name}-web-1`, '--network', 'none', ...labels('web'), te.image, 'sleep', '600']);
  tmux = new Tmux();
}, 120_000);

afterAll(async () => {
  tmux?.kill();
  await te?.dockerCli(['rmi', '-f', vulnerable], { reject: false });
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const cli = (args: string[], binDir: string) =>
  execa('node', [CLI, ...args], { reject: false, env: { ...berthEnv(te.host, home), PATH: `${binDir}${path.delimiter}${process.env.PATH}` } });

describe('image scans', () => {
  it('the VULN column and the vulns tab, from a stand-in Trivy', async () => {
    tmux.startBerth(home, te.host, 100, 30, { env: { PATH: `${path.dirname(scanner.bin)}${path.delimiter}${process.env.PATH}` } });
    // the table row (the title line above the table names the selected container too)
    const row = (s: string, who: string) => s.split('\n').find((l) => l.includes(`${name}-${who}-1 `) && l.includes(' running ')) ?? '';
    const started = Date.now();
    let screen = await tmux.waitFor((s) => /C1 H0\s*│$/.test(row(s, 'api')) && /✓\s*│$/.test(row(s, 'web')), 'the VULN counts of both images', 20_000);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(screen).toMatch(/VULN\s*│/);
    // one scan per image, one at a time: each image once
    expect(fs.readFileSync(scanner.calls, 'utf8').trim().split('\n').sort()).toEqual([te.image, vulnerable].sort());

    // the project (other tests' containers may be listed too), then its containers
    tmux.type(':');
    tmux.type(`project ${name}`);
    tmux.keys('Enter');
    await tmux.waitFor((s) => new RegExp(`│● ${name} `).test(s) && new RegExp(` ${name} \\(2\\)`).test(s), 'the project selected');
    tmux.keys('Tab');
    await tmux.waitFor((s) => new RegExp(` ${name} \\(2\\) ▸ `).test(s), 'the container list');
    for (let i = 0; i < 2 && !new RegExp(`▸ ${name}-api-1`).test(tmux.capture()); i++) tmux.type('j');
    await tmux.waitFor((s) => new RegExp(`▸ ${name}-api-1`).test(s), 'the vulnerable container selected');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('6 vulns'), 'the detail view');
    tmux.type('6');
    screen = await tmux.waitFor((s) => s.includes('CVE-2019-18224') && s.includes('CVE-2019-18276'), 'the CVEs in the vulns tab');
    // the heading wraps at 100 columns: "… 1" / "critical, 0 high …"
    expect(screen).toMatch(/1[\s│]+critical, 0 high, 0 medium, 1 low/);
    expect(screen).toMatch(/CRITICAL CVE-2019-18224 {2}libidn2-0 2\.0\.5-1 → fixed in 2\.0\.5-1\+deb10u1/);
    expect(screen).toContain('https://avd.aquasec.com/nvd/cve-2019-18224');
    // most severe first
    expect(screen.indexOf('CVE-2019-18224')).toBeLessThan(screen.indexOf('CVE-2019-18276'));
    tmux.type('q');
    tmux.type('q');
    await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit');
  });

  it('berth scan: exit 1 at or above --severity, 0 below it, results from the cache the second time', async () => {
    const bin = path.dirname(scanner.bin);
    const before = fs.readFileSync(scanner.calls, 'utf8').trim().split('\n').length;
    const r = await cli(['scan', name, '--severity', 'HIGH'], bin);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/CRITICAL CVE-2019-18224\s+libidn2-0 2\.0\.5-1 → 2\.0\.5-1\+deb10u1/);
    expect(r.stdout).toContain('findings at or above HIGH: exit 1');
    const clean = await cli(['scan', te.image, '--severity', 'HIGH', '--json'], bin);
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ scanner: { kind: 'trivy', version: '0.56.2' }, failed: false, images: [{ image: te.image, vulns: [] }] });
    // the dashboard's scans of both images were kept (same database): no new scanner call
    expect(fs.readFileSync(scanner.calls, 'utf8').trim().split('\n').length).toBe(before);
    // .trivyignore in the current folder hides what it lists
    fs.writeFileSync(path.join(home, '.trivyignore'), 'CVE-2019-18224\n');
    const ignored = await execa('node', [CLI, 'scan', vulnerable, '--severity', 'HIGH'], { reject: false, cwd: home, env: { ...berthEnv(te.host, home), PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect(ignored.exitCode, ignored.stdout).toBe(0);
    expect(ignored.stdout).toContain('0 critical, 0 high, 0 medium, 1 low (1 ignored)');
    fs.rmSync(path.join(home, '.trivyignore'));
  });

  it('a scanner without its database: one line in the CLI and in the dashboard, nothing else breaks', async () => {
    const nodb = writeStandinTrivy(path.join(home, 'nodb'), { vulnerable: 'vulnerable', db: false });
    const r = await cli(['scan', name], path.dirname(nodb.bin));
    expect(r.exitCode).toBe(2);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('berth scan: trivy 0.56.2');
    expect(lines.filter((l) => l.includes('Trivy has no usable vulnerability database (no network?)'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/; nothing was scanned$/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);

    const none = await cli(['scan'], path.join(home, 'no-such-dir'));
    expect(none.stderr.trim()).toBe('berth: no vulnerability scanner: install Trivy (trivy.dev) or Grype (github.com/anchore/grype); berth uses the first on PATH');

    const home2 = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-scan2-'));
    const t2 = new Tmux();
    try {
      t2.startBerth(home2, te.host, 100, 30, { env: { PATH: `${path.dirname(nodb.bin)}${path.delimiter}${process.env.PATH}` } });
      const row = (s: string) => s.split('\n').find((l) => l.includes(`${name}-api-1 `) && l.includes(' running ')) ?? '';
      await t2.waitFor((s) => /!\s*│$/.test(row(s)), 'the failed scan marked in the VULN column', 20_000);
      t2.type(':');
      t2.type(`project ${name}`);
      t2.keys('Enter');
      await t2.waitFor((s) => new RegExp(` ${name} \\(2\\)`).test(s), 'the project selected');
      t2.keys('Tab');
      await t2.waitFor((s) => new RegExp(` ${name} \\(2\\) ▸ `).test(s), 'the container list');
      for (let i = 0; i < 2 && !new RegExp(`▸ ${name}-api-1`).test(t2.capture()); i++) t2.type('j');
      await t2.waitFor((s) => new RegExp(`▸ ${name}-api-1`).test(s), 'the container selected');
      t2.keys('Enter');
      await t2.waitFor((s) => s.includes('6 vulns'), 'the detail view');
      t2.type('6');
      const screen = await t2.waitFor((s) => s.includes('Trivy has no usable vulnerability database'), 'the one line in the tab');
      expect(screen).toContain(`${name}-api-1 running`);
      t2.type('q');
      t2.type('q');
      await t2.waitFor((s) => s.includes('AFTER-BERTH rc=0'), 'berth to quit cleanly');
    } finally {
      t2.kill();
      fs.rmSync(home2, { recursive: true, force: true });
    }
  });
});

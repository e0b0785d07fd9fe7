// The lock file must be complete: users and CI run `npm ci`, which refuses a lock file out
// of step with package.json (e.g. one missing other platforms' optional packages). This
// runs `npm ci --dry-run` offline on a copy of package.json and package-lock.json, and
// shows that the check fails on a lock file with one package entry removed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const dirs: string[] = [];

function dryRunCi(lock: string): { ok: boolean; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-lock-'));
  dirs.push(dir);
  fs.copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), lock);
  try {
    const output = execFileSync('npm', ['ci', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('package-lock.json', () => {
  const lock = fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8');

  it('is in step with package.json for npm ci, every platform included', () => {
    const r = dryRunCi(lock);
    expect(r.output).not.toMatch(/Missing: .* from lock file/);
    expect(r.ok).toBe(true);
  }, 60_000);

  it('the check fails on a lock file that lacks one platform package', () => {
    const parsed = JSON.parse(lock) as { packages: Record<string, unknown> };
    const platform = Object.keys(parsed.packages).find((k) => /node_modules\/@rollup\/rollup-win32-/.test(k));
    expect(platform, 'the lock file lists rollup packages of other platforms').toBeDefined();
    delete parsed.packages[platform!];
    const r = dryRunCi(JSON.stringify(parsed, null, 2));
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/Missing: .* from lock file/);
  }, 60_000);

  it('says which install scripts run: no package is left for npm to warn about', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    const parsed = JSON.parse(lock) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(parsed.packages)
      .filter(([, v]) => v.hasInstallScript)
      .map(([k]) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts.length).toBeGreaterThan(0);
    const unjudged = withScripts.filter((name) => pkg.allowScripts?.[name] === undefined);
    expect(unjudged).toEqual([]);
    // node-pty has no Linux prebuild: its build must be allowed
    expect(pkg.allowScripts?.['node-pty']).toBe(true);
  });
});

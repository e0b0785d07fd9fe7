// Finding a project's .ntm/config.toml from the working folder up, as NTM and git look.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ntmConfigsAbove, projectDirFromCwd } from '../../../src/config/ntm.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ntm-'));
  dirs.push(root);
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
  return root;
}

describe('projectDirFromCwd', () => {
  it('the nearest folder named like the project, from a subfolder up', () => {
    const root = tree({ 'shop/.ntm/config.toml': '[agents]\n', 'shop/api/src/x.ts': '', '.ntm/config.toml': '[agents]\n' });
    expect(ntmConfigsAbove(path.join(root, 'shop/api/src')).slice(0, 2)).toEqual([path.join(root, 'shop'), root]);
    const r = projectDirFromCwd(path.join(root, 'shop/api/src'), 'shop', ['shop-env']);
    expect(r.dir).toBe(path.join(root, 'shop'));
    // the one above it is seen and said not to be used
    expect(r.others[0]).toBe(path.join(root, '.ntm/config.toml'));
  });

  it('or a folder whose config names the project container (as a whole word)', () => {
    const root = tree({ 'work/.ntm/config.toml': '[agents]\nclaude = "docker exec -it shop-env claude"\n', 'other/.ntm/config.toml': '[agents]\nclaude = "docker exec -it shop-env2 claude"\n' });
    expect(projectDirFromCwd(path.join(root, 'work'), 'shop', ['shop-env']).dir).toBe(path.join(root, 'work'));
    const other = projectDirFromCwd(path.join(root, 'other'), 'shop', ['shop-env']);
    expect(other.dir).toBeNull();
    expect(other.others).toEqual([path.join(root, 'other/.ntm/config.toml')]);
  });
});

// Which project a command means: a name from the user config, a folder, or the current one.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../config/errors.js';
import { loadUserConfig } from '../../config/userConfig.js';
import type { ProjectConfig } from '../../config/schema.js';
import { normalizeProjectName } from './file.js';

export interface ResolvedProject {
  name: string;
  dir: string;
  /** Container names listed for it in the user config. */
  containers: string[];
  /** It is registered in the user config. */
  registered: boolean;
  /** Every project in the user config (for cross-project checks). */
  all: ProjectConfig[];
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Resolves `arg` (a project name from the user config, or a folder) or, without one,
 * `pathOpt` or the current folder. `configFile` is for tests.
 */
export function resolveProject(arg: string | undefined, pathOpt?: string, configFile?: string, cwd = process.cwd()): ResolvedProject {
  const cfg = configFile ? loadUserConfig(configFile) : loadUserConfig();
  const all = cfg.projects;
  if (arg) {
    const p = all.find((x) => x.name === arg);
    if (p) {
      const dir = pathOpt ? path.resolve(cwd, pathOpt) : p.path ? path.resolve(p.path) : null;
      if (!dir) throw new UserError(`project "${arg}" has no path in the user config; pass --path DIR`);
      if (!isDir(dir)) throw new UserError(`project "${arg}": folder ${dir} does not exist`);
      return { name: p.name, dir, containers: p.containers, registered: true, all };
    }
    const asDir = path.resolve(cwd, arg);
    if ((arg.includes('/') || arg === '.' || arg === '..') && isDir(asDir)) return fromDir(asDir, all);
    const known = all.map((x) => x.name);
    throw new UserError(`unknown project "${arg}" (${known.length ? `known: ${known.join(', ')}` : 'no projects in the user config yet; run berth init in the project folder'})`);
  }
  const dir = path.resolve(cwd, pathOpt ?? '.');
  if (!isDir(dir)) throw new UserError(`${dir}: no such folder`);
  return fromDir(dir, all);
}

function fromDir(dir: string, all: ProjectConfig[]): ResolvedProject {
  const p = all.find((x) => x.path && path.resolve(x.path) === dir);
  if (p) return { name: p.name, dir, containers: p.containers, registered: true, all };
  return { name: normalizeProjectName(path.basename(dir)) || path.basename(dir), dir, containers: [], registered: false, all };
}

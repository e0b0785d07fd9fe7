// The user's own config file: $XDG_CONFIG_HOME/berth/config.toml.
import fs from 'node:fs';
import path from 'node:path';
import TOML from '@iarna/toml';
import { UserError } from './errors.js';
import { userConfigPath } from './paths.js';
import { configErrorText, fileAt, locateKey } from './tomlLocate.js';
import { userConfigSchema, type ProjectConfig, type UserConfig } from './schema.js';
import { makeDirs } from '../lib/makeDirs.js';

/** Parses TOML text; errors name the file, line and column. */
export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return TOML.parse(text) as Record<string, unknown>;
  } catch (e) {
    const err = e as { line?: number; col?: number; message?: string };
    const first = String(err.message ?? e).split('\n')[0] ?? 'parse error';
    if (typeof err.line === 'number') {
      throw new UserError(`${file}:${err.line + 1}:${(err.col ?? 0) + 1}: ${first.replace(/ at row \d+, col \d+, pos \d+:?$/, '')}`);
    }
    throw new UserError(`${file}: ${first}`);
  }
}

export function parseUserConfig(text: string, file: string): UserConfig {
  const raw = parseToml(text, file);
  const res = userConfigSchema.safeParse(raw);
  if (!res.success) throw new UserError(configErrorText(file, text, res.error));
  const seen = new Set<string>();
  res.data.projects.forEach((p, i) => {
    if (seen.has(p.name)) {
      throw new UserError(`${fileAt(file, locateKey(text, ['projects', i, 'name']))}: projects: "${p.name}" is listed twice`);
    }
    seen.add(p.name);
  });
  return res.data;
}

/** Loads the user config; a missing file is the defaults. */
export function loadUserConfig(file = userConfigPath()): UserConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return userConfigSchema.parse({});
    throw new UserError(`${file}: cannot read (${(e as Error).message})`);
  }
  return parseUserConfig(text, file);
}

function tomlString(s: string): string {
  return JSON.stringify(s);
}

/**
 * Registers a project in the user config by appending a [[projects]] table, so the
 * user's comments and layout stay as they wrote them. Refuses a duplicate name.
 */
export function addProject(project: ProjectConfig, file = userConfigPath()): void {
  const current = loadUserConfig(file);
  if (current.projects.some((p) => p.name === project.name)) {
    throw new UserError(`${file}: a project named "${project.name}" is already registered`);
  }
  const lines = ['', '[[projects]]', `name = ${tomlString(project.name)}`];
  if (project.path) lines.push(`path = ${tomlString(project.path)}`);
  if (project.containers.length) lines.push(`containers = [${project.containers.map(tomlString).join(', ')}]`);
  makeDirs(path.dirname(file));
  let prefix = '';
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    if (text.length && !text.endsWith('\n')) prefix = '\n';
  }
  const block = prefix + lines.join('\n') + '\n';
  // Validate the result before touching the file: never leave a broken config behind.
  const next = (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '') + block;
  parseUserConfig(next, file);
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, next, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

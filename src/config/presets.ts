// Workspace presets (TOML): shipped ones in presets/, a project's own in .berth/presets/.
//
//   description = "two Claude agents and a Codex reviewer"
//   layout = "tiled"          # tiled, even-horizontal, even-vertical, main-horizontal, main-vertical
//   user = true               # pane 0 is a shell in the container
//   [[agents]]
//   kind = "cc"               # cc, cod, gmi or an agent named in .ntm/config.toml
//   count = 2
//   model = "opus"            # optional
//   prompt = "Read README.md" # optional first prompt
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../lib/packageRoot.js';
import { z } from 'zod';
import { LAYOUTS, type LayoutName } from '../panes/layout.js';
import { UserError } from './errors.js';
import { configErrorText } from './tomlLocate.js';
import { parseToml } from './userConfig.js';

const agentSchema = z
  .object({
    kind: z.string().min(1, 'must not be empty'),
    count: z.number().int().min(0).max(32).default(1),
    model: z.string().min(1).optional(),
    prompt: z.string().optional(),
  })
  .strict();

export const presetSchema = z
  .object({
    description: z.string().default(''),
    layout: z.enum(LAYOUTS as [LayoutName, ...LayoutName[]]).default('tiled'),
    user: z.boolean().default(true),
    agents: z.array(agentSchema).default([]),
  })
  .strict();

export type Preset = z.infer<typeof presetSchema> & { name: string; file: string };

export function parsePreset(text: string, file: string, name = path.basename(file, '.toml')): Preset {
  const raw = parseToml(text, file);
  const res = presetSchema.safeParse(raw);
  if (!res.success) throw new UserError(configErrorText(file, text, res.error));
  return { ...res.data, name, file };
}

/** presets/ shipped with berth (in the package, next to dist/ and src/). */
export function shippedPresetsDir(): string {
  return path.join(packageRoot(), 'presets');
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.toml'));
  } catch {
    return [];
  }
}

/** Preset names available for a project: its own first, then the shipped ones. */
export function listPresets(projectDir?: string): Array<{ name: string; file: string }> {
  const seen = new Map<string, string>();
  const dirs = [projectDir ? path.join(projectDir, '.berth', 'presets') : '', shippedPresetsDir()].filter(Boolean);
  for (const dir of dirs) for (const f of listDir(dir)) if (!seen.has(f.slice(0, -5))) seen.set(f.slice(0, -5), path.join(dir, f));
  return [...seen].map(([name, file]) => ({ name, file }));
}

/** Loads a preset by name (a project's .berth/presets/ wins over shipped ones) or by path. */
export function loadPreset(nameOrPath: string, projectDir?: string): Preset {
  let file: string | undefined;
  if (nameOrPath.endsWith('.toml') || nameOrPath.includes('/')) file = path.resolve(nameOrPath);
  else file = listPresets(projectDir).find((p) => p.name === nameOrPath)?.file;
  if (!file || !fs.existsSync(file)) {
    const names = listPresets(projectDir).map((p) => p.name);
    throw new UserError(`no preset "${nameOrPath}"${names.length ? ` (have: ${names.join(', ')})` : ''}`);
  }
  return parsePreset(fs.readFileSync(file, 'utf8'), file);
}

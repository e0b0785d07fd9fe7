// Colour themes from themes/*.toml. Colours are Ink colour names (16-colour safe).
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../lib/packageRoot.js';
import { z } from 'zod';
import { UserError } from './errors.js';
import { configErrorText } from './tomlLocate.js';
import { parseToml } from './userConfig.js';

/** The 16 ANSI colours by Ink's names (no truecolor, no 256-colour indexes). */
export const COLOR_NAMES = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
] as const;

const color = z.string().refine((v) => (COLOR_NAMES as readonly string[]).includes(v), {
  message: `must be one of the 16 colour names (${COLOR_NAMES.filter((n) => n !== 'grey').join(', ')})`,
});

export const themeSchema = z
  .object({
    name: z.string(),
    monochrome: z.boolean().default(false),
    colors: z
      .object({
        accent: color.default('cyan'),
        header: color.default('cyan'),
        border: color.default('gray'),
        border_focus: color.default('cyan'),
        selected_fg: color.default('black'),
        selected_bg: color.default('cyan'),
        dim: color.default('gray'),
        error: color.default('red'),
        warning: color.default('yellow'),
        running: color.default('green'),
        exited: color.default('gray'),
        paused: color.default('yellow'),
        restarting: color.default('yellow'),
        created: color.default('blue'),
        dead: color.default('red'),
        healthy: color.default('green'),
        unhealthy: color.default('red'),
        cpu_low: color.default('green'),
        cpu_mid: color.default('yellow'),
        cpu_high: color.default('red'),
        stderr: color.default('redBright'),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Theme = z.infer<typeof themeSchema>;
export type ColorName = keyof Theme['colors'];

/** The shipped themes folder: <package>/themes. */
export function themesDir(): string {
  return path.join(packageRoot(), 'themes');
}

export function listThemes(): string[] {
  try {
    return fs
      .readdirSync(themesDir())
      .filter((f) => f.endsWith('.toml'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

export function loadTheme(name: string, env: NodeJS.ProcessEnv = process.env): Theme {
  const wanted = env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? 'monochrome' : name;
  const file = path.join(themesDir(), `${wanted}.toml`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`theme "${wanted}" not found; available: ${listThemes().join(', ') || 'none'}`);
  }
  const res = themeSchema.safeParse(parseToml(text, file));
  if (!res.success) throw new UserError(configErrorText(file, text, res.error));
  return res.data;
}

/** The colour to use for a role, or undefined in monochrome. */
export function colorOf(theme: Theme, role: ColorName): string | undefined {
  return theme.monochrome ? undefined : theme.colors[role];
}

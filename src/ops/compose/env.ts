// Compose-style variable interpolation (${VAR}, ${VAR:-default}, ${VAR:?error}, $$; the one
// parser of lib/vars.ts in compose mode) and `.env` files, as docker compose reads them.
// Pure functions.
import { expandVars } from '../../lib/vars.js';

export { findVarRefs, isOnlyReferences, type VarRef } from '../../lib/vars.js';

/** A `${VAR:?msg}` whose variable is missing (the one parser's VarError). */
export { VarError as InterpolationError } from '../../lib/vars.js';

/**
 * Replaces references using `env`, as docker compose does: unset variables become '' (with
 * a warning there); `${VAR:?msg}` throws InterpolationError when VAR is unset or empty.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return expandVars(text, env, { mode: 'compose' });
}

export interface DotenvEntry {
  value: string;
  /** 1-based line number. */
  line: number;
}

/** Parses a `.env` file: KEY=VALUE lines, `export ` prefix, quotes, `#` comments. */
export function parseDotenv(text: string): Map<string, DotenvEntry> {
  const out = new Map<string, DotenvEntry>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    let line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) return;
    let value = eq < 0 ? '' : line.slice(eq + 1).trim();
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.lastIndexOf(q) > 0) {
      value = value.slice(1, value.lastIndexOf(q));
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      const hash = value.search(/\s#/);
      if (hash >= 0) value = value.slice(0, hash).trimEnd();
    }
    out.set(key, { value, line: idx + 1 });
  });
  return out;
}

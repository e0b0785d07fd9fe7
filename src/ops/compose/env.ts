// Compose-style variable interpolation (${VAR}, ${VAR:-default}, ${VAR:?error}, $$)
// and `.env` files, as docker compose reads them. Pure functions.

export interface VarRef {
  name: string;
  /** Offset of the `$` in the text. */
  index: number;
  /** Length of the whole reference, e.g. `${A:-b}` is 7. */
  length: number;
  /** The reference has a fallback (`:-`, `-`) or only matters when set (`:+`, `+`). */
  hasDefault: boolean;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

interface Parsed {
  name: string;
  op: '' | ':-' | '-' | ':?' | '?' | ':+' | '+';
  arg: string;
  end: number;
}

/** Parses the reference starting at text[i] === '$'; null when it is not one. */
function parseRef(text: string, i: number): Parsed | null {
  if (text[i + 1] === '{') {
    NAME.lastIndex = i + 2;
    const m = NAME.exec(text);
    if (!m) return null;
    let j = i + 2 + m[0].length;
    let op: Parsed['op'] = '';
    for (const candidate of [':-', ':?', ':+', '-', '?', '+'] as const) {
      if (text.startsWith(candidate, j)) {
        op = candidate;
        j += candidate.length;
        break;
      }
    }
    // Find the matching brace, allowing nested ${...} in the argument.
    let depth = 1;
    let k = j;
    while (k < text.length) {
      if (text[k] === '$' && text[k + 1] === '{') {
        depth++;
        k += 2;
        continue;
      }
      if (text[k] === '}') {
        depth--;
        if (depth === 0) break;
      }
      k++;
    }
    if (depth !== 0) return null;
    if (op === '' && k !== j) return null; // ${A B} is not a reference
    return { name: m[0], op, arg: text.slice(j, k), end: k + 1 };
  }
  NAME.lastIndex = i + 1;
  const m = NAME.exec(text);
  if (!m) return null;
  return { name: m[0], op: '', arg: '', end: i + 1 + m[0].length };
}

/** Every variable reference in the text, including those nested in defaults. */
export function findVarRefs(text: string, base = 0): VarRef[] {
  const out: VarRef[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      i += 2;
      continue;
    }
    const p = parseRef(text, i);
    if (!p) {
      i++;
      continue;
    }
    out.push({
      name: p.name,
      index: base + i,
      length: p.end - i,
      hasDefault: p.op === ':-' || p.op === '-' || p.op === ':+' || p.op === '+',
    });
    if (p.arg) {
      const argStart = p.end - 1 - p.arg.length;
      out.push(...findVarRefs(p.arg, base + argStart));
    }
    i = p.end;
  }
  return out;
}

export class InterpolationError extends Error {}

/**
 * Replaces references using `env`. Unset variables become '' (as compose does, with a
 * warning); `${VAR:?msg}` throws InterpolationError when VAR is unset or empty.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    const p = parseRef(text, i);
    if (!p) {
      out += c;
      i++;
      continue;
    }
    const v = env[p.name];
    const set = v !== undefined;
    const nonEmpty = set && v !== '';
    switch (p.op) {
      case '':
        out += v ?? '';
        break;
      case ':-':
        out += nonEmpty ? v : interpolate(p.arg, env);
        break;
      case '-':
        out += set ? v : interpolate(p.arg, env);
        break;
      case ':+':
        out += nonEmpty ? interpolate(p.arg, env) : '';
        break;
      case '+':
        out += set ? interpolate(p.arg, env) : '';
        break;
      case ':?':
      case '?':
        if (p.op === ':?' ? !nonEmpty : !set) {
          throw new InterpolationError(`required variable ${p.name} is missing a value${p.arg ? `: ${p.arg}` : ''}`);
        }
        out += v;
        break;
    }
    i = p.end;
  }
  return out;
}

/** True when the text is only variable references (and whitespace), e.g. "${TOKEN}". */
export function isOnlyReferences(text: string): boolean {
  let rest = '';
  let refs = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] === '$' && text[i + 1] === '$') {
      rest += '$';
      i += 2;
      continue;
    }
    const p = text[i] === '$' ? parseRef(text, i) : null;
    if (p) {
      refs++;
      i = p.end;
      continue;
    }
    rest += text[i];
    i++;
  }
  return refs > 0 && rest.trim() === '';
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

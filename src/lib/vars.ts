// The one `${VAR}` parser, in two modes:
//   compose  as docker compose reads compose files: $VAR and ${VAR}, with :- - :+ + :? ?,
//            unset variables become '', a malformed reference stays as written;
//   config   berth's own files (.ntm/config.toml, presets): only ${VAR}, ${VAR:-default}
//            and ${VAR-default}; a bare $ stays as written; a malformed or unclosed
//            reference is an error, and so is an unset variable without a default when
//            `required`.
// In both, $$ is a literal $ and defaults may hold references of their own. Pure.

export type VarMode = 'compose' | 'config';

export interface VarRef {
  name: string;
  /** Offset of the `$` in the text. */
  index: number;
  /** Length of the whole reference, e.g. `${A:-b}` is 7. */
  length: number;
  /** The reference has a fallback (`:-`, `-`) or only matters when set (`:+`, `+`). */
  hasDefault: boolean;
}

/** A reference that cannot be expanded: the message names it. */
export class VarError extends Error {}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Op = '' | (typeof OPS)[number];

interface Parsed {
  name: string;
  op: Op;
  arg: string;
  end: number;
}

/** The index of the `}` closing the `${` at text[i], counting nested `${`; -1 when none. */
function closingBrace(text: string, i: number): number {
  let depth = 1;
  for (let k = i + 2; k < text.length; k++) {
    if (text[k] === '$' && text[k + 1] === '{') {
      depth++;
      k++;
    } else if (text[k] === '}' && --depth === 0) return k;
  }
  return -1;
}

/** Parses the reference starting at text[i] === '$'; null when it is not one. */
function parseRef(text: string, i: number): Parsed | null {
  if (text[i + 1] === '{') {
    NAME.lastIndex = i + 2;
    const m = NAME.exec(text);
    if (!m) return null;
    let j = i + 2 + m[0].length;
    let op: Op = '';
    for (const candidate of OPS) {
      if (text.startsWith(candidate, j)) {
        op = candidate;
        j += candidate.length;
        break;
      }
    }
    const k = closingBrace(text, i);
    if (k < 0) return null;
    if (op === '' && k !== j) return null; // ${A B} is not a reference
    return { name: m[0], op, arg: text.slice(j, k), end: k + 1 };
  }
  NAME.lastIndex = i + 1;
  const m = NAME.exec(text);
  if (!m) return null;
  return { name: m[0], op: '', arg: '', end: i + 1 + m[0].length };
}

/** Every variable reference in the text, including those nested in defaults (compose syntax). */
export function findVarRefs(text: string, base = 0): VarRef[] {
  const out: VarRef[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$') {
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
    out.push({ name: p.name, index: base + i, length: p.end - i, hasDefault: p.op === ':-' || p.op === '-' || p.op === ':+' || p.op === '+' });
    if (p.arg) out.push(...findVarRefs(p.arg, base + p.end - 1 - p.arg.length));
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

export interface ExpandOptions {
  mode: VarMode;
  /** config mode: an unset variable without a default is an error naming it. */
  required?: boolean;
}

/** Expands the references of `text` from `env`; throws VarError as the mode says. */
export function expandVars(text: string, env: Record<string, string | undefined>, opts: ExpandOptions): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
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
    if (opts.mode === 'config' && text[i + 1] !== '{') {
      out += c;
      i++;
      continue;
    }
    const p = parseRef(text, i);
    if (!p || (opts.mode === 'config' && p.op !== '' && p.op !== ':-' && p.op !== '-')) {
      if (opts.mode === 'compose') {
        out += c;
        i++;
        continue;
      }
      const k = closingBrace(text, i);
      if (k < 0) throw new VarError(`unclosed \${ in "${text}"`);
      throw new VarError(`bad variable reference ${text.slice(i, k + 1)}`);
    }
    const v = env[p.name];
    const set = v !== undefined;
    const nonEmpty = set && v !== '';
    const inner = (s: string) => expandVars(s, env, opts);
    switch (p.op) {
      case '':
        if (!set && opts.required) throw new VarError(`\${${p.name}} is not set`);
        out += v ?? '';
        break;
      case ':-':
        out += nonEmpty ? v : inner(p.arg);
        break;
      case '-':
        out += set ? v : inner(p.arg);
        break;
      case ':+':
        out += nonEmpty ? inner(p.arg) : '';
        break;
      case '+':
        out += set ? inner(p.arg) : '';
        break;
      case ':?':
      case '?':
        if (p.op === ':?' ? !nonEmpty : !set) throw new VarError(`required variable ${p.name} is missing a value${p.arg ? `: ${p.arg}` : ''}`);
        out += v;
        break;
    }
    i = p.end;
  }
  return out;
}

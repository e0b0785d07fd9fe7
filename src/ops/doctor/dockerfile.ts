// A Dockerfile reader that keeps line numbers: parser directives (escape=), comments,
// continuation lines (comments and blank lines inside them are dropped, as the builder
// does), and BuildKit heredocs (RUN <<EOF … EOF). Pure; no Docker needed.

export interface PhysicalLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY … */
  keyword: string;
  /** Arguments with continuations joined by a space; heredoc bodies not included. */
  args: string;
  /** Heredoc bodies attached to this instruction, in order. */
  heredocs: string[];
  /** First and last line of the instruction (1-based, inclusive). */
  line: number;
  endLine: number;
  /** 1-based column of the keyword. */
  column: number;
  /** The physical lines the instruction was made of (comments excluded). */
  lines: PhysicalLine[];
}

export interface ParsedDockerfile {
  instructions: Instruction[];
  escape: string;
  /** Lines that could not be read as an instruction. */
  problems: { line: number; message: string }[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

export function parseDockerfile(text: string): ParsedDockerfile {
  const src = text.split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before any comment, blank line or instruction.
  for (; i < src.length; i++) {
    const m = DIRECTIVE.exec(src[i]!);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const instructions: Instruction[] = [];
  const problems: ParsedDockerfile['problems'] = [];
  const endsWithEscape = (s: string): boolean => {
    const t = s.replace(/\s+$/, '');
    return t.endsWith(escape);
  };

  while (i < src.length) {
    const raw = src[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const startLine = i + 1;
    const lines: PhysicalLine[] = [{ line: startLine, text: raw }];
    let joined = '';
    let cur = raw;
    i++;
    while (endsWithEscape(cur)) {
      joined += cur.replace(/\s+$/, '').slice(0, -escape.length) + ' ';
      // Skip comment and empty lines inside a continuation, as the builder does.
      while (i < src.length && (src[i]!.trim() === '' || src[i]!.trim().startsWith('#'))) i++;
      if (i >= src.length) {
        cur = '';
        break;
      }
      cur = src[i]!;
      lines.push({ line: i + 1, text: cur });
      i++;
    }
    joined += cur;
    const m = /^(\s*)(\S+)(?:\s+([\s\S]*))?$/.exec(joined);
    if (!m) continue;
    const keyword = m[2]!.toUpperCase();
    if (!/^[A-Z]+$/.test(keyword)) {
      problems.push({ line: startLine, message: `cannot read "${m[2]}" as an instruction` });
      continue;
    }
    const args = (m[3] ?? '').trim();
    // Heredocs: the bodies follow the instruction line(s), each ending with its word.
    const heredocs: string[] = [];
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      HEREDOC.lastIndex = 0;
      const words: { word: string; strip: boolean }[] = [];
      for (let h = HEREDOC.exec(args); h; h = HEREDOC.exec(args)) words.push({ word: h[3]!, strip: h[1] === '-' });
      for (const { word, strip } of words) {
        const body: string[] = [];
        let closed = false;
        while (i < src.length) {
          const l = src[i]!;
          lines.push({ line: i + 1, text: l });
          i++;
          const cmp = strip ? l.replace(/^\t+/, '') : l;
          if (cmp === word) {
            closed = true;
            break;
          }
          body.push(strip ? l.replace(/^\t+/, '') : l);
        }
        if (!closed) problems.push({ line: startLine, message: `heredoc "${word}" is never closed` });
        heredocs.push(body.join('\n'));
      }
    }
    instructions.push({
      keyword,
      args,
      heredocs,
      line: startLine,
      endLine: lines[lines.length - 1]!.line,
      column: m[1]!.length + 1,
      lines,
    });
  }
  return { instructions, escape, problems };
}

/** The line of an instruction whose text matches, for pointing inside long RUNs. */
export function lineMatching(ins: Instruction, re: RegExp): number {
  for (const l of ins.lines) if (re.test(l.text)) return l.line;
  return ins.line;
}

/** Splits an instruction's arguments into words, honouring quotes and the JSON form. */
export function splitArgs(args: string): string[] {
  const t = args.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      // not JSON: fall through to the shell form
    }
  }
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of t) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    cur += ch;
    inWord = true;
  }
  if (inWord) out.push(cur);
  return out;
}

/** Splits the leading --flag=value options (e.g. --chown, --platform) off the words. */
export function takeFlags(words: string[]): { flags: Record<string, string>; rest: string[] } {
  const flags: Record<string, string> = {};
  let k = 0;
  while (k < words.length && words[k]!.startsWith('--')) {
    const w = words[k]!.slice(2);
    const eq = w.indexOf('=');
    flags[eq < 0 ? w : w.slice(0, eq)] = eq < 0 ? 'true' : w.slice(eq + 1);
    k++;
  }
  return { flags, rest: words.slice(k) };
}

/**
 * KEY=VALUE pairs of ENV, ARG and LABEL. Also reads the legacy `ENV KEY value` form.
 * A value of null means the name was given without one (ARG NAME).
 */
export function keyValues(ins: Instruction): { key: string; value: string | null }[] {
  const words = splitArgs(ins.args);
  if (ins.keyword === 'ENV' && words.length >= 2 && !words[0]!.includes('=')) {
    // Legacy form: everything after the first word is the value.
    const first = ins.args.trim().split(/\s+/, 1)[0]!;
    return [{ key: first, value: ins.args.trim().slice(first.length).trim().replace(/^["']|["']$/g, '') }];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq < 0 ? { key: w, value: null } : { key: w.slice(0, eq), value: w.slice(eq + 1) };
  });
}

/** Expands $NAME, ${NAME}, ${NAME:-def} and ${NAME:+alt} with build-arg values; null if any is unknown. */
export function expandArgs(text: string, values: Map<string, string | null>): string | null {
  let unknown = false;
  const out = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_all, n1, op, arg, n2) => {
    const name = (n1 ?? n2) as string;
    const v = values.get(name);
    const isSet = v !== undefined && v !== null && v !== '';
    if (op === ':-' || op === '-') return isSet ? v! : String(arg ?? '');
    if (op === ':+' || op === '+') return isSet ? String(arg ?? '') : '';
    if (!isSet) {
      unknown = true;
      return '';
    }
    return v!;
  });
  return unknown ? null : out;
}

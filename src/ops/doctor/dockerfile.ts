// A Dockerfile reader that keeps line numbers, on top of dockerfile-ast: parser directives
// (escape=), comments, continuation lines (comments and blank lines inside them are dropped,
// as the builder does), and BuildKit heredocs (RUN <<EOF … EOF). Pure; no Docker needed.
import { DockerfileParser, type Heredoc, type Instruction as AstNode } from 'dockerfile-ast';

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
  /** Comment lines (text after #), for `# hadolint ignore=…` and `# berth ignore=…`. */
  comments: { line: number; text: string }[];
  /** Lines that could not be read as an instruction. */
  problems: { line: number; message: string }[];
}

/** dockerfile-ast's instruction, with the heredocs every kind may hold (the method is public on RUN and COPY only). */
type AstInstruction = AstNode & { getHeredocs?: () => Heredoc[] };

/**
 * Reads a Dockerfile with dockerfile-ast (instruction boundaries, keywords, the escape
 * directive, heredocs, comments) into berth's instructions: arguments joined as the builder
 * joins continuation lines, heredoc bodies apart, the physical lines kept for line numbers.
 */
export function parseDockerfile(text: string): ParsedDockerfile {
  const src = text.split(/\r?\n/);
  const ast = DockerfileParser.parse(text);
  const escape = ast.getEscapeCharacter();
  const instructions: Instruction[] = [];
  const problems: ParsedDockerfile['problems'] = [];
  const comments = ast.getComments().map((c) => ({ line: c.getRange().start.line + 1, text: c.getContent() }));
  for (const node of ast.getInstructions() as AstInstruction[]) {
    const range = node.getRange();
    const startLine = range.start.line + 1;
    const word = node.getInstruction();
    const keyword = word.toUpperCase();
    if (!/^[A-Z]+$/.test(keyword)) {
      problems.push({ line: startLine, message: `cannot read "${word}" as an instruction` });
      continue;
    }
    const heredocs = keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD' ? (node.getHeredocs?.() ?? []) : [];
    // the instruction's own lines end where the first heredoc's body begins
    const firstBody = heredocs.length ? heredocs[0]!.getStartRange().start.line + 1 : Infinity;
    const lines: PhysicalLine[] = [];
    const own: string[] = [];
    for (let n = startLine; n <= range.end.line + 1 && n <= src.length; n++) {
      const t = src[n - 1]!;
      const inOwn = n <= firstBody;
      // comment and blank lines inside a continuation are dropped, as the builder does
      if (inOwn && n > startLine && (t.trim() === '' || t.trim().startsWith('#'))) continue;
      lines.push({ line: n, text: t });
      if (inOwn) own.push(t);
    }
    const joined = own.map((t, k) => (k < own.length - 1 && t.replace(/\s+$/, '').endsWith(escape) ? t.replace(/\s+$/, '').slice(0, -escape.length) : t)).join(' ');
    const args = joined.trim().slice(word.length).replace(/\s+$/, '').replace(new RegExp(`${escape === '\\' ? '\\\\' : escape}$`), '').trim();
    const bodies: string[] = [];
    for (const h of heredocs) {
      const strip = /^<<-/.test(src[h.getStartRange().start.line]!.slice(h.getStartRange().start.character));
      if (!h.getDelimiterRange()) problems.push({ line: startLine, message: `heredoc "${h.getName()}" is never closed` });
      const content = h.getContentRange();
      const body = content ? src.slice(content.start.line, content.end.line + 1) : [];
      bodies.push(body.map((l) => (strip ? l.replace(/^\t+/, '') : l)).join('\n'));
    }
    instructions.push({ keyword, args, heredocs: bodies, line: startLine, endLine: lines[lines.length - 1]?.line ?? startLine, column: range.start.character + 1, lines });
  }
  return { instructions, escape, problems, comments };
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

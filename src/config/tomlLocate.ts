// Where a key stands in a TOML file, so that every config error names its line and column:
// the values come from @iarna/toml, which keeps no positions; on an error the text is
// parsed once more with toml-eslint-parser, whose syntax tree has them. Only the error
// path pays for it.
import { parseTOML } from 'toml-eslint-parser';
import type { ZodError } from 'zod';

export type KeyPath = ReadonlyArray<string | number>;

export interface Position {
  line: number;
  column: number;
}

interface Found {
  path: (string | number)[];
  pos: Position;
}

type Node = { type: string; loc: { start: { line: number; column: number } }; [k: string]: unknown };

const pos = (n: Node): Position => ({ line: n.loc.start.line, column: n.loc.start.column + 1 });

function keyName(k: Node): string {
  return String((k as { name?: string; value?: string }).name ?? (k as { value?: string }).value ?? '');
}

/** Every key, table and array element of the file with its full path and position. */
function collect(text: string): Found[] {
  const out: Found[] = [];
  const ast = parseTOML(text) as unknown as { body: Array<{ body: Node[] }> };
  const visitValue = (value: Node, at: (string | number)[]) => {
    if (value.type === 'TOMLInlineTable') for (const kv of value.body as Node[]) visitKeyValue(kv, at);
    else if (value.type === 'TOMLArray') {
      (value.elements as Node[]).forEach((el, i) => {
        out.push({ path: [...at, i], pos: pos(el) });
        visitValue(el, [...at, i]);
      });
    }
  };
  const visitKeyValue = (kv: Node, base: (string | number)[]) => {
    const keys = ((kv.key as Node).keys as Node[]).map(keyName);
    const at = [...base, ...keys];
    out.push({ path: at, pos: pos(kv) });
    visitValue(kv.value as Node, at);
  };
  for (const item of ast.body[0]?.body ?? []) {
    if (item.type === 'TOMLTable') {
      const at = item.resolvedKey as (string | number)[];
      out.push({ path: at, pos: pos(item) });
      for (const kv of item.body as Node[]) visitKeyValue(kv, at);
    } else if (item.type === 'TOMLKeyValue') visitKeyValue(item, []);
  }
  return out;
}

/** The position of `path`, or of its deepest part written in the file; null when none is. */
export function locateKey(text: string, path: KeyPath): Position | null {
  let all: Found[];
  try {
    all = collect(text);
  } catch {
    return null;
  }
  let best: Found | null = null;
  for (const f of all) {
    if (f.path.length > path.length || (best && f.path.length <= best.path.length)) continue;
    if (f.path.every((p, i) => p === path[i])) best = f;
  }
  return best?.pos ?? null;
}

/** "key.path: message" naming the first offending key. */
export function describeZodError(err: ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid value';
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return where ? `${where}: unknown key ${keys}` : `unknown key ${keys}`;
  }
  return where ? `${where}: ${issue.message}` : issue.message;
}

/** "file:line:column" (or the file alone when the position is unknown). */
export function fileAt(file: string, at: Position | null | undefined): string {
  return at ? `${file}:${at.line}:${at.column}` : file;
}

/** "file:line:column: key.path: message" for the first issue of a schema check of `text`. */
export function configErrorText(file: string, text: string, err: ZodError): string {
  const issue = err.issues[0];
  let path: KeyPath = issue?.path ?? [];
  if (issue?.code === 'unrecognized_keys' && issue.keys[0]) path = [...path, issue.keys[0]];
  return `${fileAt(file, locateKey(text, path))}: ${describeZodError(err)}`;
}

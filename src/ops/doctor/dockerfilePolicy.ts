// What a project says about Dockerfile findings, in hadolint's own words so one set of
// comments and one config serves both tools:
//   - `# hadolint ignore=DL3008,SC2086` on the comment lines right above an instruction
//     drops those checks for it (berth's ids work too: `# berth ignore=dockerfile/apt-pin`);
//   - `.hadolint.yaml` (or .yml) beside the Dockerfile or in the project folder:
//     `ignored: [DL3008]` drops a check everywhere, `override: {error|warning|info|style: [...]}`
//     changes its severity (style reads as info).
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { ParsedDockerfile } from './dockerfile.js';
import { LINTER_LEVELS, type Finding, type Severity } from './types.js';

export interface HadolintConfig {
  /** the file it came from, or null when there is none */
  file: string | null;
  ignored: Set<string>;
  override: Map<string, Severity>;
}

export const NO_CONFIG: HadolintConfig = { file: null, ignored: new Set(), override: new Map() };


/**
 * The first .hadolint.yaml / .hadolint.yml in `dirs`. A file that cannot be read as one is
 * reported as `problem` (file:line:col and what to fix) and otherwise ignored.
 */
export function loadHadolintConfig(dirs: string[]): { config: HadolintConfig; problem?: { file: string; line: number; column: number; message: string } } {
  for (const dir of dirs) {
    for (const name of ['.hadolint.yaml', '.hadolint.yml']) {
      const file = path.join(dir, name);
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      const doc = parseDocument(text);
      if (doc.errors.length) {
        const e = doc.errors[0]!;
        const [line, column] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [1, 1];
        return { config: NO_CONFIG, problem: { file, line, column, message: e.message.split('\n')[0]! } };
      }
      const data = (doc.toJS() ?? {}) as { ignored?: unknown; override?: unknown };
      const ignored = new Set<string>();
      const override = new Map<string, Severity>();
      if (data.ignored !== undefined) {
        if (!Array.isArray(data.ignored)) return { config: NO_CONFIG, problem: { file, ...where(text, doc, ['ignored']), message: 'ignored: must be a list of rule ids (DL3008, SC2086 …)' } };
        for (const id of data.ignored) ignored.add(String(id));
      }
      if (data.override !== undefined) {
        if (typeof data.override !== 'object' || data.override === null) return { config: NO_CONFIG, problem: { file, ...where(text, doc, ['override']), message: 'override: must map error/warning/info/style to lists of rule ids' } };
        for (const [level, ids] of Object.entries(data.override)) {
          const sev = LINTER_LEVELS[level];
          if (!sev || !Array.isArray(ids)) return { config: NO_CONFIG, problem: { file, ...where(text, doc, ['override', level]), message: `override.${level}: use error, warning, info or style, each with a list of rule ids` } };
          for (const id of ids) override.set(String(id), sev);
        }
      }
      return { config: { file, ignored, override } };
    }
  }
  return { config: NO_CONFIG };
}

/** Line and column of the key `segs` names (the last segment's key in its map). */
function where(text: string, doc: ReturnType<typeof parseDocument>, segs: string[]): { line: number; column: number } {
  const parent = (segs.length > 1 ? doc.getIn(segs.slice(0, -1), true) : doc.contents) as { items?: Array<{ key?: { value?: unknown; range?: [number, number] } }> } | null;
  const key = parent?.items?.find((p) => p.key?.value === segs[segs.length - 1])?.key;
  const before = text.slice(0, key?.range?.[0] ?? 0);
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Rule ids named by `# hadolint ignore=…` / `# berth ignore=…` on the comment lines right above `line`. */
export function inlineIgnores(parsed: ParsedDockerfile, line: number): Set<string> {
  const out = new Set<string>();
  const byLine = new Map(parsed.comments.map((c) => [c.line, c.text]));
  for (let n = line - 1; byLine.has(n); n--) {
    const m = /^\s*(?:hadolint|berth)\s+ignore\s*=\s*(\S+)/.exec(byLine.get(n)!);
    if (m) for (const id of m[1]!.split(',')) if (id.trim()) out.add(id.trim());
  }
  return out;
}

/** Applies a Dockerfile's inline ignores and the hadolint config to findings in that file. */
export function applyDockerfilePolicy(findings: Finding[], parsed: ParsedDockerfile, config: HadolintConfig): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const ids = [f.id, ...(f.ref ? [f.ref] : [])];
    if (ids.some((id) => config.ignored.has(id))) continue;
    const w = f.where;
    if (w && 'line' in w) {
      const ins = parsed.instructions.find((i) => i.line <= w.line && w.line <= i.endLine);
      if (ins) {
        const ignored = inlineIgnores(parsed, ins.line);
        if (ids.some((id) => ignored.has(id))) continue;
      }
    }
    const sev = ids.map((id) => config.override.get(id)).find((s) => s !== undefined);
    out.push(sev ? { ...f, severity: sev } : f);
  }
  return out;
}

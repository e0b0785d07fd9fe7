// The real hadolint, when it is installed: its findings (its JSON format: an array of
// {file, line, column, level, code, message}, as hadolint's Json formatter writes it) join
// berth's, except where berth already reports the same check (its id in `ref`) on the same
// line. hadolint reads its own .hadolint.yaml and `# hadolint ignore=` comments; berth applies
// them to its own findings the same way (dockerfilePolicy.ts).
import path from 'node:path';
import { execa } from 'execa';
import { LINTER_LEVELS, type Finding } from './types.js';


interface HadolintRecord {
  line: number;
  column?: number;
  level: string;
  code: string;
  message: string;
}

/** hadolint's version line, or null when it is not installed (or does not run). */
export async function hadolintVersion(bin: string): Promise<string | null> {
  const r = await execa(bin, ['--version'], { reject: false, timeout: 10_000 });
  return r.exitCode === 0 ? (/(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] ?? (r.stdout.trim() || 'unknown')) : null;
}

/** hadolint's findings for one Dockerfile (run in its folder, so its own config applies). */
export async function hadolintDockerfile(bin: string, file: string, display: string): Promise<{ findings: Finding[]; error?: string }> {
  const r = await execa(bin, ['--format', 'json', path.basename(file)], { cwd: path.dirname(file), reject: false, timeout: 60_000 });
  let records: HadolintRecord[];
  try {
    records = JSON.parse(String(r.stdout)) as HadolintRecord[];
    if (!Array.isArray(records)) throw new Error('not a list');
  } catch {
    const why = String(r.stderr).trim().split('\n')[0] || `exit ${r.exitCode}`;
    return { findings: [], error: `hadolint gave no JSON report (${why})` };
  }
  const findings = records
    .filter((x) => x.level !== 'ignore')
    .map((x) => ({
      id: 'dockerfile/hadolint',
      ref: x.code,
      severity: LINTER_LEVELS[x.level] ?? 'info',
      message: x.code === 'DL1000' ? `hadolint cannot parse it: ${x.message.split('\n').filter(Boolean).pop() ?? x.message}` : x.message,
      where: { file: display, line: x.line, column: x.column && x.column > 1 ? x.column : undefined },
      fix: x.code.startsWith('SC') ? `See https://www.shellcheck.net/wiki/${x.code}` : `See https://github.com/hadolint/hadolint/wiki/${x.code}`,
    }));
  return { findings };
}

/** hadolint's findings that berth (or ShellCheck through berth) does not already report at that line. */
export function mergeHadolint(own: Finding[], theirs: Finding[]): Finding[] {
  const seen = new Set(own.filter((f) => f.ref && f.where && 'line' in f.where).map((f) => `${f.ref}@${(f.where as { line: number }).line}`));
  return theirs.filter((f) => !seen.has(`${f.ref}@${(f.where as { line: number }).line}`));
}

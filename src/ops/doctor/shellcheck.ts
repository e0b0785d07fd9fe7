// ShellCheck over a Dockerfile's RUN commands, when `shellcheck` is installed: each RUN's
// shell text is handed over with its lines and columns as they stand in the Dockerfile
// (the keyword and its --flags blanked out, comment lines inside continuations left out
// and remembered), so a finding lands on the Dockerfile line it is about, also inside a
// long multi-line RUN. Heredoc scripts are checked as they are written. The shell is the
// stage's SHELL (sh unless it names bash, dash, ksh or another sh); the variables ENV and ARG
// set and `source`d files are not ShellCheck's to see, so SC2154, SC1090 and SC1091 are off.
import { execa } from 'execa';
import { splitArgs, type Instruction, type ParsedDockerfile } from './dockerfile.js';
import { LINTER_LEVELS, type Finding } from './types.js';

const EXCLUDE = 'SC1090,SC1091,SC2154';

export interface ShellScript {
  text: string;
  /** Dockerfile line of each script line */
  lines: number[];
  shell: string;
}

/** The shell ShellCheck should assume for a SHELL instruction's program, or null when it is no POSIX shell. */
function dialect(program: string | undefined): string | null {
  const base = (program ?? '/bin/sh').split('/').pop() ?? 'sh';
  if (base === 'bash' || base === 'dash' || base === 'ksh') return base;
  if (base === 'sh' || base === 'ash') return 'sh';
  return null; // pwsh, cmd …
}

/** The shell scripts of every shell-form RUN, with where each of their lines is. */
export function runScripts(parsed: ParsedDockerfile): ShellScript[] {
  if (parsed.escape !== '\\') return []; // a backtick escape is for Windows shells
  const out: ShellScript[] = [];
  let shell: string | null = 'sh';
  for (const ins of parsed.instructions) {
    if (ins.keyword === 'FROM') shell = 'sh';
    if (ins.keyword === 'SHELL') shell = dialect(splitArgs(ins.args)[0]);
    if (ins.keyword !== 'RUN' || !shell || ins.args.trim().startsWith('[')) continue;
    out.push(...scriptsOf(ins, shell));
  }
  return out;
}

function scriptsOf(ins: Instruction, shell: string): ShellScript[] {
  if (ins.heredocs.length) {
    // `RUN <<EOF` … EOF: the body is the script (one heredoc; more than one is rare enough to skip)
    if (ins.heredocs.length !== 1 || !/^(--\S+\s+)*<<-?\s*["']?\w+["']?\s*$/.test(ins.args.trim())) return [];
    const body = ins.lines.slice(1, -1);
    const shebang = /^#!\s*(\S+)/.exec(body[0]?.text ?? '');
    return [{ text: body.map((l) => l.text).join('\n'), lines: body.map((l) => l.line), shell: shebang ? (dialect(shebang[1]) ?? shell) : shell }];
  }
  const first = ins.lines[0]!;
  // blank out "RUN --mount=… --network=…" so columns stay where they are in the file
  const prefix = /^\s*\S+\s+(?:--\S+\s+)*/.exec(first.text)?.[0] ?? '';
  const texts = ins.lines.map((l, i) => (i === 0 ? ' '.repeat(prefix.length) + l.text.slice(prefix.length) : l.text));
  return [{ text: texts.join('\n'), lines: ins.lines.map((l) => l.line), shell }];
}

interface ShellCheckComment {
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

/** ShellCheck's version, or null when it is not installed (or does not run). */
export async function shellcheckVersion(bin: string): Promise<string | null> {
  const r = await execa(bin, ['--version'], { reject: false, timeout: 10_000 });
  return r.exitCode === 0 ? (/version:\s*(\S+)/.exec(r.stdout)?.[1] ?? 'unknown') : null;
}

/** ShellCheck's findings for the RUN commands of one Dockerfile. */
export async function shellcheckDockerfile(bin: string, parsed: ParsedDockerfile, display: string): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const script of runScripts(parsed)) {
    const r = await execa(bin, ['-s', script.shell, '-f', 'json1', '-e', EXCLUDE, '-'], { input: script.text, reject: false, timeout: 30_000 });
    // exit 0: clean, 1: findings; anything else is ShellCheck failing, which is not the Dockerfile's problem
    if (r.exitCode !== 0 && r.exitCode !== 1) continue;
    let comments: ShellCheckComment[] = [];
    try {
      comments = (JSON.parse(String(r.stdout)) as { comments: ShellCheckComment[] }).comments ?? [];
    } catch {
      continue;
    }
    for (const c of comments) {
      out.push({
        id: 'dockerfile/shellcheck',
        ref: `SC${c.code}`,
        severity: LINTER_LEVELS[c.level] ?? 'info',
        message: `RUN: ${c.message}`,
        where: { file: display, line: script.lines[c.line - 1] ?? script.lines[0]!, column: c.column },
        fix: `See https://www.shellcheck.net/wiki/SC${c.code} (or # hadolint ignore=SC${c.code} above the RUN).`,
      });
    }
  }
  return out;
}

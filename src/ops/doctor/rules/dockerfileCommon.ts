// The Dockerfile mistakes people meet most, as hadolint names them (its rule id in `ref`):
// apt-get without -y / --no-install-recommends / versions, pip without --no-cache-dir, cd
// instead of WORKDIR, sudo, MAINTAINER, the shell form of CMD/ENTRYPOINT, several CMDs or
// ENTRYPOINTs, pipes without pipefail.
import type { DockerfileCtx } from '../context.js';
import { keyValues, lineMatching, splitArgs, type Instruction } from '../dockerfile.js';
import type { Finding, Rule } from '../types.js';
import { at, runText, stagesOf } from './dockerfileStages.js';

type DockerfileRule = Rule<DockerfileCtx>;

/**
 * The simple commands of a shell text: split at unquoted &&, ||, ;, |, & and new lines,
 * each as its words, with leading VAR=value assignments and `sudo [-flags]` taken off
 * (sudo kept apart so its own rule still sees it).
 */
export function simpleCommands(text: string): { words: string[]; sudo: boolean; raw: string }[] {
  const parts: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
      continue;
    }
    if (ch === '\\' && i + 1 < text.length) {
      cur += ch + text[++i];
      continue;
    }
    if (ch === ';' || ch === '\n' || ch === '|' || ch === '&' || ch === '(' || ch === ')') {
      parts.push(cur);
      cur = '';
      if ((ch === '|' || ch === '&') && text[i + 1] === ch) i++;
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  const out: { words: string[]; sudo: boolean; raw: string }[] = [];
  for (const raw of parts) {
    let words = splitArgs(raw);
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words = words.slice(1);
    let sudo = false;
    if (words[0] === 'sudo') {
      sudo = true;
      words = words.slice(1);
      while (words.length && words[0]!.startsWith('-')) words = words.slice(1);
    }
    if (words.length) out.push({ words, sudo, raw: raw.trim() });
  }
  return out;
}

/** RUN instructions in the shell form, with their simple commands. */
function shellRuns(ctx: DockerfileCtx): { ins: Instruction; cmds: ReturnType<typeof simpleCommands> }[] {
  return ctx.parsed.instructions.filter((i) => i.keyword === 'RUN' && !i.args.trim().startsWith('[')).map((ins) => ({ ins, cmds: simpleCommands(runText(ins)) }));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The physical line of `ins` holding the start of `cmd` (its first two words), for multi-line RUNs. */
function lineOf(ins: Instruction, cmd: { words: string[] }): number {
  return lineMatching(ins, new RegExp(cmd.words.slice(0, 2).map(escapeRe).join('\\s+')));
}

const isAptInstall = (w: string[]) => (w[0] === 'apt-get' || w[0] === 'apt') && w.includes('install');
const aptFlags = (w: string[]) => w.filter((x) => x.startsWith('-'));

function finding(ctx: DockerfileCtx, ins: Instruction, line: number, f: Omit<Finding, 'where'>): Finding {
  return { ...f, where: at(ctx, ins, line) };
}

export const dockerfileAptRecommends: DockerfileRule = {
  id: 'dockerfile/apt-no-recommends',
  target: 'dockerfile',
  title: 'apt-get install with --no-install-recommends (hadolint DL3015)',
  check(ctx) {
    const out: Finding[] = [];
    for (const { ins, cmds } of shellRuns(ctx)) {
      for (const c of cmds) {
        if (!isAptInstall(c.words) || c.words.includes('--no-install-recommends') || c.raw.includes('Install-Recommends=false')) continue;
        out.push(
          finding(ctx, ins, lineOf(ins, c), {
            id: 'dockerfile/apt-no-recommends',
            ref: 'DL3015',
            severity: 'info',
            message: `${c.words.slice(0, 2).join(' ')} without --no-install-recommends pulls in packages nobody asked for`,
            fix: 'Add --no-install-recommends to the apt-get install.',
          }),
        );
      }
    }
    return out;
  },
};

export const dockerfileAptYes: DockerfileRule = {
  id: 'dockerfile/apt-yes',
  target: 'dockerfile',
  title: 'apt-get install answers yes by itself (-y) (hadolint DL3014)',
  check(ctx) {
    const out: Finding[] = [];
    for (const { ins, cmds } of shellRuns(ctx)) {
      for (const c of cmds) {
        if (!isAptInstall(c.words)) continue;
        const yes = aptFlags(c.words).some((f) => f === '--yes' || f === '--assume-yes' || /^-[a-zA-Z]*y/.test(f) || f === '-qq');
        if (yes) continue;
        out.push(
          finding(ctx, ins, lineOf(ins, c), {
            id: 'dockerfile/apt-yes',
            ref: 'DL3014',
            severity: 'warning',
            message: `${c.words.slice(0, 2).join(' ')} install without -y waits for an answer no build can give`,
            fix: 'Add -y: apt-get install -y --no-install-recommends …',
          }),
        );
      }
    }
    return out;
  },
};

export const dockerfileAptPin: DockerfileRule = {
  id: 'dockerfile/apt-pin',
  target: 'dockerfile',
  title: 'apt-get install pins package versions (pkg=1.2.3) (hadolint DL3008)',
  check(ctx) {
    const out: Finding[] = [];
    for (const { ins, cmds } of shellRuns(ctx)) {
      for (const c of cmds) {
        if (!isAptInstall(c.words)) continue;
        const pkgs = c.words.slice(c.words.indexOf('install') + 1).filter((w) => !w.startsWith('-') && !w.includes('$') && !w.endsWith('.deb'));
        const loose = pkgs.filter((p) => !p.includes('='));
        if (!loose.length) continue;
        out.push(
          finding(ctx, ins, lineOf(ins, c), {
            id: 'dockerfile/apt-pin',
            ref: 'DL3008',
            severity: 'info',
            message: `apt-get install of ${loose.slice(0, 4).join(', ')}${loose.length > 4 ? ` and ${loose.length - 4} more` : ''} without versions: each build may get different ones`,
            fix: 'Pin versions (curl=7.88.1-10+deb12u5), or accept the drift and say so with # hadolint ignore=DL3008.',
          }),
        );
      }
    }
    return out;
  },
};

export const dockerfilePipCache: DockerfileRule = {
  id: 'dockerfile/pip-no-cache',
  target: 'dockerfile',
  title: 'pip install with --no-cache-dir (hadolint DL3042)',
  check(ctx) {
    const out: Finding[] = [];
    const { stages } = stagesOf(ctx.parsed.instructions);
    for (const s of stages) {
      // PIP_NO_CACHE_DIR set in the stage does the same for every pip
      const envOff = s.body.some((i) => i.keyword === 'ENV' && keyValues(i).some((kv) => kv.key === 'PIP_NO_CACHE_DIR'));
      if (envOff) continue;
      for (const ins of s.body) {
        if (ins.keyword !== 'RUN' || ins.args.trim().startsWith('[')) continue;
        if (/--mount=[^\s]*target=\/root\/\.cache/.test(ins.args)) continue;
        for (const c of simpleCommands(runText(ins))) {
          const w = c.words;
          const pip = /^pip[0-9.]*$/.test(w[0]!) ? 1 : /^python[0-9.]*$/.test(w[0]!) && w[1] === '-m' && /^pip/.test(w[2] ?? '') ? 3 : 0;
          if (!pip || w[pip] !== 'install' || w.includes('--no-cache-dir')) continue;
          out.push(
            finding(ctx, ins, lineOf(ins, c), {
              id: 'dockerfile/pip-no-cache',
              ref: 'DL3042',
              severity: 'warning',
              message: `${w.slice(0, pip + 1).join(' ')} without --no-cache-dir keeps pip's download cache in the image`,
              fix: 'Add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1 in the stage).',
            }),
          );
        }
      }
    }
    return out;
  },
};

export const dockerfileCdInRun: DockerfileRule = {
  id: 'dockerfile/workdir-not-cd',
  target: 'dockerfile',
  title: 'WORKDIR instead of cd in RUN (hadolint DL3003)',
  check(ctx) {
    const out: Finding[] = [];
    for (const { ins, cmds } of shellRuns(ctx)) {
      const cd = cmds.find((c) => c.words[0] === 'cd');
      if (!cd) continue;
      out.push(
        finding(ctx, ins, lineOf(ins, cd), {
          id: 'dockerfile/workdir-not-cd',
          ref: 'DL3003',
          severity: 'warning',
          message: `${cd.words.join(' ')} in RUN: the folder change is easy to miss and does not carry to the next instruction`,
          fix: `Use WORKDIR ${cd.words[1] ?? '<dir>'} before the RUN.`,
        }),
      );
    }
    return out;
  },
};

export const dockerfileSudo: DockerfileRule = {
  id: 'dockerfile/no-sudo',
  target: 'dockerfile',
  title: 'No sudo in RUN (hadolint DL3004)',
  check(ctx) {
    const out: Finding[] = [];
    for (const { ins, cmds } of shellRuns(ctx)) {
      const s = cmds.find((c) => c.sudo);
      if (!s) continue;
      out.push(
        finding(ctx, ins, lineMatching(ins, /\bsudo\b/), {
          id: 'dockerfile/no-sudo',
          ref: 'DL3004',
          severity: 'error',
          message: `sudo ${s.words.join(' ')}: sudo in a build behaves unpredictably (tty, environment)`,
          fix: 'Run the step as root (USER root before it, USER <name> after), without sudo.',
        }),
      );
    }
    return out;
  },
};

export const dockerfileMaintainer: DockerfileRule = {
  id: 'dockerfile/no-maintainer',
  target: 'dockerfile',
  title: 'LABEL maintainer= instead of the deprecated MAINTAINER (hadolint DL4000)',
  check(ctx) {
    return ctx.parsed.instructions
      .filter((i) => i.keyword === 'MAINTAINER')
      .map((ins) =>
        finding(ctx, ins, ins.line, {
          id: 'dockerfile/no-maintainer',
          ref: 'DL4000',
          severity: 'error',
          message: 'MAINTAINER is deprecated',
          fix: `Use LABEL maintainer="${ins.args.replace(/"/g, '\\"')}".`,
        }),
      );
  },
};

export const dockerfileJsonCmd: DockerfileRule = {
  id: 'dockerfile/exec-form',
  target: 'dockerfile',
  title: 'CMD and ENTRYPOINT in the JSON (exec) form (hadolint DL3025)',
  check(ctx) {
    return ctx.parsed.instructions
      .filter((i) => (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.args.trim().startsWith('['))
      .map((ins) =>
        finding(ctx, ins, ins.line, {
          id: 'dockerfile/exec-form',
          ref: 'DL3025',
          severity: 'warning',
          message: `${ins.keyword} ${ins.args}: the shell form runs under /bin/sh -c, so the program does not get SIGTERM and stops only when killed`,
          fix: `Write it as JSON: ${ins.keyword} ${JSON.stringify(splitArgs(ins.args))}.`,
        }),
      );
  },
};

export const dockerfileSingleCmd: DockerfileRule = {
  id: 'dockerfile/single-cmd',
  target: 'dockerfile',
  title: 'One CMD and one ENTRYPOINT per stage (hadolint DL4003, DL4004)',
  check(ctx) {
    const out: Finding[] = [];
    for (const s of stagesOf(ctx.parsed.instructions).stages) {
      for (const [kw, ref] of [
        ['CMD', 'DL4003'],
        ['ENTRYPOINT', 'DL4004'],
      ] as const) {
        const all = s.body.filter((i) => i.keyword === kw);
        for (const ins of all.slice(0, -1)) {
          out.push(
            finding(ctx, ins, ins.line, {
              id: 'dockerfile/single-cmd',
              ref,
              severity: 'warning',
              message: `${kw} here is overridden by the ${kw} at line ${all[all.length - 1]!.line}: only the last one counts`,
              fix: `Keep one ${kw} per stage.`,
            }),
          );
        }
      }
    }
    return out;
  },
};

export const dockerfilePipefail: DockerfileRule = {
  id: 'dockerfile/pipefail',
  target: 'dockerfile',
  title: 'RUN with a pipe sets -o pipefail first (hadolint DL4006)',
  check(ctx) {
    const out: Finding[] = [];
    for (const s of stagesOf(ctx.parsed.instructions).stages) {
      let pipefail = false;
      let posix = true;
      for (const ins of s.body) {
        if (ins.keyword === 'SHELL') {
          const words = splitArgs(ins.args);
          pipefail = words.includes('pipefail');
          posix = /(^|\/)(ba|z|k|a|da)?sh$/.test(words[0] ?? '');
        }
        if (ins.keyword !== 'RUN' || ins.args.trim().startsWith('[') || pipefail || !posix) continue;
        const text = runText(ins);
        if (!/[^|]\|[^|]/.test(text.replace(/'[^']*'|"[^"]*"/g, ''))) continue;
        if (/set\s+(-[a-z]*o\s+pipefail|-o\s+pipefail)/.test(text)) continue;
        out.push(
          finding(ctx, ins, lineMatching(ins, /[^|]\|[^|]/), {
            id: 'dockerfile/pipefail',
            ref: 'DL4006',
            severity: 'warning',
            message: 'RUN with a pipe: a failing command before the | does not fail the build (only the last one counts)',
            fix: 'Add SHELL ["/bin/bash", "-o", "pipefail", "-c"] before it (or set -o pipefail in the RUN).',
          }),
        );
      }
    }
    return out;
  },
};

export const hadolintRules: DockerfileRule[] = [
  dockerfileAptYes,
  dockerfileAptRecommends,
  dockerfileAptPin,
  dockerfilePipCache,
  dockerfileCdInRun,
  dockerfileSudo,
  dockerfileMaintainer,
  dockerfileJsonCmd,
  dockerfileSingleCmd,
  dockerfilePipefail,
];

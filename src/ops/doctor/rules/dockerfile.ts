// Dockerfile rules in the spirit of hadolint's most valuable ones.
import type { DockerfileCtx } from '../context.js';
import { expandArgs, keyValues, lineMatching, splitArgs, takeFlags, type Instruction } from '../dockerfile.js';
import { isSecretName, isSecretValue, type Finding, type Rule } from '../types.js';
import { parseImageRef } from './compose.js';
import { hadolintRules } from './dockerfileCommon.js';
import { at, runText, stagesOf } from './dockerfileStages.js';

type DockerfileRule = Rule<DockerfileCtx>;

export const dockerfileValid: DockerfileRule = {
  id: 'dockerfile/valid',
  target: 'dockerfile',
  title: 'The Dockerfile can be read and starts a stage with FROM',
  check(ctx) {
    const out: Finding[] = ctx.parsed.problems.map((p) => ({
      id: 'dockerfile/valid',
      severity: 'error' as const,
      message: p.message,
      where: { file: ctx.display, line: p.line },
      fix: 'Correct the instruction at this line.',
    }));
    const first = ctx.parsed.instructions.find((i) => i.keyword !== 'ARG');
    if (!first || first.keyword !== 'FROM') {
      out.push({
        id: 'dockerfile/valid',
        severity: 'error',
        message: first ? `the first instruction is ${first.keyword}, not FROM` : 'no FROM instruction',
        where: first ? at(ctx, first) : { file: ctx.display, line: 1 },
        fix: 'Start the Dockerfile with FROM <image>:<version> (only ARG may come before it).',
      });
    }
    return out;
  },
};

export const dockerfileBasePinned: DockerfileRule = {
  id: 'dockerfile/base-pinned',
  target: 'dockerfile',
  title: 'Base images are pinned (no latest, no missing tag; ARG defaults count)',
  check(ctx) {
    const { stages } = stagesOf(ctx.parsed.instructions);
    const out: Finding[] = [];
    const aliases = new Set<string>();
    for (const s of stages) {
      const fromArg = s.image.includes('$');
      if (s.resolved === null) {
        out.push({
          id: 'dockerfile/base-pinned',
          severity: 'warning',
          message: `FROM ${s.image}: a build arg it uses has no default, so the base image is whatever the caller passes`,
          where: at(ctx, s.from),
          fix: 'Give the ARG before FROM a pinned default, e.g. ARG BASE_IMAGE=debian:12.11-slim.',
        });
      } else if (s.resolved.toLowerCase() !== 'scratch' && !aliases.has(s.resolved.toLowerCase())) {
        const { name, tag, digest } = parseImageRef(s.resolved);
        if (!digest && (!tag || tag === 'latest')) {
          const via = fromArg ? ` (${s.image} = ${s.resolved})` : '';
          out.push({
            id: 'dockerfile/base-pinned',
            ref: tag ? 'DL3007' : 'DL3006',
            severity: 'warning',
            message: tag ? `FROM ${s.resolved}${via}: "latest" changes under you` : `FROM ${s.resolved}${via} has no tag (that means latest)`,
            where: at(ctx, s.from),
            fix: `Pin a version: FROM ${name}:<version> (or @sha256:<digest>).`,
          });
        }
      }
      if (s.alias) aliases.add(s.alias);
    }
    return out;
  },
};

export const dockerfileAptLists: DockerfileRule = {
  id: 'dockerfile/apt-lists',
  target: 'dockerfile',
  title: 'apt-get install cleans /var/lib/apt/lists in the same RUN',
  check(ctx) {
    const out: Finding[] = [];
    for (const ins of ctx.parsed.instructions) {
      if (ins.keyword !== 'RUN') continue;
      const text = runText(ins);
      if (!/\bapt(-get)?\s+(-\S+\s+)*install\b/.test(text)) continue;
      if (/rm\s+-(rf|fr|r)\s+\S*\/var\/lib\/apt\/lists/.test(text)) continue;
      // A cache mount keeps the lists out of the layer just as well.
      if (/--mount=[^\s]*target=\/var\/lib\/apt/.test(ins.args)) continue;
      out.push({
        id: 'dockerfile/apt-lists',
        ref: 'DL3009',
        severity: 'warning',
        message: 'apt-get install without removing /var/lib/apt/lists in the same RUN: the package lists stay in the image',
        where: at(ctx, ins, lineMatching(ins, /\bapt(-get)?\s+(-\S+\s+)*install\b/)),
        fix: 'End the same RUN with `&& rm -rf /var/lib/apt/lists/*`.',
      });
    }
    return out;
  },
};

const SHELLS = '(?:sudo\\s+(?:-\\S+\\s+)*)?(?:/usr)?(?:/bin/)?(?:sh|bash|zsh|dash|ash|ksh)\\b';
const PIPE_TO_SHELL = new RegExp(`\\b(curl|wget)\\b[^|;&\\n]*\\|\\s*${SHELLS}([^|;&\\n]*)`, 'g');
const SUBSHELL = new RegExp(`${SHELLS}[^;&\\n]*(?:<\\(|\\$\\()\\s*(curl|wget)\\b([^)\\n]*)\\)`, 'g');
const VERSIONED = /(?:\bv?\d+\.\d+(?:\.\d+)?\b|[0-9a-f]{40}|\$\{?[A-Z_]*VERSION\}?|\$\{?[A-Z_]*_SHA\w*\}?)/;

export const dockerfileCurlPipe: DockerfileRule = {
  id: 'dockerfile/curl-pipe-sh',
  target: 'dockerfile',
  title: 'No curl|sh or wget|sh of an unpinned script',
  check(ctx) {
    const out: Finding[] = [];
    for (const ins of ctx.parsed.instructions) {
      if (ins.keyword !== 'RUN') continue;
      const text = runText(ins);
      const hits: string[] = [];
      for (const re of [PIPE_TO_SHELL, SUBSHELL]) {
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) hits.push(m[0]);
      }
      for (const hit of hits) {
        if (VERSIONED.test(hit)) continue;
        const tool = /\bwget\b/.test(hit) && !/\bcurl\b/.test(hit) ? 'wget' : 'curl';
        out.push({
          id: 'dockerfile/curl-pipe-sh',
          severity: 'warning',
          message: `${tool} output is piped into a shell without a pinned version: the build runs whatever the URL serves today`,
          where: at(ctx, ins, lineMatching(ins, new RegExp(`\\b${tool}\\b`))),
          fix: 'Download a versioned release (URL or VERSION argument with the version in it) and verify its checksum, or install from a package manager with a pinned version.',
        });
      }
    }
    return out;
  },
};

function isRootUser(u: string): boolean {
  const user = u.split(':')[0]!.trim();
  return user === 'root' || user === '0';
}

export const dockerfileNonRootUser: DockerfileRule = {
  id: 'dockerfile/non-root-user',
  target: 'dockerfile',
  title: 'The final stage runs as a non-root USER',
  check(ctx) {
    const { stages, globalArgs } = stagesOf(ctx.parsed.instructions);
    if (!stages.length) return [];
    const lastUserOf = (idx: number, depth = 0): { ins: Instruction; user: string } | null => {
      const s = stages[idx]!;
      const users = s.body.filter((i) => i.keyword === 'USER');
      const last = users[users.length - 1];
      if (last) {
        const args = new Map(globalArgs);
        for (const i of s.body) if (i.keyword === 'ARG') for (const kv of keyValues(i)) args.set(kv.key, kv.value ?? args.get(kv.key) ?? null);
        return { ins: last, user: expandArgs(last.args.trim(), args) ?? last.args.trim() };
      }
      return s.parent >= 0 && depth < 20 ? lastUserOf(s.parent, depth + 1) : null;
    };
    const final = stages.length - 1;
    const found = lastUserOf(final);
    if (!found) {
      return [
        {
          id: 'dockerfile/non-root-user',
          severity: 'warning',
          message: 'no USER in the final stage: the container runs as root',
          where: at(ctx, stages[final]!.from),
          fix: 'Create a user (host UID/GID as build args) and end with USER <name>.',
        },
      ];
    }
    if (!isRootUser(found.user)) return [];
    return [
      {
        id: 'dockerfile/non-root-user',
        ref: 'DL3002',
        severity: 'warning',
        message: `the last USER is ${found.user}: the container runs as root`,
        where: at(ctx, found.ins),
        fix: 'Switch back to an unprivileged user at the end: USER <name>.',
      },
    ];
  },
};

const TAR = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$/i;

export const dockerfileCopyOverAdd: DockerfileRule = {
  id: 'dockerfile/copy-over-add',
  target: 'dockerfile',
  title: 'COPY instead of ADD for local files',
  check(ctx) {
    const out: Finding[] = [];
    for (const ins of ctx.parsed.instructions) {
      if (ins.keyword !== 'ADD') continue;
      const { rest } = takeFlags(splitArgs(ins.args));
      const sources = ins.heredocs.length ? [] : rest.slice(0, -1);
      if (!sources.length) continue;
      const remote = sources.filter((s) => /^(https?|git):\/\/|^git@/.test(s));
      const tars = sources.filter((s) => !remote.includes(s) && TAR.test(s));
      if (remote.length + tars.length === sources.length) {
        out.push({
          id: 'dockerfile/copy-over-add',
          severity: 'info',
          message: remote.length ? `ADD fetches ${remote.join(', ')} at build time` : `ADD unpacks ${tars.join(', ')}`,
          where: at(ctx, ins),
          fix: remote.length ? 'Pin the download with --checksum=sha256:<hash>, or use curl with a checksum check.' : 'Fine if unpacking is intended; otherwise use COPY.',
        });
      } else {
        out.push({
          id: 'dockerfile/copy-over-add',
          ref: 'DL3020',
          severity: 'warning',
          message: 'ADD is used for local files; it also unpacks archives and fetches URLs, which COPY never does by surprise',
          where: at(ctx, ins),
          fix: `Use COPY ${ins.args}.`,
        });
      }
    }
    return out;
  },
};

export const dockerfileEnvSecrets: DockerfileRule = {
  id: 'dockerfile/env-secrets',
  target: 'dockerfile',
  title: 'No secrets written in ENV or ARG',
  check(ctx) {
    const out: Finding[] = [];
    for (const ins of ctx.parsed.instructions) {
      if (ins.keyword !== 'ENV' && ins.keyword !== 'ARG') continue;
      for (const { key, value } of keyValues(ins)) {
        if (!isSecretName(key) && !(value && isSecretValue(value))) continue;
        const isRef = value !== null && /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value);
        // ENV keeps even a referenced build arg's value in the image config.
        const baked = value !== null && value !== '' && (ins.keyword === 'ENV' || !isRef);
        if (baked) {
          out.push({
            id: 'dockerfile/env-secrets',
            severity: 'error',
            message: isRef
              ? `ENV ${key}=${value} stores the value in the image for anyone who pulls it`
              : `${ins.keyword} ${key} has a literal value: it is stored in the image for anyone who pulls it`,
            where: at(ctx, ins, lineMatching(ins, new RegExp(`\\b${key}\\b`))),
            fix: `Remove the value; pass ${key} at run time from .env, or use a build secret (RUN --mount=type=secret,id=${key.toLowerCase()}).`,
          });
        } else if (ins.keyword === 'ARG') {
          out.push({
            id: 'dockerfile/env-secrets',
            severity: 'info',
            message: `ARG ${key}: build args are visible in the image history`,
            where: at(ctx, ins, lineMatching(ins, new RegExp(`\\b${key}\\b`))),
            fix: `Use a build secret instead: RUN --mount=type=secret,id=${key.toLowerCase()} …`,
          });
        }
      }
    }
    return out;
  },
};

export const dockerfileRules: DockerfileRule[] = [
  dockerfileValid,
  dockerfileBasePinned,
  dockerfileAptLists,
  dockerfileCurlPipe,
  dockerfileNonRootUser,
  dockerfileCopyOverAdd,
  dockerfileEnvSecrets,
  ...hadolintRules,
];

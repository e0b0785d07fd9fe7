// Project-level rules: .env.example coverage and host ports shared with other projects.
import fs from 'node:fs';
import path from 'node:path';
import { isScalar, visit } from 'yaml';
import { findVarRefs, parseDotenv } from '../../compose/env.js';
import { publishedPorts, type ComposeFile, type PublishedPort } from '../../compose/file.js';
import { hasClaudeHooks } from '../../scaffold/hooks.js';
import type { ProjectCtx } from '../context.js';
import type { Finding, Rule } from '../types.js';
import { traefikRules } from './traefik.js';

type ProjectRule = Rule<ProjectCtx>;

export interface VarUse {
  name: string;
  hasDefault: boolean;
  line: number;
  column: number;
}

/** Every ${VAR} used in the compose file's keys and values (comments ignored), first use first. */
export function composeVariables(compose: ComposeFile): VarUse[] {
  const y = compose.yaml;
  const uses: VarUse[] = [];
  visit(y.doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || !node.range) return;
      const src = y.text.slice(node.range[0], node.range[1]);
      if (!src.includes('$')) return;
      for (const ref of findVarRefs(src)) {
        const pos = y.posAt(node.range[0] + ref.index);
        uses.push({ name: ref.name, hasDefault: ref.hasDefault, line: pos.line, column: pos.column });
      }
    },
  });
  uses.sort((a, b) => a.line - b.line || a.column - b.column);
  return uses;
}

export const projectEnvExample: ProjectRule = {
  id: 'project/env-example',
  target: 'project',
  title: '.env.example lists every ${VAR} the compose file uses',
  check(ctx) {
    const uses = composeVariables(ctx.compose);
    if (!uses.length) return [];
    const examplePath = path.join(ctx.dir, '.env.example');
    const exists = fs.existsSync(examplePath);
    const listed = exists ? parseDotenv(fs.readFileSync(examplePath, 'utf8')) : new Map();
    const seen = new Set<string>();
    const out: Finding[] = [];
    // A variable used anywhere without a default needs a value, so it is a warning.
    const required = new Set(uses.filter((u) => !u.hasDefault).map((u) => u.name));
    for (const u of uses) {
      if (seen.has(u.name) || listed.has(u.name)) continue;
      seen.add(u.name);
      const need = required.has(u.name);
      out.push({
        id: 'project/env-example',
        severity: need ? 'warning' : 'info',
        message: exists
          ? `${u.name} is used${need ? '' : ' (with a default)'} but not listed in .env.example`
          : `${u.name} is used${need ? '' : ' (with a default)'} but there is no .env.example`,
        where: { file: ctx.display, line: u.line, column: u.column },
        fix: `Add a line \`${u.name}=\` (with a comment on what it is) to .env.example.`,
      });
    }
    return out;
  },
};

function ipsOverlap(a: string, b: string): boolean {
  const any = (ip: string): boolean => ip === '' || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
  return any(a) || any(b) || a === b;
}

interface PortUse extends PublishedPort {
  service: string;
}

function portsOf(compose: ComposeFile): PortUse[] {
  const out: PortUse[] = [];
  for (const [service, svc] of Object.entries(compose.services)) {
    if (svc.network_mode === 'none') continue;
    for (const p of publishedPorts(compose, svc)) out.push({ ...p, service });
  }
  return out;
}

function describe(p: PortUse): string {
  return `${p.hostIp ? p.hostIp + ':' : ''}${p.hostPort}/${p.protocol}`;
}

export const projectPortConflicts: ProjectRule = {
  id: 'project/port-conflicts',
  target: 'project',
  title: 'No host port is published twice (in this project or by another project berth knows)',
  check(ctx) {
    const mine = portsOf(ctx.compose);
    const out: Finding[] = [];
    const reported = new Set<string>();
    // One finding per published port and per other party, even if it publishes it twice.
    const report = (p: PortUse, other: string, party: string): void => {
      const key = `${p.service}|${p.index}|${p.hostPort}|${party}`;
      if (reported.has(key)) return;
      reported.add(key);
      out.push({
        id: 'project/port-conflicts',
        severity: 'error',
        message: `host port ${describe(p)} of service "${p.service}" is also published by ${other}`,
        where: ctx.where(['services', p.service, 'ports', p.index]),
        fix: 'Publish a different host port (e.g. through a ${PORT} variable in .env) or stop the other project.',
      });
    };
    mine.forEach((p, i) => {
      for (const q of mine.slice(i + 1)) {
        if (q.hostPort === p.hostPort && q.protocol === p.protocol && ipsOverlap(p.hostIp, q.hostIp) && !(q.service === p.service && q.index === p.index)) {
          report(q, `service "${p.service}" in this project`, 'self');
        }
      }
    });
    for (const other of ctx.others) {
      for (const q of portsOf(other.compose)) {
        for (const p of mine) {
          if (q.hostPort === p.hostPort && q.protocol === p.protocol && ipsOverlap(p.hostIp, q.hostIp)) {
            report(p, `project "${other.name}" (service "${q.service}")`, `project ${other.name}`);
          }
        }
      }
    }
    return out;
  },
};

/**
 * A project whose agents include Claude Code (its .ntm/config.toml names claude, or it has a
 * .claude folder) without berth's state hooks: pane states then come from the screen alone.
 */
export const projectAgentHooks: ProjectRule = {
  id: 'project/agent-hooks',
  target: 'project',
  title: "Claude Code's hooks report agent states to berth",
  check(ctx) {
    let ntm = '';
    try {
      ntm = fs.readFileSync(path.join(ctx.dir, '.ntm', 'config.toml'), 'utf8');
    } catch {
      // no NTM config
    }
    const usesClaude = /\bclaude\b/.test(ntm) || fs.existsSync(path.join(ctx.dir, '.claude'));
    if (!usesClaude || hasClaudeHooks(ctx.dir)) return [];
    return [
      {
        id: 'project/agent-hooks',
        severity: 'info',
        message: "Claude Code's hooks do not report to berth: its panes' states are read from the screen alone (a question shows after 1 s of quiet, the end of a turn after 3 s)",
        where: { file: path.join(ctx.dir, '.claude', 'settings.json'), line: 1 },
        fix: `berth init --hooks --path ${ctx.dir} (adds them to .claude/settings.json, keeping the rest)`,
      },
    ];
  },
};

export const projectRules: ProjectRule[] = [projectEnvExample, projectPortConflicts, projectAgentHooks, ...traefikRules];

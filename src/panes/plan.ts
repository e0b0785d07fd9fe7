// From "2 Claude, 1 Codex, a shell" to the panes of a workspace: NTM titles
// (<project>__cc_1, pane 0 = <project>__user), and the command each pane runs.
import crypto from 'node:crypto';
import { agentAlias, agentCommand, type AgentOverrides, type NtmConfig } from '../config/ntm.js';
import { rulesForKind, type RuleFile } from '../config/agentRules.js';
import type { PaneCommand } from './session.js';
import type { PaneSpec } from './workspace.js';

export interface AgentRequest {
  kind: string;
  count: number;
  model?: string;
  prompt?: string;
}

export interface SpawnPlanInput {
  project: string;
  container: string;
  agents: AgentRequest[];
  user: boolean;
  ntm: NtmConfig | null;
  /** Environment for the docker CLI (DOCKER_HOST of the engine berth talks to). */
  env?: Record<string, string | undefined>;
  /** Status patterns and Enter delays from berth's agents.toml. */
  overrides?: AgentOverrides;
  /** The screen rule files (shipped and the user's); absent: each pane's kind gets them when first read. */
  ruleFiles?: RuleFile[];
  /** Titles already in the workspace (agents added later go on from their numbers). */
  taken?: string[];
}

export interface SpawnPlan {
  panes: PaneSpec[];
  /** First prompts: pane index -> text. */
  prompts: Array<{ pane: number; text: string }>;
  /** Whether a command comes from the project's .ntm/config.toml (needs trust). */
  usesProjectConfig: boolean;
}

const SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi';

/** A command line run in the container with a terminal, or on the host when it is itself a docker command. */
export function containerCommand(container: string, command: string, env?: Record<string, string | undefined>): PaneCommand {
  if (/^\s*docker\s/.test(command)) {
    // NTM configs often say `docker exec -i …`: a pane is a terminal, so give it one.
    const withTty = command.replace(/^(\s*docker\s+exec\s+)-i(\s)/, '$1-it$2');
    return { file: 'sh', args: ['-c', withTty], env };
  }
  // a mark in the process environment, so the pane's processes can be ended when it closes
  const mark = `BERTH_PANE=${crypto.randomBytes(6).toString('hex')}`;
  return {
    file: 'docker',
    args: ['exec', '-it', '-e', 'TERM=xterm-256color', '-e', mark, container, 'sh', '-c', command],
    env,
    cleanup: { file: 'docker', args: ['exec', container, 'sh', '-c', killMarked(mark)], env },
  };
}

/** A shell line that sends SIGHUP to every process whose environment holds `mark`. */
export function killMarked(mark: string): string {
  return `for p in /proc/[0-9]*; do if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx '${mark}'; then kill -HUP "\${p#/proc/}" 2>/dev/null; fi; done; true`;
}

export function userShell(project: string, container: string, env?: Record<string, string | undefined>): PaneSpec {
  return { title: `${project}__user`, kind: 'user', container, command: containerCommand(container, SHELL, env) };
}

export function planSpawn(input: SpawnPlanInput): SpawnPlan {
  const panes: PaneSpec[] = [];
  const prompts: SpawnPlan['prompts'] = [];
  let usesProjectConfig = false;
  if (input.user) panes.push(userShell(input.project, input.container, input.env));
  const counters = new Map<string, number>();
  const numbered = new RegExp(`^${input.project.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}__(.+)_(\\d+)$`);
  for (const t of input.taken ?? []) {
    const m = numbered.exec(t);
    if (m) counters.set(m[1]!, Math.max(counters.get(m[1]!) ?? 0, Number(m[2])));
  }
  for (const a of input.agents) {
    const alias = agentAlias(a.kind);
    for (let i = 0; i < a.count; i++) {
      const n = (counters.get(alias) ?? 0) + 1;
      counters.set(alias, n);
      const { command, fromConfig } = agentCommand(input.ntm, a.kind, a.model);
      usesProjectConfig ||= fromConfig;
      if (a.prompt) prompts.push({ pane: panes.length, text: a.prompt });
      panes.push({
        title: `${input.project}__${alias}_${n}`,
        kind: alias,
        container: input.container,
        command: containerCommand(input.container, command, input.env),
        rules: input.ruleFiles ? rulesForKind(alias, input.ruleFiles, input.overrides) : undefined,
        enterDelayMs: input.overrides?.enter_delay_ms[alias],
      });
    }
  }
  return { panes, prompts, usesProjectConfig };
}

/** "2" or "2:opus" (NTM's count:model) → count and model. */
export function parseAgentCount(value: string, flag: string): { count: number; model?: string } {
  const m = /^(\d+)(?::(.+))?$/.exec(value.trim());
  if (!m) throw new Error(`${flag}: expected a count like 2 or 2:model, got "${value}"`);
  return { count: Number(m[1]), model: m[2] };
}

/**
 * The agents the dashboard's `a` key starts when nothing else says which: one of each agent
 * the project's .ntm/config.toml names in [agents] (claude → cc, codex → cod, gemini → gmi,
 * other names as they are), in the file's order; none without a config (the shell only).
 */
export function defaultAgents(ntm: Pick<NtmConfig, 'agents'> | null): AgentRequest[] {
  if (!ntm) return [];
  const seen = new Set<string>();
  const out: AgentRequest[] = [];
  for (const name of Object.keys(ntm.agents)) {
    const kind = agentAlias(name);
    if (seen.has(kind)) continue;
    seen.add(kind);
    out.push({ kind, count: 1 });
  }
  return out;
}

/** One letter per status for narrow tables: "2 working 1 done" becomes "2w 1d". */
export const STATUS_LETTERS: Record<string, string> = { error: '!', waiting: '?', working: 'w', done: 'd', exited: 'x', shell: 's' };

/**
 * The badge in at most `width` characters: spelled out ("6 exited, 1 shell") where there is
 * room, else one letter per status ("6x 1s"), the shells dropped last of all.
 */
export function fitBadge(badge: string, width: number): string {
  const parts = [...badge.matchAll(/(\d+) (\w+)/g)].map((m) => ({ n: Number(m[1]), s: m[2]! }));
  const spelled = parts.map((p) => `${p.n} ${p.s}`).join(', ');
  if (spelled.length <= width) return spelled;
  // one letter per status, the least important dropped from the end (shells first) until it
  // fits; nothing when not even the first does (the column is not cut mid-badge)
  const letters = parts.map((p) => `${p.n}${STATUS_LETTERS[p.s] ?? p.s[0]}`);
  for (let k = letters.length; k > 0; k--) {
    const short = letters.slice(0, k).join(' ');
    if (short.length <= width) return short;
  }
  return '';
}

/** A summary of pane statuses for the dashboard, e.g. "2 working 1 done" (fitBadge spells it for a column); "" for none. */
export function statusBadge(statuses: Iterable<string>): string {
  const order = ['error', 'waiting', 'working', 'done', 'exited', 'shell'];
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()]
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(' ');
}

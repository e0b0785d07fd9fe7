// A project's .ntm/config.toml as NTM users write it:
//
//   [agents]
//   claude = "claude --dangerously-skip-permissions"
//   codex  = "codex --model ${CODEX_MODEL:-gpt-5}"
//   gemini = "gemini --yolo"
//   [agents.aliases]        # alias -> command (overrides the agent's command)
//   cc = "claude --model opus"
//   [agents.models]         # model name -> command, used by --model / presets
//   claude-opus = "claude --model opus"
//
// Other NTM sections are ignored. ${VAR} and ${VAR:-default} are expanded by berth.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.js';
import { expandVars } from './expand.js';
import { configErrorText, fileAt, locateKey } from './tomlLocate.js';
import { parseToml } from './userConfig.js';

/** NTM's agent kinds: alias -> agent name. */
export const AGENT_ALIASES: Record<string, string> = { cc: 'claude', cod: 'codex', gmi: 'gemini' };
/** Commands when no config names one. */
export const DEFAULT_AGENT_COMMANDS: Record<string, string> = { claude: 'claude', codex: 'codex', gemini: 'gemini' };

const agentsSchema = z
  .object({
    aliases: z.record(z.string(), z.string().min(1, 'must not be empty')).default({}),
    models: z.record(z.string(), z.string().min(1, 'must not be empty')).default({}),
  })
  .catchall(z.union([z.string().min(1, 'must not be empty'), z.record(z.string(), z.unknown())]));

const ntmSchema = z.object({ agents: agentsSchema.default({}) }).passthrough();

/** What NTM's own configuration has at the top (berth reads only [agents]; the rest is NTM's). */
const NTM_KEYS = new Set([
  'projects_base', 'theme', 'help_verbosity', 'palette_file', 'suggestions_enabled', 'agents', 'provider_profiles', 'palette', 'palette_state',
  'tmux', 'robot', 'command_hooks', 'agent_mail', 'integrations', 'models', 'alerts', 'checkpoints', 'notifications', 'resilience', 'health',
  'scanner', 'cass', 'accounts', 'rotation', 'gemini_setup', 'project', 'defaults', 'templates',
]);

export interface NtmConfig {
  file: string;
  /** The raw file content (what trust is decided on). */
  content: string;
  /** Tables and keys NTM itself does not know (a typo, most likely), with their lines. */
  warnings: string[];
  /** agent name (claude, codex, gemini, or custom) -> command */
  agents: Record<string, string>;
  aliases: Record<string, string>;
  models: Record<string, string>;
}

export function ntmConfigPath(projectDir: string): string {
  return path.join(projectDir, '.ntm', 'config.toml');
}

export function parseNtmConfig(text: string, file: string, env: Record<string, string | undefined> = process.env): NtmConfig {
  const raw = parseToml(text, file);
  const res = ntmSchema.safeParse(raw);
  if (!res.success) throw new UserError(configErrorText(file, text, res.error));
  const { aliases, models, ...rest } = res.data.agents;
  const x = (s: string, key: string) => expandVars(s, env, { where: `${file}: ${key}` });
  const agents: Record<string, string> = {};
  for (const [k, v] of Object.entries(rest)) if (typeof v === 'string') agents[k] = x(v, `agents.${k}`);
  // the file is read again for positions only when it has something to warn about
  const unknown = Object.keys(raw).filter((k) => !NTM_KEYS.has(k));
  const warnings = unknown.map((key) => {
    const at = locateKey(text, [key]);
    const isTable = at !== null && /^\s*\[/.test(text.split('\n')[at.line - 1] ?? '');
    return `${fileAt(file, at)}: unknown ${isTable ? `table [${key}]` : `key ${key}`} (berth reads [agents]; NTM knows none by that name either): ignored`;
  });
  return {
    file,
    content: text,
    warnings,
    agents,
    aliases: Object.fromEntries(Object.entries(aliases).map(([k, v]) => [k, x(v, `agents.aliases.${k}`)])),
    models: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, x(v, `agents.models.${k}`)])),
  };
}

/**
 * The folders from `from` up to the root that hold a .ntm/config.toml, nearest first (as NTM
 * and git look for theirs).
 */
export function ntmConfigsAbove(from: string): string[] {
  const out: string[] = [];
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(ntmConfigPath(dir))) out.push(dir);
    if (path.dirname(dir) === dir) return out;
  }
}

/**
 * The project folder a spawn started in `cwd` belongs to: the nearest folder at or above it
 * with a .ntm/config.toml that is named like the project, or whose config names one of the
 * project's containers. `others`: configs found there that did not qualify (said, not used).
 */
export function projectDirFromCwd(cwd: string, project: string, containers: readonly string[]): { dir: string | null; others: string[] } {
  const found = ntmConfigsAbove(cwd);
  const mentions = (dir: string) => {
    try {
      const text = fs.readFileSync(ntmConfigPath(dir), 'utf8');
      return containers.some((c) => c && new RegExp(`(^|[^\\w.-])${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`).test(text));
    } catch {
      return false;
    }
  };
  const dir = found.find((d) => path.basename(d) === project || mentions(d)) ?? null;
  return { dir, others: found.filter((d) => d !== dir).map(ntmConfigPath) };
}

/** The project's NTM config, or null when it has none. */
export function loadNtmConfig(projectDir: string, env: Record<string, string | undefined> = process.env): NtmConfig | null {
  const file = ntmConfigPath(projectDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`${file}: ${(e as Error).message}`);
  }
  return parseNtmConfig(text, file, env);
}

/** The agent name an alias (cc) or name (claude) stands for. */
export function agentName(kind: string): string {
  return AGENT_ALIASES[kind] ?? kind;
}

/** The alias berth uses in titles: cc, cod, gmi, or the name itself for custom agents. */
export function agentAlias(kind: string): string {
  const hit = Object.entries(AGENT_ALIASES).find(([, name]) => name === kind);
  return hit ? hit[0] : kind;
}

/**
 * The shell command for one agent pane. A model that [agents.models] names gets that
 * command; another model is passed as `--model <m>`.
 */
export function agentCommand(cfg: NtmConfig | null, kind: string, model?: string): { command: string; fromConfig: boolean } {
  const alias = agentAlias(kind);
  const name = agentName(kind);
  if (model && cfg?.models[model]) return { command: cfg.models[model]!, fromConfig: true };
  let command = cfg?.aliases[alias] ?? cfg?.agents[name];
  const fromConfig = command !== undefined;
  command ??= DEFAULT_AGENT_COMMANDS[name];
  if (command === undefined) {
    throw new UserError(`unknown agent "${kind}": use cc, cod or gmi, or name it in [agents] of .ntm/config.toml`);
  }
  if (model) command += ` --model ${shellQuote(model)}`;
  return { command, fromConfig };
}

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const overridesSchema = z
  .object({
    /** Status patterns per agent kind (regular expressions, case-insensitive). */
    status: z
      .record(
        z.string(),
        z
          .object({
            working: z.array(z.string()).optional(),
            waiting: z.array(z.string()).optional(),
            error: z.array(z.string()).optional(),
          })
          .strict(),
      )
      .default({}),
    /** Delay before Enter when a prompt is sent, per agent kind (ms). */
    enter_delay_ms: z.record(z.string(), z.number().int().min(0).max(10_000)).default({}),
  })
  .strict();

export type AgentOverrides = z.infer<typeof overridesSchema>;

/**
 * berth's own agent settings, $XDG_CONFIG_HOME/berth/agents.toml (a separate file, so the
 * main config's schema stays as it is):
 *
 *   [status.cc]
 *   working = ["esc to interrupt", "Thinking…"]
 *   error = ["usage limit reached"]
 *   [enter_delay_ms]
 *   cc = 400
 */
export function parseAgentOverrides(text: string, file: string): AgentOverrides {
  const res = overridesSchema.safeParse(parseToml(text, file));
  if (!res.success) throw new UserError(configErrorText(file, text, res.error));
  for (const [kind, p] of Object.entries(res.data.status)) {
    for (const [group, list] of Object.entries(p)) {
      for (const re of list ?? []) {
        try {
          new RegExp(re, 'im');
        } catch (e) {
          throw new UserError(`${file}: status.${kind}.${group}: bad regular expression ${JSON.stringify(re)} (${(e as Error).message})`);
        }
      }
    }
  }
  return res.data;
}

export function loadAgentOverrides(file: string): AgentOverrides {
  try {
    return parseAgentOverrides(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { status: {}, enter_delay_ms: {} };
    throw e;
  }
}

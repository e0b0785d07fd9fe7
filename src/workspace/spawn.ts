// `berth spawn`: resolves the project, its container and the agent commands, then opens the
// workspace with one pane per agent (and the user's shell as pane 0).
import { reloadRuleFiles } from '../config/agentRules.js';
import { containerName, projectContainers } from '../project/members.js';
import { log } from '../logging.js';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { UserError } from '../config/errors.js';
import { loadAgentOverrides, loadNtmConfig, ntmConfigPath, projectDirFromCwd, type NtmConfig } from '../config/ntm.js';
import { configDir } from '../config/paths.js';
import { loadPreset } from '../config/presets.js';
import { isTrusted, trust } from '../config/trust.js';
import { loadUserConfig } from '../config/userConfig.js';
import { checkEngine, openEngine, type Engine } from '../engine/connection.js';
import { isLayoutName, type LayoutName } from '../panes/layout.js';
import { defaultAgents, planSpawn, userShell, type AgentRequest, type SpawnPlan } from '../panes/plan.js';
import { sendPrompt } from '../panes/prompt.js';
import { Workspace, type WorkspacePane } from '../panes/workspace.js';
import { attachTerminal, exitLine } from '../sessions/client.js';
import type { OpenWorkspaceOptions } from './runWorkspace.js';

export interface SpawnOptions {
  project: string;
  agents: AgentRequest[];
  layout?: string;
  preset?: string;
  user?: boolean;
  container?: string;
  host?: string;
  trust?: boolean;
  prefix?: string;
  prompt?: string;
  /** With no agents from flags or a preset: one of each agent .ntm/config.toml names (see defaultAgents). */
  defaultAgents?: boolean;
  /** Add the panes to this workspace instead of a new one (the dashboard's kept workspaces). */
  into?: Workspace;
  /** The project's folder when the client found it (from its working folder), for a project whose folder berth does not know. */
  dir?: string;
  /** Look for the project's .ntm/config.toml from this folder up (the client's working folder). */
  searchFrom?: string;
}

/** The project's .ntm/config.toml must be trusted first, and nobody can be asked now. */
export class NotTrustedError extends UserError {
  constructor(
    readonly file: string,
    /** The commands it would run. */
    readonly commands: string[] = [],
  ) {
    super(`${file} is not trusted yet (it runs commands); review it, then run again with --trust`);
  }
}

export interface ResolvedProject {
  name: string;
  dir?: string;
  container: string;
}


/** The project by its name in config.toml, a directory, or a compose project label; and its container. */
export async function resolveProject(engine: Engine, nameOrDir: string, container?: string, dirHint?: string): Promise<ResolvedProject> {
  const config = loadUserConfig();
  let name = nameOrDir;
  let dir: string | undefined;
  let candidates: string[] = [];
  const configured = config.projects.find((p) => p.name === nameOrDir);
  if (configured) {
    dir = configured.path;
    candidates = configured.containers;
  } else if (fs.existsSync(nameOrDir) && fs.statSync(nameOrDir).isDirectory()) {
    dir = path.resolve(nameOrDir);
    name = path.basename(dir);
    const byPath = config.projects.find((p) => p.path && path.resolve(p.path) === dir);
    if (byPath) [name, candidates] = [byPath.name, byPath.containers];
  }
  const members = await projectContainers(engine.docker, name, config.projects);
  let running = members.containers.filter((c) => c.State === 'running');
  if (!configured && running.length === 0) running = await namedAfter(engine, name);
  dir ??= members.dir ?? dirHint;
  candidates = [...new Set([...candidates, ...running.map(containerName)])];
  if (!configured && !dir && running.length === 0) {
    throw new UserError(`unknown project "${nameOrDir}": add it to config.toml as [[projects]], give its directory, or start its compose project`);
  }
  const chosen = container ?? candidates[0];
  if (!chosen) throw new UserError(`project "${name}" has no running container; start it or name one with --container`);
  try {
    const info = await engine.docker.getContainer(chosen).inspect();
    if (!info.State.Running) throw new UserError(`container "${chosen}" of project "${name}" is not running (${info.State.Status}); start it first`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if ((e as { statusCode?: number }).statusCode === 404) throw new UserError(`container "${chosen}" of project "${name}" does not exist`);
    throw e;
  }
  return { name, dir, container: chosen };
}

/**
 * Running containers started by hand for a project, without compose's label: named like it
 * (`myproject`, `myproject-env`, `myproject_dev`), as `docker run --name myproject-env` does.
 */
async function namedAfter(engine: Engine, name: string): Promise<Awaited<ReturnType<Engine['docker']['listContainers']>>> {
  const list = await engine.docker.listContainers();
  const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[-_].+)?$`);
  return list.filter((c) => re.test(containerName(c))).sort((a, b) => containerName(a).localeCompare(containerName(b)));
}

async function ask(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((r) => rl.question(question, r));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** The agent command lines of a plan, once each. */
function commandsOf(plan: SpawnPlan): string[] {
  return [...new Set(plan.panes.filter((p) => p.kind !== 'user').map((p) => p.command.args.at(-1) ?? ''))];
}

/** Asks once per content of the project's .ntm/config.toml before running its commands. */
export async function ensureTrusted(ntm: NtmConfig, plan: SpawnPlan, accept: boolean, interactive: boolean): Promise<void> {
  if (isTrusted(ntm.file, ntm.content)) return;
  // --trust trusts the file even when this spawn runs none of its commands (the dashboard says to)
  if (accept) {
    trust(ntm.file, ntm.content);
    return;
  }
  if (!plan.usesProjectConfig) return;
  if (!interactive) {
    throw new NotTrustedError(ntm.file, commandsOf(plan));
  }
  const commands = commandsOf(plan);
  process.stderr.write(`${ntm.file} asks berth to run:\n${commands.map((c) => `  ${c}`).join('\n')}\n`);
  if (!(await ask('Trust this file (asked again when it changes)? [y/N] '))) throw new UserError(`not trusted: ${ntm.file}`);
  trust(ntm.file, ntm.content);
}

/**
 * The environment of the docker CLI in panes, so it talks to the engine berth talks to. Always
 * the address itself: the panes run in the session server, whose own environment is that of
 * whichever berth started it.
 */
export function paneEnv(engine: Engine): Record<string, string> {
  return { DOCKER_HOST: engine.address };
}

/** Waits until a pane has printed something and then been quiet for a moment (the agent is up). */
async function settled(p: WorkspacePane, quietMs = 700, maxMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < maxMs) {
    if (!p.session.running) return;
    if (p.session.lastOutput && Date.now() - p.session.lastOutput > quietMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a spawn resolved to, before anything was started. */
export interface CheckedSpawn {
  project: ResolvedProject;
  engine: Engine;
  /** What the user should hear about the project's config (unknown tables, with their lines). */
  warnings: string[];
  /** The .ntm/config.toml the agents come from, or null. */
  ntmFile: string | null;
}

export interface PreparedWorkspace {
  workspace: Workspace;
  project: ResolvedProject;
  /** Pass to openWorkspace: what a split adds, and the first prompts once agents are up. */
  open: Pick<OpenWorkspaceOptions, 'newPane' | 'onReady'>;
}

/**
 * Everything `berth spawn` does before taking over the terminal: resolves the project, its
 * container, the preset and the agent commands, checks trust, and starts the panes.
 * `interactive` allows asking about trust on stdin/stderr (otherwise an untrusted
 * .ntm/config.toml is refused unless opts.trust).
 */
export async function prepareWorkspace(opts: SpawnOptions, size: { cols: number; rows: number }, interactive: boolean, engineIn?: Engine): Promise<PreparedWorkspace>;
export async function prepareWorkspace(opts: SpawnOptions, size: { cols: number; rows: number }, interactive: boolean, engineIn: Engine | undefined, checkOnly: true): Promise<CheckedSpawn>;
export async function prepareWorkspace(
  opts: SpawnOptions,
  size: { cols: number; rows: number },
  interactive: boolean,
  engineIn?: Engine,
  checkOnly = false,
): Promise<PreparedWorkspace | CheckedSpawn> {
  const config = loadUserConfig();
  const engine = engineIn ?? openEngine({ host: opts.host, configHost: config.engine.host });
  await checkEngine(engine);
  const project = await resolveProject(engine, opts.project, opts.container, opts.dir);
  // the working folder and its parents (as NTM and git look): a folder named like the project,
  // or whose config names its container, holds the config when the project's own folder has none
  const unused: string[] = [];
  if (opts.searchFrom) {
    const found = projectDirFromCwd(opts.searchFrom, project.name, [project.container]);
    if (found.dir && !(project.dir && fs.existsSync(ntmConfigPath(project.dir)))) project.dir = found.dir;
    unused.push(...found.others.filter((f) => !project.dir || f !== ntmConfigPath(project.dir)));
  }
  const ntm = project.dir ? loadNtmConfig(project.dir) : null;

  const preset = opts.preset ? loadPreset(opts.preset, project.dir) : undefined;
  // flags override the preset's count for the same kind
  const flagged = new Set(opts.agents.map((a) => a.kind));
  const agents = [...(preset?.agents.filter((a) => !flagged.has(a.kind)) ?? []), ...opts.agents].filter((a) => a.count > 0);
  if (opts.defaultAgents && agents.length === 0 && !preset) agents.push(...defaultAgents(ntm));
  if (opts.prompt) for (const a of agents) a.prompt ??= opts.prompt;
  const layoutName = opts.layout ?? preset?.layout ?? 'tiled';
  if (!isLayoutName(layoutName)) throw new UserError(`unknown layout "${layoutName}": use tiled, even-horizontal, even-vertical, main-horizontal or main-vertical`);
  const user = opts.user ?? preset?.user ?? true;
  if (agents.length === 0 && !user && !opts.into) throw new UserError('nothing to spawn: give --cc=N, --cod=N, --gmi=N or --preset');

  // the docker CLI in the panes talks to the engine berth talks to
  const env = paneEnv(engine);
  const overrides = loadAgentOverrides(path.join(configDir(), 'agents.toml'));
  const taken = opts.into?.allPanes().map((p) => p.title);
  // the screen rule files are read again at each spawn: an edited one counts from now on
  const ruleFiles = reloadRuleFiles();
  const plan = planSpawn({ project: project.name, container: project.container, agents, user, ntm, env, overrides, ruleFiles, taken });
  if (ntm) await ensureTrusted(ntm, plan, opts.trust ?? false, interactive);
  if (checkOnly) {
    // never a silent default: a config berth saw but did not use is named, and why
    const notUsed = unused.map((f) => `${f} not used: its folder is not named ${project.name} and it names no container of it (${project.container})`);
    return { project, engine, warnings: [...(ntm?.warnings ?? []), ...notUsed], ntmFile: ntm?.file ?? null };
  }
  for (const w of ntm?.warnings ?? []) log.warn(w);

  const ws = opts.into ?? new Workspace(project.name, { layout: layoutName as LayoutName, cols: size.cols, rows: size.rows });
  const first = ws.panes.length;
  for (const spec of plan.panes) ws.add(spec);
  return {
    workspace: ws,
    project,
    open: {
      newPane: () => userShell(project.name, project.container, env),
      onReady: (ctl) => {
        if (plan.prompts.length === 0) return;
        void (async () => {
          const targets = plan.prompts.map((p) => ({ pane: ws.panes[first + p.pane]!, text: p.text })).filter((t) => t.pane);
          await Promise.all(targets.map((t) => settled(t.pane)));
          const results = (await Promise.all(targets.map((t) => sendPrompt([t.pane], t.text)))).flat();
          const missed = results.filter((r) => !r.taken);
          ctl.say(missed.length ? `first prompt not taken by ${missed.map((r) => r.pane.title).join(', ')}` : `first prompt sent to ${results.length} pane(s)`);
        })();
      },
    },
  };
}

/**
 * `berth spawn` (and `berth add`): checks what can be checked here (project, container, trust,
 * asking on this terminal), then has the session server start the panes and shows them. The
 * panes belong to the server, so they keep running when this terminal goes away; `berth
 * attach` shows them again. `add` puts the agents into the project's running session.
 */
export async function runSpawn(opts: SpawnOptions, add = false): Promise<number> {
  const command = add ? 'berth add' : 'berth spawn';
  const interactive = Boolean(process.stdout.isTTY && process.stdin.isTTY);
  const checked = await prepareWorkspace(add ? { ...opts, user: false, searchFrom: process.cwd() } : { ...opts, searchFrom: process.cwd() }, { cols: 80, rows: 24 }, interactive, undefined, true);
  for (const w of checked.warnings) process.stderr.write(`berth: warning: ${w}\n`);
  process.stderr.write(`berth: ${configLine(checked)}\n`);
  if (!interactive) throw new UserError(`${command} needs a terminal (its panes are interactive)`);
  const { into: _into, ...rest } = opts;
  // the server runs elsewhere (its own working directory): a directory is given whole, and the
  // container and engine found here are the ones it uses
  const project = fs.existsSync(opts.project) && fs.statSync(opts.project).isDirectory() ? path.resolve(opts.project) : opts.project;
  const { searchFrom: _from, ...sent } = rest;
  const request = { ...sent, project, container: checked.project.container, host: checked.engine.address, ...(checked.project.dir ? { dir: checked.project.dir } : {}) };
  const screen = { prefix: opts.prefix ?? process.env.BERTH_PREFIX ?? 'C-b', mouse: loadUserConfig().panes.mouse };
  const result = await attachTerminal(
    add ? { op: 'open', name: checked.project.name, agents: { ...request, user: false }, add: true, ...screen } : { op: 'spawn', name: checked.project.name, spawn: request, ...screen },
  );
  process.stdout.write(`${exitLine(result)}\n`);
  return 0;
}

/** Which config the agents of a spawn come from, in one line. */
export function configLine(c: Pick<CheckedSpawn, 'project' | 'ntmFile'>): string {
  if (c.ntmFile) return `${c.project.name}: agents from ${c.ntmFile}`;
  const where = c.project.dir ? `not in ${c.project.dir}` : 'its folder is unknown (config.toml [[projects]] path, or run berth from it)';
  return `${c.project.name}: no .ntm/config.toml (${where}, nor from the working folder up): agents run as claude, codex, gemini`;
}

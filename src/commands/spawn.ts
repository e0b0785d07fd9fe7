import type { Command } from 'commander';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The agent flags `spawn` and `add` share (NTM's --cc=N[:model] …). */
function agentFlags(cmd: Command): Command {
  return cmd
    .option('--cc <n[:model]>', 'Claude agents')
    .option('--cod <n[:model]>', 'Codex agents')
    .option('--gmi <n[:model]>', 'Gemini agents')
    .option('--agent <kind=n[:model]>', 'agents of another kind named in .ntm/config.toml (repeatable)', collect, [])
    .option('--preset <name>', 'a preset from the project\'s .berth/presets/ or berth\'s presets/')
    .option('--container <name>', 'the container to run the agents in')
    .option('--prompt <text>', 'first prompt for every agent once it is up')
    .option('--trust', 'trust the project\'s .ntm/config.toml without asking')
    .option('--prefix <key>', 'prefix key (default C-b, or $BERTH_PREFIX)')
    .option('-H, --host <address>', 'Docker engine address');
}

async function spawnOptions(project: string, o: Record<string, unknown>) {
  const { parseAgentCount } = await import('../panes/plan.js');
  const { UserError } = await import('../config/errors.js');
  const agents = [];
  try {
    for (const kind of ['cc', 'cod', 'gmi']) {
      if (typeof o[kind] === 'string') agents.push({ kind, ...parseAgentCount(o[kind] as string, `--${kind}`) });
    }
    for (const a of o.agent as string[]) {
      const [kind, n] = a.split('=');
      if (!kind || n === undefined) throw new Error(`--agent: expected kind=count, got "${a}"`);
      agents.push({ kind, ...parseAgentCount(n, `--agent ${kind}`) });
    }
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  return {
    project,
    agents,
    layout: o.layout as string | undefined,
    preset: o.preset as string | undefined,
    user: o.user === false ? false : undefined,
    container: o.container as string | undefined,
    host: o.host as string | undefined,
    trust: o.trust === true,
    prefix: o.prefix as string | undefined,
    prompt: o.prompt as string | undefined,
  };
}

/**
 * `berth spawn <project> --cc=2 --cod=1 --gmi=1`: agent panes in a tiled workspace (NTM
 * style), in a session of berth's session server; `berth add` puts more agents into it.
 */
export function register(program: Command): void {
  agentFlags(
    program
      .command('spawn')
      .description('open a workspace of agent panes in a project\'s container (NTM style); it outlives the terminal (berth attach)')
      .argument('<project>', 'project name (config.toml or compose project) or its directory')
      .option('--layout <name>', 'tiled, even-horizontal, even-vertical, main-horizontal or main-vertical')
      .option('--no-user', 'no shell pane (pane 0)'),
  ).action(async (project: string, o: Record<string, unknown>) => {
    const { runSpawn } = await import('../workspace/spawn.js');
    process.exit(await runSpawn(await spawnOptions(project, o)));
  });

  agentFlags(
    program
      .command('add')
      .description('add agent panes to a project\'s running session (as ntm add), then show it')
      .argument('<project>', 'project name or its directory (its session: berth ls)'),
  ).action(async (project: string, o: Record<string, unknown>) => {
    const { runSpawn } = await import('../workspace/spawn.js');
    process.exit(await runSpawn(await spawnOptions(project, o), true));
  });
}

// The dashboard's key table: each command with its context, default keys, help text,
// footer hints and what it does in each view, in one entry. keymap.ts builds the key
// lookup from it, the help screen, the footer and the README's key table are generated
// from it, dashboardKeys.ts dispatches through it. Adding a command is one entry. No React.
import { DETAIL_TABS, type DetailTab } from '../dashboard/store.js';
import type { OpCommand } from '../dashboard/operations.js';
import {
  closeDetail,
  closeHelp,
  closeMaint,
  maintOf,
  move,
  needOps,
  needProjectOps,
  nextMatch,
  toggleFollow,
  withPanel,
  type DashboardContext,
  type Move,
  type SessionsView,
  type Where,
} from './dashboardMoves.js';
import type { CommandDef } from './keymap.js';

export type Handler = (ctx: DashboardContext, key: string, where: Where) => void;

/** Views that show a footer line of hints (the others show their own choices). */
export type FooterView = 'list' | 'detail' | 'logs' | 'env' | 'help' | 'panel' | 'compose' | 'disk';

export interface DashboardCommand extends CommandDef {
  /** The footer's short label, in the views that show this command. */
  hint?: Partial<Record<FooterView, string>>;
  /** What the command does, per view; `main` serves list, detail, logs and env alike. */
  run: Partial<Record<Where | 'main', Handler>>;
}

const moving = (m: Move): Handler => (ctx, _key, where) => move(ctx, where, m);
const everyMoveView = (m: Move) => {
  const h = moving(m);
  return { main: h, help: h, panel: h, picker: h, prune: h, disk: h, sessions: h };
};
const opCommand = (cmd: OpCommand): Handler => (ctx) => needOps(ctx, (o) => o.command(cmd));
const tab = (t: DetailTab): Handler => (ctx) => setTab(ctx, t);
const stepTab = (by: number): Handler => (ctx) => {
  const i = DETAIL_TABS.indexOf(ctx.store.getState().ui.tab);
  setTab(ctx, DETAIL_TABS[(i + by + DETAIL_TABS.length) % DETAIL_TABS.length]!);
};
function setTab(ctx: DashboardContext, t: DetailTab): void {
  if (ctx.ops) ctx.ops.setTab(t);
  else ctx.store.getState().patchUi({ tab: t, tabScroll: 0 });
}
const prompt = (kind: 'search' | 'logFilter'): Handler => (ctx) => {
  const s = ctx.store.getState();
  if (ctx.ops) return ctx.ops.openPrompt(kind);
  s.patchUi({ prompt: { kind, label: kind === 'search' ? 'search' : 'filter', value: kind === 'search' ? s.ui.logView.search : s.ui.logView.filter } });
};
const closePanel: Handler = (ctx) => withPanel(ctx, (p) => p.close());
const openHelp: Handler = (ctx) => ctx.store.getState().toggleHelp();
const closeSessions: Handler = (ctx) => ctx.store.setState({ projectPanel: null });
const needSessions = (ctx: DashboardContext, fn: (s: SessionsView) => void): void =>
  ctx.sessions ? fn(ctx.sessions) : ctx.store.getState().setMessage('no session server here', 'error');
const composeRun = (id: 'composeUp' | 'composeDown' | 'composeBuild' | 'composePull' | 'composeRestart' | 'composeLogs'): Handler => (ctx) => withPanel(ctx, (p) => p.compose(id));

export const COMMANDS = [
  {
    id: 'back',
    context: 'global',
    keys: ['escape', 'h', 'left'],
    description: 'back: close the detail view, to projects, clear the filter',
    hint: { detail: 'back', logs: 'back', env: 'back', panel: 'back', disk: 'back', compose: 'cancel' },
    run: {
      list: (ctx) => {
        const s = ctx.store.getState();
        if (s.ui.filter) return s.endFilter(false);
        s.focusPanel('projects');
      },
      logs: (ctx) => {
        const s = ctx.store.getState();
        const lv = s.ui.logView;
        if (lv.filter || lv.search) return s.patchLogView({ filter: '', search: '', match: null });
        closeDetail(ctx);
      },
      detail: closeDetail,
      help: closeHelp,
      panel: closePanel,
      compose: closePanel,
      picker: closePanel,
      sessions: closeSessions,
      disk: closeMaint,
    },
  },
  {
    id: 'help',
    context: 'global',
    keys: ['?'],
    description: 'this help',
    hint: { list: 'help', detail: 'help', logs: 'help', env: 'help', panel: 'help', disk: 'help', help: 'close' },
    run: { main: openHelp, help: closeHelp, panel: openHelp, compose: openHelp, picker: openHelp, disk: openHelp, sessions: openHelp },
  },
  {
    id: 'quit',
    context: 'global',
    keys: ['q', 'ctrl+c'],
    description: 'q: close the open view, quit from the top level; ctrl+c: quit',
    hint: { list: 'quit' },
    run: {
      // q closes the open view and quits only from the top level (k9s)
      list: (ctx) => ctx.quit(),
      detail: closeDetail,
      help: closeHelp,
      panel: closePanel,
      compose: closePanel,
      picker: closePanel,
      sessions: closeSessions,
      confirmDown: (ctx) => withPanel(ctx, (p) => p.confirm('no')),
      disk: closeMaint,
    },
  },
  {
    id: 'commandLine',
    context: 'global',
    keys: [':'],
    description: 'command line (k9s): any command of this table by its name, project NAME, proxy HOST [PORT] [tls] (the container\'s service behind Traefik), q to quit; tab completes',
    run: { main: (ctx) => ctx.store.getState().patchUi({ prompt: { kind: 'command', label: '', value: '' } }) },
  },

  { id: 'down', context: 'nav', keys: ['j', 'down'], description: 'move down', hint: { list: 'move', detail: 'scroll', panel: 'scroll', disk: 'scroll' }, run: everyMoveView('down') },
  { id: 'up', context: 'nav', keys: ['k', 'up'], description: 'move up', run: everyMoveView('up') },
  { id: 'pageDown', context: 'nav', keys: ['ctrl+d', 'pagedown'], description: 'page down', run: everyMoveView('pageDown') },
  { id: 'pageUp', context: 'nav', keys: ['ctrl+u', 'pageup'], description: 'page up', run: everyMoveView('pageUp') },
  { id: 'top', context: 'nav', keys: ['g', 'home'], description: 'first row', run: everyMoveView('top') },
  { id: 'bottom', context: 'nav', keys: ['G', 'end'], description: 'last row (logs: follow again)', hint: { panel: 'end/follow' }, run: everyMoveView('bottom') },

  { id: 'nextPanel', context: 'list', keys: ['tab'], description: 'next panel', run: { list: (ctx) => ctx.store.getState().focusPanel('next') } },
  { id: 'prevPanel', context: 'list', keys: ['shift+tab'], description: 'previous panel', run: { list: (ctx) => ctx.store.getState().focusPanel('next') } },
  {
    id: 'open',
    context: 'list',
    keys: ['enter', 'l', 'right'],
    description: "open the project's containers / the container's detail (logs)",
    hint: { list: 'open' },
    run: {
      list: (ctx) => {
        const s = ctx.store.getState();
        if (s.ui.focus === 'projects') return s.openProject();
        needOps(ctx, (o) => o.openDetail('logs'));
      },
    },
  },
  { id: 'filter', context: 'list', keys: ['/'], description: 'filter containers (enter keeps, esc clears)', hint: { list: 'filter' }, run: { list: (ctx) => ctx.store.getState().startFilter() } },
  { id: 'projectLogs', context: 'list', keys: ['L'], description: "the project's logs, all containers merged in time order", run: { list: (ctx) => needOps(ctx, (o) => o.openProjectLogs()) } },
  {
    id: 'gpu',
    context: 'list',
    keys: ['u'],
    description: 'GPU panel: per GPU use and its processes',
    run: {
      list: (ctx) => {
        const s = ctx.store.getState();
        if (!s.gpu) return s.setMessage('no GPU tool found (nvidia-smi or rocm-smi)');
        s.toggleGpuPanel();
      },
    },
  },
  {
    id: 'agents',
    context: 'list',
    keys: ['a'],
    description: "the project's agent panes (started from .ntm/config.toml the first time); C-b d comes back, they keep running",
    run: { list: (ctx) => needOps(ctx, (o) => o.agents()) },
  },
  {
    id: 'agentPreset',
    context: 'list',
    keys: ['A'],
    description: "agent panes from a preset (shipped presets/ and the project's .berth/presets/): pick one; a project with agents gets them in a new window",
    run: { list: (ctx) => needProjectOps(ctx, (p) => p.openPresets()) },
  },
  {
    id: 'doctor',
    context: 'list',
    keys: ['D'],
    description: "check the project's compose file, Dockerfile and containers: findings with file:line and fix",
    run: { list: (ctx) => needProjectOps(ctx, (p) => p.doctor()) },
  },
  { id: 'composeMenu', context: 'list', keys: ['c'], description: 'compose menu for the project: up, down, build, pull, restart, logs', run: { list: (ctx) => needProjectOps(ctx, (p) => p.openMenu()) } },
  {
    id: 'diskUsage',
    context: 'list',
    keys: ['U'],
    description: 'disk usage view (docker system df -v): images, containers, volumes, build cache',
    run: { list: (ctx) => needOps(ctx, (o) => o.maint().openDisk()), disk: closeMaint },
  },
  {
    id: 'messages',
    context: 'list',
    keys: ['M'],
    description: 'the last messages of the status line in full, with their time (it cuts long ones)',
    run: { list: (ctx) => needProjectOps(ctx, (p) => p.openMessages()) },
  },
  {
    id: 'attention',
    context: 'list',
    keys: ['N'],
    description: 'the agent pane that has waited longest for you (waiting or failed), in its session; the header counts them',
    run: { list: (ctx) => needSessions(ctx, (s) => void s.showAttention()) },
  },
  {
    id: 'sessions',
    context: 'list',
    keys: ['S'],
    description: 'sessions of the berth server: each with its windows and panes; enter shows one, d ends one (asks)',
    run: { list: (ctx) => needSessions(ctx, (s) => s.openSessions()) },
  },
  {
    id: 'prune',
    context: 'list',
    keys: ['P'],
    description: 'prune preview: what would be removed and kept; y removes exactly that',
    hint: { disk: 'prune preview' },
    run: { list: (ctx) => needOps(ctx, (o) => o.maint().openPrune()), disk: (ctx) => maintOf(ctx)?.openPrune(false) },
  },

  { id: 'restart', context: 'ops', keys: ['r'], description: 'restart', hint: { list: 'restart', detail: 'restart' }, run: { main: opCommand('restart') } },
  { id: 'stopStart', context: 'ops', keys: ['s'], description: 'stop a running container, start a stopped one', hint: { list: 'stop' }, run: { main: opCommand('stopStart') } },
  { id: 'pauseToggle', context: 'ops', keys: ['p'], description: 'pause / unpause', run: { main: opCommand('pauseToggle') } },
  { id: 'kill', context: 'ops', keys: ['K'], description: 'kill (SIGKILL)', run: { main: opCommand('kill') } },
  { id: 'remove', context: 'ops', keys: ['d'], description: 'remove (asks first; dry run possible)', hint: { list: 'remove' }, run: { main: opCommand('remove') } },
  {
    id: 'exec',
    context: 'ops',
    keys: ['E'],
    description: "shell in the container (bash, else sh) as a pane of the project's workspace; C-b d comes back",
    run: { main: (ctx) => needOps(ctx, (o) => o.exec()) },
  },
  {
    id: 'backup',
    context: 'ops',
    keys: ['B'],
    description: "backup: the selected container's named volumes / the project's volumes (asks first; dry run possible)",
    run: { main: (ctx) => needOps(ctx, (o) => o.maint().openBackup()) },
  },
  { id: 'cancelBackup', context: 'ops', keys: ['X'], description: 'cancel the running backup', run: { main: (ctx) => needOps(ctx, (o) => o.maint().cancelBackup()) } },

  { id: 'nextTab', context: 'detail', keys: ['tab'], description: 'next tab', hint: { detail: 'next tab', logs: 'next tab', env: 'next tab' }, run: { detail: stepTab(1) } },
  { id: 'prevTab', context: 'detail', keys: ['shift+tab'], description: 'previous tab', run: { detail: stepTab(-1) } },
  { id: 'tabLogs', context: 'detail', keys: ['1'], description: 'logs tab', run: { detail: tab('logs') } },
  { id: 'tabStats', context: 'detail', keys: ['2'], description: 'stats tab (CPU, memory, network graphs)', run: { detail: tab('stats') } },
  { id: 'tabInspect', context: 'detail', keys: ['3'], description: 'inspect tab (config, mounts, ports, networks, health)', run: { detail: tab('inspect') } },
  { id: 'tabEnv', context: 'detail', keys: ['4'], description: 'env tab', run: { detail: tab('env') } },
  { id: 'tabTop', context: 'detail', keys: ['5'], description: 'top tab (processes)', run: { detail: tab('top') } },
  { id: 'tabVulns', context: 'detail', keys: ['6'], description: "vulns tab: the image's known vulnerabilities (Trivy or Grype), most severe first", run: { detail: tab('vulns') } },

  { id: 'search', context: 'logs', keys: ['/'], description: 'search (matches highlighted)', hint: { logs: 'search' }, run: { logs: prompt('search') } },
  { id: 'nextMatch', context: 'logs', keys: ['n'], description: 'next match', run: { logs: (ctx) => nextMatch(ctx, 1) } },
  { id: 'prevMatch', context: 'logs', keys: ['N'], description: 'previous match', run: { logs: (ctx) => nextMatch(ctx, -1) } },
  {
    id: 'logFilter',
    context: 'logs',
    keys: ['f'],
    description: 'filter: show only matching lines (a regular expression, else plain text; !pattern hides them)',
    hint: { logs: 'filter' },
    run: { logs: prompt('logFilter') },
  },
  { id: 'follow', context: 'logs', keys: ['F'], description: 'follow on/off', hint: { logs: 'follow' }, run: { logs: toggleFollow } },
  {
    id: 'timestamps',
    context: 'logs',
    keys: ['t'],
    description: 'timestamps on/off',
    run: { logs: (ctx) => ctx.store.getState().patchLogView({ timestamps: !ctx.store.getState().ui.logView.timestamps }) },
  },
  { id: 'wrap', context: 'logs', keys: ['w'], description: 'wrap long lines on/off', hint: { logs: 'wrap' }, run: { logs: (ctx) => ctx.store.getState().patchLogView({ wrap: !ctx.store.getState().ui.logView.wrap }) } },
  { id: 'tailSince', context: 'logs', keys: ['T'], description: 'tail / since: 500, all, 10m, 2h, a date', run: { logs: (ctx) => ctx.ops?.openPrompt('tailSince') } },
  {
    id: 'saveVisible',
    context: 'logs',
    keys: ['o'],
    description: "save the lines shown (buffer, filtered) to a file: the project's folder is offered, the whole path shown",
    hint: { logs: 'save' },
    run: { logs: (ctx) => ctx.ops?.openPrompt('saveVisible') },
  },
  { id: 'saveFull', context: 'logs', keys: ['O'], description: 'save the full log to a file', run: { logs: (ctx) => ctx.ops?.openPrompt('saveFull') } },

  { id: 'reveal', context: 'env', keys: ['v'], description: 'reveal / mask secret values', hint: { env: 'reveal' }, run: { env: (ctx) => ctx.store.getState().patchUi({ revealEnv: !ctx.store.getState().ui.revealEnv }) } },

  {
    id: 'confirmYes',
    context: 'confirm',
    keys: ['y'],
    description: 'do it (y only: enter is the safe answer)',
    run: {
      confirm: (ctx) => ctx.ops?.confirm('yes'),
      confirmDown: (ctx) => withPanel(ctx, (p) => p.confirm('yes')),
      backup: (ctx) => maintOf(ctx)?.backupChoice('yes'),
      prune: (ctx) => maintOf(ctx)?.pruneChoice('yes'),
    },
  },
  {
    id: 'confirmDry',
    context: 'confirm',
    keys: ['d'],
    description: 'dry run: only list what would go',
    run: { confirm: (ctx) => ctx.ops?.confirm('dry'), confirmDown: (ctx) => withPanel(ctx, (p) => p.confirm('dry')), backup: (ctx) => maintOf(ctx)?.backupChoice('dry') },
  },
  {
    id: 'confirmVolumes',
    context: 'confirm',
    keys: ['v'],
    description: "toggle: volumes go too (remove: anonymous ones; compose down: the project's)",
    run: { confirm: (ctx) => ctx.ops?.confirm('volumes'), confirmDown: (ctx) => withPanel(ctx, (p) => p.confirm('volumes')), prune: (ctx) => maintOf(ctx)?.pruneChoice('volumes') },
  },
  { id: 'confirmForce', context: 'confirm', keys: ['f'], description: 'toggle: force (running containers)', run: { confirm: (ctx) => ctx.ops?.confirm('force') } },
  { id: 'confirmStopLive', context: 'confirm', keys: ['s'], description: 'backup: toggle stop running users for the copy / copy live', run: { backup: (ctx) => maintOf(ctx)?.backupChoice('stop') } },
  { id: 'confirmDump', context: 'confirm', keys: ['D'], description: 'backup: toggle a logical dump of databases', run: { backup: (ctx) => maintOf(ctx)?.backupChoice('dump') } },
  {
    id: 'confirmNo',
    context: 'confirm',
    keys: ['n', 'escape', 'enter'],
    description: 'cancel (the default: enter cancels)',
    run: {
      confirm: (ctx) => (ctx.ops ? ctx.ops.confirm('no') : ctx.store.getState().patchUi({ confirm: null })),
      confirmDown: (ctx) => withPanel(ctx, (p) => p.confirm('no')),
      backup: (ctx) => (maintOf(ctx) ? maintOf(ctx)!.backupChoice('no') : closeMaint(ctx)),
      prune: (ctx) => (maintOf(ctx) ? maintOf(ctx)!.pruneChoice('no') : closeMaint(ctx)),
    },
  },

  { id: 'composeUp', context: 'compose', keys: ['u'], description: 'up -d', hint: { compose: 'up' }, run: { compose: composeRun('composeUp') } },
  { id: 'composeDown', context: 'compose', keys: ['d'], description: 'down (asks first: volumes kept unless v; d dry run)', hint: { compose: 'down' }, run: { compose: composeRun('composeDown') } },
  { id: 'composeBuild', context: 'compose', keys: ['b'], description: 'build', hint: { compose: 'build' }, run: { compose: composeRun('composeBuild') } },
  { id: 'composePull', context: 'compose', keys: ['p'], description: 'pull', hint: { compose: 'pull' }, run: { compose: composeRun('composePull') } },
  { id: 'composeRestart', context: 'compose', keys: ['r'], description: 'restart', hint: { compose: 'restart' }, run: { compose: composeRun('composeRestart') } },
  { id: 'composeLogs', context: 'compose', keys: ['l'], description: 'logs (last 500 lines)', hint: { compose: 'logs' }, run: { compose: composeRun('composeLogs') } },

  { id: 'showSession', context: 'sessions', keys: ['enter', 'l', 'right'], description: 'show the chosen session here (C-b d comes back)', run: { sessions: (ctx) => needSessions(ctx, (s) => void s.showChosen()) } },
  { id: 'endSession', context: 'sessions', keys: ['d', 'K'], description: 'end the chosen session and every process in its panes (asks first; dry run possible)', run: { sessions: (ctx) => needSessions(ctx, (s) => s.askEndChosen()) } },

  {
    id: 'searchHelp',
    context: 'helpview',
    keys: ['/'],
    description: 'show only the keys whose name, keys or text match (esc clears)',
    hint: { help: 'search' },
    run: { help: (ctx) => ctx.store.getState().patchUi({ prompt: { kind: 'helpSearch', label: 'search help', value: ctx.store.getState().ui.helpSearch } }) },
  },

  { id: 'pick', context: 'picker', keys: ['enter'], description: 'start the agents of the chosen preset', run: { picker: (ctx) => withPanel(ctx, (p) => p.pickPreset()) } },
] as const satisfies readonly DashboardCommand[];

export type CommandId = (typeof COMMANDS)[number]['id'];

const MAIN: ReadonlySet<Where> = new Set(['list', 'detail', 'logs', 'env']);
/** Where a view's handler is looked for when the command has none of its own: the logs tab is a detail tab. */
const FALLBACK: Partial<Record<Where, Where>> = { logs: 'detail', env: 'detail' };

/** What a command does in a view, if anything. */
export function handlerFor(id: CommandId, where: Where): Handler | undefined {
  const run = (COMMANDS.find((c) => c.id === id) as DashboardCommand | undefined)?.run;
  if (!run) return undefined;
  for (let w: Where | undefined = where; w; w = FALLBACK[w]) {
    const h = run[w];
    if (h) return h;
  }
  return MAIN.has(where) ? run.main : undefined;
}

/** The footer's hints of a view, in the order its key chain looks commands up (the view's own first). */
export function footerHints(view: FooterView, contextOrder: readonly string[]): Array<[CommandId, string]> {
  const out: Array<[CommandId, string]> = [];
  for (const ctx of contextOrder) {
    for (const c of COMMANDS as readonly DashboardCommand[]) {
      const label = c.hint?.[view];
      if (c.context === ctx && label) out.push([c.id as CommandId, label]);
    }
  }
  return out;
}

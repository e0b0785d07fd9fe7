// The one table of dashboard commands and their default keys. The help screen and the
// README's key table are generated from it; users remap commands in config.toml
// ([keys] restart = ["R"]), checked here. No React.
import { UserError } from '../config/errors.js';

/**
 * Where a command applies. A key is looked up along a chain of contexts (the most
 * specific first), e.g. the logs tab: logs → detail → ops → nav → global.
 */
export type KeyContext = 'global' | 'nav' | 'list' | 'ops' | 'detail' | 'logs' | 'env' | 'confirm' | 'compose' | 'picker';

export const CONTEXT_TITLES: Record<KeyContext, string> = {
  global: 'everywhere',
  nav: 'moving',
  list: 'projects and containers',
  ops: 'the selected container (on the projects panel: every container of the project)',
  detail: 'container detail',
  logs: 'logs',
  env: 'env tab',
  confirm: 'confirmation',
  compose: 'compose menu (c on a project; output streams into a view, esc leaves it running)',
  picker: 'preset picker (A on a project)',
};

export interface CommandDef {
  id: string;
  context: KeyContext;
  keys: string[];
  description: string;
}

export const COMMANDS = [
  { id: 'help', context: 'global', keys: ['?'], description: 'this help' },
  { id: 'quit', context: 'global', keys: ['q', 'ctrl+c'], description: 'q: close the open view, quit from the top level; ctrl+c: quit' },
  { id: 'back', context: 'global', keys: ['escape', 'h', 'left'], description: 'back: close the detail view, to projects, clear the filter' },
  { id: 'commandLine', context: 'global', keys: [':'], description: 'command line (k9s): any command of this table by its name, project NAME, q to quit; tab completes' },

  { id: 'down', context: 'nav', keys: ['j', 'down'], description: 'move down' },
  { id: 'up', context: 'nav', keys: ['k', 'up'], description: 'move up' },
  { id: 'pageDown', context: 'nav', keys: ['ctrl+d', 'pagedown'], description: 'page down' },
  { id: 'pageUp', context: 'nav', keys: ['ctrl+u', 'pageup'], description: 'page up' },
  { id: 'top', context: 'nav', keys: ['g', 'home'], description: 'first row' },
  { id: 'bottom', context: 'nav', keys: ['G', 'end'], description: 'last row (logs: follow again)' },

  { id: 'nextPanel', context: 'list', keys: ['tab'], description: 'next panel' },
  { id: 'prevPanel', context: 'list', keys: ['shift+tab'], description: 'previous panel' },
  { id: 'open', context: 'list', keys: ['enter', 'l', 'right'], description: "open the project's containers / the container's detail (logs)" },
  { id: 'filter', context: 'list', keys: ['/'], description: 'filter containers (enter keeps, esc clears)' },
  { id: 'projectLogs', context: 'list', keys: ['L'], description: "the project's logs, all containers merged in time order" },
  { id: 'gpu', context: 'list', keys: ['u'], description: 'GPU panel: per GPU use and its processes' },
  { id: 'agents', context: 'list', keys: ['a'], description: "the project's agent panes (started from .ntm/config.toml the first time); C-b d comes back, they keep running" },
  { id: 'agentPreset', context: 'list', keys: ['A'], description: "agent panes from a preset (shipped presets/ and the project's .berth/presets/): pick one" },
  { id: 'doctor', context: 'list', keys: ['D'], description: "check the project's compose file, Dockerfile and containers: findings with file:line and fix" },
  { id: 'composeMenu', context: 'list', keys: ['c'], description: "compose menu for the project: up, down, build, pull, restart, logs" },
  { id: 'diskUsage', context: 'list', keys: ['U'], description: 'disk usage view (docker system df -v): images, containers, volumes, build cache' },
  { id: 'prune', context: 'list', keys: ['P'], description: 'prune preview: what would be removed and kept; y removes exactly that' },

  { id: 'restart', context: 'ops', keys: ['r'], description: 'restart' },
  { id: 'stopStart', context: 'ops', keys: ['s'], description: 'stop a running container, start a stopped one' },
  { id: 'pauseToggle', context: 'ops', keys: ['p'], description: 'pause / unpause' },
  { id: 'kill', context: 'ops', keys: ['K'], description: 'kill (SIGKILL)' },
  { id: 'remove', context: 'ops', keys: ['d'], description: 'remove (asks first; dry run possible)' },
  { id: 'exec', context: 'ops', keys: ['E'], description: "shell in the container (bash, else sh) as a pane of the project's workspace; C-b d comes back" },
  { id: 'backup', context: 'ops', keys: ['B'], description: "backup: the selected container's named volumes / the project's volumes (asks first; dry run possible)" },
  { id: 'cancelBackup', context: 'ops', keys: ['X'], description: 'cancel the running backup' },

  { id: 'nextTab', context: 'detail', keys: ['tab'], description: 'next tab' },
  { id: 'prevTab', context: 'detail', keys: ['shift+tab'], description: 'previous tab' },
  { id: 'tabLogs', context: 'detail', keys: ['1'], description: 'logs tab' },
  { id: 'tabStats', context: 'detail', keys: ['2'], description: 'stats tab (CPU, memory, network graphs)' },
  { id: 'tabInspect', context: 'detail', keys: ['3'], description: 'inspect tab (config, mounts, ports, networks, health)' },
  { id: 'tabEnv', context: 'detail', keys: ['4'], description: 'env tab' },
  { id: 'tabTop', context: 'detail', keys: ['5'], description: 'top tab (processes)' },

  { id: 'search', context: 'logs', keys: ['/'], description: 'search (matches highlighted)' },
  { id: 'nextMatch', context: 'logs', keys: ['n'], description: 'next match' },
  { id: 'prevMatch', context: 'logs', keys: ['N'], description: 'previous match' },
  { id: 'logFilter', context: 'logs', keys: ['f'], description: 'filter: show only matching lines (a regular expression, else plain text; !pattern hides them)' },
  { id: 'follow', context: 'logs', keys: ['F'], description: 'follow on/off' },
  { id: 'timestamps', context: 'logs', keys: ['t'], description: 'timestamps on/off' },
  { id: 'wrap', context: 'logs', keys: ['w'], description: 'wrap long lines on/off' },
  { id: 'tailSince', context: 'logs', keys: ['T'], description: 'tail / since: 500, all, 10m, 2h, a date' },
  { id: 'saveVisible', context: 'logs', keys: ['o'], description: "save the lines shown (buffer, filtered) to a file: the project's folder is offered, the whole path shown" },
  { id: 'saveFull', context: 'logs', keys: ['O'], description: 'save the full log to a file' },

  { id: 'reveal', context: 'env', keys: ['v'], description: 'reveal / mask secret values' },

  { id: 'confirmYes', context: 'confirm', keys: ['y'], description: 'do it (y only: enter is the safe answer)' },
  { id: 'confirmDry', context: 'confirm', keys: ['d'], description: 'dry run: only list what would go' },
  { id: 'confirmVolumes', context: 'confirm', keys: ['v'], description: "toggle: volumes go too (remove: anonymous ones; compose down: the project's)" },
  { id: 'confirmForce', context: 'confirm', keys: ['f'], description: 'toggle: force (running containers)' },
  { id: 'confirmStopLive', context: 'confirm', keys: ['s'], description: 'backup: toggle stop running users for the copy / copy live' },
  { id: 'confirmDump', context: 'confirm', keys: ['D'], description: 'backup: toggle a logical dump of databases' },
  { id: 'confirmNo', context: 'confirm', keys: ['n', 'escape', 'enter'], description: 'cancel (the default: enter cancels)' },

  { id: 'composeUp', context: 'compose', keys: ['u'], description: 'up -d' },
  { id: 'composeDown', context: 'compose', keys: ['d'], description: 'down (asks first: volumes kept unless v; d dry run)' },
  { id: 'composeBuild', context: 'compose', keys: ['b'], description: 'build' },
  { id: 'composePull', context: 'compose', keys: ['p'], description: 'pull' },
  { id: 'composeRestart', context: 'compose', keys: ['r'], description: 'restart' },
  { id: 'composeLogs', context: 'compose', keys: ['l'], description: 'logs (last 500 lines)' },

  { id: 'pick', context: 'picker', keys: ['enter'], description: 'start the agents of the chosen preset' },
] as const satisfies readonly CommandDef[];

export type CommandId = (typeof COMMANDS)[number]['id'];

/**
 * What the footer shows in each view: commands of this table, in this order, with a short
 * label (their keys come from the keymap, so a remapped key shows as remapped). `help`:
 * while help is open; `disk`: the disk usage view. A test checks every hint is a command
 * bound in that view.
 */
export const FOOTER_HINTS: Record<string, ReadonlyArray<readonly [CommandId, string]>> = {
  list: [
    ['down', 'move'],
    ['open', 'open'],
    ['restart', 'restart'],
    ['stopStart', 'stop'],
    ['remove', 'remove'],
    ['filter', 'filter'],
    ['help', 'help'],
    ['quit', 'quit'],
  ],
  logs: [
    ['nextTab', 'next tab'],
    ['search', 'search'],
    ['logFilter', 'filter'],
    ['follow', 'follow'],
    ['wrap', 'wrap'],
    ['saveVisible', 'save'],
    ['back', 'back'],
    ['help', 'help'],
  ],
  env: [
    ['nextTab', 'next tab'],
    ['reveal', 'reveal'],
    ['back', 'back'],
    ['help', 'help'],
  ],
  detail: [
    ['nextTab', 'next tab'],
    ['down', 'scroll'],
    ['restart', 'restart'],
    ['back', 'back'],
    ['help', 'help'],
  ],
  confirm: [],
  compose: [
    ['composeUp', 'up'],
    ['composeDown', 'down'],
    ['composeBuild', 'build'],
    ['composePull', 'pull'],
    ['composeRestart', 'restart'],
    ['composeLogs', 'logs'],
    ['back', 'cancel'],
  ],
  panel: [
    ['down', 'scroll'],
    ['bottom', 'end/follow'],
    ['back', 'back'],
    ['help', 'help'],
  ],
  // the backup and prune dialogs show their own choices
  disk: [
    ['down', 'scroll'],
    ['prune', 'prune preview'],
    ['back', 'back'],
    ['help', 'help'],
  ],
  help: [['help', 'close']],
};

/** The chains keys are looked up along; a key may be bound once per chain. */
export const CHAINS: Record<string, KeyContext[]> = {
  list: ['list', 'ops', 'nav', 'global'],
  detail: ['detail', 'ops', 'nav', 'global'],
  logs: ['logs', 'detail', 'ops', 'nav', 'global'],
  env: ['env', 'detail', 'ops', 'nav', 'global'],
  confirm: ['confirm'],
  compose: ['compose', 'global'],
  panel: ['nav', 'global'],
  picker: ['picker', 'nav', 'global'],
};
export type ChainName = keyof typeof CHAINS & string;

export interface Keymap {
  /** Keys of each command. */
  keys: Record<string, string[]>;
  lookup(chain: ChainName, key: string): CommandId | undefined;
}

const VALID_KEY = /^(?:[!-~]|(?:ctrl|alt)\+[a-z0-9]|shift\+tab|enter|escape|tab|space|backspace|delete|up|down|left|right|home|end|pageup|pagedown|f\d{1,2})$/;

/** Builds a keymap from the defaults and the user's [keys] table; refuses bad input with one line. */
export function buildKeymap(overrides: Record<string, string[]> = {}, where = 'config [keys]'): Keymap {
  const ids = new Set<string>(COMMANDS.map((c) => c.id));
  const keys: Record<string, string[]> = {};
  for (const c of COMMANDS) keys[c.id] = [...c.keys];
  for (const [id, list] of Object.entries(overrides)) {
    if (!ids.has(id)) throw new UserError(`${where}: unknown command "${id}" (known: ${[...ids].join(', ')})`);
    for (const k of list) {
      if (!VALID_KEY.test(k)) throw new UserError(`${where}: ${id}: "${k}" is not a key name (e.g. "R", "ctrl+r", "enter", "f5")`);
    }
    keys[id] = [...list];
  }
  const maps = new Map<string, Map<string, CommandId>>();
  for (const [chain, contexts] of Object.entries(CHAINS)) {
    const m = new Map<string, CommandId>();
    for (const ctx of contexts) {
      for (const c of COMMANDS) {
        if (c.context !== ctx) continue;
        for (const k of keys[c.id]!) {
          const other = m.get(k);
          if (other && other !== c.id) {
            throw new UserError(`${where}: key "${k}" is bound to both "${other}" and "${c.id}" (${chain} view); give one of them another key`);
          }
          m.set(k, c.id);
        }
      }
    }
    maps.set(chain, m);
  }
  return { keys, lookup: (chain, key) => maps.get(chain)?.get(key) };
}

let active: Keymap = buildKeymap();

/** Installs the user's keymap (done once at start). */
export function setKeymap(map: Keymap): void {
  active = map;
}

export function currentKeymap(): Keymap {
  return active;
}

/** The command a key runs in the list view (kept for older callers). */
export function commandForKey(key: string, chain: ChainName = 'list'): CommandId | undefined {
  return active.lookup(chain, key);
}

export function keysOf(id: CommandId): string[] {
  return active.keys[id] ?? [];
}

/** The keys of a command as shown to users, e.g. "j/↓". */
export function keyLabel(id: CommandId): string {
  return keysOf(id).map(prettyKey).join('/');
}

export function prettyKey(k: string): string {
  const map: Record<string, string> = {
    down: '↓',
    up: '↑',
    left: '←',
    right: '→',
    enter: 'enter',
    escape: 'esc',
    pagedown: 'PgDn',
    pageup: 'PgUp',
  };
  return map[k] ?? k;
}

/** The README's key table (markdown), generated from the default table. */
export function keyTableMarkdown(): string {
  const defaults = buildKeymap();
  const out: string[] = [];
  for (const ctx of Object.keys(CONTEXT_TITLES) as KeyContext[]) {
    out.push(`| **${CONTEXT_TITLES[ctx]}** | |`);
    for (const c of COMMANDS) {
      if (c.context !== ctx) continue;
      const keys = defaults.keys[c.id]!.map((k) => `\`${prettyKey(k) === '|' ? '\\|' : prettyKey(k)}\``).join(', ');
      out.push(`| ${keys} | \`${c.id}\`: ${c.description} |`);
    }
  }
  return ['| keys | command: action |', '| --- | --- |', ...out].join('\n');
}

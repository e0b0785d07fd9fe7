// Key lookup for the dashboard's command table (dashboardCommands.ts): the contexts and
// the chains keys are looked up along, the user's remapping in config.toml ([keys]
// restart = ["R"]), checked here, and the README's key table. No React.
import { UserError } from '../config/errors.js';
import { COMMANDS, type CommandId } from './dashboardCommands.js';

export { COMMANDS, type CommandId };

/**
 * Where a command applies. A key is looked up along a chain of contexts (the most
 * specific first), e.g. the logs tab: logs → detail → ops → nav → global.
 */
export type KeyContext = 'global' | 'nav' | 'list' | 'ops' | 'detail' | 'logs' | 'env' | 'confirm' | 'compose' | 'picker' | 'sessions' | 'helpview';

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
  sessions: 'sessions view (S)',
  helpview: 'this help',
};

export interface CommandDef {
  id: string;
  context: KeyContext;
  keys: string[];
  description: string;
}

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
  help: ['helpview', 'nav', 'global'],
  prune: ['confirm', 'nav'],
  sessions: ['sessions', 'nav', 'global'],
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

// The one table of dashboard commands and their default keys. The help screen (and the
// README's key table) are generated from it.

export type CommandId =
  | 'down'
  | 'up'
  | 'pageDown'
  | 'pageUp'
  | 'top'
  | 'bottom'
  | 'nextPanel'
  | 'prevPanel'
  | 'open'
  | 'back'
  | 'filter'
  | 'gpu'
  | 'help'
  | 'quit';

export interface CommandDef {
  id: CommandId;
  keys: string[];
  description: string;
}

export const COMMANDS: readonly CommandDef[] = [
  { id: 'down', keys: ['j', 'down'], description: 'move down' },
  { id: 'up', keys: ['k', 'up'], description: 'move up' },
  { id: 'pageDown', keys: ['ctrl+d', 'pagedown'], description: 'page down' },
  { id: 'pageUp', keys: ['ctrl+u', 'pageup'], description: 'page up' },
  { id: 'top', keys: ['g', 'home'], description: 'first row' },
  { id: 'bottom', keys: ['G', 'end'], description: 'last row' },
  { id: 'nextPanel', keys: ['tab'], description: 'next panel' },
  { id: 'prevPanel', keys: ['shift+tab'], description: 'previous panel' },
  { id: 'open', keys: ['enter', 'l', 'right'], description: "open project's containers" },
  { id: 'back', keys: ['escape', 'h', 'left'], description: 'back to projects / clear filter' },
  { id: 'filter', keys: ['/'], description: 'filter containers (enter keeps, esc clears)' },
  { id: 'gpu', keys: ['u'], description: 'GPU panel: per GPU use and its processes' },
  { id: 'help', keys: ['?'], description: 'this help' },
  { id: 'quit', keys: ['q', 'ctrl+c'], description: 'quit' },
];

const byKey = new Map<string, CommandId>();
for (const c of COMMANDS) for (const k of c.keys) byKey.set(k, c.id);

export function commandForKey(key: string): CommandId | undefined {
  return byKey.get(key);
}

/** The keys of a command as shown to users, e.g. "j/↓". */
export function keyLabel(id: CommandId): string {
  const def = COMMANDS.find((c) => c.id === id);
  return (def?.keys ?? []).map(prettyKey).join('/');
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

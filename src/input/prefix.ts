// The prefix key machine (tmux style): bytes pass through to the focused pane until the
// prefix key arrives; the key after it names a workspace command. The prefix pressed twice
// sends the prefix itself through.
import { UserError } from '../config/errors.js';

export type PaneCommandName =
  | 'focus-up'
  | 'focus-down'
  | 'focus-left'
  | 'focus-right'
  | 'next-pane'
  | 'previous-pane'
  | 'select-pane'
  | 'zoom'
  | 'next-layout'
  | 'previous-layout'
  | 'split'
  | 'kill-pane'
  | 'respawn'
  | 'copy-mode'
  | 'copy-mode-page-up'
  | 'swap-previous'
  | 'swap-next'
  | 'paste'
  | 'rename'
  | 'send-prompt'
  | 'command-prompt'
  | 'choose-tree'
  | 'detach'
  | 'display-panes'
  | 'help';

export type PrefixAction = { type: 'send'; data: string } | { type: 'command'; command: PaneCommandName; arg?: number };

/** What each key after the prefix does; also the source of the help screen. */
export const PREFIX_BINDINGS: Array<{ keys: string[]; label: string; command: PaneCommandName }> = [
  { keys: ['\x1b[A', '\x1bOA'], label: '↑ ↓ ← →', command: 'focus-up' },
  { keys: ['\x1b[B', '\x1bOB'], label: '', command: 'focus-down' },
  { keys: ['\x1b[D', '\x1bOD'], label: '', command: 'focus-left' },
  { keys: ['\x1b[C', '\x1bOC'], label: '', command: 'focus-right' },
  { keys: ['o', 'n'], label: 'o n', command: 'next-pane' },
  { keys: ['p'], label: 'p', command: 'previous-pane' },
  { keys: ['z'], label: 'z', command: 'zoom' },
  { keys: [' '], label: 'space', command: 'next-layout' },
  { keys: ['\x1b[Z'], label: 'shift+tab', command: 'previous-layout' },
  { keys: ['"', '%', 'c'], label: '" % c', command: 'split' },
  { keys: ['x'], label: 'x', command: 'kill-pane' },
  { keys: ['r'], label: 'r', command: 'respawn' },
  { keys: ['{'], label: '{', command: 'swap-previous' },
  { keys: ['}'], label: '}', command: 'swap-next' },
  { keys: ['['], label: '[', command: 'copy-mode' },
  { keys: ['\x1b[5~'], label: 'PgUp', command: 'copy-mode-page-up' },
  { keys: [']'], label: ']', command: 'paste' },
  { keys: [','], label: ',', command: 'rename' },
  { keys: [':'], label: ':', command: 'command-prompt' },
  { keys: ['A'], label: 'A', command: 'send-prompt' },
  { keys: ['s', 'w'], label: 's w', command: 'choose-tree' },
  { keys: ['d'], label: 'd', command: 'detach' },
  { keys: ['q'], label: 'q', command: 'display-panes' },
  { keys: ['?'], label: '?', command: 'help' },
];

export const COMMAND_HELP: Record<PaneCommandName, string> = {
  'focus-up': 'move focus to the pane in that direction',
  'focus-down': '',
  'focus-left': '',
  'focus-right': '',
  'next-pane': 'next pane',
  'previous-pane': 'previous pane',
  'select-pane': 'pane by number',
  zoom: 'zoom the pane (again: back to the layout)',
  'next-layout': 'next layout (tiled, even-*, main-*)',
  'previous-layout': 'previous layout',
  split: 'new pane (a shell in the container)',
  'kill-pane': 'close the pane (asks first)',
  respawn: 'run an exited pane\'s command again',
  'copy-mode': 'copy mode: scroll back, search, select and copy (its keys: the next table)',
  'copy-mode-page-up': 'copy mode, one page up already',
  'swap-previous': 'swap the pane with the previous one (the focus moves with it)',
  'swap-next': 'swap the pane with the next one',
  paste: 'paste what copy mode copied last',
  rename: 'rename the pane',
  'send-prompt': 'send a prompt to agents: it asks which (all:, cc:, 3: …) with the text',
  'command-prompt': 'command prompt, as tmux: select-layout, split-window, kill-pane, select-pane, resize-pane -Z, send-prompt … (tab completes)',
  'choose-tree': 'the session tree: every session and pane with its agent state; enter shows it here',
  detach: 'back to where the workspace was opened from',
  'display-panes': 'show each pane\'s number for a moment; a digit meanwhile selects that pane',
  help: 'this help',
};

/** "C-b", "C-a", "^b" or "ctrl+b" → the control byte. */
export function parsePrefixKey(spec: string): string {
  const m = /^(?:C-|\^|ctrl\+)([a-z@\[\\\]^_ ])$/i.exec(spec.trim());
  if (!m) throw new UserError(`prefix key "${spec}" is not a control key like C-b or C-a`);
  const c = m[1]!.toLowerCase();
  if (c === ' ' || c === '@') return '\x00';
  return String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);
}

/** Length of the first key in `s` (an escape sequence counts as one key). */
export function keyLength(s: string): number {
  if (s[0] !== '\x1b' || s.length === 1) return String.fromCodePoint(s.codePointAt(0)!).length;
  if (s[1] === '[') {
    let j = 2;
    while (j < s.length && !/[@-~]/.test(s[j]!)) j++;
    return Math.min(s.length, j + 1);
  }
  if (s[1] === 'O') return Math.min(s.length, 3);
  return 2;
}

export class PrefixMachine {
  armed = false;

  constructor(readonly prefix = '\x02') {}

  feed(data: string): PrefixAction[] {
    const out: PrefixAction[] = [];
    let pass = '';
    let i = 0;
    while (i < data.length) {
      if (!this.armed) {
        const at = data.indexOf(this.prefix, i);
        if (at < 0) {
          pass += data.slice(i);
          break;
        }
        pass += data.slice(i, at);
        this.armed = true;
        i = at + this.prefix.length;
        continue;
      }
      const len = keyLength(data.slice(i));
      const key = data.slice(i, i + len);
      i += len;
      this.armed = false;
      if (key === this.prefix) {
        pass += this.prefix;
        continue;
      }
      if (pass) out.push({ type: 'send', data: pass });
      pass = '';
      if (/^[0-9]$/.test(key)) {
        out.push({ type: 'command', command: 'select-pane', arg: Number(key) });
        continue;
      }
      const b = PREFIX_BINDINGS.find((x) => x.keys.includes(key));
      if (b) out.push({ type: 'command', command: b.command });
      // an unbound key after the prefix is dropped, as tmux does
    }
    if (pass) out.push({ type: 'send', data: pass });
    return out;
  }
}

/** The pane keys as a Markdown table (README.md holds a copy, checked by a test). */
export function prefixKeyTableMarkdown(prefix = 'C-b'): string {
  const rows = ['| keys | what they do |', '| --- | --- |'];
  for (const b of PREFIX_BINDINGS) if (b.label) rows.push(`| \`${prefix} ${b.label}\` | ${COMMAND_HELP[b.command]} |`);
  rows.push(`| \`${prefix} 0\`-\`9\` | ${COMMAND_HELP['select-pane']} |`);
  rows.push(`| \`${prefix} ${prefix}\` | send ${prefix} itself to the pane |`);
  return rows.join('\n');
}

// The workspace's key table (tmux's prefix table): each command with the keys that run it
// after the prefix, how help shows those keys, its help text and what it does, in one
// entry. The prefix machine (input/prefix.ts) hands over the key after the prefix; the
// command prompt (commandLine.ts) reaches the same commands by name. `C-b ?`, the README's
// table and the help are generated from this.
import type { PrefixAction } from '../input/prefix.js';
import { scrollView } from './copyMode.js';
import { startCopy } from './modes/copy.js';
import { openTree } from './modes/tree.js';
import type { WorkspaceView } from './view.js';

/** `arg`: the argument the command prompt gave, or the digit pressed for select-window. */
type Handler = (v: WorkspaceView, arg?: string) => void;

export interface PaneCommandDef {
  name: string;
  /** Keys after the prefix (terminal bytes). */
  keys: readonly string[];
  /** How help shows the keys; '' when a neighbouring entry's label covers them. */
  label: string;
  help: string;
  run: Handler;
}

const focus = (dir: 'up' | 'down' | 'left' | 'right'): Handler => (v) => v.ws.moveFocus(dir);
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Splits the focused pane (tmux's split-window -v / -h): the new pane is a shell in the container. */
function split(v: WorkspaceView, dir: 'h' | 'v'): void {
  const spec = v.opts.newPane?.(v.ws);
  if (!spec) return v.say('no command for a new pane');
  v.ws.split(spec, dir);
}

/** tmux's resize-pane -U/-D/-L/-R: `cells` from the command prompt's count when it gave one. */
const resize =
  (edge: 'up' | 'down' | 'left' | 'right', cells: number): Handler =>
  (v, arg) => {
    const n = arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : cells;
    if (!v.ws.resizeFocused(edge, n)) v.say(v.ws.panes.length < 2 ? 'one pane: nothing to resize' : `no border to move ${edge}`, 1500);
  };

/** Renames the session, through the server when it has one (names are unique there). */
export function renameSession(v: WorkspaceView, name: string): void {
  const wanted = name.trim();
  if (!wanted || wanted === v.ws.sessionName) return;
  const refused = v.opts.renameSession ? v.opts.renameSession(wanted) : null;
  if (refused) return v.say(refused, 3000);
  v.ws.sessionName = wanted;
}

/** Opens a new window whose first pane is what a split would add (a shell in the container). */
function newWindow(v: WorkspaceView): void {
  const spec = v.opts.newPane?.(v.ws);
  if (!spec) return v.say('no command for a new pane');
  v.ws.newWindow(spec);
}

export const PANE_COMMANDS = [
  { name: 'focus-up', keys: ['\x1b[A', '\x1bOA'], label: '↑ ↓ ← →', help: 'move focus to the pane in that direction', run: focus('up') },
  { name: 'focus-down', keys: ['\x1b[B', '\x1bOB'], label: '', help: '', run: focus('down') },
  { name: 'focus-left', keys: ['\x1b[D', '\x1bOD'], label: '', help: '', run: focus('left') },
  { name: 'focus-right', keys: ['\x1b[C', '\x1bOC'], label: '', help: '', run: focus('right') },
  { name: 'next-pane', keys: ['o'], label: 'o', help: 'next pane', run: ({ ws }) => ws.setFocus((ws.focus + 1) % ws.panes.length) },
  {
    name: 'select-pane',
    keys: [],
    label: '',
    help: 'pane by number (C-b q shows the numbers)',
    run: ({ ws }, arg) => {
      const i = Number(arg);
      if (Number.isInteger(i) && i < ws.panes.length) ws.setFocus(i);
    },
  },
  { name: 'zoom', keys: ['z'], label: 'z', help: 'zoom the pane (again: back to the layout)', run: ({ ws }) => ws.toggleZoom() },
  {
    name: 'next-layout',
    keys: [' '],
    label: 'space',
    help: 'next layout (tiled, even-*, main-*)',
    run: (v) => {
      v.ws.cycleLayout(1);
      v.say(`layout ${v.ws.layout}`, 1500);
    },
  },
  {
    name: 'previous-layout',
    keys: ['\x1b[Z'],
    label: 'shift+tab',
    help: 'previous layout',
    run: (v) => {
      v.ws.cycleLayout(-1);
      v.say(`layout ${v.ws.layout}`, 1500);
    },
  },
  {
    name: 'split-below',
    keys: ['"'],
    label: '"',
    help: 'split the pane: a new one below it (a shell in the container), each half as tall',
    run: (v) => split(v, 'v'),
  },
  {
    name: 'split-right',
    keys: ['%'],
    label: '%',
    help: 'split the pane: a new one to its right, each half as wide',
    run: (v) => split(v, 'h'),
  },
  { name: 'resize-up', keys: ['\x1b[1;5A'], label: 'C-↑ C-↓ C-← C-→', help: "resize the pane: move its border a cell that way (M-arrows: 5 cells); C-b space goes back to a preset", run: resize('up', 1) },
  { name: 'resize-down', keys: ['\x1b[1;5B'], label: '', help: '', run: resize('down', 1) },
  { name: 'resize-left', keys: ['\x1b[1;5D'], label: '', help: '', run: resize('left', 1) },
  { name: 'resize-right', keys: ['\x1b[1;5C'], label: '', help: '', run: resize('right', 1) },
  { name: 'resize-up-5', keys: ['\x1b[1;3A'], label: '', help: '', run: resize('up', 5) },
  { name: 'resize-down-5', keys: ['\x1b[1;3B'], label: '', help: '', run: resize('down', 5) },
  { name: 'resize-left-5', keys: ['\x1b[1;3D'], label: '', help: '', run: resize('left', 5) },
  { name: 'resize-right-5', keys: ['\x1b[1;3C'], label: '', help: '', run: resize('right', 5) },
  { name: 'new-window', keys: ['c'], label: 'c', help: 'new window with a shell in the container', run: newWindow },
  { name: 'next-window', keys: ['n'], label: 'n', help: 'next window', run: ({ ws }) => ws.stepWindow(1) },
  { name: 'previous-window', keys: ['p'], label: 'p', help: 'previous window', run: ({ ws }) => ws.stepWindow(-1) },
  {
    name: 'select-window',
    keys: DIGITS,
    label: '0-9',
    help: 'window by number (the status line lists them)',
    run: (v, arg) => {
      if (!v.ws.selectWindow(Number(arg))) v.say(`no window ${arg} (${v.ws.windows.length} open)`, 2000);
    },
  },
  {
    name: 'rename-window',
    keys: [','],
    label: ',',
    help: 'rename the window',
    run: (v, arg) => {
      if (arg !== undefined) return v.ws.renameWindow(v.ws.current, arg);
      v.mode = 'rename-window';
      v.input = v.ws.windowName(v.ws.current);
    },
  },
  {
    name: 'next-attention',
    keys: ['N'],
    label: 'N',
    help: 'go to the pane that has waited longest for you (waiting or failed), in any window or session',
    run: (v) => {
      // without a server (nothing to ask across sessions): this workspace's own
      const local = v.ws.needingUser()[0];
      const next = v.opts.nextAttention ? v.opts.nextAttention() : local ? { session: v.ws.sessionName, ...local } : null;
      if (!next) return v.say('no pane is waiting for you', 2000);
      if (next.session !== v.ws.sessionName) {
        if (!v.opts.switchTo) return v.say(`${next.session} needs you (berth attach ${next.session})`, 3000);
        return v.opts.switchTo(next.session, next.window, next.pane);
      }
      v.ws.selectWindow(next.window);
      v.ws.setFocus(next.pane);
    },
  },
  {
    name: 'mute-pane',
    keys: ['m'],
    label: 'm',
    help: 'mute / unmute the pane: its waiting, failing and bells ring nothing (still counted)',
    run: (v) => {
      const f = v.ws.focused();
      if (!f) return;
      f.muted = !f.muted;
      v.say(`${f.title}: ${f.muted ? 'muted' : 'calls you again'}`, 2000);
    },
  },
  {
    name: 'rename-session',
    keys: ['$'],
    label: '$',
    help: 'rename the session (berth attach NAME then finds it by that name)',
    run: (v, arg) => {
      if (arg !== undefined) return renameSession(v, arg);
      v.mode = 'rename-session';
      v.input = v.ws.sessionName;
    },
  },
  {
    name: 'kill-window',
    keys: ['&'],
    label: '&',
    help: 'close the window and its panes (asks first)',
    run: (v) => {
      v.mode = 'confirm-kill-window';
    },
  },
  {
    name: 'break-pane',
    keys: ['!'],
    label: '!',
    help: 'move the pane into a window of its own',
    run: (v) => {
      if (!v.ws.breakPane()) v.say('the pane is alone in its window already', 2000);
    },
  },
  {
    name: 'kill-pane',
    keys: ['x'],
    label: 'x',
    help: 'close the pane (asks first)',
    run: (v) => {
      v.mode = 'confirm-kill';
    },
  },
  {
    name: 'respawn',
    keys: ['r'],
    label: 'r',
    help: "run an exited pane's command again",
    run: (v) => {
      const f = v.ws.focused();
      if (f && !f.session.running) f.session.respawn();
      else v.say('the pane is still running');
    },
  },
  {
    name: 'respawn-window',
    keys: ['R'],
    label: 'R',
    help: "run every exited pane of the window again (a container that restarted ended them)",
    run: (v) => {
      const exited = v.ws.panes.filter((p) => !p.session.running);
      for (const p of exited) p.session.respawn();
      v.say(exited.length ? `${exited.length} pane${exited.length === 1 ? '' : 's'} running again` : 'no pane of this window has exited', 2000);
    },
  },
  { name: 'swap-previous', keys: ['{'], label: '{', help: 'swap the pane with the previous one (the focus moves with it)', run: (v) => v.ws.swapFocused(-1) },
  { name: 'swap-next', keys: ['}'], label: '}', help: 'swap the pane with the next one', run: (v) => v.ws.swapFocused(1) },
  {
    name: 'copy-mode',
    keys: ['['],
    label: '[',
    help: 'copy mode: scroll back, search, select and copy (its keys: the next table)',
    run: (v) => {
      const f = v.ws.focused();
      if (f) startCopy(v, f, false);
    },
  },
  {
    name: 'copy-mode-page-up',
    keys: ['\x1b[5~'],
    label: 'PgUp',
    help: 'copy mode, one page up already',
    run: (v) => {
      const f = v.ws.focused();
      if (!f) return;
      // as tmux's copy-mode -u: the view goes up a page at once
      startCopy(v, f, false);
      scrollView(f.session.term, v.copy, Math.max(1, f.rect.h - 1), f.rect.h);
    },
  },
  {
    name: 'paste',
    keys: [']'],
    label: ']',
    help: 'paste what copy mode copied last',
    run: (v) => {
      const f = v.ws.focused();
      if (!v.ws.pasteBuffer) v.say('nothing copied yet (copy mode: space, move, y)', 2000);
      else if (f?.session.running) f.session.paste(v.ws.pasteBuffer);
    },
  },
  {
    name: 'rename',
    keys: [],
    label: '',
    help: 'rename the pane (the command prompt: select-pane -T NAME)',
    run: (v, arg) => {
      if (arg !== undefined) return v.ws.rename(v.ws.focus, arg);
      v.mode = 'rename';
      v.input = v.ws.focused()?.title ?? '';
    },
  },
  {
    name: 'command-prompt',
    keys: [':'],
    label: ':',
    help: 'command prompt, as tmux: new-window, select-layout, split-window, kill-pane, select-pane, rename-window, resize-pane -Z, setw monitor-silence N, send-prompt … (tab completes)',
    run: (v) => {
      v.mode = 'command';
      v.input = '';
    },
  },
  {
    name: 'send-prompt',
    keys: ['A'],
    label: 'A',
    help: 'send a prompt to agents: it asks which (all:, cc:, 3: …) with the text',
    run: (v) => {
      v.mode = 'send';
      v.input = '';
    },
  },
  { name: 'choose-tree', keys: ['s', 'w'], label: 's w', help: 'the session tree: every session, window and pane with its agent state; enter shows it here', run: (v) => openTree(v) },
  { name: 'detach', keys: ['d'], label: 'd', help: 'back to where the workspace was opened from', run: (v) => v.finish('detach') },
  {
    name: 'display-panes',
    keys: ['q'],
    label: 'q',
    help: "show each pane's number for a moment; a digit meanwhile selects that pane",
    run: (v) => {
      v.mode = 'numbers';
      // as tmux's display-panes-time: gone after a second unless a key came first
      setTimeout(() => {
        if (v.mode !== 'numbers') return;
        v.mode = 'normal';
        v.redraw();
      }, 1000).unref();
    },
  },
  {
    name: 'help',
    keys: ['?'],
    label: '?',
    help: 'this help',
    run: (v) => {
      v.mode = 'help';
      v.helpScroll = 0;
    },
  },
] as const satisfies readonly PaneCommandDef[];

export type PaneCommandName = (typeof PANE_COMMANDS)[number]['name'];

const BY_NAME = new Map<string, PaneCommandDef>(PANE_COMMANDS.map((c) => [c.name, c]));
const BY_KEY = new Map<string, PaneCommandDef>(PANE_COMMANDS.flatMap((c) => c.keys.map((k) => [k, c] as const)));

/** The command a key after the prefix runs, if any (an unbound key is dropped, as in tmux). */
export function commandForPrefixKey(key: string): PaneCommandName | undefined {
  return BY_KEY.get(key)?.name as PaneCommandName | undefined;
}

/** Runs a command by name (a key after the prefix, or the command prompt) and redraws. */
export function runPaneCommand(v: WorkspaceView, name: PaneCommandName, arg?: string): void {
  BY_NAME.get(name)!.run(v, arg);
  v.redraw();
}

/** Runs what the prefix machine read: the command the key names. */
export function runPrefixKey(v: WorkspaceView, a: Extract<PrefixAction, { type: 'key' }>): void {
  const name = commandForPrefixKey(a.key);
  if (name) runPaneCommand(v, name, name === 'select-window' ? a.key : undefined);
}

/** The help lines: keys and what they do, one per labelled entry. */
export function prefixHelpRows(prefix: string): Array<[string, string]> {
  const rows: Array<[string, string]> = PANE_COMMANDS.filter((c) => c.label).map((c) => [c.label, c.help]);
  rows.push([`${prefix}`, `send ${prefix} itself to the pane`]);
  return rows;
}

/** The pane keys as a Markdown table (README.md holds a copy, checked by a test). */
export function prefixKeyTableMarkdown(prefix = 'C-b'): string {
  const rows = ['| keys | what they do |', '| --- | --- |'];
  for (const [label, help] of prefixHelpRows(prefix)) rows.push(`| \`${prefix} ${label}\` | ${help} |`);
  return rows.join('\n');
}

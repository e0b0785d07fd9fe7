// The workspace's `C-b :` command line, as tmux's: a tmux command name (or its alias) and
// its flags, mapped onto what berth's workspace can do. What berth cannot do yet gets a
// line saying so, and an unknown command an error line; nothing typed here ever reaches a
// pane or an agent. Pure.
import { isLayoutName, LAYOUTS, type LayoutName } from '../panes/layout.js';
import type { PaneCommandName } from './paneCommands.js';
import { completeWord } from '../lib/complete.js';

export type CommandLineAction =
  | { type: 'command'; command: PaneCommandName; arg?: string }
  | { type: 'layout'; layout: LayoutName }
  | { type: 'title'; title: string }
  | { type: 'send'; text: string }
  /** tmux's monitor-silence for the window shown: seconds, 0 = off. */
  | { type: 'silence'; seconds: number };

export type CommandLineResult = { ok: true; action: CommandLineAction } | { ok: false; error: string };

/** Command names (tmux's, and berth's send-prompt) with their aliases, for completion. */
export const COMMAND_NAMES: Record<string, string> = {
  'select-layout': 'selectl',
  'next-layout': 'nextl',
  'previous-layout': 'prevl',
  'split-window': 'splitw',
  'kill-pane': 'killp',
  'select-pane': 'selectp',
  'resize-pane': 'resizep',
  'respawn-pane': 'respawnp',
  'copy-mode': '',
  'paste-buffer': 'pasteb',
  'detach-client': 'detach',
  'list-keys': 'lsk',
  'swap-pane': 'swapp',
  'choose-tree': '',
  'display-panes': 'displayp',
  'send-prompt': '',
  'new-window': 'neww',
  'next-window': 'next',
  'previous-window': 'prev',
  'select-window': 'selectw',
  'rename-window': 'renamew',
  'kill-window': 'killw',
  'break-pane': 'breakp',
  'respawn-window': 'respawnw',
  'rename-session': 'rename',
  'set-window-option': 'setw',
  'set-option': 'set',
};

/** Commands that take no arguments berth uses: the workspace command each one runs. */
const SIMPLE: Record<string, PaneCommandName> = {
  'next-layout': 'next-layout',
  'previous-layout': 'previous-layout',
  'split-window': 'split-below',
  'kill-pane': 'kill-pane',
  'respawn-pane': 'respawn',
  'copy-mode': 'copy-mode',
  'paste-buffer': 'paste',
  'detach-client': 'detach',
  'list-keys': 'help',
  'choose-tree': 'choose-tree',
  'display-panes': 'display-panes',
  'new-window': 'new-window',
  'next-window': 'next-window',
  'previous-window': 'previous-window',
  'kill-window': 'kill-window',
  'break-pane': 'break-pane',
  'respawn-window': 'respawn-window',
};

function canonical(word: string): string | null {
  for (const [name, alias] of Object.entries(COMMAND_NAMES)) if (word === name || (alias && word === alias)) return name;
  return null;
}

/** Splits a command line into words, honouring single and double quotes. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

const ok = (action: CommandLineAction): CommandLineResult => ({ ok: true, action });
const fail = (error: string): CommandLineResult => ({ ok: false, error });

export function parseCommandLine(line: string): CommandLineResult {
  const trimmed = line.trim();
  const [first = '', ...args] = words(trimmed);
  if (!first) return fail('no command');
  const name = canonical(first);
  if (!name) return fail(`unknown command: ${first}`);
  const flag = (f: string) => args.includes(f);
  const value = (f: string) => {
    const i = args.indexOf(f);
    return i >= 0 ? args[i + 1] : undefined;
  };
  // split-window: -h puts the new pane to the right, else below (tmux's -v default)
  if (name === 'split-window') return ok({ type: 'command', command: flag('-h') ? 'split-right' : 'split-below' });
  const simple = SIMPLE[name];
  if (simple) return ok({ type: 'command', command: simple });
  switch (name) {
    case 'select-layout': {
      if (flag('-n')) return ok({ type: 'command', command: 'next-layout' });
      if (flag('-p')) return ok({ type: 'command', command: 'previous-layout' });
      const l = args.find((a) => !a.startsWith('-'));
      if (!l) return fail(`select-layout: name one of ${LAYOUTS.join(', ')}`);
      return isLayoutName(l) ? ok({ type: 'layout', layout: l }) : fail(`select-layout: unknown layout ${l} (${LAYOUTS.join(', ')})`);
    }
    case 'select-pane': {
      const title = value('-T');
      if (title !== undefined) return ok({ type: 'title', title });
      const dirs: Record<string, PaneCommandName> = { '-U': 'focus-up', '-D': 'focus-down', '-L': 'focus-left', '-R': 'focus-right' };
      for (const [f, command] of Object.entries(dirs)) if (flag(f)) return ok({ type: 'command', command });
      const t = value('-t');
      if (t !== undefined && /^\d+$/.test(t)) return ok({ type: 'command', command: 'select-pane', arg: t });
      return fail('select-pane: -t N, -U -D -L -R, or -T title');
    }
    case 'resize-pane': {
      if (flag('-Z')) return ok({ type: 'command', command: 'zoom' });
      const edges: Record<string, PaneCommandName> = { '-U': 'resize-up', '-D': 'resize-down', '-L': 'resize-left', '-R': 'resize-right' };
      const which = Object.keys(edges).find((f) => flag(f));
      if (!which) return fail('resize-pane: -L, -R, -U or -D [cells] (or -Z to zoom)');
      const count = args.find((a) => /^\d+$/.test(a));
      return ok(count ? { type: 'command', command: edges[which]!, arg: count } : { type: 'command', command: edges[which]! });
    }
    case 'swap-pane':
      if (flag('-U')) return ok({ type: 'command', command: 'swap-previous' });
      if (flag('-D')) return ok({ type: 'command', command: 'swap-next' });
      return fail('swap-pane: -U (with the previous pane) or -D (with the next)');
    case 'select-window': {
      if (flag('-n')) return ok({ type: 'command', command: 'next-window' });
      if (flag('-p')) return ok({ type: 'command', command: 'previous-window' });
      const t = value('-t');
      if (t !== undefined && /^\d+$/.test(t)) return ok({ type: 'command', command: 'select-window', arg: t });
      return fail('select-window: -t N, -n (next) or -p (previous)');
    }
    case 'rename-session': {
      const name = args.filter((a) => !a.startsWith('-')).join(' ');
      return ok(name ? { type: 'command', command: 'rename-session', arg: name } : { type: 'command', command: 'rename-session' });
    }
    case 'rename-window': {
      const name = args.filter((a) => !a.startsWith('-')).join(' ');
      return ok(name ? { type: 'command', command: 'rename-window', arg: name } : { type: 'command', command: 'rename-window' });
    }
    case 'set-option':
    case 'set-window-option': {
      // the one option berth has: monitor-silence (a window option in tmux: set -w, setw)
      const rest = args.filter((a) => !a.startsWith('-'));
      if (rest[0] !== 'monitor-silence') return fail(`${name}: berth knows one option, monitor-silence [seconds] (0 = off)`);
      const seconds = rest[1] === undefined ? 0 : Number(rest[1]);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) return fail(`monitor-silence: seconds from 0 (off) to 86400, got "${rest[1]}"`);
      return ok({ type: 'silence', seconds });
    }
    case 'send-prompt': {
      const text = trimmed.slice(first.length).trim();
      if (!text) return fail('send-prompt: give the text (cc: …, 3: …, all: … to choose the panes)');
      return ok({ type: 'send', text });
    }
  }
  return fail(`unknown command: ${first}`);
}

/** Completes the command word: the one name that starts with it, or the candidates. */
export function completeCommand(line: string): { line: string; candidates: string[] } {
  return completeWord(line, Object.keys(COMMAND_NAMES));
}

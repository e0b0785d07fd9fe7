// What each prefix command does (the keys and help of each are in src/input/prefix.ts, the
// prefix key table; the command prompt reaches the same handlers by name). A command
// without a handler here does not compile.
import type { PaneCommandName, PrefixAction } from '../input/prefix.js';
import { scrollView } from './copyMode.js';
import { startCopy } from './modes/copy.js';
import { openTree } from './modes/tree.js';
import type { WorkspaceView } from './view.js';

type Handler = (v: WorkspaceView, arg?: number) => void;

const focus = (dir: 'up' | 'down' | 'left' | 'right'): Handler => (v) => v.ws.moveFocus(dir);

export const PANE_COMMANDS: Record<PaneCommandName, Handler> = {
  'focus-up': focus('up'),
  'focus-down': focus('down'),
  'focus-left': focus('left'),
  'focus-right': focus('right'),
  'next-pane': ({ ws }) => ws.setFocus((ws.focus + 1) % ws.panes.length),
  'previous-pane': ({ ws }) => ws.setFocus((ws.focus + ws.panes.length - 1) % ws.panes.length),
  'select-pane': ({ ws }, arg) => {
    if (arg !== undefined && arg < ws.panes.length) ws.setFocus(arg);
  },
  zoom: ({ ws }) => ws.toggleZoom(),
  'next-layout': (v) => {
    v.ws.cycleLayout(1);
    v.say(`layout ${v.ws.layout}`, 1500);
  },
  'previous-layout': (v) => {
    v.ws.cycleLayout(-1);
    v.say(`layout ${v.ws.layout}`, 1500);
  },
  split: (v) => {
    const spec = v.opts.newPane?.(v.ws);
    if (!spec) return v.say('no command for a new pane');
    v.ws.add(spec);
    v.ws.setFocus(v.ws.panes.length - 1);
  },
  'kill-pane': (v) => {
    v.mode = 'confirm-kill';
  },
  respawn: (v) => {
    const f = v.ws.focused();
    if (f && !f.session.running) f.session.respawn();
    else v.say('the pane is still running');
  },
  'copy-mode': (v) => {
    const f = v.ws.focused();
    if (f) startCopy(v, f, false);
  },
  'copy-mode-page-up': (v) => {
    const f = v.ws.focused();
    if (!f) return;
    // as tmux's copy-mode -u: the view goes up a page at once
    startCopy(v, f, false);
    scrollView(f.session.term, v.copy, Math.max(1, f.rect.h - 1), f.rect.h);
  },
  'swap-previous': (v) => v.ws.swapFocused(-1),
  'swap-next': (v) => v.ws.swapFocused(1),
  paste: (v) => {
    const f = v.ws.focused();
    if (!v.ws.pasteBuffer) v.say('nothing copied yet (copy mode: space, move, y)', 2000);
    else if (f?.session.running) f.session.paste(v.ws.pasteBuffer);
  },
  rename: (v) => {
    v.mode = 'rename';
    v.input = v.ws.focused()?.title ?? '';
  },
  'send-prompt': (v) => {
    v.mode = 'send';
    v.input = '';
  },
  'command-prompt': (v) => {
    v.mode = 'command';
    v.input = '';
  },
  'choose-tree': (v) => openTree(v),
  detach: (v) => v.finish('detach'),
  'display-panes': (v) => {
    v.mode = 'numbers';
    // as tmux's display-panes-time: gone after a second unless a key came first
    setTimeout(() => {
      if (v.mode !== 'numbers') return;
      v.mode = 'normal';
      v.redraw();
    }, 1000).unref();
  },
  help: (v) => {
    v.mode = 'help';
  },
};

export function runPaneCommand(v: WorkspaceView, a: Extract<PrefixAction, { type: 'command' }>): void {
  PANE_COMMANDS[a.command](v, a.arg);
  v.redraw();
}

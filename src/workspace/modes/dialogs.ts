// The modes that take every key until they end: help (any key closes it), the kill
// confirmation (y closes the pane), and the one-line prompts (rename, send a prompt to
// agents, the command prompt, copy mode's search), with their line editing.
import { parsePromptTarget, sendPrompt } from '../../panes/prompt.js';
import { completeCommand, parseCommandLine } from '../commandLine.js';
import { searchFrom } from '../copyMode.js';
import { renameSession, runPaneCommand } from '../paneCommands.js';
import type { WorkspaceView } from '../view.js';
import { copyKey } from './copy.js';
import { treeKey } from './tree.js';

/** Line editing for prompts; returns the submitted line, null on escape, undefined while editing. */
function edit(v: WorkspaceView, key: string): string | null | undefined {
  if (key === '\r' || key === '\n') return v.input;
  if (key === '\x1b' || key === '\x03' || key === '\x07') return null;
  if (key === '\x7f' || key === '\b') v.input = [...v.input].slice(0, -1).join('');
  else if (key === '\x15') v.input = '';
  else if (!key.startsWith('\x1b') && key >= ' ') v.input += key;
  return undefined;
}

/** Sends a prompt to the panes its target names ("cc: …", "3: …", "all: …"). */
export function sendTo(v: WorkspaceView, line: string): void {
  const { target, text } = parsePromptTarget(line);
  const panes = v.ws.select(target);
  if (panes.length === 0) return v.say(`no pane matches "${target}"`);
  v.say(`sending to ${panes.length} pane(s)…`);
  void sendPrompt(panes, text).then((results) => {
    const missed = results.filter((r) => !r.taken);
    v.say(missed.length ? `not taken by ${missed.map((r) => `${r.pane.title} (${r.reason})`).join(', ')}` : `sent to ${results.length} pane(s)`);
  });
}

/** A line submitted in the command prompt (`C-b :`), tmux's command names. */
function runCommandLine(v: WorkspaceView, line: string): void {
  if (!line.trim()) return;
  const r = parseCommandLine(line);
  if (!r.ok) return v.say(r.error, 3000);
  const act = r.action;
  if (act.type === 'command') return runPaneCommand(v, act.command, act.arg);
  if (act.type === 'layout') {
    v.ws.setLayout(act.layout);
    return v.say(`layout ${v.ws.layout}`, 1500);
  }
  if (act.type === 'title') return v.ws.rename(v.ws.focus, act.title);
  if (act.type === 'silence') {
    v.ws.setSilence(act.seconds);
    return v.say(act.seconds ? `monitor-silence ${act.seconds}: a pane of this window quiet for ${act.seconds} s calls you and counts as done` : 'monitor-silence off', 3000);
  }
  sendTo(v, act.text);
}

/** One key while the workspace is not in normal mode. */
export function dialogKey(v: WorkspaceView, key: string): void {
  switch (v.mode) {
    case 'help': {
      // j/k (arrows, page keys) scroll a help taller than the screen; any other key closes it
      const step = key === 'j' || key === '\x1b[B' || key === '\x1bOB' ? 1 : key === 'k' || key === '\x1b[A' || key === '\x1bOA' ? -1 : key === ' ' || key === '\x1b[6~' ? 10 : key === '\x1b[5~' ? -10 : 0;
      if (step) v.helpScroll = Math.max(0, v.helpScroll + step);
      else v.mode = 'normal';
      return;
    }
    case 'confirm-kill':
      v.mode = 'normal';
      if (key === 'y' || key === 'Y') {
        v.ws.remove(v.ws.focus);
        if (v.ws.allPanes().length === 0) v.finish('empty');
      }
      return;
    case 'confirm-kill-window':
      v.mode = 'normal';
      if (key === 'y' || key === 'Y') {
        // the last window: its panes close and the session is over, as in tmux
        if (!v.ws.killWindow(v.ws.current)) {
          for (let i = v.ws.panes.length - 1; i >= 0; i--) v.ws.remove(i);
          v.finish('empty');
        }
      }
      return;
    case 'copy':
      return copyKey(v, key);
    case 'tree':
      return treeKey(v, key);
    case 'numbers':
      // a digit picks that pane; any key ends the display
      v.mode = 'normal';
      if (/^[0-9]$/.test(key) && Number(key) < v.ws.panes.length) v.ws.setFocus(Number(key));
      return;
  }
  if (v.mode === 'command') {
    v.completions = '';
    if (key === '\t') {
      const c = completeCommand(v.input);
      v.input = c.line;
      if (c.candidates.length > 1) v.completions = c.candidates.join(' ');
      return;
    }
  }
  const line = edit(v, key);
  if (line === undefined) return;
  const was = v.mode;
  v.mode = was === 'copy-search' ? 'copy' : 'normal';
  if (line === null) return;
  if (was === 'rename') v.ws.rename(v.ws.focus, line);
  else if (was === 'rename-window') v.ws.renameWindow(v.ws.current, line);
  else if (was === 'rename-session') renameSession(v, line);
  else if (was === 'command') runCommandLine(v, line);
  else if (was === 'copy-search') {
    v.copy.search = line;
    const f = v.ws.focused();
    // searches go back through the output, as from the bottom of a terminal one looks up
    if (f && line && !searchFrom(f.session.term, v.copy, f.rect.h, true)) v.say(`not found: ${line}`, 2000);
  } else if (was === 'send' && line.trim()) sendTo(v, line);
}

/** What the status line says while a dialog is open (undefined: none). */
export function dialogPrompt(v: WorkspaceView): string | undefined {
  const f = v.ws.focused();
  switch (v.mode) {
    case 'confirm-kill':
      return f ? `close pane ${v.ws.focus} ${f.title}${f.session.running ? ' (ends its process)' : ''}? y/n` : undefined;
    case 'rename':
      return `rename pane: ${v.input}`;
    case 'rename-window':
      return `rename window: ${v.input}`;
    case 'rename-session':
      return `rename session: ${v.input}`;
    case 'confirm-kill-window': {
      const n = v.ws.panes.length;
      const running = v.ws.panes.filter((p) => p.session.running).length;
      return `close window ${v.ws.current} ${v.ws.windowName(v.ws.current)} and its ${n} pane${n === 1 ? '' : 's'}${running ? ` (ends ${running} process${running === 1 ? '' : 'es'})` : ''}${v.ws.windows.length === 1 ? ', the last window: the session ends' : ''}? y/n`;
    }
    case 'send':
      return `send to which agents? all: / cc: / 2: then the text: ${v.input}`;
    case 'command':
      // the prompt stands in the status line, where messages would: candidates go before it
      return `${v.completions ? `[${v.completions}] ` : ''}:${v.input}`;
    case 'copy-search':
      return `search: ${v.input}`;
    default:
      return undefined;
  }
}

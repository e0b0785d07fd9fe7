// What a key does on the dashboard: the top open view (views.ts) decides where the key
// goes; text fields edit here, every other key runs its command's handler from the key
// table (dashboardCommands.ts). No React.
import type { AppStore } from '../dashboard/store.js';
import { bottomIndex, findLine } from '../dashboard/logModel.js';
import { completeWord } from '../lib/complete.js';
import { COMMANDS, footerHints, handlerFor, type CommandId, type FooterView } from './dashboardCommands.js';
import type { DashboardContext, Where } from './dashboardMoves.js';
import { CHAINS, currentKeymap, prettyKey, type ChainName } from './keymap.js';
import { topView, viewStack } from '../dashboard/views.js';

export type { DashboardContext, Where };

/**
 * The view that gets a key: the top of the view stack, or with `throughOverlays` the view
 * under help, the filter line and a prompt (help lists that view's keys first).
 */
export function whereOf(store: AppStore, throughOverlays = false): Where {
  const s = store.getState();
  const stack = viewStack(s).filter((v) => v !== 'filter' && v !== 'prompt' && !(throughOverlays && v === 'help'));
  switch (stack[0]) {
    case 'help':
      return 'help';
    case 'confirm':
      return 'confirm';
    case 'panel': {
      const kind = s.projectPanel?.kind;
      return kind === 'menu' ? 'compose' : kind === 'confirmDown' || kind === 'confirmProxy' ? 'confirmDown' : kind === 'presets' ? 'picker' : kind === 'sessions' ? 'sessions' : 'panel';
    }
    case 'maint':
      return s.ui.maint?.kind === 'disk' ? 'disk' : s.ui.maint?.kind === 'prune' ? 'prune' : 'backup';
    case 'detail':
      return s.ui.tab === 'logs' ? 'logs' : s.ui.tab === 'env' ? 'env' : 'detail';
    default:
      return 'list';
  }
}

/** The key chain each view looks keys up along (keymap.ts). */
const CHAIN_OF: Record<Where, ChainName> = {
  list: 'list',
  detail: 'detail',
  logs: 'logs',
  env: 'env',
  help: 'help',
  confirm: 'confirm',
  panel: 'panel',
  compose: 'compose',
  picker: 'picker',
  confirmDown: 'confirm',
  backup: 'confirm',
  prune: 'prune',
  disk: 'list',
  sessions: 'sessions',
};

/** The key chain of the view under the overlays: help lists it first. */
export function activeChain(store: AppStore): ChainName {
  return CHAIN_OF[whereOf(store, true)];
}

/** The views whose footer shows key hints; the dialogs show their own choices. */
const FOOTERS: ReadonlySet<Where> = new Set<FooterView>(['list', 'detail', 'logs', 'env', 'help', 'panel', 'compose', 'disk']) as ReadonlySet<Where>;

/** The footer's view; null for a dialog, which shows its own choices. */
export function footerView(store: AppStore): FooterView | null {
  const w = whereOf(store);
  return FOOTERS.has(w) ? (w as FooterView) : null;
}

/** The footer's hints of a view, from the key table, in the order its key chain looks keys up. */
export function hintsOf(view: FooterView): Array<[CommandId, string]> {
  return footerHints(view, CHAINS[CHAIN_OF[view]]!);
}

/** Edits a one-line text field; returns the new text, or null when the key is not an edit. */
function edit(value: string, key: string, text: string): string | null {
  if (key === 'backspace') return [...value].slice(0, -1).join('');
  if (key === 'ctrl+u') return '';
  if (key === 'ctrl+w') return value.replace(/\S*\s*$/, '');
  if (text) return value + text;
  return null;
}

/** Dialogs keep their message line while keys are pressed: it says what the choice did. */
const KEEPS_MESSAGE: ReadonlySet<Where> = new Set(['confirm', 'confirmDown', 'backup', 'prune', 'disk']);

export function handleDashboardKey(ctx: DashboardContext, key: string, text: string): void {
  const s = ctx.store.getState();
  // ctrl+c always quits, whatever is open
  if (key === 'ctrl+c') return ctx.quit();
  const top = topView(s);
  if (top === 'filter') {
    if (key === 'escape') s.endFilter(false);
    else if (key === 'enter') s.endFilter(true);
    else {
      const next = edit(s.ui.filter, key, text);
      if (next !== null) s.editFilter(next);
    }
    return;
  }
  if (top === 'prompt') return promptKey(ctx, key, text);
  if (s.projectPanel && s.projectPanel.kind !== 'sessions' && !ctx.projectOps && top === 'panel') return ctx.store.setState({ projectPanel: null });
  const where = whereOf(ctx.store);
  const chain = CHAIN_OF[where];
  const cmd = currentKeymap().lookup(chain, key);
  if (!cmd) return unboundKey(ctx.store, chain, key);
  if (s.ui.message && !KEEPS_MESSAGE.has(where)) s.setMessage(null);
  const run = handlerFor(cmd, where);
  if (run) run(ctx, key, where);
  else if (!KEEPS_MESSAGE.has(where)) unboundKey(ctx.store, chain, key);
}

/** Keys already said to do nothing, per store and view: each is said once. */
const toldUnbound = new WeakMap<AppStore, Set<string>>();

/** A key that does nothing in this view says so, once (modifier-only and unknown sequences stay quiet). */
function unboundKey(store: AppStore, chain: ChainName, key: string): void {
  if (!key || key.startsWith('\x1b')) return;
  if (chain === 'confirm' || chain === 'prune') return;
  const told = toldUnbound.get(store) ?? new Set<string>();
  toldUnbound.set(store, told);
  const id = `${chain}\0${key}`;
  if (told.has(id)) return;
  told.add(id);
  store.getState().setMessage(`${prettyKey(key)} does nothing here (? lists this view's keys)`);
}

/** Words the dashboard's `:` line knows besides the commands of the key table. */
const LINE_WORDS = ['q', 'quit', 'project', 'proxy'];

/** Completes the first word of a `:` line: the one name that starts with it, or the candidates. */
export function completeDashboardCommand(line: string): { line: string; candidates: string[] } {
  return completeWord(line, [...LINE_WORDS, ...COMMANDS.map((c) => c.id).filter((id) => id !== 'commandLine')], true);
}

/** Runs a `:` line (k9s): q, project NAME, or a command of the key table by its name. */
export function runCommandLine(ctx: DashboardContext, line: string): void {
  const s = ctx.store.getState();
  const [word = '', ...rest] = line.trim().split(/\s+/);
  if (!word) return;
  if (word === 'q' || word === 'quit' || word === 'q!') return ctx.quit();
  if (word === 'project' || word === 'p') {
    const name = rest.join(' ');
    const i = s.projects.findIndex((p) => p.name === name);
    if (i < 0) return s.setMessage(`project ${name || '(none)'}: not listed (tab completes command names; the projects are on the left)`, 'error');
    return s.patchUi({ projectIndex: i + 1, focus: 'projects', view: 'list', containerIndex: 0 });
  }
  if (word === 'proxy') {
    // proxy HOST [PORT] [tls]: the selected container's compose service behind Traefik
    const [host, ...more] = rest;
    const port = more.find((w) => /^\d+$/.test(w));
    const tls = more.some((w) => w.toLowerCase() === 'tls');
    if (!host || more.some((w) => w !== port && w.toLowerCase() !== 'tls')) return s.setMessage('proxy HOST [PORT] [tls]: e.g. proxy app.example.com 8080 tls, on the container to route', 'error');
    if (!ctx.projectOps) return s.setMessage('proxy: not available here', 'error');
    return ctx.projectOps.proxyAdd(host, port === undefined ? undefined : Number(port), tls);
  }
  const id = COMMANDS.find((c) => c.id.toLowerCase() === word.toLowerCase())?.id as CommandId | undefined;
  if (!id || id === 'commandLine') return s.setMessage(`unknown command: ${word} (tab completes; ? lists the commands)`, 'error');
  const where = whereOf(ctx.store);
  const run = handlerFor(id, where);
  if (!run) return s.setMessage(`${id}: not a command of this view`, 'error');
  run(ctx, '', where);
}

/** Keys while a one-line prompt (search, filter, file name, tail/since) is open. */
function promptKey(ctx: DashboardContext, key: string, text: string): void {
  const s = ctx.store.getState();
  const p = s.ui.prompt!;
  if (key === 'escape') {
    if (p.kind === 'helpSearch') s.patchUi({ helpSearch: '', helpScroll: 0 });
    if (p.kind === 'search') s.patchLogView({ search: '', match: null });
    if (p.kind === 'logFilter') s.patchLogView({ filter: '' });
    return s.patchUi({ prompt: null });
  }
  if (p.kind === 'command' && key === 'tab') {
    const c = completeDashboardCommand(p.value);
    return s.patchUi({ prompt: { ...p, value: c.line, label: c.candidates.length > 1 ? c.candidates.slice(0, 12).join(' ') : '' } });
  }
  if (key === 'enter' && p.kind === 'command') {
    s.patchUi({ prompt: null });
    return runCommandLine(ctx, p.value);
  }
  if (key === 'enter') {
    if (p.kind === 'helpSearch') return s.patchUi({ prompt: null });
    if (p.kind === 'search') {
      // Jump to the match nearest to the bottom of the view, searching upwards.
      const buf = s.logSession?.buffer;
      const lv = s.ui.logView;
      if (buf && lv.search) {
        const hit = findLine(buf, lv.search, lv.filter, bottomIndex(buf, lv) + 1, -1);
        if (hit === null) s.setMessage(`"${lv.search}": not found`, 'error');
        else s.patchLogView({ follow: false, anchor: buf.dropped + hit, match: buf.dropped + hit });
      }
      return s.patchUi({ prompt: null });
    }
    if (ctx.ops) return ctx.ops.submitPrompt();
    return s.patchUi({ prompt: null });
  }
  const next = edit(p.value, key, text);
  if (next === null) return;
  s.patchUi({ prompt: { ...p, value: next } });
  if (p.kind === 'search') s.patchLogView({ search: next, match: null });
  if (p.kind === 'logFilter') s.patchLogView({ filter: next, match: null });
  if (p.kind === 'helpSearch') s.patchUi({ helpSearch: next, helpScroll: 0 });
}

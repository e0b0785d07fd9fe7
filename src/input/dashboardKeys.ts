// What a key does on the dashboard, given the store. No React.
import { DETAIL_TABS, type AppStore, type DetailTab } from '../dashboard/store.js';
import { bottomIndex, findLine, stepLines } from '../dashboard/logModel.js';
import type { OpCommand, Operations } from '../dashboard/operations.js';
import { completeWord } from '../lib/complete.js';
import { COMMANDS, currentKeymap, prettyKey, type ChainName, type CommandId } from './keymap.js';
import { handleMaintKey } from './maintenanceKeys.js';
import { handleProjectPanelKey, projectPanelChain } from './projectPanelKeys.js';
import type { ProjectOps } from '../dashboard/projectOps.js';
import { topView, viewStack } from '../dashboard/views.js';

export interface DashboardContext {
  store: AppStore;
  quit(): void;
  /** Rows in the visible page, for page up/down. */
  pageSize(): number;
  /** The engine side; absent in pure UI tests. */
  ops?: Operations;
  /** Doctor and compose of a project; absent in pure UI tests. */
  projectOps?: ProjectOps;
}

/**
 * The key chain of the top view (views.ts orders them), looking through the overlays that
 * take keys of their own (help, the filter line, a prompt): help lists this chain first.
 */
export function activeChain(store: AppStore): ChainName {
  const s = store.getState();
  switch (viewStack(s).find((v) => v !== 'help' && v !== 'filter' && v !== 'prompt')) {
    case 'confirm':
      return 'confirm';
    case 'panel':
      return projectPanelChain(store) ?? 'list';
    case 'maint':
      return s.ui.maint?.kind === 'disk' ? 'list' : 'confirm';
    case 'detail':
      return s.ui.tab === 'logs' ? 'logs' : s.ui.tab === 'env' ? 'env' : 'detail';
    default:
      return 'list';
  }
}

/** Edits a one-line text field; returns the new text, or null when the key is not an edit. */
function edit(value: string, key: string, text: string): string | null {
  if (key === 'backspace') return [...value].slice(0, -1).join('');
  if (key === 'ctrl+u') return '';
  if (key === 'ctrl+w') return value.replace(/\S*\s*$/, '');
  if (text) return value + text;
  return null;
}

const TAB_KEYS: Partial<Record<CommandId, DetailTab>> = {
  tabLogs: 'logs',
  tabStats: 'stats',
  tabInspect: 'inspect',
  tabEnv: 'env',
  tabTop: 'top',
};

export function handleDashboardKey(ctx: DashboardContext, key: string, text: string): void {
  const s = ctx.store.getState();
  const ops = ctx.ops;
  const top = topView(s);
  if (top === 'filter') {
    if (key === 'escape') s.endFilter(false);
    else if (key === 'enter') s.endFilter(true);
    else if (key === 'ctrl+c') ctx.quit();
    else {
      const next = edit(s.ui.filter, key, text);
      if (next !== null) s.editFilter(next);
    }
    return;
  }
  if (top === 'prompt') return promptKey(ctx, key, text);
  if (top === 'maint') return handleMaintKey({ ...ctx, maint: ops?.maint() }, key);
  if (top === 'panel') return handleProjectPanelKey(ctx, key);
  if (top === 'help') {
    if (key === 'ctrl+c') ctx.quit();
    else if (key === '?' || key === 'escape' || key === 'q' || key === 'enter') s.toggleHelp(false);
    else {
      const nav = currentKeymap().lookup('list', key);
      const d = nav === 'down' ? 1 : nav === 'up' ? -1 : nav === 'pageDown' ? ctx.pageSize() : nav === 'pageUp' ? -ctx.pageSize() : nav === 'top' ? -1e6 : 0;
      if (d) s.patchUi({ helpScroll: Math.max(0, s.ui.helpScroll + d) });
    }
    return;
  }
  const chain = activeChain(ctx.store);
  const cmd = currentKeymap().lookup(chain, key);
  if (chain === 'confirm') {
    if (key === 'ctrl+c') return ctx.quit();
    if (!ops) return s.patchUi({ confirm: null });
    if (cmd === 'confirmYes') return ops.confirm('yes');
    if (cmd === 'confirmDry') return ops.confirm('dry');
    if (cmd === 'confirmVolumes') return ops.confirm('volumes');
    if (cmd === 'confirmForce') return ops.confirm('force');
    if (cmd === 'confirmNo') return ops.confirm('no');
    return;
  }
  if (s.ui.message && cmd) s.setMessage(null);
  if (!cmd) return unboundKey(ctx.store, chain, key);
  const everywhere = ANY_VIEW[cmd];
  if (everywhere) return everywhere(ctx, key);
  if (s.ui.view === 'detail') return detailKey(ctx, cmd);
  LIST[cmd]?.(ctx, key);
}

type Handler = (ctx: DashboardContext, key: string) => void;

/** Keys already said to do nothing, per store and view: each is said once. */
const toldUnbound = new WeakMap<AppStore, Set<string>>();

/** A key that does nothing in this view says so, once (modifier-only and unknown sequences stay quiet). */
function unboundKey(store: AppStore, chain: ChainName, key: string): void {
  if (!key || key.startsWith('\x1b')) return;
  const told = toldUnbound.get(store) ?? new Set<string>();
  toldUnbound.set(store, told);
  const id = `${chain}\0${key}`;
  if (told.has(id)) return;
  told.add(id);
  store.getState().setMessage(`${prettyKey(key)} does nothing here (? lists this view's keys)`);
}

const needOps = (ctx: DashboardContext, fn: (o: Operations) => void): void => (ctx.ops ? fn(ctx.ops) : ctx.store.getState().setMessage('not connected to an engine', 'error'));
const needProjectOps = (ctx: DashboardContext, fn: (o: ProjectOps) => void): void =>
  ctx.projectOps ? fn(ctx.projectOps) : ctx.store.getState().setMessage('not connected to an engine', 'error');
const opCommand = (cmd: OpCommand): Handler => (ctx) => needOps(ctx, (o) => o.command(cmd));

/** What each command of the key table (keymap.ts) does in the list and the detail view alike. */
const ANY_VIEW: Partial<Record<CommandId, Handler>> = {
  help: (ctx) => ctx.store.getState().toggleHelp(),
  commandLine: (ctx) => ctx.store.getState().patchUi({ prompt: { kind: 'command', label: '', value: '' } }),
  quit: (ctx, key) => {
    const s = ctx.store.getState();
    // q closes the open view and quits only from the top level (k9s); ctrl+c always quits
    if (key !== 'ctrl+c' && s.ui.view === 'detail') return ctx.ops ? ctx.ops.closeDetail() : s.patchUi({ view: 'list', detail: null });
    ctx.quit();
  },
  restart: opCommand('restart'),
  stopStart: opCommand('stopStart'),
  pauseToggle: opCommand('pauseToggle'),
  kill: opCommand('kill'),
  remove: opCommand('remove'),
  exec: (ctx) => needOps(ctx, (o) => o.exec()),
  backup: (ctx) => needOps(ctx, (o) => o.maint().openBackup()),
  cancelBackup: (ctx) => needOps(ctx, (o) => o.maint().cancelBackup()),
};

/** What each command does in the lists (projects and containers). */
const LIST: Partial<Record<CommandId, Handler>> = {
  down: (ctx) => ctx.store.getState().moveSelection(1),
  up: (ctx) => ctx.store.getState().moveSelection(-1),
  pageDown: (ctx) => ctx.store.getState().moveSelection(ctx.pageSize()),
  pageUp: (ctx) => ctx.store.getState().moveSelection(-ctx.pageSize()),
  top: (ctx) => ctx.store.getState().moveToEdge('first'),
  bottom: (ctx) => ctx.store.getState().moveToEdge('last'),
  nextPanel: (ctx) => ctx.store.getState().focusPanel('next'),
  prevPanel: (ctx) => ctx.store.getState().focusPanel('next'),
  open: (ctx) => {
    const s = ctx.store.getState();
    if (s.ui.focus === 'projects') return s.openProject();
    needOps(ctx, (o) => o.openDetail('logs'));
  },
  projectLogs: (ctx) => needOps(ctx, (o) => o.openProjectLogs()),
  back: (ctx) => {
    const s = ctx.store.getState();
    if (s.ui.filter) return s.endFilter(false);
    s.focusPanel('projects');
  },
  filter: (ctx) => ctx.store.getState().startFilter(),
  agents: (ctx) => needOps(ctx, (o) => o.agents()),
  doctor: (ctx) => needProjectOps(ctx, (p) => p.doctor()),
  agentPreset: (ctx) => needProjectOps(ctx, (p) => p.openPresets()),
  composeMenu: (ctx) => needProjectOps(ctx, (p) => p.openMenu()),
  diskUsage: (ctx) => needOps(ctx, (o) => o.maint().openDisk()),
  prune: (ctx) => needOps(ctx, (o) => o.maint().openPrune()),
  gpu: (ctx) => {
    const s = ctx.store.getState();
    if (!s.gpu) return s.setMessage('no GPU tool found (nvidia-smi or rocm-smi)');
    s.toggleGpuPanel();
  },
};

function detailKey(ctx: DashboardContext, cmd: CommandId): void {
  const s = ctx.store.getState();
  const ops = ctx.ops;
  const tabIdx = DETAIL_TABS.indexOf(s.ui.tab);
  const setTab = (t: DetailTab) => (ops ? ops.setTab(t) : s.patchUi({ tab: t, tabScroll: 0 }));
  const tab = TAB_KEYS[cmd];
  if (tab) return setTab(tab);
  switch (cmd) {
    case 'nextTab':
      return setTab(DETAIL_TABS[(tabIdx + 1) % DETAIL_TABS.length]!);
    case 'prevTab':
      return setTab(DETAIL_TABS[(tabIdx + DETAIL_TABS.length - 1) % DETAIL_TABS.length]!);
    case 'back': {
      const lv = s.ui.logView;
      if (s.ui.tab === 'logs' && (lv.filter || lv.search)) return s.patchLogView({ filter: '', search: '', match: null });
      if (ops) return ops.closeDetail();
      return s.patchUi({ view: 'list', detail: null });
    }
    case 'reveal':
      return s.patchUi({ revealEnv: !s.ui.revealEnv });
  }
  if (s.ui.tab === 'logs') return logKey(ctx, cmd);
  // inspect, env, top, stats: scroll
  const page = ctx.pageSize();
  const scroll = (d: number) => s.patchUi({ tabScroll: Math.max(0, s.ui.tabScroll + d) });
  switch (cmd) {
    case 'down':
      return scroll(1);
    case 'up':
      return scroll(-1);
    case 'pageDown':
      return scroll(page);
    case 'pageUp':
      return scroll(-page);
    case 'top':
      return s.patchUi({ tabScroll: 0 });
    case 'bottom':
      return s.patchUi({ tabScroll: 1e6 });
  }
}

function logKey(ctx: DashboardContext, cmd: CommandId): void {
  const s = ctx.store.getState();
  const ops = ctx.ops;
  const buf = s.logSession?.buffer;
  const lv = s.ui.logView;
  const moveTo = (i: number, follow = false) => {
    if (!buf) return;
    const atEnd = i >= buf.length - 1;
    s.patchLogView({ follow: follow || (atEnd && lv.follow), anchor: buf.dropped + Math.max(0, i) });
  };
  const cur = buf ? bottomIndex(buf, lv) : 0;
  switch (cmd) {
    case 'down':
    case 'pageDown':
      if (!buf) return;
      return moveTo(stepLines(buf, lv.filter, cur, cmd === 'down' ? 1 : ctx.pageSize()));
    case 'up':
    case 'pageUp':
      if (!buf) return;
      return s.patchLogView({ follow: false, anchor: buf.dropped + stepLines(buf, lv.filter, cur, cmd === 'up' ? -1 : -ctx.pageSize()) });
    case 'top': {
      if (!buf) return;
      // the first line at the top of a full screen (the anchor is the bottom line)
      const first = lv.filter ? findLine(buf, '', lv.filter, -1, 1) : 0;
      if (first === null) return;
      return s.patchLogView({ follow: false, anchor: buf.dropped + stepLines(buf, lv.filter, first, Math.max(0, ctx.pageSize() - 1)) });
    }
    case 'bottom':
      return s.patchLogView({ follow: true, anchor: null });
    case 'follow':
      return s.patchLogView(lv.follow ? { follow: false, anchor: buf ? buf.dropped + cur : null } : { follow: true, anchor: null });
    case 'timestamps':
      return s.patchLogView({ timestamps: !lv.timestamps });
    case 'wrap':
      return s.patchLogView({ wrap: !lv.wrap });
    case 'nextMatch':
    case 'prevMatch': {
      if (!buf || !lv.search) return s.setMessage('no search: press / first', 'error');
      const from = lv.match !== null ? lv.match - buf.dropped : cur;
      const dir = cmd === 'nextMatch' ? 1 : -1;
      const hit = findLine(buf, lv.search, lv.filter, from, dir);
      if (hit === null) return s.setMessage(`"${lv.search}": no more matches ${dir > 0 ? 'below' : 'above'}`);
      return s.patchLogView({ follow: false, anchor: buf.dropped + hit, match: buf.dropped + hit });
    }
    case 'search':
      return ops ? ops.openPrompt('search') : s.patchUi({ prompt: { kind: 'search', label: 'search', value: lv.search } });
    case 'logFilter':
      return ops ? ops.openPrompt('logFilter') : s.patchUi({ prompt: { kind: 'logFilter', label: 'filter', value: lv.filter } });
    case 'saveVisible':
      return ops?.openPrompt('saveVisible');
    case 'saveFull':
      return ops?.openPrompt('saveFull');
    case 'tailSince':
      return ops?.openPrompt('tailSince');
  }
}

/** Words the dashboard's `:` line knows besides the commands of the key table. */
const LINE_WORDS = ['q', 'quit', 'project'];

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
  const id = COMMANDS.find((c) => c.id.toLowerCase() === word.toLowerCase())?.id as CommandId | undefined;
  if (!id || id === 'commandLine') return s.setMessage(`unknown command: ${word} (tab completes; ? lists the commands)`, 'error');
  const everywhere = ANY_VIEW[id];
  if (everywhere) return everywhere(ctx, '');
  if (s.ui.view === 'detail') return detailKey(ctx, id);
  const list = LIST[id];
  if (!list) return s.setMessage(`${id}: not a command of this view`, 'error');
  list(ctx, '');
}

/** Keys while a one-line prompt (search, filter, file name, tail/since) is open. */
function promptKey(ctx: DashboardContext, key: string, text: string): void {
  const s = ctx.store.getState();
  const p = s.ui.prompt!;
  if (key === 'ctrl+c') return ctx.quit();
  if (key === 'escape') {
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
}

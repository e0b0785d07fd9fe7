// What a key does on the dashboard, given the store. No React.
import { DETAIL_TABS, type AppStore, type DetailTab } from '../state/store.js';
import { bottomIndex, findLine, stepLines } from '../state/logModel.js';
import type { Operations } from '../state/operations.js';
import { currentKeymap, type ChainName, type CommandId } from './keymap.js';
import { handleMaintKey } from './maintenanceKeys.js';
import { handleProjectPanelKey, projectPanelChain } from './projectPanelKeys.js';
import type { ProjectOps } from '../state/projectOps.js';
import { topView, viewStack } from '../state/views.js';

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
  if (!cmd) return;
  const needOps = (fn: (o: Operations) => void) => (ops ? fn(ops) : s.setMessage('not connected to an engine', 'error'));

  switch (cmd) {
    case 'help':
      return s.toggleHelp();
    case 'quit':
      // q closes the open view and quits only from the top level (k9s); ctrl+c always quits
      if (key !== 'ctrl+c' && s.ui.view === 'detail') return ops ? ops.closeDetail() : s.patchUi({ view: 'list', detail: null });
      return ctx.quit();
    case 'restart':
    case 'stopStart':
    case 'pauseToggle':
    case 'kill':
    case 'remove':
      return needOps((o) => o.command(cmd));
    case 'exec':
      return needOps((o) => o.exec());
    case 'backup':
      return needOps((o) => o.maint().openBackup());
    case 'cancelBackup':
      return needOps((o) => o.maint().cancelBackup());
  }

  if (s.ui.view === 'detail') return detailKey(ctx, cmd);

  switch (cmd) {
    case 'down':
      return s.moveSelection(1);
    case 'up':
      return s.moveSelection(-1);
    case 'pageDown':
      return s.moveSelection(ctx.pageSize());
    case 'pageUp':
      return s.moveSelection(-ctx.pageSize());
    case 'top':
      return s.moveToEdge('first');
    case 'bottom':
      return s.moveToEdge('last');
    case 'nextPanel':
    case 'prevPanel':
      return s.focusPanel('next');
    case 'open':
      if (s.ui.focus === 'projects') return s.openProject();
      return needOps((o) => o.openDetail('logs'));
    case 'projectLogs':
      return needOps((o) => o.openProjectLogs());
    case 'back':
      if (s.ui.filter) return s.endFilter(false);
      return s.focusPanel('projects');
    case 'filter':
      return s.startFilter();
    case 'agents':
      return needOps((o) => o.agents());
    case 'doctor':
      return ctx.projectOps ? ctx.projectOps.doctor() : s.setMessage('not connected to an engine', 'error');
    case 'agentPreset':
      return ctx.projectOps ? ctx.projectOps.openPresets() : s.setMessage('not connected to an engine', 'error');
    case 'composeMenu':
      return ctx.projectOps ? ctx.projectOps.openMenu() : s.setMessage('not connected to an engine', 'error');
    case 'diskUsage':
      return needOps((o) => o.maint().openDisk());
    case 'prune':
      return needOps((o) => o.maint().openPrune());
    case 'gpu':
      if (!s.gpu) return s.setMessage('no GPU tool found (nvidia-smi or rocm-smi)');
      return s.toggleGpuPanel();
    default:
      return;
  }
}

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
    case 'top':
      if (!buf) return;
      return s.patchLogView({ follow: false, anchor: buf.dropped + (findLine(buf, '', lv.filter, -1, 1) ?? 0) });
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

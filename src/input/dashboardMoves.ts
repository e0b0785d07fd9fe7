// What the moving commands (down, up, page down/up, top, bottom) do in each dashboard view,
// and the other small actions the key table's handlers share. No React.
import { bottomIndex, findLine, stepLines } from '../dashboard/logModel.js';
import type { Maintenance } from '../dashboard/maintenance.js';
import type { Operations } from '../dashboard/operations.js';
import type { ProjectOps } from '../dashboard/projectOps.js';
import type { AppStore } from '../dashboard/store.js';

export interface DashboardContext {
  store: AppStore;
  quit(): void;
  /** Rows in the visible page, for page up/down. */
  pageSize(): number;
  /** The text width of a full-width view (its long lines wrap), when known. */
  viewWidth?(): number;
  /** The engine side; absent in pure UI tests. */
  ops?: Operations;
  /** Doctor and compose of a project; absent in pure UI tests. */
  projectOps?: ProjectOps;
  /** The server's sessions (the sessions view); absent in pure UI tests. */
  sessions?: SessionsView;
}

/** What the sessions view (S) asks of the dashboard's session host. */
export interface SessionsView {
  openSessions(): void;
  moveSession(delta: number): void;
  showChosen(): Promise<void>;
  askEndChosen(): void;
  showAttention(): Promise<void>;
}

/**
 * The view a key goes to, one per top of the view stack (views.ts): the key table's
 * handlers are keyed by it. `main` in a handler map stands for list, detail, logs and env.
 */
export type Where = 'list' | 'detail' | 'logs' | 'env' | 'help' | 'confirm' | 'panel' | 'compose' | 'picker' | 'confirmDown' | 'backup' | 'prune' | 'disk' | 'sessions';

export type Move = 'down' | 'up' | 'pageDown' | 'pageUp' | 'top' | 'bottom';

const BIG = 1e9;

/** Lines a move goes by, given the page; top and bottom go to the edge. */
function delta(m: Move, page: number): number {
  return { down: 1, up: -1, pageDown: page, pageUp: -page, top: -BIG, bottom: BIG }[m];
}

export function needOps(ctx: DashboardContext, fn: (o: Operations) => void): void {
  if (ctx.ops) fn(ctx.ops);
  else ctx.store.getState().setMessage('not connected to an engine', 'error');
}

export function needProjectOps(ctx: DashboardContext, fn: (o: ProjectOps) => void): void {
  if (ctx.projectOps) fn(ctx.projectOps);
  else ctx.store.getState().setMessage('not connected to an engine', 'error');
}

/** The open project view's controller; without one (UI tests) the view just closes. */
export function withPanel(ctx: DashboardContext, fn: (p: ProjectOps) => void): void {
  if (ctx.projectOps) fn(ctx.projectOps);
  else ctx.store.setState({ projectPanel: null });
}

/** The open maintenance dialog's controller, when there is an engine. */
export function maintOf(ctx: DashboardContext): Maintenance | undefined {
  return ctx.ops?.maint();
}

export function closeMaint(ctx: DashboardContext): void {
  const m = maintOf(ctx);
  if (m) m.close();
  else ctx.store.getState().patchUi({ maint: null });
}

export function closeHelp(ctx: DashboardContext): void {
  ctx.store.getState().toggleHelp(false);
}

/** Leaves the detail view (the list stays as it was). */
export function closeDetail(ctx: DashboardContext): void {
  if (ctx.ops) ctx.ops.closeDetail();
  else ctx.store.getState().patchUi({ view: 'list', detail: null });
}

/** Moves the selection or scrolls, whatever moving means in that view. */
export function move(ctx: DashboardContext, where: Where, m: Move): void {
  const s = ctx.store.getState();
  const page = ctx.pageSize();
  const d = delta(m, page);
  switch (where) {
    case 'list':
      if (m === 'top' || m === 'bottom') return s.moveToEdge(m === 'top' ? 'first' : 'last');
      return s.moveSelection(d);
    case 'logs':
      return moveInLogs(ctx, m);
    case 'detail':
    case 'env':
      return s.patchUi({ tabScroll: Math.max(0, Math.min(BIG, s.ui.tabScroll + d)) });
    case 'help':
      return s.patchUi({ helpScroll: Math.max(0, Math.min(BIG, s.ui.helpScroll + d)) });
    case 'panel':
      return withPanel(ctx, (p) => p.scroll(m === 'bottom' ? Infinity : d, page, ctx.viewWidth?.()));
    case 'picker':
      return withPanel(ctx, (p) => p.movePreset(d));
    case 'sessions':
      return ctx.sessions ? ctx.sessions.moveSession(d) : undefined;
    case 'prune':
    case 'disk': {
      const p = s.ui.maint;
      if (p && p.kind !== 'backup') s.patchUi({ maint: { ...p, scroll: Math.max(0, Math.min(BIG, p.scroll + d)) } });
      return;
    }
  }
}

/** Moving in the logs tab: the anchor is the bottom line shown; the bottom follows again. */
function moveInLogs(ctx: DashboardContext, m: Move): void {
  const s = ctx.store.getState();
  const buf = s.logSession?.buffer;
  const lv = s.ui.logView;
  if (m === 'bottom') return s.patchLogView({ follow: true, anchor: null });
  if (!buf) return;
  const cur = bottomIndex(buf, lv);
  if (m === 'top') {
    // the first line at the top of a full screen
    const first = lv.filter ? findLine(buf, '', lv.filter, -1, 1) : 0;
    if (first === null) return;
    return s.patchLogView({ follow: false, anchor: buf.dropped + stepLines(buf, lv.filter, first, Math.max(0, ctx.pageSize() - 1)) });
  }
  const i = stepLines(buf, lv.filter, cur, delta(m, ctx.pageSize()));
  if (m === 'up' || m === 'pageUp') return s.patchLogView({ follow: false, anchor: buf.dropped + i });
  const atEnd = i >= buf.length - 1;
  s.patchLogView({ follow: atEnd && lv.follow, anchor: buf.dropped + Math.max(0, i) });
}

/** n / N in the logs tab: the next match below or above, said when there is none. */
export function nextMatch(ctx: DashboardContext, dir: 1 | -1): void {
  const s = ctx.store.getState();
  const buf = s.logSession?.buffer;
  const lv = s.ui.logView;
  if (!buf || !lv.search) return s.setMessage('no search: press / first', 'error');
  const from = lv.match !== null ? lv.match - buf.dropped : bottomIndex(buf, lv);
  const hit = findLine(buf, lv.search, lv.filter, from, dir);
  if (hit === null) return s.setMessage(`"${lv.search}": no more matches ${dir > 0 ? 'below' : 'above'}`);
  s.patchLogView({ follow: false, anchor: buf.dropped + hit, match: buf.dropped + hit });
}

/** F in the logs tab: stop following where the view is, or follow again. */
export function toggleFollow(ctx: DashboardContext): void {
  const s = ctx.store.getState();
  const buf = s.logSession?.buffer;
  const lv = s.ui.logView;
  s.patchLogView(lv.follow ? { follow: false, anchor: buf ? buf.dropped + bottomIndex(buf, lv) : null } : { follow: true, anchor: null });
}

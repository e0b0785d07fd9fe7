// The panes of one workspace: their sessions, titles, layout, focus and zoom. No React: the
// UI draws what this holds and calls its methods.
import { EventEmitter } from 'node:events';
import { computeLayout, layoutFits, nextLayout, type LayoutName, type LayoutOptions, type Rect } from './layout.js';
import { PaneSession, type PaneCommand } from './session.js';
import { detectStatus, type AgentStatus, type StatusPatterns } from './status.js';

export interface PaneSpec {
  /** NTM-style title, e.g. "shop__cc_1"; "shop__user" for the user's shell. */
  title: string;
  /** Agent kind: "user", "cc", "cod", "gmi" or a config alias. */
  kind: string;
  command: PaneCommand;
  /** The container the pane runs in (for the dashboard's badges). */
  container?: string;
  /** Delay before Enter when a prompt is sent (ms). */
  enterDelayMs?: number;
  patterns?: StatusPatterns;
}

export interface WorkspacePane {
  id: number;
  spec: PaneSpec;
  title: string;
  session: PaneSession;
  status: AgentStatus;
  rect: Rect;
}

/** Where panes go on screen: the top row and the last row are the workspace's own. */
export interface WorkspaceGeometry {
  /** 'panes': every pane in its layout rect; 'tabs': one pane shown, the others as tabs. */
  mode: 'panes' | 'tabs' | 'zoom';
  area: Rect;
}

export class Workspace extends EventEmitter {
  readonly panes: WorkspacePane[] = [];
  layout: LayoutName;
  focus = 0;
  zoomed = false;
  cols: number;
  rows: number;
  mode: WorkspaceGeometry['mode'] = 'panes';
  /** What copy mode copied last (prefix ] pastes it). */
  pasteBuffer = '';
  private nextId = 0;

  private readonly layoutOptions: LayoutOptions;

  constructor(
    readonly project: string,
    opts: { layout?: LayoutName; cols: number; rows: number; layoutOptions?: LayoutOptions },
  ) {
    super();
    this.layoutOptions = opts.layoutOptions ?? {};
    this.layout = opts.layout ?? 'tiled';
    this.cols = opts.cols;
    this.rows = opts.rows;
  }

  /** The box the panes share: below the title row, above the status line. */
  area(): Rect {
    return { x: 0, y: 1, w: this.cols, h: Math.max(1, this.rows - 2) };
  }

  add(spec: PaneSpec, start = true): WorkspacePane {
    const session = new PaneSession({ ...spec.command, cols: 10, rows: 3 });
    const pane: WorkspacePane = { id: this.nextId++, spec, title: spec.title, session, status: 'idle', rect: { x: 0, y: 0, w: 10, h: 3 } };
    session.on('dirty', () => this.emit('dirty', pane));
    session.on('exit', () => {
      this.updateStatus(pane, Date.now());
      this.emit('exit', pane);
    });
    this.panes.push(pane);
    this.relayout();
    if (start) session.start();
    return pane;
  }

  remove(index: number): void {
    const pane = this.panes[index];
    if (!pane) return;
    this.panes.splice(index, 1);
    pane.session.dispose();
    if (this.focus >= this.panes.length) this.focus = Math.max(0, this.panes.length - 1);
    if (this.panes.length <= 1) this.zoomed = false;
    this.relayout();
  }

  setSize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.relayout();
  }

  setLayout(name: LayoutName): void {
    this.layout = name;
    this.zoomed = false;
    this.relayout();
  }

  cycleLayout(step = 1): void {
    this.setLayout(nextLayout(this.layout, step));
  }

  toggleZoom(): void {
    this.zoomed = !this.zoomed && this.panes.length > 1;
    this.relayout();
  }

  /** Rectangles in screen coordinates; panes are sized to them. */
  relayout(): void {
    const area = this.area();
    const n = this.panes.length;
    const rects = computeLayout(this.layout, area.w, area.h, n, this.layoutOptions).map((r) => ({ ...r, x: r.x + area.x, y: r.y + area.y }));
    this.mode = this.zoomed ? 'zoom' : layoutFits(rects) ? 'panes' : 'tabs';
    this.panes.forEach((p, i) => {
      p.rect = this.mode === 'panes' ? rects[i]! : { ...area };
      if (this.mode === 'zoom' && i !== this.focus) p.rect = rects[i]!;
      p.session.resize(p.rect.w, p.rect.h);
    });
    this.emit('layout');
  }

  /** The panes drawn on screen now. */
  visible(): WorkspacePane[] {
    if (this.mode === 'panes') return this.panes;
    const f = this.panes[this.focus];
    return f ? [f] : [];
  }

  focused(): WorkspacePane | undefined {
    return this.panes[this.focus];
  }

  setFocus(i: number): void {
    if (i < 0 || i >= this.panes.length || i === this.focus) return;
    const old = this.panes[this.focus];
    this.focus = i;
    old?.session.focus(false);
    this.panes[i]!.session.focus(true);
    if (this.mode !== 'panes') this.relayout();
    this.emit('focus');
  }

  /**
   * Swaps the focused pane with the one `step` places before (-1) or after (+1) it, round
   * the end, as tmux's swap-pane -U / -D; the focus moves with the pane.
   */
  swapFocused(step: -1 | 1): void {
    const n = this.panes.length;
    if (n < 2) return;
    const i = this.focus;
    const j = (i + step + n) % n;
    [this.panes[i], this.panes[j]] = [this.panes[j]!, this.panes[i]!];
    this.focus = j;
    this.relayout();
    this.emit('focus');
  }

  /** Moves focus to the neighbouring pane in a direction, as tmux's select-pane -U/-D/-L/-R. */
  moveFocus(dir: 'up' | 'down' | 'left' | 'right'): void {
    if (this.mode !== 'panes') {
      this.setFocus((this.focus + (dir === 'left' || dir === 'up' ? -1 + this.panes.length : 1)) % this.panes.length);
      return;
    }
    const cur = this.panes[this.focus];
    if (!cur) return;
    const r = cur.rect;
    const cy = r.y + r.h / 2;
    const cx = r.x + r.w / 2;
    let best = -1;
    let bestScore = Infinity;
    this.panes.forEach((p, i) => {
      if (i === this.focus) return;
      const q = p.rect;
      let ok = false;
      let dist = 0;
      let off = 0;
      if (dir === 'left' && q.x + q.w < r.x + 1) [ok, dist, off] = [overlaps(q.y, q.h, r.y, r.h), r.x - (q.x + q.w), Math.abs(q.y + q.h / 2 - cy)];
      if (dir === 'right' && q.x > r.x + r.w - 1) [ok, dist, off] = [overlaps(q.y, q.h, r.y, r.h), q.x - (r.x + r.w), Math.abs(q.y + q.h / 2 - cy)];
      if (dir === 'up' && q.y + q.h < r.y + 1) [ok, dist, off] = [overlaps(q.x, q.w, r.x, r.w), r.y - (q.y + q.h), Math.abs(q.x + q.w / 2 - cx)];
      if (dir === 'down' && q.y > r.y + r.h - 1) [ok, dist, off] = [overlaps(q.x, q.w, r.x, r.w), q.y - (r.y + r.h), Math.abs(q.x + q.w / 2 - cx)];
      if (!ok) return;
      const score = dist * 1000 + off;
      if (score < bestScore) [best, bestScore] = [i, score];
    });
    if (best >= 0) this.setFocus(best);
  }

  rename(i: number, title: string): void {
    const p = this.panes[i];
    if (p && title.trim()) p.title = title.trim();
  }

  /** Recomputes every pane's status; true when one changed. */
  updateStatuses(now = Date.now()): boolean {
    let changed = false;
    for (const p of this.panes) changed = this.updateStatus(p, now) || changed;
    return changed;
  }

  private updateStatus(p: WorkspacePane, now: number): boolean {
    const s = detectStatus({
      kind: p.spec.kind,
      lines: p.session.text(),
      exited: p.session.exit !== null,
      now,
      lastOutput: p.session.lastOutput,
      lastInput: p.session.lastInput,
      patterns: p.spec.patterns,
    });
    if (s === p.status) return false;
    p.status = s;
    this.emit('status', p);
    return true;
  }

  /** Panes a prompt target names: a pane index, an agent kind, or 'all' (agents, not the user shell). */
  select(target: number | string): WorkspacePane[] {
    if (typeof target === 'number') return this.panes[target] ? [this.panes[target]!] : [];
    if (target === 'all') return this.panes.filter((p) => p.spec.kind !== 'user');
    return this.panes.filter((p) => p.spec.kind === target);
  }

  dispose(): void {
    for (const p of this.panes.splice(0)) p.session.dispose();
    this.removeAllListeners();
  }
}

function overlaps(a: number, al: number, b: number, bl: number): boolean {
  return a < b + bl && b < a + al;
}

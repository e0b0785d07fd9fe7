// The panes of one workspace: their sessions, titles, layout, focus and zoom. No React: the
// UI draws what this holds and calls its methods.
import { EventEmitter } from 'node:events';
import { computeLayout, layoutFits, nextLayout, type LayoutName, type LayoutOptions, type Rect } from './layout.js';
import { removePane as treeWithout, resizePane as treeResized, splitPane as treeSplit, swapPanes as treeSwapped, treeFromRects, treeRects, type SplitNode } from './splitTree.js';
import { PaneSession, type PaneCommand } from './session.js';
import { callsUser, detectState, needsUser, type AgentStatus, type StatusRule } from './status.js';
import { agentRules } from '../config/agentRules.js';

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
  /** Screen rules for its state (default: the rule files' for its kind). */
  rules?: StatusRule[];
}

export interface WorkspacePane {
  id: number;
  spec: PaneSpec;
  title: string;
  session: PaneSession;
  status: AgentStatus;
  /** Why it is in that state: an error's kind ("rate limit"), or what its agent's hook said. */
  reason?: string;
  /** When the pane entered its status (ms since the epoch). */
  since: number;
  /** What the pane's program called the user with (a bell, a notification's text) and when, until the user types into it. */
  alert?: { text: string; at: number };
  /** Its calls ring nothing (C-b m): it is still counted as needing the user. */
  muted?: boolean;
  /** The output time of the last quiet spell monitor-silence called the user for. */
  silenceCalled?: number;
  rect: Rect;
}

/** Where panes go on screen: the top row and the last row are the workspace's own. */
export interface WorkspaceGeometry {
  /** 'panes': every pane in its layout rect; 'tabs': one pane shown, the others as tabs. */
  mode: 'panes' | 'tabs' | 'zoom';
  area: Rect;
}

/**
 * A window (tmux's): panes with their own layout, focus and zoom. A session has one or
 * more; one is shown at a time, the others keep running.
 */
export interface WorkspaceWindow {
  panes: WorkspacePane[];
  layout: LayoutName;
  focus: number;
  zoomed: boolean;
  /** The name the user gave it (rename-window); otherwise it is named after its panes. */
  name: string | null;
  /** Its own layout once panes were split or resized (null: the preset `layout`). */
  tree: SplitNode | null;
  /** tmux's monitor-silence: seconds of quiet after which a pane calls the user (0: off). */
  silence?: number;
}

export class Workspace extends EventEmitter {
  readonly windows: WorkspaceWindow[];
  /** The window shown. */
  current = 0;
  cols: number;
  rows: number;
  mode: WorkspaceGeometry['mode'] = 'panes';
  /** What copy mode copied last (prefix ] pastes it). */
  pasteBuffer = '';
  /** The session's name as the status line shows it: the project's until renamed (C-b $). */
  sessionName: string;
  private nextId = 0;
  private readonly defaultLayout: LayoutName;

  private readonly layoutOptions: LayoutOptions;

  constructor(
    readonly project: string,
    opts: { layout?: LayoutName; cols: number; rows: number; layoutOptions?: LayoutOptions },
  ) {
    super();
    this.layoutOptions = opts.layoutOptions ?? {};
    this.defaultLayout = opts.layout ?? 'tiled';
    this.sessionName = project;
    this.windows = [blankWindow(this.defaultLayout)];
    this.cols = opts.cols;
    this.rows = opts.rows;
  }

  /** The window shown. */
  get window(): WorkspaceWindow {
    return this.windows[this.current]!;
  }

  /** The panes of the window shown. */
  get panes(): WorkspacePane[] {
    return this.window.panes;
  }

  get layout(): LayoutName {
    return this.window.layout;
  }

  set layout(name: LayoutName) {
    this.window.layout = name;
  }

  get focus(): number {
    return this.window.focus;
  }

  set focus(i: number) {
    this.window.focus = i;
  }

  get zoomed(): boolean {
    return this.window.zoomed;
  }

  set zoomed(z: boolean) {
    this.window.zoomed = z;
  }

  /** Every pane of every window. */
  allPanes(): WorkspacePane[] {
    return this.windows.flatMap((w) => w.panes);
  }

  /** The index of the window a pane is in, or -1. */
  windowOf(p: WorkspacePane): number {
    return this.windows.findIndex((w) => w.panes.includes(p));
  }

  /** A window's name: the one given, else after its panes (an agent kind, "agents" for several, "shell"). */
  windowName(i: number): string {
    const w = this.windows[i];
    if (!w) return '';
    if (w.name) return w.name;
    const kinds = [...new Set(w.panes.map((p) => p.spec.kind).filter((k) => k !== 'user'))];
    return kinds.length === 0 ? 'shell' : kinds.length === 1 ? kinds[0]! : 'agents';
  }

  /** Opens a new window after the others and shows it (tmux's new-window); `spec` is its first pane. */
  newWindow(spec?: PaneSpec, name?: string): number {
    this.windows.push(blankWindow(this.defaultLayout, name));
    this.selectWindow(this.windows.length - 1);
    if (spec) this.add(spec);
    return this.current;
  }

  /** Shows window `i`; its panes are laid out for the terminal again. */
  selectWindow(i: number): boolean {
    if (i < 0 || i >= this.windows.length) return false;
    if (i === this.current) return true;
    this.focused()?.session.focus(false);
    this.current = i;
    this.focused()?.session.focus(true);
    this.relayout();
    this.emit('focus');
    return true;
  }

  /** The next (1) or previous (-1) window, round the end. */
  stepWindow(step: 1 | -1): void {
    const n = this.windows.length;
    this.selectWindow((this.current + step + n) % n);
  }

  renameWindow(i: number, name: string): void {
    const w = this.windows[i];
    if (w) w.name = name.trim() || null;
    this.emit('layout');
  }

  /** Closes window `i` and every process in it; false when it is the last one (the caller ends the session). */
  killWindow(i: number): boolean {
    const w = this.windows[i];
    if (!w || this.windows.length === 1) return false;
    for (const p of w.panes.splice(0)) p.session.dispose();
    this.dropWindow(i);
    return true;
  }

  /** Moves the focused pane into a window of its own (tmux's break-pane); false when it is alone already. */
  breakPane(): boolean {
    const p = this.focused();
    if (!p || this.panes.length < 2) return false;
    const from = this.window;
    from.panes.splice(from.focus, 1);
    if (from.tree) from.tree = treeWithout(from.tree, p.id);
    if (from.focus >= from.panes.length) from.focus = Math.max(0, from.panes.length - 1);
    if (from.panes.length <= 1) from.zoomed = false;
    const w = blankWindow(this.defaultLayout);
    w.panes.push(p);
    this.windows.push(w);
    this.current = this.windows.length - 1;
    this.relayout();
    this.emit('focus');
    return true;
  }

  private dropWindow(i: number): void {
    this.windows.splice(i, 1);
    if (this.current > i || this.current >= this.windows.length) this.current = Math.max(0, this.current - 1);
    this.relayout();
    this.emit('focus');
  }

  /** The box the panes share: below the title row, above the status line. */
  area(): Rect {
    return { x: 0, y: 1, w: this.cols, h: Math.max(1, this.rows - 2) };
  }

  /** A pane for `spec`, wired to this workspace's events, not yet placed or started. */
  private makePane(spec: PaneSpec): WorkspacePane {
    const session = new PaneSession({ ...spec.command, cols: 10, rows: 3 });
    const pane: WorkspacePane = { id: this.nextId++, spec, title: this.freeTitle(spec.title), session, status: 'working', since: Date.now(), rect: { x: 0, y: 0, w: 10, h: 3 } };
    session.on('dirty', () => this.emit('dirty', pane));
    session.on('exit', () => {
      this.updateStatus(pane, Date.now());
      this.emit('exit', pane);
    });
    session.on('alert', (text: string) => {
      pane.alert = { text, at: Date.now() };
      this.emit('alert', pane, text);
    });
    // an agent's hook reported its state: it counts now, not at the next reading
    session.on('signal', () => this.updateStatus(pane, Date.now()));
    return pane;
  }

  add(spec: PaneSpec, start = true): WorkspacePane {
    const pane = this.makePane(spec);
    const session = pane.session;
    const w = this.window;
    if (w.tree && w.panes.length) {
      // a window with its own layout: the new pane halves the largest one, along its longer side
      const big = w.panes.reduce((a, b) => (b.rect.w * b.rect.h > a.rect.w * a.rect.h ? b : a));
      const dir = big.rect.w >= big.rect.h * 2 ? 'h' : 'v';
      w.tree = treeSplit(w.tree, big.id, pane.id, dir, dir === 'h' ? big.rect.w : big.rect.h);
    }
    this.panes.push(pane);
    this.relayout();
    if (start) session.start();
    return pane;
  }

  /** The window's layout as a tree of splits, from the preset it shows now when it has none. */
  private ownTree(): SplitNode {
    const w = this.window;
    if (w.tree) return w.tree;
    const area = this.area();
    const rects = computeLayout(w.layout, area.w, area.h, w.panes.length, this.layoutOptions);
    return treeFromRects(w.panes.map((p, i) => ({ pane: p.id, rect: rects[i]! })));
  }

  /**
   * tmux's split-window: a new pane beside the focused one ('h': to its right, C-b %) or
   * below it ('v', C-b "), each taking half; the window keeps this layout from now on.
   */
  split(spec: PaneSpec, dir: 'h' | 'v'): WorkspacePane {
    const f = this.focused();
    if (!f) return this.add(spec);
    const tree = this.ownTree();
    const size = dir === 'h' ? f.rect.w : f.rect.h;
    const pane = this.makePane(spec);
    const w = this.window;
    w.tree = treeSplit(tree, f.id, pane.id, dir, this.mode === 'panes' ? size : dir === 'h' ? this.area().w : this.area().h);
    w.zoomed = false;
    w.panes.splice(w.focus + 1, 0, pane);
    this.relayout();
    pane.session.start();
    this.setFocus(w.focus + 1);
    return pane;
  }

  /** tmux's resize-pane -L/-R/-U/-D: moves a border of the focused pane by `cells`. */
  resizeFocused(edge: 'left' | 'right' | 'up' | 'down', cells: number): boolean {
    const f = this.focused();
    if (!f || this.panes.length < 2) return false;
    const before = this.ownTree();
    const after = treeResized(before, f.id, edge, cells, 2);
    if (after === before) return false;
    this.window.tree = after;
    this.window.zoomed = false;
    this.relayout();
    return true;
  }

  /** The layout's name for the status line: the preset's, or "custom" for split panes. */
  get layoutLabel(): string {
    return this.window.tree ? 'custom' : this.window.layout;
  }

  /** The title, numbered on (`_2`, `_3` …) when a pane of the session has it already. */
  private freeTitle(title: string): string {
    const taken = new Set(this.allPanes().map((p) => p.title));
    if (!taken.has(title)) return title;
    let n = 2;
    while (taken.has(`${title}_${n}`)) n++;
    return `${title}_${n}`;
  }

  /** Closes pane `index` of the window shown. */
  remove(index: number): void {
    const pane = this.panes[index];
    if (pane) this.removePane(pane);
  }

  /**
   * Closes a pane wherever it is; a window left without panes closes too, unless it is the
   * last one (then the session is over: the caller sees no panes left).
   */
  removePane(pane: WorkspacePane): void {
    const wi = this.windowOf(pane);
    if (wi < 0) return;
    const w = this.windows[wi]!;
    w.panes.splice(w.panes.indexOf(pane), 1);
    if (w.tree) w.tree = treeWithout(w.tree, pane.id);
    pane.session.dispose();
    if (w.focus >= w.panes.length) w.focus = Math.max(0, w.panes.length - 1);
    if (w.panes.length <= 1) w.zoomed = false;
    if (w.panes.length === 0 && this.windows.length > 1) return this.dropWindow(wi);
    this.relayout();
  }

  setSize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.relayout();
  }

  setLayout(name: LayoutName): void {
    this.layout = name;
    this.window.tree = null;
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
    const tree = this.window.tree;
    const byId = tree ? treeRects(tree, { x: 0, y: 0, w: area.w, h: area.h }) : null;
    const rects = (byId ? this.panes.map((p) => byId.get(p.id) ?? { x: 0, y: 0, w: area.w, h: area.h }) : computeLayout(this.layout, area.w, area.h, n, this.layoutOptions)).map((r) => ({
      ...r,
      x: r.x + area.x,
      y: r.y + area.y,
    }));
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
    // with split panes the places are the tree's: swap them there too
    if (this.window.tree) this.window.tree = treeSwapped(this.window.tree, this.panes[i]!.id, this.panes[j]!.id);
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

  /** tmux's `setw monitor-silence N` for the window shown (0: off). */
  setSilence(seconds: number): void {
    this.window.silence = seconds;
    for (const p of this.panes) p.silenceCalled = p.session.lastOutput;
  }

  rename(i: number, title: string): void {
    const p = this.panes[i];
    if (p && title.trim()) p.title = title.trim();
  }

  /** Recomputes every pane's status; true when one changed. */
  updateStatuses(now = Date.now()): boolean {
    let changed = false;
    for (const w of this.windows) for (const p of w.panes) changed = this.updateStatus(p, now, w.silence) || changed;
    return changed;
  }

  private updateStatus(p: WorkspacePane, now: number, silenceSeconds = this.windows.find((w) => w.panes.includes(p))?.silence ?? 0): boolean {
    // a call is answered once the user typed into the pane
    if (p.alert && p.session.lastInput > p.alert.at) p.alert = undefined;
    // monitor-silence: a pane that was busy and has been quiet that long calls the user once
    // (tmux's silence alert) and counts as done, whatever its screen or hook said
    const silence = silenceSeconds * 1000;
    const quiet = silence > 0 && p.session.running && now - p.session.lastOutput >= silence;
    if (quiet && p.silenceCalled !== p.session.lastOutput) {
      p.silenceCalled = p.session.lastOutput;
      p.alert = { text: `silent for ${silence / 1000} s`, at: now };
      this.emit('alert', p, p.alert.text);
    }
    const { status: s, reason } = quiet ? { status: 'done' as const, reason: undefined } : detectState({
      lines: p.session.text(),
      title: p.session.programTitle,
      exited: p.session.exit !== null,
      now,
      // a program that (re)starts is working until it has been quiet a while, output or not
      lastOutput: Math.max(p.session.lastOutput, p.session.startedAt),
      lastInput: p.session.lastInput,
      rules: (p.spec.rules ??= agentRules(p.spec.kind)),
      previous: p.status,
      signal: p.session.signal,
    });
    if (s === p.status && reason === p.reason) return false;
    p.reason = reason;
    if (s === p.status) return true;
    p.status = s;
    p.since = now;
    this.emit('status', p);
    return true;
  }

  /**
   * The panes that need the user, where they are and since when (their state's start, or
   * their program's call), the one waiting longest first.
   */
  needingUser(): Array<{ window: number; pane: number; since: number }> {
    const out = this.windows.flatMap((w, window) =>
      w.panes.flatMap((p, pane) => (needsUser(p) ? [{ window, pane, since: callsUser(p.status) ? p.since : p.alert!.at }] : [])),
    );
    return out.sort((a, b) => a.since - b.since);
  }

  /** Panes a prompt target names: a pane index, an agent kind, or 'all' (agents, not the user shell). */
  select(target: number | string): WorkspacePane[] {
    if (typeof target === 'number') return this.panes[target] ? [this.panes[target]!] : [];
    // a kind or all: in every window (a number is a pane of the window shown)
    if (target === 'all') return this.allPanes().filter((p) => p.spec.kind !== 'user');
    return this.allPanes().filter((p) => p.spec.kind === target);
  }

  dispose(): void {
    for (const w of this.windows) for (const p of w.panes.splice(0)) p.session.dispose();
    this.emit('disposed');
    this.removeAllListeners();
  }
}

function blankWindow(layout: LayoutName, name?: string): WorkspaceWindow {
  return { panes: [], layout, focus: 0, zoomed: false, name: name?.trim() || null, tree: null };
}

function overlaps(a: number, al: number, b: number, bl: number): boolean {
  return a < b + bl && b < a + al;
}


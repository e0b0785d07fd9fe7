// The dashboard's agent panes, sessions of the server it is drawn in (src/sessions/) like
// those of `berth spawn`: one session per project. `a` opens the project's session with its
// agents (from .ntm/config.toml, see defaultAgents), `E` a shell pane for one container in
// it; the session takes the client's terminal until C-b d, then the dashboard is drawn
// again. The panes outlive the dashboard (quitting, a dropped SSH connection): `berth
// attach` or `a` again shows them. Pane statuses, read every second, are summed up per
// container into the store (state.paneBadges) for the container table.
import { UserError } from '../config/errors.js';
import type { Engine } from '../engine/connection.js';
import { log } from '../logging.js';
import { statusBadge } from '../panes/plan.js';
import { needsUser } from '../panes/status.js';
import type { ExitMessage, Hello, OmitEach, SessionInfo, SpawnRequest } from '../sessions/protocol.js';
import type { WorkspaceHost } from '../dashboard/operations.js';
import type { AppStore } from '../dashboard/store.js';
import type { NotTrustedError } from './spawn.js';

/** The spawn planner and what it brings (the pane libraries), loaded at the first `a` or `E`. */
const spawnModule = () => import('./spawn.js');

/** The sessions of the server, as a dashboard reaches them. */
export interface SessionHost {
  list(): SessionInfo[];
  /** The panes waiting for the user or failed, the one waiting longest first. */
  attention?(): Array<{ session: string; window: number; pane: number }>;
  /** Ends a session and every process in its panes. */
  kill(name: string): void;
  /** Shows the session on the dashboard's terminal until the user leaves it (or `signal` aborts). */
  show(hello: OpenRequest, signal: AbortSignal): Promise<ExitMessage>;
}

/** An `open` request as the dashboard makes it: the terminal's size comes with it. */
export type OpenRequest = OmitEach<Extract<Hello, { op: 'open' }>, 'v'>;

export interface DashboardWorkspacesOptions {
  engine: Engine;
  store: AppStore;
  sessions: SessionHost;
  /** Lends the terminal to `fn` (alternate screen kept, dashboard keys off), then redraws the dashboard whole. */
  takeOver(fn: () => Promise<void>): Promise<void>;
  /** The client's terminal size now. */
  size(): { cols: number; rows: number };
  prefix?: string;
  /** `[panes] mouse`. */
  mouse?: boolean;
}

/** The one-line message for a workspace that could not be opened. */
export function workspaceFailure(project: string, err: unknown): string {
  if (err instanceof UserError) return err.message;
  return `${project}: agent panes failed: ${err instanceof Error ? err.message : String(err)}`;
}

/** Badges per container from the server's sessions: agents by status, shells as "shell". */
export function badgesOf(sessions: SessionInfo[]): Record<string, string> {
  const by = new Map<string, string[]>();
  for (const s of sessions) {
    for (const p of s.panes) {
      if (!p.container) continue;
      const list = by.get(p.container) ?? [];
      list.push(p.kind === 'user' ? 'shell' : p.status);
      by.set(p.container, list);
    }
  }
  const badges: Record<string, string> = {};
  for (const [c, list] of by) badges[c] = statusBadge(list);
  return badges;
}

export class DashboardWorkspaces implements WorkspaceHost {
  private busy = false;
  /** While a session is on screen: ends the attachment (the session stays). */
  private abort: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastBadges = '';
  private sessions: SessionInfo[] = [];

  constructor(private readonly o: DashboardWorkspacesOptions) {
    this.resume();
  }

  /** Statuses are read every second while a client shows the dashboard. */
  resume(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), 1000);
    this.timer.unref();
    void this.tick();
  }

  /** No client shows the dashboard: nothing is read; a session on screen is let go (it stays). */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort?.abort();
  }

  private size() {
    return this.o.size();
  }

  private say(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
    this.o.store.getState().setMessage(text, kind);
  }

  /**
   * Opens the project's session; its agents are started when it has none yet: those its
   * .ntm/config.toml names, or a preset's.
   */
  async openAgents(project: string, opts: { trust?: boolean; preset?: string } = {}): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const existing = (await this.list()).find((s) => s.name === project);
      let agents: SpawnRequest | undefined;
      const hasAgents = existing?.panes.some((p) => p.kind !== 'user') ?? false;
      // a preset for a project whose session has agents: its agents in a new window of it
      const asWindow = Boolean(opts.preset && hasAgents);
      if (!hasAgents || asWindow) {
        const req: SpawnRequest = opts.preset
          ? { project, agents: [], preset: opts.preset, user: existing ? false : undefined, trust: opts.trust }
          : { project, agents: [], defaultAgents: true, user: existing ? false : undefined, trust: opts.trust };
        try {
          // resolve and check trust here, where the dashboard can ask; the server then starts them
          const { prepareWorkspace } = await spawnModule();
          const checked = await prepareWorkspace(req, this.size(), false, this.o.engine, true);
          agents = { ...req, container: checked.project.container, host: this.o.engine.address };
        } catch (err) {
          log.warn(`agents ${project}: ${err instanceof Error ? err.message : String(err)}`);
          if (err instanceof (await spawnModule()).NotTrustedError) return this.askTrust(project, err, opts.preset);
          return this.say(workspaceFailure(project, err), 'error');
        }
      }
      const failure = await this.show(asWindow ? { name: project, agents, add: true, window: opts.preset } : { name: project, agents });
      if (failure) this.say(failure, 'error');
    } catch (err) {
      this.say(workspaceFailure(project, err), 'error');
    } finally {
      this.busy = false;
    }
  }

  /** N: shows the pane that has waited longest for the user, in its session, window and place. */
  async showAttention(): Promise<void> {
    const next = this.o.sessions.attention?.()[0];
    if (!next) return this.say('no pane is waiting for you');
    if (this.busy) return;
    this.busy = true;
    try {
      const failure = await this.show({ name: next.session, focus: { window: next.window, pane: next.pane } });
      if (failure) this.say(failure, 'error');
    } finally {
      this.busy = false;
    }
  }

  /** The sessions view (S): every session of the server, one chosen. */
  openSessions(): void {
    const sessions = this.o.sessions.list();
    if (!sessions.length) return this.say('no sessions: a on a project starts its agents, berth spawn too');
    this.o.store.setState({ projectPanel: { kind: 'sessions', sessions, selected: 0 } });
  }

  moveSession(delta: number): void {
    const p = this.o.store.getState().projectPanel;
    if (p?.kind !== 'sessions') return;
    this.o.store.setState({ projectPanel: { ...p, selected: Math.max(0, Math.min(p.sessions.length - 1, p.selected + delta)) } });
  }

  private chosenSession(): SessionInfo | undefined {
    const p = this.o.store.getState().projectPanel;
    return p?.kind === 'sessions' ? p.sessions[p.selected] : undefined;
  }

  /** Shows the chosen session on this terminal (C-b d comes back to the dashboard). */
  async showChosen(): Promise<void> {
    const s = this.chosenSession();
    if (!s || this.busy) return;
    this.o.store.setState({ projectPanel: null });
    this.busy = true;
    try {
      const failure = await this.show({ name: s.name });
      if (failure) this.say(failure, 'error');
    } finally {
      this.busy = false;
    }
  }

  /** Asks before ending the chosen session: the dialog names its panes. */
  askEndChosen(): void {
    const s = this.chosenSession();
    if (!s) return;
    const lines = [`every process in its ${s.panes.length} pane${s.panes.length === 1 ? '' : 's'} ends:`, ...s.panes.map((p) => `  ${s.windows.length > 1 ? `${p.window}.` : ''}${p.index} ${p.title} [${p.running ? p.status : 'exited'}]`)];
    this.o.store.getState().patchUi({ confirm: { action: 'session', title: `end session ${s.name}`, project: s.name, targets: [], previews: null, force: false, volumes: false, lines } });
  }

  /** Ends a session (after its confirmation); the sessions view shows what is left. */
  endSession(name: string): void {
    this.o.sessions.kill(name);
    void this.tick();
    const left = this.o.sessions.list();
    const p = this.o.store.getState().projectPanel;
    if (p?.kind === 'sessions') this.o.store.setState({ projectPanel: left.length ? { kind: 'sessions', sessions: left, selected: Math.min(p.selected, left.length - 1) } : null });
    this.say(`session ${name} ended`, 'ok');
  }

  /** Opens (or focuses) a shell pane for `container` in the project's session; a reason when it cannot. */
  async execPane(project: string, container: { id: string; name: string }): Promise<string | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      const { paneEnv } = await spawnModule();
      return await this.show({ name: project, shell: { container: container.name, env: paneEnv(this.o.engine) } });
    } catch (err) {
      log.warn(`exec pane ${container.name}: ${err instanceof Error ? err.message : String(err)}`);
      return `panes unavailable (${err instanceof Error ? err.message : String(err)})`;
    } finally {
      this.busy = false;
    }
  }

  /** The confirmation dialog: what the file runs; y trusts it (as `berth spawn --trust`) and opens the panes. */
  private askTrust(project: string, err: NotTrustedError, preset?: string): void {
    const s = this.o.store.getState();
    s.setMessage(null);
    s.patchUi({
      confirm: {
        action: 'trust',
        title: `trust ${err.file}`,
        targets: [],
        previews: null,
        force: false,
        volumes: false,
        project,
        preset,
        lines: [`${project}'s .ntm/config.toml asks berth to run, in its container:`, ...err.commands.map((c) => `  ${c}`), '', 'asked again when the file changes'],
      },
    });
  }

  /** Lends the terminal to the session until the server lets go; a one-line reason when it could not be shown. */
  private async show(what: Pick<OpenRequest, 'name' | 'agents' | 'shell' | 'add' | 'window' | 'focus'>): Promise<string | null> {
    // the dashboard is in the alternate screen already
    const hello: OpenRequest = { op: 'open', ...what, ...this.size(), prefix: this.o.prefix ?? 'C-b', fullscreen: false, mouse: this.o.mouse };
    let result: ExitMessage | undefined;
    let failure: string | null = null;
    await this.o.takeOver(async () => {
      this.abort = new AbortController();
      try {
        result = await this.o.sessions.show(hello, this.abort.signal);
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      } finally {
        this.abort = null;
      }
    });
    await this.tick();
    if (failure || !result) return failure ?? 'the session server did not answer';
    const project = hello.name;
    const n = this.sessions.find((s) => s.name === project)?.panes.length ?? 0;
    if (result.reason === 'detach' && n > 0) this.say(n === 1 ? `${project}: 1 pane keeps running; a opens it again` : `${project}: ${n} panes keep running; a opens them again`);
    else if (result.reason === 'taken') this.say(`${project}: now shown in another terminal`);
    else this.say(result.note ?? `${project}: every pane closed`);
    return null;
  }

  private async list(): Promise<SessionInfo[]> {
    this.sessions = this.o.sessions.list();
    return this.sessions;
  }

  /** While the dashboard shows, statuses are read every second. */
  private async tick(): Promise<void> {
    if (this.abort) return;
    try {
      await this.list();
    } catch (err) {
      log.warn(`session list: ${err instanceof Error ? err.message : String(err)}`);
      this.sessions = [];
    }
    const view = this.o.store.getState().projectPanel;
    if (view?.kind === 'sessions' && JSON.stringify(view.sessions) !== JSON.stringify(this.sessions)) {
      this.o.store.setState({ projectPanel: { ...view, sessions: this.sessions, selected: Math.min(view.selected, Math.max(0, this.sessions.length - 1)) } });
    }
    const needy = this.sessions.flatMap((x) => x.panes.filter(needsUser).map((p) => ({ session: x.name, container: p.container })));
    const st = this.o.store.getState();
    const byProject: Record<string, number> = {};
    for (const n of needy) {
      // the project of the container the pane runs in, else the session's name
      const project = st.projects.find((pr) => pr.containers.some((c) => c.name === n.container))?.name ?? n.session;
      byProject[project] = (byProject[project] ?? 0) + 1;
    }
    if (needy.length !== st.attention || JSON.stringify(byProject) !== JSON.stringify(st.attentionByProject)) this.o.store.setState({ attention: needy.length, attentionByProject: byProject });
    const badges = badgesOf(this.sessions);
    const key = JSON.stringify(badges);
    if (key === this.lastBadges) return;
    this.lastBadges = key;
    this.o.store.setState({ paneBadges: badges });
  }

  /** The panes running in these containers now (their process is a `docker exec` in it). */
  livePanes(containers: string[]): Array<{ session: string; title: string; container: string }> {
    const out: Array<{ session: string; title: string; container: string }> = [];
    for (const s of this.o.sessions.list()) {
      for (const p of s.panes) if (p.running && p.container && containers.includes(p.container)) out.push({ session: s.name, title: p.title, container: p.container });
    }
    return out;
  }

  /** What to tell the user on the way out: sessions go on without the dashboard. */
  exitNote(): string | null {
    const live = this.sessions.filter((s) => s.panes.length > 0);
    if (live.length === 0) return null;
    const names = live.map((s) => `${s.name} (${s.panes.length} pane${s.panes.length === 1 ? '' : 's'})`).join(', ');
    return `berth: agent panes keep running: ${names}; berth attach shows them, berth kill-server ends them`;
  }

  dispose(): void {
    this.pause();
    // quitting (a signal) while a session is on screen: let go of it, it stays in the server
    this.abort?.abort();
  }
}

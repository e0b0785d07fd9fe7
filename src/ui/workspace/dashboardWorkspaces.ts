// The dashboard's agent workspaces: one per project, kept while berth runs. `a` opens the
// project's workspace (its agents from .ntm/config.toml, see defaultAgents), `E` a shell
// pane for one container in it; C-b d goes back to the dashboard and the panes keep
// running, so opening the project again brings back the same panes. Pane statuses are
// summed up per container into the store (state.paneBadges) for the container table.
import { UserError } from '../../config/errors.js';
import type { Engine } from '../../engine/connection.js';
import { log } from '../../logging.js';
import { statusBadge, userShell } from '../../panes/plan.js';
import { Workspace, type WorkspacePane } from '../../panes/workspace.js';
import type { WorkspaceHost } from '../../state/operations.js';
import type { AppStore } from '../../state/store.js';
import { openWorkspace, type OpenWorkspaceOptions } from './runWorkspace.js';
import { NotTrustedError, paneEnv, prepareWorkspace } from './spawn.js';

interface Entry {
  project: string;
  ws: Workspace;
  /** The container a pane runs in (absent: `container`, the workspace's own). */
  paneContainer: Map<WorkspacePane, string>;
  container: string;
  open: Pick<OpenWorkspaceOptions, 'newPane' | 'onReady'>;
  /** onReady (first prompts) is due at the next open. */
  fresh: boolean;
  /** While the workspace is on screen: leaves it. */
  close?: () => void;
  note?: string;
}

export interface DashboardWorkspacesOptions {
  engine: Engine;
  store: AppStore;
  /** Lends the terminal to `fn` (alternate screen kept, dashboard keys off), then redraws the dashboard whole. */
  takeOver(fn: () => Promise<void>): Promise<void>;
  prefix?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** The one-line message for a workspace that could not be opened. */
export function workspaceFailure(project: string, err: unknown): string {
  if (err instanceof UserError) return err.message;
  return `${project}: agent panes failed: ${err instanceof Error ? err.message : String(err)}`;
}

export class DashboardWorkspaces implements WorkspaceHost {
  private readonly entries = new Map<string, Entry>();
  private busy = false;
  private shown: Entry | null = null;
  private readonly timer: NodeJS.Timeout;
  private lastBadges = '';

  constructor(private readonly o: DashboardWorkspacesOptions) {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  private get out(): NodeJS.WriteStream {
    return this.o.stdout ?? process.stdout;
  }

  private size() {
    return { cols: this.out.columns || 80, rows: this.out.rows || 24 };
  }

  private say(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
    this.o.store.getState().setMessage(text, kind);
  }

  /** Opens the project's workspace; its agents are started when it has none yet. */
  async openAgents(project: string, opts: { trust?: boolean } = {}): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      let e = this.entries.get(project);
      if (!e || !e.ws.panes.some((p) => p.spec.kind !== 'user')) {
        try {
          const prepared = await prepareWorkspace({ project, agents: [], defaultAgents: true, user: e ? false : undefined, into: e?.ws, trust: opts.trust }, this.size(), false, this.o.engine);
          if (!e) {
            e = this.add(project, prepared.workspace, prepared.project.container);
          } else {
            for (const p of e.ws.panes) if (!e.paneContainer.has(p)) e.paneContainer.set(p, prepared.project.container);
          }
          e.open = prepared.open;
          e.fresh = true;
        } catch (err) {
          log.warn(`agents ${project}: ${err instanceof Error ? err.message : String(err)}`);
          if (err instanceof NotTrustedError) return this.askTrust(project, err);
          return this.say(workspaceFailure(project, err), 'error');
        }
      }
      await this.show(e);
    } finally {
      this.busy = false;
    }
  }

  /** Opens (or focuses) a shell pane for `container` in the project's workspace; a reason when it cannot. */
  async execPane(project: string, container: { id: string; name: string }): Promise<string | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      let e = this.entries.get(project);
      const env = paneEnv(this.o.engine);
      let pane: WorkspacePane | undefined;
      try {
        if (!e) {
          const ws = new Workspace(project, { ...this.size(), layout: 'tiled' });
          e = this.add(project, ws, container.name);
          e.open = { newPane: () => userShell(project, container.name, env) };
        }
        const entry = e;
        pane = entry.ws.panes.find((p) => p.spec.kind === 'user' && (entry.paneContainer.get(p) ?? entry.container) === container.name);
        if (!pane) {
          const spec = userShell(project, container.name, env);
          if (entry.ws.panes.some((p) => p.title === spec.title)) spec.title = `${project}__${container.name}`;
          pane = entry.ws.add(spec);
          entry.paneContainer.set(pane, container.name);
        }
      } catch (err) {
        log.warn(`exec pane ${container.name}: ${err instanceof Error ? err.message : String(err)}`);
        if (e && e.ws.panes.length === 0) this.drop(e);
        return `panes unavailable (${err instanceof Error ? err.message : String(err)})`;
      }
      if (!pane.session.running && pane.session.exit !== null) pane.session.respawn();
      e.ws.setFocus(e.ws.panes.indexOf(pane));
      await this.show(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** The confirmation dialog: what the file runs; y trusts it (as `berth spawn --trust`) and opens the panes. */
  private askTrust(project: string, err: NotTrustedError): void {
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
        lines: [`${project}'s .ntm/config.toml asks berth to run, in its container:`, ...err.commands.map((c) => `  ${c}`), '', 'asked again when the file changes'],
      },
    });
  }

  private add(project: string, ws: Workspace, container: string): Entry {
    const e: Entry = { project, ws, container, paneContainer: new Map(), open: {}, fresh: false };
    for (const p of ws.panes) e.paneContainer.set(p, container);
    // A shell pane closes when its shell exits cleanly, as in tmux (exit returns to the
    // dashboard when it was the last pane); agent panes stay to show how they ended.
    ws.on('exit', (p: WorkspacePane) => {
      if (p.spec.kind !== 'user' || p.session.exit?.code !== 0) return;
      // after the session's own exit handlers
      setImmediate(() => {
        const i = e.ws.panes.indexOf(p);
        if (i < 0) return;
        e.ws.remove(i);
        e.note = `${e.paneContainer.get(p) ?? e.container}: shell exited`;
        if (e.ws.panes.length === 0) e.close?.();
        this.updateBadges();
      });
    });
    this.entries.set(project, e);
    return e;
  }

  private drop(e: Entry): void {
    if (this.entries.get(e.project) === e) this.entries.delete(e.project);
    e.ws.dispose();
    this.updateBadges();
  }

  private async show(e: Entry): Promise<void> {
    let exit = 'detach' as 'detach' | 'empty';
    await this.o.takeOver(async () => {
      this.shown = e;
      const onReady = e.fresh ? e.open.onReady : undefined;
      e.fresh = false;
      e.note = undefined;
      try {
        exit = await openWorkspace({
          workspace: e.ws,
          stdin: this.o.stdin,
          stdout: this.o.stdout,
          prefix: this.o.prefix ?? 'C-b',
          fullscreen: false,
          newPane: e.open.newPane,
          onReady: (ctl) => {
            e.close = ctl.close;
            onReady?.(ctl);
          },
        });
      } finally {
        this.shown = null;
        e.close = undefined;
      }
    });
    if (exit === 'empty' || e.ws.panes.length === 0) {
      this.drop(e);
      this.say(e.note ?? `${e.project}: every pane closed`);
    } else {
      const n = e.ws.panes.length;
      this.say(`${e.project}: ${n} pane${n === 1 ? '' : 's'} keep running; a opens them again`);
    }
    this.updateBadges();
  }

  /** While the dashboard shows, statuses are read here (the open workspace reads its own). */
  private tick(): void {
    let changed = false;
    for (const e of this.entries.values()) if (e !== this.shown) changed = e.ws.updateStatuses() || changed;
    if (changed) this.updateBadges();
  }

  private updateBadges(): void {
    const by = new Map<string, string[]>();
    for (const e of this.entries.values()) {
      for (const p of e.ws.panes) {
        const c = e.paneContainer.get(p) ?? e.container;
        const list = by.get(c) ?? [];
        list.push(p.spec.kind === 'user' ? 'shell' : p.status);
        by.set(c, list);
      }
    }
    const badges: Record<string, string> = {};
    for (const [c, list] of by) badges[c] = statusBadge(list);
    const key = JSON.stringify(badges);
    if (key === this.lastBadges) return;
    this.lastBadges = key;
    this.o.store.setState({ paneBadges: badges });
  }

  dispose(): void {
    clearInterval(this.timer);
    // quitting (a signal) while a workspace is on screen: give back its terminal modes first
    this.shown?.close?.();
    for (const e of this.entries.values()) e.ws.dispose();
    this.entries.clear();
  }
}

// What the keys of the dashboard set in motion on the engine: container operations, log
// sessions, the data of the detail tabs, the exec shell. Everything runs async and
// reports to the status line; nothing here blocks the UI. No React.
import { scopeProject, selectedScope } from './scope.js';
import fs from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import {
  containerTop,
  describeRemoval,
  engineMessage,
  inspectContainer,
  previewRemoval,
  runOnMany,
  type ActionTarget,
  type ContainerAction,
} from '../engine/actions.js';
import { describeQuery, formatLogLine, LogSession, parseLogQuery, saveLines, type LogQuery } from '../engine/logs/session.js';
import type { ContainerInfo } from '../engine/types.js';
import { log } from '../logging.js';
import { visibleLines } from './logModel.js';
import { projectFolder } from './projectView.js';
import { Maintenance } from './maintenance.js';
import {
  initialLogView,
  selectedContainer,
  type AppStore,
  type DetailTab,
  type DetailTarget,
  type PromptKind,
} from './store.js';

export interface OperationsOptions {
  docker: Dockerode;
  store: AppStore;
  logs: { maxLines: number; tail: number };
  /** Folder save prompts start in. */
  cwd?: string;
  /** The dashboard's agent workspaces and shell panes (in the server; absent in tests of the keys alone). */
  workspaces?: WorkspaceHost;
}

/** Opens agent panes over the dashboard; reports its own problems to the status line. */
export interface WorkspaceHost {
  /** The project's workspace, with its agents started when it has none yet. */
  openAgents(project: string, opts?: { trust?: boolean; preset?: string }): Promise<void>;
  /** A shell pane for the container in its project's workspace; a reason when there can be none. */
  execPane(project: string, container: { id: string; name: string }): Promise<string | null>;
  /** The panes whose process runs in one of these containers now (session, pane title). */
  livePanes?(containers: string[]): Array<{ session: string; title: string; container: string }>;
  /** Ends a session and its panes (asked first by the sessions view). */
  endSession?(name: string): void;
}

export type OpCommand = 'restart' | 'stopStart' | 'pauseToggle' | 'kill' | 'remove';

const ING: Record<ContainerAction, string> = {
  restart: 'restarting',
  stop: 'stopping',
  start: 'starting',
  pause: 'pausing',
  unpause: 'unpausing',
  kill: 'killing',
  remove: 'removing',
};

const isUp = (c: ContainerInfo) => c.state === 'running' || c.state === 'restarting' || c.state === 'paused';

export class Operations {
  private topTimer: NodeJS.Timeout | null = null;
  private maintenance: Maintenance | null = null;

  /** Backup, disk usage and prune (src/dashboard/maintenance.ts). */
  maint(): Maintenance {
    this.maintenance ??= new Maintenance(this.o.docker, this.o.store, (names) => this.o.workspaces?.livePanes?.(names) ?? []);
    return this.maintenance;
  }

  constructor(private readonly o: OperationsOptions) {}

  private get store() {
    return this.o.store;
  }

  private say(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.getState().setMessage(text, kind);
  }

  /** The containers a command acts on: the detail view's, the selected one, or the selected project's. */
  targets(): { containers: ContainerInfo[]; label: string } | string {
    const scope = selectedScope(this.store.getState());
    switch (scope.kind) {
      case 'container':
        return { containers: [scope.container], label: scope.container.name };
      case 'project':
        if (!scope.containers.length) return `project ${scope.name} has no containers`;
        return { containers: scope.containers, label: scope.from === 'detail' ? `project ${scope.name}` : `project ${scope.name} (${scope.containers.length})` };
      case 'gone':
        return `${scope.name}: no longer exists (removed meanwhile)`;
      case 'nothing':
        return scope.why === 'all' ? 'select one project (not "all") to act on all of its containers' : 'no container selected';
    }
    return 'no container selected';
  }

  /** Runs an operation key on the current targets. */
  command(cmd: OpCommand): void {
    const t = this.targets();
    if (typeof t === 'string') return this.say(t, 'error');
    const { containers, label } = t;
    const many = containers.length > 1;
    switch (cmd) {
      case 'restart':
        return this.run('restart', containers, label);
      case 'stopStart': {
        if (many) {
          const up = containers.filter(isUp);
          return up.length ? this.run('stop', up, label) : this.run('start', containers, label);
        }
        return this.run(isUp(containers[0]!) ? 'stop' : 'start', containers, label);
      }
      case 'pauseToggle': {
        const running = containers.filter((c) => c.state === 'running');
        if (running.length) return this.run('pause', many ? running : containers, label);
        const paused = containers.filter((c) => c.state === 'paused');
        if (paused.length) return this.run('unpause', paused, label);
        return this.say(`${label}: not running; nothing to pause`, 'error');
      }
      case 'kill':
        return this.run('kill', many ? containers.filter(isUp) : containers, label);
      case 'remove':
        return this.askRemove(containers, label);
    }
  }

  private run(action: ContainerAction, containers: ContainerInfo[], label: string, asked = false): void {
    if (!containers.length) return this.say(`${label}: nothing to ${action}`, 'error');
    // agent panes run `docker exec` in the container: stopping it ends them; ask first
    if (!asked && (action === 'restart' || action === 'stop' || action === 'kill')) {
      const panes = this.o.workspaces?.livePanes?.(containers.map((c) => c.name)) ?? [];
      if (panes.length) {
        this.store.getState().patchUi({
          confirm: {
            action: 'panes',
            op: action,
            title: `${action} ${label}`,
            targets: containers.map((c) => ({ id: c.id, name: c.name })),
            previews: null,
            force: false,
            volumes: false,
            lines: [
              `${panes.length} agent pane${panes.length === 1 ? '' : 's'} run${panes.length === 1 ? 's' : ''} in ${containers.length === 1 ? 'it' : 'them'} and will end:`,
              ...panes.map((p) => `  ${p.session}: ${p.title} (in ${p.container})`),
              '',
              action === 'restart'
                ? 'they run again in place once it is back, their scrollback kept ([panes] rerun_on_restart)'
                : 'they stay as exited panes; started again within 2 minutes, it brings them back (later: C-b R in their window)',
            ],
          },
        });
        return;
      }
    }
    const targets: ActionTarget[] = containers.map((c) => ({ id: c.id, name: c.name }));
    this.say(`${ING[action]} ${label}…`);
    this.busy(1);
    void runOnMany(this.o.docker, targets, action)
      .then((r) => {
        log.info(`${action} ${label}: ${r.summary}`);
        this.say(containers.length > 1 ? `${label}: ${r.summary}` : r.summary, r.ok ? 'ok' : 'error');
      })
      .finally(() => this.busy(-1));
  }

  private busy(d: number): void {
    const s = this.store.getState();
    s.patchUi({ busy: Math.max(0, s.ui.busy + d) });
  }

  private askRemove(containers: ContainerInfo[], label: string): void {
    const targets = containers.map((c) => ({ id: c.id, name: c.name }));
    this.store.getState().patchUi({
      confirm: { action: 'remove', title: `remove ${label}`, targets, previews: null, force: false, volumes: false },
    });
    void previewRemoval(this.o.docker, targets).then((previews) => {
      const cur = this.store.getState().ui.confirm;
      if (cur && cur.targets === targets) this.store.getState().patchUi({ confirm: { ...cur, previews } });
    });
  }

  /** The confirmation's answer. */
  confirm(choice: 'yes' | 'dry' | 'no' | 'volumes' | 'force'): void {
    const s = this.store.getState();
    const c = s.ui.confirm;
    if (!c) return;
    if (c.action === 'trust') {
      if (choice !== 'yes' && choice !== 'no') return;
      s.patchUi({ confirm: null });
      if (choice === 'no' || !c.project || !this.o.workspaces) return this.say(`${c.project ?? ''}: not trusted; no agents started`.replace(/^: /, ''));
      this.say(`${c.project}: trusted; opening agent panes…`);
      void this.o.workspaces.openAgents(c.project, { trust: true, preset: c.preset });
      return;
    }
    if (c.action === 'session') {
      if (choice !== 'yes' && choice !== 'no' && choice !== 'dry') return;
      s.patchUi({ confirm: null });
      if (choice === 'no') return this.say(`session ${c.project} kept`);
      if (choice === 'dry') return this.say(`dry run: would end session ${c.project} and ${(c.lines ?? []).filter((l) => l.startsWith('  ')).length} pane(s)`);
      return this.o.workspaces?.endSession?.(c.project!);
    }
    if (c.action === 'panes') {
      if (choice !== 'yes' && choice !== 'no' && choice !== 'dry') return;
      s.patchUi({ confirm: null });
      if (choice === 'no') return this.say(`${c.op ?? 'operation'} cancelled; the panes keep running`);
      if (choice === 'dry') return this.say(`dry run: would ${c.op} ${c.targets.map((t) => t.name).join(', ')}, ending ${(c.lines ?? []).filter((l) => l.startsWith('  ')).length} pane(s)`);
      const chosen = s.containers.filter((x) => c.targets.some((t) => t.id === x.id));
      return this.run(c.op!, chosen, c.title.slice(c.op!.length + 1), true);
    }
    if (choice === 'volumes') return s.patchUi({ confirm: { ...c, volumes: !c.volumes } });
    if (choice === 'force') return s.patchUi({ confirm: { ...c, force: !c.force } });
    s.patchUi({ confirm: null });
    if (choice === 'no') return this.say('remove cancelled');
    if (choice === 'dry') {
      const lines = c.previews ? describeRemoval(c.previews, c) : c.targets.map((t) => `container ${t.name}`);
      return this.say(`dry run, nothing removed: ${lines.map((l) => l.trim()).join('; ')}`);
    }
    this.say(`removing ${c.targets.map((t) => t.name).join(', ')}…`);
    this.busy(1);
    void runOnMany(this.o.docker, c.targets, 'remove', { force: c.force, volumes: c.volumes })
      .then((r) => {
        log.info(`remove: ${r.summary}`);
        this.say(r.summary + (r.ok && c.volumes ? ' (with anonymous volumes)' : ''), r.ok ? 'ok' : 'error');
        const ui = this.store.getState().ui;
        if (r.ok && ui.view === 'detail') this.closeDetail();
      })
      .finally(() => this.busy(-1));
  }

  // ---- detail view ----

  openDetail(tab: DetailTab = 'logs'): void {
    const row = selectedContainer(this.store.getState());
    if (!row) return this.say('no container selected', 'error');
    this.open({ kind: 'container', id: row.container.id, name: row.container.name, project: row.project }, tab);
  }

  openProjectLogs(): void {
    const s = this.store.getState();
    const scope = selectedScope({ ...s, ui: { ...s.ui, view: 'list' } });
    const p = s.projects.find((x) => x.name === scopeProject(scope));
    if (!p) return this.say('select a project for its logs', 'error');
    if (!p.containers.length) return this.say(`project ${p.name} has no containers`, 'error');
    this.open({ kind: 'project', name: p.name, containers: p.containers.map((c) => ({ id: c.id, name: c.name })) }, 'logs');
  }

  private open(target: DetailTarget, tab: DetailTab): void {
    this.closeLogs();
    const s = this.store.getState();
    s.patchUi({ view: 'detail', detail: target, tab, tabScroll: 0, revealEnv: false, logView: initialLogView, prompt: null, message: null });
    this.store.setState({ detailData: null });
    this.startLogs({ tail: this.o.logs.tail });
    if (tab !== 'logs') this.loadTab(tab);
  }

  closeDetail(): void {
    this.closeLogs();
    this.stopTop();
    this.store.getState().patchUi({ view: 'list', detail: null, prompt: null });
    this.store.setState({ detailData: null });
  }

  private sources(): Array<{ id: string; name: string }> {
    const d = this.store.getState().ui.detail;
    if (!d) return [];
    return d.kind === 'container' ? [{ id: d.id, name: d.name }] : d.containers;
  }

  private startLogs(query: LogQuery): void {
    const sources = this.sources();
    if (!sources.length) return;
    const session = new LogSession(this.o.docker, sources, { maxLines: this.o.logs.maxLines, query });
    session.on('change', () => {
      if (this.store.getState().logSession === session) this.store.setState({ logsVersion: this.store.getState().logsVersion + 1 });
    });
    session.on('problem', (m) => this.say(m, 'error'));
    this.store.setState({ logSession: session });
    void session.start();
    // a container that runs again (restarted, started: a new start time) goes on being
    // followed; its stream's end and the engine's news of the new start come in either order
    this.unfollowRestarts?.();
    const startedAt = (i: number, st = this.store.getState()) => st.containers.find((x) => x.id === sources[i]!.id)?.startedAt ?? null;
    const followedSince = sources.map((_, i) => startedAt(i));
    const check = (st = this.store.getState()) => {
      if (st.logSession !== session) return;
      for (const i of [...session.ended]) {
        const c = st.containers.find((x) => x.id === sources[i]!.id);
        const now = c?.startedAt ?? null;
        if (c?.state === 'running' && now !== null && now !== followedSince[i]) {
          followedSince[i] = now;
          session.resume(i);
        }
      }
    };
    let seen = this.store.getState().containers;
    const unsubscribe = this.store.subscribe((st) => {
      if (st.containers === seen) return;
      seen = st.containers;
      check(st);
    });
    const onEnded = () => check();
    session.on('change', onEnded);
    this.unfollowRestarts = () => {
      unsubscribe();
      session.off('change', onEnded);
    };
  }

  private unfollowRestarts: (() => void) | null = null;

  closeLogs(): void {
    this.unfollowRestarts?.();
    this.unfollowRestarts = null;
    const s = this.store.getState().logSession;
    if (s) s.stop();
    this.store.setState({ logSession: null });
  }

  setTab(tab: DetailTab): void {
    const s = this.store.getState();
    if (s.ui.detail?.kind === 'project' && tab !== 'logs') return this.say('project view: logs only; open a container for its other tabs', 'error');
    s.patchUi({ tab, tabScroll: 0 });
    this.loadTab(tab);
  }

  private loadTab(tab: DetailTab): void {
    this.stopTop();
    const d = this.store.getState().ui.detail;
    if (!d || d.kind !== 'container') return;
    const id = d.id;
    const base = () => this.store.getState().detailData ?? { id, inspect: null, inspectError: null, top: null, topError: null, topAt: 0 };
    if (tab === 'inspect' || tab === 'env') {
      void inspectContainer(this.o.docker, id).then(
        (inspect) => this.store.setState({ detailData: { ...base(), inspect, inspectError: null } }),
        (err) => this.store.setState({ detailData: { ...base(), inspectError: `${d.name}: ${(err as { statusCode?: number }).statusCode === 404 ? 'no longer exists' : engineMessage(err)}` } }),
      );
    }
    if (tab === 'top') {
      const load = () =>
        void containerTop(this.o.docker, id).then(
          (top) => this.store.setState({ detailData: { ...base(), top, topError: null, topAt: Date.now() } }),
          (err) => this.store.setState({ detailData: { ...base(), top: null, topError: `${d.name}: ${engineMessage(err)}`, topAt: Date.now() } }),
        );
      load();
      this.topTimer = setInterval(load, 2000);
    }
  }

  private stopTop(): void {
    if (this.topTimer) clearInterval(this.topTimer);
    this.topTimer = null;
  }

  // ---- prompts (search, filter, save, tail/since) ----

  openPrompt(kind: PromptKind): void {
    const s = this.store.getState();
    const d = s.ui.detail;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const base = (d?.name ?? 'logs').replace(/[^\w.-]+/g, '_');
    const name = `${base}-${stamp}${kind === 'saveFull' ? '-full' : ''}.log`;
    // into the project's own folder when it is on this machine, else the folder berth was
    // started in; the whole path is shown, so the user sees where it goes before enter
    const projectName = d?.kind === 'project' ? d.name : d?.project;
    const view = s.projects.find((p) => p.name === projectName);
    const folder = view ? projectFolder(view) : null;
    const dir = folder && fs.existsSync(folder) ? folder : (this.o.cwd ?? process.cwd());
    const file = path.join(dir, name);
    const prompts: Record<PromptKind, { label: string; value: string }> = {
      search: { label: 'search', value: s.ui.logView.search },
      logFilter: { label: 'filter', value: s.ui.logView.filter },
      saveVisible: { label: 'save shown lines to', value: file },
      saveFull: { label: 'save full log to', value: file },
      tailSince: { label: 'tail (500, all) or since (10m, 2h, 2024-05-01T10:00)', value: '' },
      command: { label: '', value: '' },
      helpSearch: { label: 'search help', value: s.ui.helpSearch },
    };
    s.patchUi({ prompt: { kind, ...prompts[kind] } });
  }

  /** The prompt was answered with enter. */
  submitPrompt(): void {
    const s = this.store.getState();
    const p = s.ui.prompt;
    if (!p) return;
    s.patchUi({ prompt: null });
    const value = p.value.trim();
    switch (p.kind) {
      case 'search':
      case 'logFilter':
      case 'command': // run by the key handler (src/input/dashboardKeys.ts)
        return; // applied while typing
      case 'saveVisible':
      case 'saveFull':
        if (!value) return this.say('no file name; nothing saved', 'error');
        return this.save(p.kind === 'saveFull' ? 'full' : 'visible', value);
      case 'tailSince': {
        const q = parseLogQuery(value);
        if (typeof q === 'string') return this.say(q, 'error');
        const session = s.logSession;
        if (!session) return;
        s.patchLogView({ follow: true, anchor: null, match: null });
        this.say(`logs: ${describeQuery(q)}`);
        void session.restart(q);
        return;
      }
    }
  }

  private save(which: 'visible' | 'full', file: string): void {
    const s = this.store.getState();
    const session = s.logSession;
    if (!session) return this.say('no logs open', 'error');
    const target = path.resolve(this.o.cwd ?? process.cwd(), file);
    const view = s.ui.logView;
    const opts = { timestamps: which === 'full' || view.timestamps, sources: session.sources };
    const work = async () => {
      const lines = which === 'full' ? await session.fullLog() : visibleLines(session.buffer, view.filter);
      const n = await saveLines(target, (function* () {
        for (const l of lines) yield formatLogLine(l, opts);
      })());
      return n;
    };
    this.busy(1);
    void work()
      .then((n) => this.say(`saved ${n} lines to ${target}`, 'ok'))
      .catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') this.say(`${target} exists; not overwritten (choose another name)`, 'error');
        else if (err.code === 'ENOENT') this.say(`${path.dirname(target)}: no such folder; nothing saved`, 'error');
        else this.say(`save failed: ${err.code ?? ''} ${err.message}`.trim(), 'error');
      })
      .finally(() => this.busy(-1));
  }

  // ---- exec ----

  /** The project `a` and `E` open panes in: the detail view's, the selected one, or the selected container's. */
  private paneProject(containerId?: string): string | null {
    const s = this.store.getState();
    if (containerId) return s.projects.find((p) => p.containers.some((c) => c.id === containerId))?.name ?? null;
    return scopeProject(selectedScope(s));
  }

  /** `a`: the project's agent workspace. */
  agents(): void {
    const project = this.paneProject();
    if (!project) return this.say('select a project (not "all") or one of its containers for its agent panes', 'error');
    // containers of no project: there is no .ntm/config.toml to read the agents from
    if (this.store.getState().projects.find((p) => p.name === project)?.source === 'other') {
      return this.say('not in a project: E opens a shell; list it in [[projects]] for agent panes', 'error');
    }
    if (!this.o.workspaces) return this.say('agent panes need a terminal', 'error');
    this.say(`${project}: opening agent panes…`);
    void this.o.workspaces.openAgents(project);
  }

  exec(): void {
    const t = this.targets();
    if (typeof t === 'string') return this.say(t, 'error');
    if (t.containers.length !== 1) return this.say('exec: select one container', 'error');
    const c = t.containers[0]!;
    if (c.state !== 'running') return this.say(`${c.name}: not running (${c.state}); start it first (s)`, 'error');
    const ws = this.o.workspaces;
    if (!ws) return this.say('exec needs a terminal', 'error');
    // a container of no project gets a session of its own name
    const project = this.paneProject(c.id) ?? c.name;
    void ws.execPane(project, { id: c.id, name: c.name }).then((why) => {
      if (why) this.say(`${c.name}: ${why}`, 'error');
    });
  }

  stop(): void {
    this.closeLogs();
    this.stopTop();
  }
}

// What the project keys of the dashboard set in motion: the doctor (async, never blocking
// the UI) and compose up/down/build/pull/restart/logs, streamed into a view and kept
// running in the background when the view is left. No React.
import { scopeProject, selectedScope } from './scope.js';
import type Dockerode from 'dockerode';
import type { ProjectConfig } from '../config/schema.js';
import { log } from '../logging.js';
import type { ComposeAction, ComposeResult } from '../ops/compose/run.js';

// The compose runner and the doctor (YAML parser, child processes) load at their first use,
// not with the dashboard's first frame.
const composeOps = () => import('../ops/compose/run.js');
const doctorOps = () => import('../ops/doctor/run.js');
const proxyOps = () => import('../ops/proxy/command.js');
import { listPresets, loadPreset, shippedPresetsDir } from '../config/presets.js';
import { wrapTextLines, type TextLine } from '../lib/textLine.js';
import { composeEndMessage, composeLines, doctorLines, messageLines, projectFolder, type ComposeRunView, type PresetChoice, type ProjectPanel } from './projectView.js';
import type { AppStore } from './store.js';

export interface ProjectOpsOptions {
  docker: Dockerode;
  store: AppStore;
  /** Engine address, passed to compose as DOCKER_HOST. */
  host: string;
  /** The engine runs on this machine. */
  local: boolean;
  configured: ProjectConfig[];
  /** Starts a project's agents from a preset (the dashboard's session host). */
  openPreset?: (project: string, preset: string) => void;
}

export type ComposeKey = 'composeUp' | 'composeDown' | 'composeBuild' | 'composePull' | 'composeRestart' | 'composeLogs';

const ACTION: Record<ComposeKey, ComposeAction> = {
  composeUp: 'up',
  composeDown: 'down',
  composeBuild: 'build',
  composePull: 'pull',
  composeRestart: 'restart',
  composeLogs: 'logs',
};

export class ProjectOps {
  private nextId = 1;
  private readonly runs = new Map<number, ComposeRunView>();
  private doctorSeq = 0;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: ProjectOpsOptions) {}

  private get store() {
    return this.o.store;
  }

  private say(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
    this.store.getState().setMessage(text, kind);
  }

  private setPanel(panel: ProjectPanel | null): void {
    this.store.setState({ projectPanel: panel });
  }

  /** The selected project's name (or the selected container's, or the detail view's). */
  private selectedName(): string | null {
    return scopeProject(selectedScope(this.store.getState()));
  }

  /** The selected project and its folder. */
  private target(): { project: string; dir: string } | null {
    const s = this.store.getState();
    const name = this.selectedName();
    if (!name) {
      this.say('select a project (not "all") or one of its containers', 'error');
      return null;
    }
    const p = s.projects.find((x) => x.name === name);
    const dir = p ? projectFolder(p) : null;
    if (!dir) {
      this.say(`${name}: no known folder (no path in the user config, no compose working_dir label on its containers)`, 'error');
      return null;
    }
    return { project: name, dir };
  }

  // ---- doctor ----

  doctor(): void {
    const t = this.target();
    if (!t) return;
    const seq = ++this.doctorSeq;
    this.setPanel({ kind: 'doctor', project: t.project, dir: t.dir, report: null, error: null, scroll: 0 });
    const cfg = this.o.configured.find((p) => p.name === t.project);
    const still = () => {
      const p = this.store.getState().projectPanel;
      return p?.kind === 'doctor' && seq === this.doctorSeq ? p : null;
    };
    void doctorOps().then(({ runDoctor }) => runDoctor({
      dir: t.dir,
      name: t.project,
      others: this.o.configured.map((p) => ({ name: p.name, path: p.path })),
      env: process.env,
      docker: this.o.docker,
      local: this.o.local,
      containers: cfg?.containers ?? [],
    })).then(
      (report) => {
        const p = still();
        if (p) this.setPanel({ ...p, report });
      },
      (err: Error) => {
        log.warn(`doctor ${t.project}: ${err.message}`);
        const p = still();
        if (p) this.setPanel({ ...p, error: `${t.project}: ${err.message.split('\n')[0]}` });
      },
    );
  }

  // ---- presets ----

  /** `A`: the presets the selected project can start, its own first. */
  openPresets(): void {
    const s = this.store.getState();
    const name = this.selectedName();
    const p = name ? s.projects.find((x) => x.name === name) : undefined;
    if (!name || !p) return this.say('select a project (not "all") or one of its containers for its presets', 'error');
    if (p.source === 'other') return this.say('not in a project: list it in [[projects]] to start agents in it', 'error');
    const dir = projectFolder(p) ?? undefined;
    const shipped = shippedPresetsDir();
    const presets: PresetChoice[] = [];
    const errors: string[] = [];
    for (const { name: preset, file } of listPresets(dir)) {
      try {
        const x = loadPreset(file, dir);
        const agents = x.agents.filter((a) => a.count > 0).map((a) => `${a.count} ${a.kind}${a.model ? `:${a.model}` : ''}`);
        presets.push({
          name: preset,
          description: x.description,
          layout: x.layout,
          panes: [agents.join(', ') || 'no agents', x.user ? ' + shell' : ''].join(''),
          source: file.startsWith(shipped) ? 'shipped' : 'project',
        });
      } catch (e) {
        errors.push((e as Error).message.split('\n')[0]!);
      }
    }
    if (presets.length === 0) return this.say(errors[0] ?? `${name}: no presets (presets/ or ${dir ? '.berth/presets/' : "the project's .berth/presets/"})`, 'error');
    this.setPanel({ kind: 'presets', project: name, presets, selected: 0, error: errors[0] ?? null });
  }

  movePreset(delta: number): void {
    const p = this.store.getState().projectPanel;
    if (p?.kind !== 'presets') return;
    this.setPanel({ ...p, selected: Math.max(0, Math.min(p.presets.length - 1, p.selected + delta)) });
  }

  /** Enter in the picker: start the chosen preset's agents. */
  pickPreset(): void {
    const p = this.store.getState().projectPanel;
    if (p?.kind !== 'presets') return;
    const choice = p.presets[p.selected];
    this.setPanel(null);
    if (!choice) return;
    if (!this.o.openPreset) return this.say('agent panes need a terminal', 'error');
    this.say(`${p.project}: starting preset ${choice.name}…`);
    this.o.openPreset(p.project, choice.name);
  }

  // ---- compose ----

  openMenu(): void {
    const t = this.target();
    if (t) this.setPanel({ kind: 'menu', ...t });
  }

  /** A compose key in the menu. */
  compose(key: ComposeKey): void {
    const p = this.store.getState().projectPanel;
    if (p?.kind !== 'menu') return;
    const action = ACTION[key];
    if (action === 'down') return this.askDown(p.project, p.dir);
    this.start(p.project, p.dir, action, {});
  }

  private askDown(project: string, dir: string): void {
    const panel: ProjectPanel = { kind: 'confirmDown', project, dir, volumes: null, volumesError: null, removeVolumes: false };
    this.setPanel(panel);
    void composeOps().then(({ volumesAtRisk }) => volumesAtRisk({ dir, host: this.o.host }, this.o.docker)).then(
      (volumes) => {
        const cur = this.store.getState().projectPanel;
        if (cur?.kind === 'confirmDown' && cur.dir === dir) this.setPanel({ ...cur, volumes });
      },
      (err: Error) => {
        const cur = this.store.getState().projectPanel;
        if (cur?.kind === 'confirmDown' && cur.dir === dir) this.setPanel({ ...cur, volumesError: err.message.split('\n')[0]! });
      },
    );
  }

  // ---- proxy ----

  /** `:proxy HOST [PORT] [tls]` on a container: plans the compose edit and shows it before writing. */
  proxyAdd(host: string, port: number | undefined, tls: boolean): void {
    const scope = selectedScope(this.store.getState());
    if (scope.kind !== 'container' || !scope.container.composeService) return this.say('proxy: select the container of the compose service to route', 'error');
    const service = scope.container.composeService;
    const t = this.target();
    if (!t) return;
    void proxyOps().then(({ prepareProxyAdd }) => {
      const prep = prepareProxyAdd({ dir: t.dir, service, host, port, tls, others: this.o.configured.map((p) => ({ name: p.name, path: p.path })) });
      if (!prep.diff) return this.say(`${t.project}: ${service} is already routed to ${host}; nothing to change`, 'ok');
      this.proxyPrepared = prep;
      this.setPanel({ kind: 'confirmProxy', project: t.project, service, host, tls, file: prep.file, diff: prep.diff.split('\n').filter((l, i) => i > 1 && l !== ''), notes: prep.plan.notes });
    }).catch((err: Error) => this.say(`proxy: ${err.message.split('\n')[0]}`, 'error'));
  }

  private proxyPrepared: import('../ops/proxy/command.js').PreparedProxyAdd | null = null;

  private confirmProxy(p: Extract<ProjectPanel, { kind: 'confirmProxy' }>, choice: 'yes' | 'dry' | 'volumes' | 'no'): void {
    if (choice === 'volumes') return;
    const prep = this.proxyPrepared;
    this.setPanel(null);
    this.proxyPrepared = null;
    if (choice !== 'yes' || !prep) return this.say(`${p.project}: proxy for ${p.service} ${choice === 'dry' ? 'shown (dry run)' : 'cancelled'}; nothing was written`);
    void proxyOps().then(async ({ writeProxyAdd, checkProxyAdd, proxyAddDone }) => {
      writeProxyAdd(prep);
      const findings = await checkProxyAdd(prep);
      const done = `${p.project}: wrote ${prep.rel}: ${proxyAddDone(prep, p.service, p.host, p.tls)}`;
      this.say(findings.length ? `${done}; ${findings.length} Traefik finding(s): D shows them` : `${done}; the Traefik checks pass (compose up applies it)`, findings.length ? 'error' : 'ok');
    }).catch((err: Error) => this.say(`proxy: ${err.message.split('\n')[0]}`, 'error'));
  }

  /** The down (or proxy) confirmation's answer. */
  confirm(choice: 'yes' | 'dry' | 'volumes' | 'no'): void {
    const p = this.store.getState().projectPanel;
    if (p?.kind === 'confirmProxy') return this.confirmProxy(p, choice);
    if (p?.kind !== 'confirmDown') return;
    if (choice === 'volumes') return this.setPanel({ ...p, removeVolumes: !p.removeVolumes });
    if (choice === 'no') {
      this.setPanel(null);
      return this.say(`${p.project}: down cancelled`);
    }
    this.start(p.project, p.dir, 'down', { volumes: p.removeVolumes, dry: choice === 'dry' });
  }

  private start(project: string, dir: string, action: ComposeAction, o: { volumes?: boolean; dry?: boolean }): void {
    const id = this.nextId++;
    const label = `compose ${action}${o.volumes ? ' --volumes' : ''}${o.dry ? ' (dry run)' : ''}`;
    const run: ComposeRunView = { id, project, action, label, lines: [], running: true, exitCode: null, error: null };
    this.runs.set(id, run);
    this.setPanel({ kind: 'compose', run: { ...run }, scroll: 0, follow: true });
    this.say(`${project}: ${label}…`);
    this.busy(1);
    const target = { dir, host: this.o.host };
    const finish = (r: Pick<ComposeResult, 'exitCode' | 'error'>) => {
      run.running = false;
      run.exitCode = r.exitCode;
      run.error = r.error ?? null;
      this.flush(true);
      const m = composeEndMessage(run);
      log.info(m.text);
      this.say(m.text, m.kind);
      this.busy(-1);
    };
    if (o.dry) {
      void this.dryRun(target, o.volumes ?? false, run).then(finish, (err: Error) => finish({ exitCode: -1, error: err.message.split('\n')[0] }));
      return;
    }
    void composeOps().then(({ runCompose }) => runCompose(target, action, {
      volumes: o.volumes,
      ...(action === 'logs' ? { tail: 500 } : {}),
      onLine: (l) => {
        run.lines.push(l);
        if (run.lines.length > 5000) run.lines.shift();
        this.flush(false);
      },
    })).then(finish, (err: Error) => finish({ exitCode: -1, error: `${label} failed: ${err.message.split('\n')[0]}` }));
  }

  private async dryRun(target: { dir: string; host: string }, volumes: boolean, run: ComposeRunView): Promise<{ exitCode: number }> {
    const { composeCommandLine, volumesAtRisk } = await composeOps();
    const line = await composeCommandLine(target, 'down', { volumes });
    const vols = await volumesAtRisk(target, this.o.docker);
    const names = vols.map((v) => v.name).join(', ') || 'none';
    run.lines.push({ stream: 'stdout', line: `would run: DOCKER_HOST=${target.host} ${line}` });
    run.lines.push({ stream: 'stdout', line: volumes ? `volumes that would be deleted: ${names}` : `volumes kept: ${names}` });
    run.lines.push({ stream: 'stdout', line: 'dry run: nothing was changed' });
    return { exitCode: 0 };
  }

  /** Copies the shown run's lines into the store, at most every 100 ms (or now). */
  private flush(now: boolean): void {
    const write = () => {
      this.flushTimer = null;
      const p = this.store.getState().projectPanel;
      if (p?.kind !== 'compose') return;
      const run = this.runs.get(p.run.id);
      if (run) this.setPanel({ ...p, run: { ...run, lines: [...run.lines] } });
    };
    if (now) {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      return write();
    }
    if (!this.flushTimer) this.flushTimer = setTimeout(write, 100);
  }

  private busy(d: number): void {
    const s = this.store.getState();
    s.patchUi({ busy: Math.max(0, s.ui.busy + d) });
  }

  /** Scrolls the doctor or compose view by lines (`page`: the view's height); `Infinity` is the end (compose: follow again). */
  /** `width`: the view's text width, as its long lines wrap (ProjectPanelView). */
  scroll(delta: number, page: number, width = Infinity): void {
    const p = this.store.getState().projectPanel;
    if (!p || (p.kind !== 'doctor' && p.kind !== 'compose' && p.kind !== 'messages')) return;
    const count = (lines: TextLine[]) => (Number.isFinite(width) ? wrapTextLines(lines, width).length : lines.length);
    if (p.kind === 'messages') {
      const total = count(messageLines(this.store.getState().ui.messageLog));
      return this.setPanel({ ...p, scroll: Math.max(0, Math.min(p.scroll + delta, total - page)) });
    }
    if (p.kind === 'doctor') {
      const total = p.report ? count(doctorLines(p.report)) : 1;
      return this.setPanel({ ...p, scroll: Math.max(0, Math.min(p.scroll + delta, total - page)) });
    }
    if (delta === Infinity) return this.setPanel({ ...p, follow: true });
    // Leaving follow mode starts from the end that was shown.
    const total = count(composeLines(p.run));
    const from = p.follow ? Math.max(0, total - page) : p.scroll;
    const scroll = Math.max(0, Math.min(from + delta, Math.max(0, total - page)));
    this.setPanel({ ...p, scroll, follow: delta > 0 && scroll >= total - page });
  }

  /** M: the last messages in full, newest at the bottom. */
  openMessages(): void {
    const lines = messageLines(this.store.getState().ui.messageLog);
    this.setPanel({ kind: 'messages', scroll: lines.length });
  }

  /** esc: close the view (a compose command keeps running). */
  close(): void {
    this.setPanel(null);
  }

  stop(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
  }
}

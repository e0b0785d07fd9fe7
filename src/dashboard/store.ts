// The one store the dashboard reads. Backend modules push plain data in through the
// setters; the UI reads with selectors and calls the actions. No React here.
import { createStore } from 'zustand/vanilla';
import type { ProjectConfig } from '../config/schema.js';
import { groupProjects } from '../project/group.js';
import type { ContainerInfo, EngineStatus, ProjectView, StatsSample } from '../engine/types.js';
import type { LogSession } from '../engine/logs/session.js';
import type { RemovalPreview, TopResult } from '../engine/actions.js';
import { diagnose, inputFromContainer, type Diagnosis } from '../ops/diagnosis.js';

export type { Diagnosis };
import type { GpuSummary } from './gpuSummary.js';
import { NO_VULNS, type VulnView } from './vulnScans.js';
import type { ProjectPanel } from './projectView.js';
import type { MaintPanel } from './maintenance.js';

export type Panel = 'projects' | 'containers';

export interface ContainerStats {
  latest: StatsSample | null;
  /** CPU percent history, oldest first, for the sparkline. */
  cpu: number[];
  /** The whole sample ring, oldest first, for the stats tab's graphs (when the feed gives it); read only. */
  samples?: readonly StatsSample[];
}

/** Messages kept for the M view. */
const MESSAGE_LOG = 100;

export type DetailTab = 'logs' | 'stats' | 'inspect' | 'env' | 'top' | 'vulns';
export const DETAIL_TABS: DetailTab[] = ['logs', 'stats', 'inspect', 'env', 'top', 'vulns'];

/** What the detail view shows: one container, or the merged logs of a project. */
export type DetailTarget =
  | { kind: 'container'; id: string; name: string; project: string }
  | { kind: 'project'; name: string; containers: Array<{ id: string; name: string }> };

export interface ConfirmState {
  /**
   * remove: containers (targets, previews, force, volumes); trust: a project's
   * .ntm/config.toml (lines: its commands); panes: `op` on containers (targets) that have
   * live agent panes (lines: the panes that will end); session: end the session `project`
   * (lines: its panes).
   */
  action: 'remove' | 'trust' | 'panes' | 'session';
  /** panes: the container operation asked for (restart, stop, kill). */
  op?: 'restart' | 'stop' | 'kill';
  /** What the dialog is about, e.g. "remove 2 containers of shop". */
  title: string;
  targets: Array<{ id: string; name: string }>;
  previews: RemovalPreview[] | null;
  force: boolean;
  volumes: boolean;
  /** trust: the project whose agents start once trusted, and what the file runs. */
  project?: string;
  /** trust: the preset the agents were asked from, if any. */
  preset?: string;
  lines?: string[];
}

export type PromptKind = 'search' | 'logFilter' | 'saveVisible' | 'saveFull' | 'tailSince' | 'command' | 'helpSearch';

export interface PromptState {
  kind: PromptKind;
  label: string;
  value: string;
}

export interface LogViewState {
  follow: boolean;
  timestamps: boolean;
  wrap: boolean;
  search: string;
  filter: string;
  /** Absolute number of the line at the bottom of the view when not following. */
  anchor: number | null;
  /** Absolute number of the current search match. */
  match: number | null;
}

export const initialLogView: LogViewState = { follow: true, timestamps: false, wrap: true, search: '', filter: '', anchor: null, match: null };

export interface DetailData {
  id: string;
  inspect: unknown | null;
  inspectError: string | null;
  top: TopResult | null;
  topError: string | null;
  topAt: number;
}

export type { GpuSummary };

export interface UiState {
  focus: Panel;
  /** 0 = all projects, then one per project in `projects` order. */
  projectIndex: number;
  containerIndex: number;
  filter: string;
  filterEditing: boolean;
  help: boolean;
  /** The GPU panel replaces the container table. */
  gpuPanel: boolean;
  message: string | null;
  messageKind: 'info' | 'ok' | 'error';
  /** The last messages, oldest first, in full (M shows them): the status line cuts long ones. */
  messageLog: Array<{ at: number; text: string; kind: 'info' | 'ok' | 'error' }>;
  view: 'list' | 'detail';
  detail: DetailTarget | null;
  tab: DetailTab;
  /** Scroll offset of the inspect/env/top tabs. */
  tabScroll: number;
  revealEnv: boolean;
  confirm: ConfirmState | null;
  prompt: PromptState | null;
  logView: LogViewState;
  /** Operations running now (count), for the status line. */
  busy: number;
  helpScroll: number;
  /** Help shows only the commands that match this (its / search). */
  helpSearch: string;
  /** The terminal is lent to another program (exec shell): draw nothing. */
  suspended: boolean;
  /** Backup dialog, disk-usage view or prune preview (src/dashboard/maintenance.ts). */
  maint: MaintPanel | null;
}

export interface AppState {
  engine: EngineStatus;
  configured: ProjectConfig[];
  containers: ContainerInfo[];
  projects: ProjectView[];
  stats: Record<string, ContainerStats>;
  gpu: GpuSummary | null;
  /** Image vulnerability scans (the VULN column and the vulns tab), from the server's scanner. */
  vulns: VulnView;
  ui: UiState;
  /** Restart counts seen over time per container, for restart-loop detection. */
  restartHistory: Record<string, Array<[number, number]>>;
  logSession: LogSession | null;
  /** Bumped (throttled) when the log buffer changes. */
  logsVersion: number;
  detailData: DetailData | null;
  /** Agent panes of the dashboard's workspaces per container name, e.g. "2 working 1 done". */
  paneBadges: Record<string, string>;
  /** Agent panes waiting for the user or failed, in every session (the header shows the count; N goes to the oldest). */
  attention: number;
  /** The same per project (by the project of the container each pane runs in). */
  attentionByProject: Record<string, number>;
  /** Doctor, compose menu, compose output or the down confirmation of a project (src/dashboard/projectOps.ts). */
  projectPanel: ProjectPanel | null;

  setEngine(status: EngineStatus): void;
  /** `history`: the restart history kept by the engine hub (computed here when absent). */
  setContainers(list: Iterable<ContainerInfo>, history?: Record<string, Array<[number, number]>>): void;
  setStats(stats: Record<string, ContainerStats>): void;
  setGpu(gpu: GpuSummary | null): void;
  setVulns(vulns: VulnView): void;
  setMessage(message: string | null, kind?: UiState['messageKind']): void;
  patchUi(patch: Partial<UiState>): void;
  patchLogView(patch: Partial<LogViewState>): void;

  moveSelection(delta: number): void;
  moveToEdge(edge: 'first' | 'last'): void;
  focusPanel(panel: Panel | 'next'): void;
  openProject(): void;
  toggleHelp(open?: boolean): void;
  toggleGpuPanel(): void;
  startFilter(): void;
  editFilter(text: string): void;
  endFilter(keep: boolean): void;
}

export const initialUi: UiState = {
  focus: 'projects',
  projectIndex: 0,
  containerIndex: 0,
  filter: '',
  filterEditing: false,
  help: false,
  gpuPanel: false,
  message: null,
  messageKind: 'info',
  messageLog: [],
  view: 'list',
  detail: null,
  tab: 'logs',
  tabScroll: 0,
  revealEnv: false,
  confirm: null,
  prompt: null,
  logView: initialLogView,
  busy: 0,
  helpScroll: 0,
  helpSearch: '',
  suspended: false,
  maint: null,
};

const HISTORY_MS = 15 * 60_000;

/** Adds the current restart counts to the history (only when they change). */
export function trackRestarts(
  prev: Record<string, Array<[number, number]>>,
  containers: ContainerInfo[],
  now = Date.now(),
): Record<string, Array<[number, number]>> {
  const next: Record<string, Array<[number, number]>> = {};
  for (const c of containers) {
    const h = prev[c.id] ?? [];
    const last = h[h.length - 1];
    let list = last && last[1] === c.restartCount ? h : [...h, [now, c.restartCount] as [number, number]];
    if (list.length > 1 && now - list[0]![0] > HISTORY_MS) list = list.filter(([t], i) => i === list.length - 1 || now - t <= HISTORY_MS);
    next[c.id] = list;
  }
  return next;
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}

export function createAppStore(configured: ProjectConfig[] = [], address = '') {
  return createStore<AppState>()((set, get) => {
    /** Keeps the selected indexes inside the lists after data or filter changes. */
    const fixed = (ui: UiState, s: Pick<AppState, 'projects' | 'containers' | 'configured'>): UiState => {
      const projectIndex = clamp(ui.projectIndex, 0, s.projects.length);
      const visible = visibleContainers({ ...get(), ...s, ui: { ...ui, projectIndex } });
      return { ...ui, projectIndex, containerIndex: clamp(ui.containerIndex, 0, Math.max(0, visible.length - 1)) };
    };

    return {
      engine: { kind: 'connecting', address },
      configured,
      containers: [],
      projects: groupProjects([], configured),
      stats: {},
      gpu: null,
      vulns: NO_VULNS,
      ui: initialUi,
      restartHistory: {},
      logSession: null,
      logsVersion: 0,
      detailData: null,
      paneBadges: {},
      attention: 0,
      attentionByProject: {},
      projectPanel: null,

      setEngine: (engine) => set({ engine }),
      setContainers: (list, history) => {
        const containers = [...list];
        const projects = groupProjects(containers, get().configured);
        const restartHistory = history ?? trackRestarts(get().restartHistory, containers);
        set({ containers, projects, restartHistory, ui: fixed(get().ui, { containers, projects, configured: get().configured }) });
      },
      setStats: (stats) => set({ stats }),
      setGpu: (gpu) => set({ gpu }),
      setVulns: (vulns) => set({ vulns }),
      setMessage: (message, kind = 'info') => {
        const ui = get().ui;
        const last = ui.messageLog.at(-1);
        const messageLog = message && !(last && last.text === message && last.kind === kind) ? [...ui.messageLog.slice(-(MESSAGE_LOG - 1)), { at: Date.now(), text: message, kind }] : ui.messageLog;
        set({ ui: { ...ui, message, messageKind: kind, messageLog } });
      },
      patchUi: (patch) => set({ ui: { ...get().ui, ...patch } }),
      patchLogView: (patch) => set({ ui: { ...get().ui, logView: { ...get().ui.logView, ...patch } } }),

      moveSelection: (delta) => {
        const s = get();
        if (s.ui.focus === 'projects') {
          const projectIndex = clamp(s.ui.projectIndex + delta, 0, s.projects.length);
          set({ ui: { ...s.ui, projectIndex, containerIndex: 0 } });
        } else {
          const n = visibleContainers(s).length;
          set({ ui: { ...s.ui, containerIndex: clamp(s.ui.containerIndex + delta, 0, Math.max(0, n - 1)) } });
        }
      },
      moveToEdge: (edge) => get().moveSelection(edge === 'first' ? -1e9 : 1e9),
      focusPanel: (panel) => {
        const ui = get().ui;
        const focus = panel === 'next' ? (ui.focus === 'projects' ? 'containers' : 'projects') : panel;
        set({ ui: { ...ui, focus } });
      },
      openProject: () => {
        const ui = get().ui;
        if (ui.focus === 'projects') set({ ui: { ...ui, focus: 'containers', containerIndex: 0 } });
      },
      toggleHelp: (open) => {
        const ui = get().ui;
        set({ ui: { ...ui, help: open ?? !ui.help, helpScroll: 0, helpSearch: '' } });
      },
      toggleGpuPanel: () => {
        const ui = get().ui;
        set({ ui: { ...ui, gpuPanel: !ui.gpuPanel } });
      },
      startFilter: () => set({ ui: { ...get().ui, filterEditing: true, help: false } }),
      editFilter: (filter) => {
        const s = get();
        set({ ui: fixed({ ...s.ui, filter, containerIndex: 0 }, s) });
      },
      endFilter: (keep) => {
        const s = get();
        const ui = { ...s.ui, filterEditing: false, filter: keep ? s.ui.filter : '' };
        set({ ui: fixed(ui, s) });
      },
    };
  });
}

export type AppStore = ReturnType<typeof createAppStore>;

/** The project the left panel points at, or null for "all". */
export function selectedProject(s: Pick<AppState, 'projects' | 'ui'>): ProjectView | null {
  return s.ui.projectIndex === 0 ? null : (s.projects[s.ui.projectIndex - 1] ?? null);
}

/** True when `c` matches a filter text: every word must appear in its name, project, service, image or state. */
export function matchesFilter(c: ContainerInfo, project: string, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = [c.name, project, c.composeService ?? '', c.image, c.state, c.health ?? ''].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

export interface ContainerRow {
  container: ContainerInfo;
  project: string;
}

/** The rows of the main table: the selected project's containers (or all), filtered. */
export function visibleContainers(s: Pick<AppState, 'projects' | 'ui'>): ContainerRow[] {
  const chosen = selectedProject(s);
  const projects = chosen ? [chosen] : s.projects;
  const rows: ContainerRow[] = [];
  for (const p of projects) {
    for (const c of p.containers) if (matchesFilter(c, p.name, s.ui.filter)) rows.push({ container: c, project: p.name });
  }
  return rows;
}

export function selectedContainer(s: Pick<AppState, 'projects' | 'ui'>): ContainerRow | null {
  return visibleContainers(s)[s.ui.containerIndex] ?? null;
}

export interface Totals {
  projects: number;
  containers: number;
  running: number;
  cpuPct: number;
  memUsed: number;
}

export function totals(s: Pick<AppState, 'projects' | 'containers' | 'stats'>): Totals {
  let cpuPct = 0;
  let memUsed = 0;
  let running = 0;
  for (const c of s.containers) {
    if (c.state === 'running') running++;
    const st = s.stats[c.id]?.latest;
    if (st && c.state === 'running') {
      cpuPct += st.cpuPct;
      memUsed += st.memUsed;
    }
  }
  return { projects: s.projects.length, containers: s.containers.length, running, cpuPct, memUsed };
}

/** Why a container stopped (or is unhealthy, or loops), or null. */
export function diagnosisOf(s: Pick<AppState, 'restartHistory'>, c: ContainerInfo, now = Date.now()): Diagnosis | null {
  return diagnose(inputFromContainer(c), s.restartHistory[c.id] ?? [], now);
}

// The project views of the dashboard (Doctor, compose menu, compose output, the down
// confirmation): their state and the pure functions that turn it into lines. No React.
import type { ComposeAction, ComposeLine, VolumeAtRisk } from '../ops/compose/run.js';
import { formatWhere, groupFindings } from '../ops/doctor/format.js';
import type { DoctorReport } from '../ops/doctor/run.js';
import { countBySeverity } from '../ops/doctor/types.js';
import type { ProjectView } from '../engine/types.js';
import type { TextLine } from '../lib/textLine.js';
import type { SessionInfo } from '../sessions/protocol.js';

/** The compose label compose v1 and v2 put on containers: the folder compose ran in. */
export const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';

/** One compose command started from the dashboard (it keeps running when its view is left). */
export interface ComposeRunView {
  id: number;
  project: string;
  action: ComposeAction;
  /** e.g. "docker compose up" plus " --volumes" / " (dry run)". */
  label: string;
  lines: ComposeLine[];
  running: boolean;
  exitCode: number | null;
  error: string | null;
}

export type ProjectPanel =
  | { kind: 'menu'; project: string; dir: string }
  | { kind: 'presets'; project: string; presets: PresetChoice[]; selected: number; error: string | null }
  | { kind: 'doctor'; project: string; dir: string; report: DoctorReport | null; error: string | null; scroll: number }
  | { kind: 'compose'; run: ComposeRunView; scroll: number; follow: boolean }
  | { kind: 'confirmDown'; project: string; dir: string; volumes: VolumeAtRisk[] | null; volumesError: string | null; removeVolumes: boolean }
  /** `:proxy HOST`: the compose edit that puts the service behind Traefik, shown before it is written */
  | { kind: 'confirmProxy'; project: string; service: string; host: string; tls: boolean; file: string; diff: string[]; notes: string[] }
  | { kind: 'sessions'; sessions: SessionInfo[]; selected: number }
  | { kind: 'messages'; scroll: number };

/** The M view: every message kept, newest last, with its time. */
export function messageLines(log: ReadonlyArray<{ at: number; text: string; kind: 'info' | 'ok' | 'error' }>): TextLine[] {
  if (!log.length) return [{ text: 'no messages yet', role: 'dim' }];
  return log.map((m) => ({ text: `${new Date(m.at).toTimeString().slice(0, 8)}  ${m.text}`, ...(m.kind === 'error' ? { role: 'error' as const } : m.kind === 'ok' ? { role: 'ok' as const } : {}) }));
}

/** A session in the sessions view: its name, windows, panes by state and clients, on one line. */
export function sessionLine(s: SessionInfo): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  const counts = new Map<string, number>();
  for (const p of s.panes) {
    const st = !p.running ? 'exited' : p.kind === 'user' ? 'shell' : p.status;
    counts.set(st, (counts.get(st) ?? 0) + 1);
  }
  const states = [...counts].map(([st, k]) => `${k} ${st}`).join(', ');
  const windows = s.windows.length > 1 ? `${n(s.windows.length, 'window')} (${s.windows.join(', ')}), ` : '';
  const clients = s.clients ? `, ${n(s.clients, 'client')}` : '';
  return `${s.name}  ${windows}${n(s.panes.length, 'pane')}: ${states || 'none'}${clients}`;
}

/** One line of the preset picker. */
export interface PresetChoice {
  name: string;
  description: string;
  layout: string;
  /** e.g. "2 cc, 1 cod + shell" */
  panes: string;
  /** Where it comes from: the project's .berth/presets/ or berth's own presets/. */
  source: 'project' | 'shipped';
}

/** The project's folder: the configured path, else the compose working_dir label of one of its containers. */
export function projectFolder(p: Pick<ProjectView, 'path' | 'containers'>): string | null {
  if (p.path) return p.path;
  for (const c of p.containers) {
    const d = c.labels[WORKING_DIR_LABEL];
    if (d) return d;
  }
  return null;
}

/** The doctor's findings as lines, grouped as `berth doctor` prints them. */
export function doctorLines(report: DoctorReport): TextLine[] {
  const out: TextLine[] = [];
  if (!report.findings.length) out.push({ text: 'no findings', role: 'ok' });
  for (const g of groupFindings(report.findings)) {
    out.push({ text: g.title, role: 'heading' });
    for (const f of g.findings) {
      const loc = f.where && 'line' in f.where ? `${formatWhere(f)} ` : '';
      const role = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'dim';
      // The id before the message, so a narrow view still shows it.
      out.push({ text: `  ${f.severity.padEnd(7)} ${loc}[${f.id}${f.ref ? ` ${f.ref}` : ''}] ${f.message}`, role });
      out.push({ text: `          fix: ${f.fix}` });
    }
  }
  out.push({ text: '' });
  out.push({ text: doctorSummary(report), role: 'heading' });
  return out;
}

export function doctorSummary(report: DoctorReport): string {
  const c = countBySeverity(report.findings);
  const s = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${s(c.error, 'error')}, ${s(c.warning, 'warning')}, ${c.info} info (checked ${report.composeFile ? '1 compose file, ' : ''}${s(report.dockerfiles.length, 'Dockerfile')}, ${s(report.containers.length, 'container')})`;
}

/** The compose output view's lines (stderr is where compose reports progress; errors are marked). */
export function composeLines(run: ComposeRunView): TextLine[] {
  const out: TextLine[] = run.lines.map((l) => ({ text: l.line, ...(/\berror\b|failed/i.test(l.line) ? { role: 'error' as const } : {}) }));
  if (run.running) out.push({ text: '… running', role: 'dim' });
  else if (run.error) out.push({ text: run.error, role: 'error' });
  else out.push({ text: `${run.label}: done (exit ${run.exitCode ?? 0})`, role: 'ok' });
  return out;
}

/** The first line shown for `total` lines in `height` rows: the end when following, else `scroll` kept in range. */
export function firstShown(total: number, height: number, scroll: number, follow: boolean): number {
  const max = Math.max(0, total - height);
  return follow ? max : Math.max(0, Math.min(scroll, max));
}

/** What the down confirmation says about volumes. */
export function downVolumeLines(p: Extract<ProjectPanel, { kind: 'confirmDown' }>): string[] {
  if (p.volumesError) return [`volumes: cannot tell (${p.volumesError})`];
  if (!p.volumes) return ['checking volumes…'];
  if (!p.volumes.length) return ['no volumes to keep or remove'];
  const names = p.volumes.map((v) => (v.kind === 'anonymous' ? `${v.name.slice(0, 12)} (anonymous)` : v.name));
  return p.removeVolumes
    ? [`REMOVED with their data: ${names.join(', ')}`]
    : [`kept: ${names.join(', ')}`];
}

/** The status line when a compose run ends. */
export function composeEndMessage(run: ComposeRunView): { text: string; kind: 'ok' | 'error' } {
  if (run.error) return { text: `${run.project}: ${run.error}`, kind: 'error' };
  return { text: `${run.project}: ${run.label} finished (exit ${run.exitCode ?? 0})`, kind: 'ok' };
}

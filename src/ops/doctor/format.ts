// Text and JSON output for `berth doctor`.
import type { DoctorReport } from './run.js';
import { countBySeverity, SEVERITY_ORDER, type Finding, type Severity } from './types.js';

export interface FindingGroup {
  /** "compose.yaml", "Dockerfile", "container myproj-agent", "project". */
  title: string;
  findings: Finding[];
}

function groupKey(f: Finding): string {
  if (!f.where) return 'project';
  return 'container' in f.where ? `container ${f.where.container}` : f.where.file;
}

/** Findings grouped by file or container, each group in file order. */
export function groupFindings(findings: Finding[]): FindingGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = groupKey(f);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(f);
  }
  const rank = (k: string): number => (k.startsWith('container ') ? 2 : k === 'project' ? 3 : /dockerfile/i.test(k) ? 1 : 0);
  return [...groups.entries()]
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))
    .map(([title, list]) => ({
      title,
      findings: [...list].sort((a, b) => {
        const la = a.where && 'line' in a.where ? a.where.line * 10_000 + (a.where.column ?? 0) : 0;
        const lb = b.where && 'line' in b.where ? b.where.line * 10_000 + (b.where.column ?? 0) : 0;
        return la - lb || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
      }),
    }));
}

export function formatWhere(f: Finding): string {
  if (!f.where) return '';
  if ('container' in f.where) return f.where.container;
  return `${f.where.file}:${f.where.line}${f.where.column ? `:${f.where.column}` : ''}`;
}

const COLORS: Record<Severity, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };

/** One line per finding, grouped; a summary line at the end. */
export function formatReport(report: DoctorReport, opts: { color?: boolean } = {}): string {
  const lines: string[] = [];
  const paint = (sev: Severity, s: string): string => (opts.color ? `${COLORS[sev]}${s}\x1b[0m` : s);
  lines.push(`berth doctor: ${report.project} (${report.dir})`);
  for (const g of groupFindings(report.findings)) {
    lines.push('', g.title);
    for (const f of g.findings) {
      // file:line for file findings; a container's name is already the group title.
      const loc = f.where && 'line' in f.where ? `${formatWhere(f)} ` : '';
      lines.push(`  ${paint(f.severity, f.severity.padEnd(7))} ${loc}${f.message} [${f.id}${f.ref ? ` ${f.ref}` : ''}] fix: ${f.fix}`);
    }
  }
  const c = countBySeverity(report.findings);
  const checked = [
    report.composeFile ? '1 compose file' : null,
    report.dockerfiles.length ? `${report.dockerfiles.length} Dockerfile${report.dockerfiles.length > 1 ? 's' : ''}` : null,
    `${report.containers.length} container${report.containers.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  // which outside linters read the Dockerfiles, so a clean result says what it covers
  const l = report.linters;
  const tools = l ? `; ${l.shellcheck ? `ShellCheck ${l.shellcheck}` : 'ShellCheck not installed'}, ${l.hadolint ? `hadolint ${l.hadolint}` : 'hadolint not installed'}` : '';
  lines.push('', `${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info (checked ${checked.join(', ')}${tools})`);
  return lines.join('\n') + '\n';
}

export function reportJson(report: DoctorReport): string {
  return JSON.stringify({ ...report, summary: countBySeverity(report.findings) }, null, 2) + '\n';
}

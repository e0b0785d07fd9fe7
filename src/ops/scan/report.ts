// Image vulnerability reports as berth shows them, read from the JSON of Trivy
// (`trivy image --format json`: Results[].Vulnerabilities[]) and Grype (`grype -o json`:
// matches[] of vulnerability + artifact), and the .trivyignore rules that hide findings.
// Pure: no processes, no files.

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;
export type VulnSeverity = (typeof SEVERITIES)[number];

export interface Vuln {
  id: string;
  severity: VulnSeverity;
  pkg: string;
  installed: string;
  /** the version that fixes it, or null when there is none yet */
  fixed: string | null;
  title: string;
  url: string | null;
}

export type SeverityCounts = Record<VulnSeverity, number>;

export class ReportError extends Error {}

function severityOf(s: unknown): VulnSeverity {
  const up = String(s ?? '').toUpperCase();
  return (SEVERITIES as readonly string[]).includes(up) ? (up as VulnSeverity) : up === 'NEGLIGIBLE' ? 'LOW' : 'UNKNOWN';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function parseTrivy(text: string): Vuln[] {
  let doc: { Results?: Array<{ Vulnerabilities?: Array<Record<string, unknown>> | null }> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new ReportError('Trivy printed no JSON report');
  }
  if (!doc || typeof doc !== 'object') throw new ReportError('Trivy printed no JSON report');
  const out: Vuln[] = [];
  for (const r of doc.Results ?? []) {
    for (const v of r.Vulnerabilities ?? []) {
      out.push({
        id: str(v.VulnerabilityID),
        severity: severityOf(v.Severity),
        pkg: str(v.PkgName),
        installed: str(v.InstalledVersion),
        fixed: str(v.FixedVersion) || null,
        title: str(v.Title) || str(v.Description).split('\n')[0]!.slice(0, 200),
        url: str(v.PrimaryURL) || null,
      });
    }
  }
  return out;
}

export function parseGrype(text: string): Vuln[] {
  let doc: { matches?: Array<{ vulnerability?: Record<string, unknown>; artifact?: Record<string, unknown> }> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new ReportError('Grype printed no JSON report');
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.matches)) throw new ReportError('Grype printed no JSON report');
  return doc.matches.map((m) => {
    const v = m.vulnerability ?? {};
    const a = m.artifact ?? {};
    const fix = (v.fix ?? {}) as { versions?: unknown[] };
    const urls = Array.isArray(v.urls) ? (v.urls as unknown[]).map(str).filter(Boolean) : [];
    return {
      id: str(v.id),
      severity: severityOf(v.severity),
      pkg: str(a.name),
      installed: str(a.version),
      fixed: Array.isArray(fix.versions) && fix.versions.length ? fix.versions.map(str).join(', ') : null,
      title: str(v.description).split('\n')[0]!.slice(0, 200),
      url: str(v.dataSource) || urls[0] || null,
    };
  });
}

export function countBySeverity(vulns: readonly Vuln[]): SeverityCounts {
  const c: SeverityCounts = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
  for (const v of vulns) c[v.severity]++;
  return c;
}

const RANK: Record<VulnSeverity, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3, UNKNOWN: 4 };

/** Most severe first; then fixable first; then by id. */
export function sortVulns(vulns: readonly Vuln[]): Vuln[] {
  return [...vulns].sort((a, b) => RANK[a.severity] - RANK[b.severity] || Number(!a.fixed) - Number(!b.fixed) || a.id.localeCompare(b.id) || a.pkg.localeCompare(b.pkg));
}

/** Whether `s` is at or above `threshold` (CRITICAL > HIGH > MEDIUM > LOW > UNKNOWN). */
export function atLeast(s: VulnSeverity, threshold: VulnSeverity): boolean {
  return RANK[s] <= RANK[threshold];
}

export function parseSeverity(text: string): VulnSeverity {
  const s = text.trim().toUpperCase();
  if (!(SEVERITIES as readonly string[]).includes(s)) throw new ReportError(`--severity ${text}: use one of ${SEVERITIES.join(', ')}`);
  return s as VulnSeverity;
}

export interface IgnoreRule {
  id: string;
  /** ms since epoch after which the rule no longer applies (Trivy's `exp:YYYY-MM-DD`) */
  expires: number | null;
  line: number;
}

/** A .trivyignore: one vulnerability id per line, `# comments`, optional `exp:2026-12-31`. */
export function parseIgnoreFile(text: string): IgnoreRule[] {
  const out: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const [id, ...rest] = line.split(/\s+/);
    const exp = rest.map((w) => /^exp:(\d{4}-\d{2}-\d{2})$/.exec(w)).find(Boolean);
    out.push({ id: id!, expires: exp ? Date.parse(`${exp[1]}T23:59:59Z`) : null, line: i + 1 });
  });
  return out;
}

export function applyIgnores(vulns: readonly Vuln[], rules: readonly IgnoreRule[], now = Date.now()): { kept: Vuln[]; ignored: number } {
  const active = new Set(rules.filter((r) => r.expires === null || r.expires >= now).map((r) => r.id));
  const kept = vulns.filter((v) => !active.has(v.id));
  return { kept, ignored: vulns.length - kept.length };
}

/** "C1 H3" style summary of counts (critical and high only), "✓" when both are zero. */
export function shortCounts(c: SeverityCounts): string {
  if (!c.CRITICAL && !c.HIGH) return '✓';
  return `C${c.CRITICAL} H${c.HIGH}`;
}

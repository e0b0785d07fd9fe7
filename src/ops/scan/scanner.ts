// The vulnerability scanner on this machine (Trivy, else Grype), its database, and one image
// scan through it. Scans run at the lowest CPU priority (nice 19) against the engine berth
// talks to (DOCKER_HOST), with the scanner's own database updates left alone when it has a
// database: a scan never waits for the network.
import { execa } from 'execa';
import { findOnPath } from '../../lib/findOnPath.js';
import { parseGrype, parseTrivy, ReportError, type Vuln } from './report.js';

export type ScannerKind = 'trivy' | 'grype';

export interface Scanner {
  kind: ScannerKind;
  bin: string;
  version: string;
  /** the vulnerability database's version and time, or null when there is none */
  db: string | null;
  /** why there is no database, one line */
  dbProblem: string | null;
}

export const NO_SCANNER = 'no vulnerability scanner: install Trivy (trivy.dev) or Grype (github.com/anchore/grype); berth uses the first on PATH';

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim())
    .filter(Boolean)
    .find((l) => /error|fatal|fail|unable|cannot|no such/i.test(l)) ??
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)[0] ??
  '';

async function describeTrivy(bin: string): Promise<Scanner | null> {
  const r = await execa(bin, ['version', '--format', 'json'], { reject: false, timeout: 20_000 });
  if (r.exitCode !== 0) return null;
  try {
    const v = JSON.parse(String(r.stdout)) as { Version?: string; VulnerabilityDB?: { Version?: number; UpdatedAt?: string } };
    const db = v.VulnerabilityDB?.UpdatedAt ? `v${v.VulnerabilityDB.Version ?? '?'} ${v.VulnerabilityDB.UpdatedAt}` : null;
    return { kind: 'trivy', bin, version: v.Version ?? 'unknown', db, dbProblem: db ? null : 'Trivy has no vulnerability database yet (it downloads one on its first scan, which needs the network)' };
  } catch {
    return { kind: 'trivy', bin, version: String(r.stdout).trim().split('\n')[0] ?? 'unknown', db: null, dbProblem: 'Trivy did not say which database it has' };
  }
}

async function describeGrype(bin: string): Promise<Scanner | null> {
  const v = await execa(bin, ['version', '-o', 'json'], { reject: false, timeout: 20_000 });
  if (v.exitCode !== 0) return null;
  let version = 'unknown';
  try {
    version = (JSON.parse(String(v.stdout)) as { version?: string }).version ?? version;
  } catch {
    // an old grype: its text version line
    version = /(\d+\.\d+\.\d+)/.exec(String(v.stdout))?.[1] ?? version;
  }
  const s = await execa(bin, ['db', 'status', '-o', 'json'], { reject: false, timeout: 20_000 });
  let db: string | null = null;
  try {
    const d = JSON.parse(String(s.stdout)) as { schemaVersion?: string | number; built?: string; valid?: boolean };
    if (s.exitCode === 0 && d.valid !== false && d.built) db = `${String(d.schemaVersion ?? '?').replace(/^(?!v)/, 'v')} ${d.built}`;
  } catch {
    // no JSON: no usable database
  }
  return { kind: 'grype', bin, version, db, dbProblem: db ? null : `Grype has no vulnerability database (grype db update needs the network)${s.exitCode ? `: ${firstLine(String(s.stderr) || String(s.stdout))}` : ''}` };
}

/** Trivy, else Grype, on `searchPath` (default PATH), with its database; null when neither is installed. */
export async function findScanner(searchPath = process.env.PATH): Promise<Scanner | null> {
  const trivy = await findOnPath('trivy', searchPath);
  if (trivy) {
    const s = await describeTrivy(trivy);
    if (s) return s;
  }
  const grype = await findOnPath('grype', searchPath);
  if (grype) return describeGrype(grype);
  return null;
}

export interface ScanOutcome {
  vulns?: Vuln[];
  /** one line: why there is no result */
  error?: string;
  /** the scanner has no usable database: every other image would fail the same way */
  noDb?: boolean;
}

/**
 * Scans one image (a name or an image id) on the engine at `dockerHost`. Never throws: a
 * failing scanner is an `error` line.
 */
export async function scanImage(scanner: Scanner, image: string, opts: { dockerHost?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ScanOutcome> {
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  if (opts.dockerHost) env.DOCKER_HOST = opts.dockerHost;
  let args: string[];
  if (scanner.kind === 'trivy') {
    args = ['image', '--format', 'json', '--quiet', '--scanners', 'vuln', ...(scanner.db ? ['--skip-db-update'] : []), image];
  } else {
    if (scanner.db) env.GRYPE_DB_AUTO_UPDATE = 'false';
    args = [`docker:${image}`, '-o', 'json', '-q'];
  }
  const nice = await findOnPath('nice', env.PATH);
  const [cmd, argv] = nice ? [nice, ['-n', '19', scanner.bin, ...args]] : [scanner.bin, args];
  const r = await execa(cmd, argv, { env, reject: false, timeout: opts.timeoutMs ?? 600_000, cancelSignal: opts.signal, maxBuffer: 256 << 20 });
  const name = scanner.kind === 'trivy' ? 'Trivy' : 'Grype';
  if (r.isCanceled) return { error: 'cancelled' };
  if (r.timedOut) return { error: `${name} took longer than ${Math.round((opts.timeoutMs ?? 600_000) / 1000)} s` };
  // grype exits 1 when --fail-on matches (not used here); trivy exits 0 unless told otherwise
  if (r.exitCode !== 0 && !(scanner.kind === 'grype' && r.exitCode === 1 && String(r.stdout).trim().startsWith('{'))) {
    const why = firstLine(String(r.stderr) || String(r.stdout)) || `exit ${r.exitCode}`;
    if (/\bdb\b|database/i.test(why)) return { error: `${name} has no usable vulnerability database (no network?): ${why}`, noDb: true };
    return { error: `${name} failed on ${image}: ${why}` };
  }
  try {
    return { vulns: scanner.kind === 'trivy' ? parseTrivy(String(r.stdout)) : parseGrype(String(r.stdout)) };
  } catch (e) {
    return { error: e instanceof ReportError ? `${e.message} for ${image}` : String(e) };
  }
}

// The doctor's vocabulary: findings, where they point, and the rule shape. Plain data,
// so the CLI prints it, `--json` serialises it and the dashboard's Doctor tab renders it.

export type Severity = 'error' | 'warning' | 'info';

/** A place in a file (1-based line and column) or a container. */
export type Where = { file: string; line: number; column?: number } | { container: string };

export type Target = 'compose' | 'dockerfile' | 'container' | 'project';

export interface Finding {
  /** The rule id, e.g. "compose/image-pinned". Stable: CI scripts may filter on it. */
  id: string;
  severity: Severity;
  /** What was found. */
  message: string;
  where?: Where;
  /** How to fix it. */
  fix: string;
}

/** A rule is a small named check over one kind of target. */
export interface Rule<Ctx> {
  id: string;
  target: Target;
  /** One line describing what the rule checks, for `--list` and the Doctor tab. */
  title: string;
  check(ctx: Ctx): Finding[] | Promise<Finding[]>;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/** Names that hold credentials: PASSWORD, TOKEN, SECRET, *_KEY, API_KEY … (not *_FILE). */
export function isSecretName(name: string): boolean {
  const parts = name.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  const last = parts[parts.length - 1];
  if (!last || last === 'FILE' || last === 'PATH' || last === 'DIR') return false;
  if (parts.includes('PUBLIC')) return false;
  return parts.some(
    (p) => /(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL)S?$/.test(p) || p === 'KEY' || p === 'APIKEY' || p === 'PASS',
  );
}

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
  /** The same check's id in hadolint or ShellCheck (DL3008, SC2086), shown beside berth's. */
  ref?: string;
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

/** The levels ShellCheck and hadolint write (and .hadolint.yaml's override names) on berth's scale: style reads as info. */
export const LINTER_LEVELS: Readonly<Record<string, Severity>> = { error: 'error', warning: 'warning', info: 'info', style: 'info' };

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/** The one secret rule (lib/secrets), also used by the views that mask secrets. */
export { holdsSecret, isSecretName, isSecretValue } from '../../lib/secrets.js';

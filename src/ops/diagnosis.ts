// Why did it stop: explains a container's exit code, OOM kill, restart loop or failing
// health check, from inspect data (or the ContainerInfo berth keeps) plus the restart
// counts seen over time. Pure: no engine calls, no React.
import type { ContainerInfo } from '../engine/types.js';

export type Severity = 'info' | 'warning' | 'error';

export interface Diagnosis {
  severity: Severity;
  /** A few characters for the container list, e.g. "OOM", "127", "loop", "unhealthy". */
  marker: string;
  /** One line: what happened. */
  summary: string;
  /** More lines: the explanation, the engine's error, the last health output. */
  details: string[];
}

/** What the diagnosis needs, from inspect or from ContainerInfo. */
export interface DiagnosisInput {
  state: string;
  exitCode: number | null;
  oomKilled: boolean;
  /** State.Error, e.g. the runtime's exec failure. */
  error: string;
  restartCount: number;
  restartPolicy: string;
  health: string | null;
  failingStreak: number;
  /** Output of the most recent health check. */
  lastHealthOutput: string | null;
  lastHealthExitCode: number | null;
  finishedAt: number | null;
}

/** Restart counts seen over time, oldest first: [ms since epoch, RestartCount]. */
export type RestartHistory = ReadonlyArray<readonly [number, number]>;

export const RESTART_LOOP_WINDOW_MS = 5 * 60_000;

const SIGNALS: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

/** A short explanation of an exit code as shells and Docker use them. */
export function explainExitCode(code: number, oomKilled = false): string {
  if (oomKilled) return 'killed by the kernel: out of memory (the memory limit was reached)';
  switch (code) {
    case 0:
      return 'finished normally (exit 0): its main process ended without error';
    case 1:
      return 'general error (exit 1): the program reported a failure; its last log lines say why';
    case 2:
      return 'misuse of a shell builtin or bad arguments (exit 2)';
    case 125:
      return 'docker could not run the container (exit 125)';
    case 126:
      return 'command cannot be executed (exit 126): permission denied or not an executable';
    case 127:
      return 'command not found (exit 127): the entrypoint or command does not exist in the image';
    case 137:
      return 'killed with SIGKILL (exit 137): docker kill, a stop that timed out, or out of memory';
    case 139:
      return 'segmentation fault (exit 139, SIGSEGV): the program crashed';
    case 143:
      return 'terminated with SIGTERM (exit 143): stopped on request (docker stop)';
  }
  if (code > 128 && code < 160) {
    const sig = SIGNALS[code - 128];
    return `killed by signal ${code - 128}${sig ? ` (${sig})` : ''} (exit ${code})`;
  }
  return `the program exited with code ${code}`;
}

function time(s: string | undefined): number | null {
  if (!s || s.startsWith('0001-')) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

interface InspectLike {
  State?: {
    Status?: string;
    ExitCode?: number;
    OOMKilled?: boolean;
    Error?: string;
    FinishedAt?: string;
    Health?: { Status?: string; FailingStreak?: number; Log?: Array<{ ExitCode?: number; Output?: string }> | null };
  };
  RestartCount?: number;
  HostConfig?: { RestartPolicy?: { Name?: string; MaximumRetryCount?: number } };
}

export function inputFromInspect(i: InspectLike): DiagnosisInput {
  const st = i.State ?? {};
  const log = st.Health?.Log ?? [];
  const last = log.length ? log[log.length - 1] : undefined;
  const policy = i.HostConfig?.RestartPolicy;
  return {
    state: st.Status ?? 'dead',
    exitCode: st.ExitCode ?? null,
    oomKilled: !!st.OOMKilled,
    error: st.Error ?? '',
    restartCount: i.RestartCount ?? 0,
    restartPolicy: policy?.Name ? `${policy.Name}${policy.MaximumRetryCount ? `:${policy.MaximumRetryCount}` : ''}` : 'no',
    health: st.Health?.Status ?? null,
    failingStreak: st.Health?.FailingStreak ?? 0,
    lastHealthOutput: last?.Output ?? null,
    lastHealthExitCode: last?.ExitCode ?? null,
    finishedAt: time(st.FinishedAt),
  };
}

export function inputFromContainer(c: ContainerInfo): DiagnosisInput {
  return {
    state: c.state,
    exitCode: c.lastExitCode ?? c.exitCode,
    oomKilled: c.oomKilled,
    error: c.stateError ?? '',
    restartCount: c.restartCount,
    restartPolicy: c.restartPolicy ?? '',
    health: c.health,
    failingStreak: c.healthFailingStreak ?? 0,
    lastHealthOutput: c.healthOutput ?? null,
    lastHealthExitCode: null,
    finishedAt: c.finishedAt,
  };
}

/** How many restarts happened within `windowMs` before `now`, from the history. */
export function restartsWithin(history: RestartHistory, now: number, windowMs = RESTART_LOOP_WINDOW_MS): number {
  const recent = history.filter(([t]) => now - t <= windowMs);
  if (!recent.length) return 0;
  const before = history.filter(([t]) => now - t > windowMs);
  const base = before.length ? before[before.length - 1]![1] : recent[0]![1];
  return Math.max(0, recent[recent.length - 1]![1] - base);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** null when there is nothing to explain (running and healthy, or never started). */
export function diagnose(d: DiagnosisInput, history: RestartHistory = [], now = Date.now()): Diagnosis | null {
  const rising = restartsWithin(history, now);
  const looping = rising >= 2 || (d.state === 'restarting' && d.restartCount >= 2);
  const code = d.exitCode;
  const why = code !== null && code !== 0 ? explainExitCode(code, d.oomKilled) : d.oomKilled ? explainExitCode(137, true) : null;

  if (looping) {
    const details = [
      `restart count ${d.restartCount}${rising ? `, ${rising} in the last ${Math.round(RESTART_LOOP_WINDOW_MS / 60_000)} minutes` : ''}; restart policy ${d.restartPolicy || 'no'}`,
    ];
    if (why) details.push(`last exit: ${why}`);
    if (d.error) details.push(`engine: ${oneLine(d.error)}`);
    return { severity: 'error', marker: 'loop', summary: `restart loop: it keeps exiting${code ? ` (exit ${code})` : ''} and being restarted`, details };
  }
  if (d.oomKilled) {
    return {
      severity: 'error',
      marker: 'OOM',
      summary: 'killed: out of memory (OOMKilled)',
      details: [explainExitCode(code ?? 137, true), 'raise its memory limit or find what uses the memory'],
    };
  }
  if (d.error && code !== null && code !== 0 && (d.state === 'created' || d.state === 'exited' || d.state === 'dead')) {
    return { severity: 'error', marker: String(code), summary: `failed to start: ${explainExitCode(code)}`, details: [`engine: ${oneLine(d.error)}`] };
  }
  if ((d.state === 'exited' || d.state === 'dead') && code !== null) {
    const details = [explainExitCode(code)];
    if (d.error) details.push(`engine: ${oneLine(d.error)}`);
    if (code === 0) return { severity: 'info', marker: '', summary: 'exited normally (exit 0)', details };
    const severity: Severity = code === 143 || code === 130 ? 'info' : code === 137 ? 'warning' : 'error';
    return { severity, marker: String(code), summary: `stopped: ${explainExitCode(code).split(':')[0]!} (exit ${code})`, details };
  }
  if (d.health === 'unhealthy') {
    const details = [`health check failed ${d.failingStreak} time${d.failingStreak === 1 ? '' : 's'} in a row`];
    if (d.lastHealthOutput !== null) details.push(`last check${d.lastHealthExitCode !== null ? ` (exit ${d.lastHealthExitCode})` : ''}: ${oneLine(d.lastHealthOutput) || '(no output)'}`);
    return { severity: 'warning', marker: 'unhealthy', summary: 'running but unhealthy: its health check keeps failing', details };
  }
  return null;
}

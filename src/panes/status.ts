// Agent status from what a pane shows: shipped regex patterns per agent kind (overridable
// in config), combined with how recently the process wrote something.

/**
 * One state per pane: `working`, `waiting` (asks the user something), `done` (finished its
 * turn: quiet at its prompt), `error` (rate limit, authentication, crash), `exited`.
 */
export type AgentStatus = 'done' | 'working' | 'waiting' | 'error' | 'exited';

export interface StatusPatterns {
  /** Shown while the agent works (spinners, "esc to interrupt"). */
  working?: RegExp[];
  /** The agent asks the user something (permission prompts, y/n). */
  waiting?: RegExp[];
  /** Rate limits, authentication problems, crashes. */
  error?: RegExp[];
}

const COMMON_ERRORS = [
  /rate.?limit(ed)?|usage limit|too many requests|\b429\b|quota exceeded|overloaded_error/i,
  /invalid api key|please run \/login|not logged in|unauthori[sz]ed|authentication (failed|error)|\b401\b/i,
  /^Traceback \(most recent call last\)|^panic: |^Segmentation fault|unhandled (promise )?rejection/im,
];
const COMMON_WAITING = [/\(y\/n\)|\[y\/N\]|\[Y\/n\]|do you want to (proceed|continue|make this edit|create)|❯\s*1\.\s*Yes|allow (once|always)/i];

/** Shipped patterns per agent kind (NTM's aliases: cc = claude, cod = codex, gmi = gemini). */
export const DEFAULT_PATTERNS: Record<string, StatusPatterns> = {
  cc: {
    working: [/esc to interrupt/i, /[✻✽✶✳✢·⏺]\s*\w+…/],
    waiting: COMMON_WAITING,
    error: COMMON_ERRORS,
  },
  cod: {
    working: [/esc to interrupt/i, /\bWorking\b.*\(\d+s/],
    waiting: COMMON_WAITING,
    error: COMMON_ERRORS,
  },
  gmi: {
    working: [/esc to cancel/i],
    waiting: [...COMMON_WAITING, /waiting for user confirmation/i],
    error: COMMON_ERRORS,
  },
  default: { working: [/esc to interrupt/i], waiting: COMMON_WAITING, error: COMMON_ERRORS },
};

export interface StatusInput {
  kind: string;
  /** The screen rows as text. */
  lines: string[];
  exited: boolean;
  now: number;
  lastOutput: number;
  lastInput: number;
  patterns?: StatusPatterns;
  /** The pane's state until now: a pane that was working stays so through a short pause. */
  previous?: AgentStatus;
}

/** Output this recent (and not just the echo of a keystroke) means the agent is busy. */
export const ACTIVE_MS = 1000;
const ECHO_MS = 150;
/**
 * Quiet this long before a working agent counts as done: a spinner that stops for a moment
 * (a slow tool call, a network wait) is not the end of its turn.
 */
export const DONE_AFTER_MS = 3000;

/** The last `n` non-empty lines of the screen, where agents show their state. */
function tail(lines: string[], n: number): string {
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < n; i--) if (lines[i]!.trim()) out.unshift(lines[i]!);
  return out.join('\n');
}

export function detectStatus(s: StatusInput): AgentStatus {
  if (s.exited) return 'exited';
  const p = s.patterns ?? DEFAULT_PATTERNS[s.kind] ?? DEFAULT_PATTERNS.default!;
  const text = tail(s.lines, 6);
  const recent = s.now - s.lastOutput < ACTIVE_MS && s.lastOutput - s.lastInput > ECHO_MS;
  if (p.error?.some((r) => r.test(text))) return 'error';
  if (!recent && p.waiting?.some((r) => r.test(text))) return 'waiting';
  if (recent) return 'working';
  const pause = s.now - s.lastOutput < DONE_AFTER_MS;
  if (pause && (s.previous === 'working' || p.working?.some((r) => r.test(tail(s.lines, 2))))) return 'working';
  return 'done';
}

/**
 * Whether a pane needs the user: it waits for an answer, it failed, or its program called
 * them (a bell, a notification) and they have not typed into it since.
 */
export function needsUser(p: { status: string; alert?: unknown }): boolean {
  return callsUser(p.status) || Boolean(p.alert);
}

/** The states that call the user when a pane enters them: it waits for an answer, or it failed. */
export function callsUser(status: string): boolean {
  return status === 'waiting' || status === 'error';
}

/** Compiles config overrides (strings) into patterns; bad regexes are reported by the caller. */
export function compilePatterns(src: { working?: string[]; waiting?: string[]; error?: string[] }): StatusPatterns {
  const c = (xs?: string[]) => xs?.map((x) => new RegExp(x, 'im'));
  return { working: c(src.working), waiting: c(src.waiting), error: c(src.error) };
}

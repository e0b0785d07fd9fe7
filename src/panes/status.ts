// Agent state from three signals: the screen (rules per agent kind, shipped as data files in
// rules/ and loaded by src/config/agentRules.ts), how recently the program wrote something,
// and what the agent itself reported through a hook (OSC 777;berth;state;…, see session.ts).

/**
 * One state per pane: `working`, `waiting` (asks the user something), `done` (finished its
 * turn: quiet at its prompt), `error` (rate limit, authentication, crash), `exited`.
 */
export type AgentStatus = 'done' | 'working' | 'waiting' | 'error' | 'exited';

/** The states a screen rule or a hook can name (exited comes from the process alone). */
export const RULE_STATES = ['working', 'waiting', 'error'] as const;
export type RuleState = (typeof RULE_STATES)[number];
export const SIGNAL_STATES = ['working', 'waiting', 'done', 'error'] as const;
export type SignalState = (typeof SIGNAL_STATES)[number];

export interface StatusRule {
  state: RuleState;
  re: RegExp;
  /** How many of the screen's last non-empty rows the rule looks at. */
  rows: number;
  /** What it reads: the screen's last rows, or the title the program set (OSC 0/2). */
  where?: 'screen' | 'title';
  /** For errors: the kind ("rate limit", "auth", "crash"). */
  reason?: string;
}

/** What an agent reported about itself (a hook), and when. */
export interface StateSignal {
  state: SignalState;
  at: number;
  reason?: string;
}

export interface StatusInput {
  /** The screen rows as text. */
  lines: string[];
  /** The title the program set, for rules that read it. */
  title?: string;
  exited: boolean;
  now: number;
  lastOutput: number;
  lastInput: number;
  rules: readonly StatusRule[];
  /** The pane's state until now: a pane that was working stays so through a short pause. */
  previous?: AgentStatus;
  /** The agent's own report; it holds until the user types into the pane. */
  signal?: StateSignal | null;
}

export interface PaneState {
  status: AgentStatus;
  /** Why: an error's kind, or what the agent said. */
  reason?: string;
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
function tail(lines: readonly string[], n: number): string {
  const out: string[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < n; i--) if (lines[i]!.trim()) out.unshift(lines[i]!);
  return out.join('\n');
}

/**
 * The first rule of a state that matches the screen. `tails` keeps the screen's last rows
 * as text, by count, across the calls of one reading.
 */
export function matchRule(lines: readonly string[], rules: readonly StatusRule[], state: RuleState, title = '', tails = new Map<number, string>()): StatusRule | undefined {
  for (const r of rules) {
    if (r.state !== state) continue;
    if (r.where === 'title') {
      if (title && r.re.test(title)) return r;
      continue;
    }
    let text = tails.get(r.rows);
    if (text === undefined) tails.set(r.rows, (text = tail(lines, r.rows)));
    if (r.re.test(text)) return r;
  }
  return undefined;
}

export function detectState(s: StatusInput): PaneState {
  if (s.exited) return { status: 'exited' };
  // a hook's report holds until the user types into the pane (an answer to a question, an
  // interrupt): then the screen says what happens next
  const hook = s.signal && s.signal.at >= s.lastInput ? s.signal : null;
  const tails = new Map<number, string>();
  const error = matchRule(s.lines, s.rules, 'error', s.title, tails);
  // an error on screen counts unless the agent reported after it was printed (its answer
  // may well quote "rate limit")
  if (error && !(hook && hook.at >= s.lastOutput - ACTIVE_MS)) return { status: 'error', reason: error.reason };
  if (hook && (hook.state === 'waiting' || hook.state === 'error')) return { status: hook.state, reason: hook.reason };
  const recent = s.now - s.lastOutput < ACTIVE_MS && s.lastOutput - s.lastInput > ECHO_MS;
  // the end of its turn, as the agent says: an answered question still on screen does not
  // undo it, output that keeps coming well after it does
  if (hook?.state === 'done' && !(recent && s.lastOutput - hook.at > ACTIVE_MS)) return { status: 'done', reason: hook.reason };
  // a question on screen is more than "working" (a permission prompt drawn after the tool
  // hook said working)
  if (!recent && matchRule(s.lines, s.rules, 'waiting', s.title, tails)) return { status: 'waiting' };
  // a hook's working holds through quiet tool runs
  if (hook?.state === 'working') return { status: 'working', reason: hook.reason };
  if (recent) return { status: 'working' };
  const pause = s.now - s.lastOutput < DONE_AFTER_MS;
  if (pause && (s.previous === 'working' || matchRule(s.lines, s.rules, 'working', s.title, tails))) return { status: 'working' };
  return { status: 'done' };
}

export function detectStatus(s: StatusInput): AgentStatus {
  return detectState(s).status;
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

/**
 * A hook's report in an OSC 777 sequence's text after "berth;": `state;<state>[;<reason>]`.
 * Null for anything else (an unknown state is ignored, not guessed).
 */
export function parseSignal(text: string, at: number): StateSignal | null {
  const [what, state, ...rest] = text.split(';');
  if (what !== 'state' || !(SIGNAL_STATES as readonly string[]).includes(state ?? '')) return null;
  const reason = rest.join(';').replace(/[\x00-\x1f\x7f]/g, ' ').trim().slice(0, 200);
  return { state: state as SignalState, at, ...(reason ? { reason } : {}) };
}

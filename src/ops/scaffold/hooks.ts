// Claude Code's hooks that tell berth an agent's state the moment it changes. Each hook runs
// a one-line shell command inside the container that writes an escape sequence berth reads
// (OSC 777;berth;state;<state>) to the agent's terminal, /dev/tty: the pane berth shows.
// Nothing is installed in the container and nothing is written to the workspace; without a
// terminal (claude -p in a script) the command does nothing. Other agents can report the
// same way from their own hooks or notify programs.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../config/errors.js';

/** The sequence's mark: a hook command holding it is berth's (replaced, never doubled). */
const MARK = '777;berth;state;';

/** The shell command a hook runs to report `state`. */
export function hookCommand(state: 'working' | 'waiting' | 'done'): string {
  return `printf '\\033]${MARK}${state}\\007' > /dev/tty 2>/dev/null || true`;
}

/**
 * Claude Code's events and the state each reports: a prompt sent or a tool about to run or
 * done is work; a permission question is waiting; the end of its turn (Stop) and the prompt
 * left idle are done.
 */
export const CLAUDE_HOOKS: Array<{ event: string; matcher?: string; state: 'working' | 'waiting' | 'done' }> = [
  { event: 'UserPromptSubmit', state: 'working' },
  { event: 'PreToolUse', matcher: '*', state: 'working' },
  { event: 'PostToolUse', matcher: '*', state: 'working' },
  { event: 'Notification', matcher: 'permission_prompt', state: 'waiting' },
  { event: 'Notification', matcher: 'idle_prompt', state: 'done' },
  { event: 'Stop', state: 'done' },
];

type Group = { matcher?: string; hooks?: Array<{ type?: string; command?: string }> };

function isBerths(g: Group): boolean {
  return (g.hooks ?? []).some((h) => typeof h.command === 'string' && h.command.includes(MARK));
}

/**
 * A settings.json text with berth's hooks in it, everything else kept as it was (keys,
 * order, other hooks; berth's own from before replaced). `text` null: a new file.
 */
export function withClaudeHooks(text: string | null, file: string): { text: string; changed: boolean } {
  let settings: Record<string, unknown> = {};
  if (text !== null && text.trim()) {
    try {
      settings = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new UserError(`${file}: not valid JSON (${(e as Error).message}); fix it, then run this again`);
    }
    if (!settings || typeof settings !== 'object' || Array.isArray(settings)) throw new UserError(`${file}: expected a JSON object`);
  }
  const hooks = (settings.hooks ?? {}) as Record<string, Group[]>;
  if (typeof hooks !== 'object' || Array.isArray(hooks)) throw new UserError(`${file}: "hooks" should be an object of events`);
  for (const event of new Set(CLAUDE_HOOKS.map((h) => h.event))) {
    const kept = (Array.isArray(hooks[event]) ? hooks[event]! : []).filter((g) => !isBerths(g));
    const ours = CLAUDE_HOOKS.filter((h) => h.event === event).map((h) => ({
      ...(h.matcher ? { matcher: h.matcher } : {}),
      hooks: [{ type: 'command', command: hookCommand(h.state) }],
    }));
    hooks[event] = [...kept, ...ours];
  }
  settings.hooks = hooks;
  const out = `${JSON.stringify(settings, null, 2)}\n`;
  return { text: out, changed: out !== text };
}

/** Whether a project's .claude/settings.json (or settings.local.json) has berth's hooks. */
export function hasClaudeHooks(projectDir: string): boolean {
  for (const name of ['settings.json', 'settings.local.json']) {
    try {
      if (fs.readFileSync(path.join(projectDir, '.claude', name), 'utf8').includes(MARK)) return true;
    } catch {
      // no such file
    }
  }
  return false;
}

// Sends a prompt to agent panes the way a user would paste it: a bracketed paste (when the
// program asked for it), then Enter after a per-agent delay, then a check that the screen
// changed (the prompt was taken).
import type { WorkspacePane } from './workspace.js';

export interface PromptResult {
  pane: WorkspacePane;
  taken: boolean;
  reason?: string;
}

/** Enter delay per agent kind (ms): TUIs that debounce pasted text need a moment before Enter. */
export const ENTER_DELAY_MS: Record<string, number> = { cc: 300, cod: 300, gmi: 300, user: 50, default: 150 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendPrompt(panes: WorkspacePane[], text: string, opts: { checkMs?: number } = {}): Promise<PromptResult[]> {
  return Promise.all(
    panes.map(async (pane): Promise<PromptResult> => {
      const s = pane.session;
      if (!s.running) return { pane, taken: false, reason: 'the pane has exited' };
      await s.flushed();
      const before = s.text().join('\n');
      s.paste(text);
      await sleep(pane.spec.enterDelayMs ?? ENTER_DELAY_MS[pane.spec.kind] ?? ENTER_DELAY_MS.default!);
      s.write('\r');
      const t0 = Date.now();
      const limit = opts.checkMs ?? 2000;
      while (Date.now() - t0 < limit) {
        await sleep(50);
        await s.flushed();
        if (s.text().join('\n') !== before) return { pane, taken: true };
        if (!s.running) break;
      }
      return { pane, taken: false, reason: s.running ? 'the screen did not change' : 'the pane exited' };
    }),
  );
}

/** "cc: fix the tests" → kind cc; "3: …" → pane 3; "all: …" or plain text → all agents. */
export function parsePromptTarget(line: string): { target: number | string; text: string } {
  const m = /^\s*([A-Za-z][\w-]*|\d+)\s*:\s?(.*)$/s.exec(line);
  if (!m) return { target: 'all', text: line };
  return { target: /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!, text: m[2]! };
}

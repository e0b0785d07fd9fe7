// Sending prompts to panes with real processes: bracketed paste when asked for, Enter after
// a delay, and a report when the screen did not change.
import { afterEach, describe, expect, it } from 'vitest';
import { parsePromptTarget, sendPrompt } from '../../../src/panes/prompt.js';
import { Workspace } from '../../../src/panes/workspace.js';

const spaces: Workspace[] = [];
afterEach(() => {
  for (const w of spaces.splice(0)) w.dispose();
});

async function until(pred: () => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > 5000) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sendPrompt', () => {
  it('reaches exactly the panes of a kind, and reports a pane that did not take it', async () => {
    const ws = new Workspace('p', { cols: 120, rows: 30 });
    spaces.push(ws);
    const sh = (script: string) => ({ file: 'sh', args: ['-c', script] });
    // a bracketed-paste aware reader: shows what it got, markers included, as od -c would
    ws.add({ title: 'p__user', kind: 'user', command: sh('sleep 30') });
    ws.add({ title: 'p__cc_1', kind: 'cc', enterDelayMs: 20, command: sh('printf "\\033[?2004hready\\n"; stty -echo; IFS= read -r l; printf "got[%s]\\n" "$l" | sed "s/\\x1b/ESC/g"; sleep 30') });
    ws.add({ title: 'p__cc_2', kind: 'cc', enterDelayMs: 20, command: sh('printf "ready\\n"; IFS= read -r l; printf "got[%s]\\n" "$l"; sleep 30') });
    ws.add({ title: 'p__cod_1', kind: 'cod', enterDelayMs: 20, command: sh('printf "ready\\n"; stty -echo; sleep 30') });
    await until(() => ws.panes.slice(1).every((p) => p.session.text()[0] === 'ready'), 'agents ready');

    const cc = await sendPrompt(ws.select('cc'), 'fix the tests');
    expect(cc.map((r) => [r.pane.title, r.taken])).toEqual([['p__cc_1', true], ['p__cc_2', true]]);
    await until(() => ws.panes[1]!.session.text().some((l) => l.startsWith('got[')), 'cc_1 answer');
    await until(() => ws.panes[2]!.session.text().some((l) => l.startsWith('got[')), 'cc_2 answer');
    expect(ws.panes[1]!.session.text()).toContain('got[ESC[200~fix the testsESC[201~]');
    expect(ws.panes[2]!.session.text()).toContain('got[fix the tests]');
    expect(ws.panes[3]!.session.text().join('')).not.toContain('fix');

    const cod = await sendPrompt(ws.select('cod'), 'hello', { checkMs: 500 });
    expect(cod.map((r) => [r.taken, r.reason])).toEqual([[false, 'the screen did not change']]);
    expect(ws.select('all').map((p) => p.title)).toEqual(['p__cc_1', 'p__cc_2', 'p__cod_1']);
    expect(ws.select(0).map((p) => p.title)).toEqual(['p__user']);
  });

  it('reads the target of a prompt line', () => {
    expect(parsePromptTarget('cc: fix it')).toEqual({ target: 'cc', text: 'fix it' });
    expect(parsePromptTarget('2: look: here')).toEqual({ target: 2, text: 'look: here' });
    expect(parsePromptTarget('just do it')).toEqual({ target: 'all', text: 'just do it' });
  });
});

// Panes come back when their container restarts: real processes through a real pty, the
// container's state from a stand-in probe (the e2e test restarts a real container).
import { afterEach, describe, expect, it } from 'vitest';
import { rerunOnContainerRestart, type ContainerProbe } from '../../../src/panes/rerun.js';
import { Workspace } from '../../../src/panes/workspace.js';

const spaces: Workspace[] = [];
afterEach(() => {
  for (const w of spaces.splice(0)) w.dispose();
});

async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function workspace(script: string, container = 'c1') {
  const ws = new Workspace('p', { cols: 80, rows: 24 });
  spaces.push(ws);
  const pane = ws.add({ title: 'p__cc_1', kind: 'cc', container, command: { file: 'sh', args: ['-c', script] } });
  return { ws, pane };
}

describe('rerunOnContainerRestart', () => {
  it('runs a pane again below its old output once its container runs again, started after the pane', async () => {
    let state: Awaited<ReturnType<ContainerProbe>> = null; // stopped, for now
    const asked: string[] = [];
    const { ws, pane } = workspace('echo run-$$; sleep 0.2; exit 137');
    rerunOnContainerRestart(ws, { pollMs: 30, probe: async (c) => (asked.push(c), state) });
    await until(() => pane.session.exit !== null, 'the first run ended');
    const firstStart = pane.session.startedAt;
    await until(() => asked.length >= 2, 'the container asked about');
    expect(pane.session.running).toBe(false); // not while the container is down
    state = { running: true, startedAt: Date.now() };
    await until(() => pane.session.startedAt > firstStart, 'run again');
    await pane.session.flushed();
    await until(() => (pane.session.text().join('\n').match(/run-\d+/g) ?? []).length === 2, 'both runs on screen');
    const text = pane.session.text().join('\n');
    expect(text).toContain('container c1 restarted: p__cc_1 runs again');
    expect(text.indexOf('restarted')).toBeGreaterThan(text.indexOf('run-'));
    expect(asked.every((c) => c === 'c1')).toBe(true);
  });

  it('leaves alone a clean exit, an agent that failed in a container that kept running, and a project that said no', async () => {
    const running = { running: true, startedAt: Date.now() - 60_000 };
    const clean = workspace('exit 0');
    let cleanAsked = 0;
    rerunOnContainerRestart(clean.ws, { pollMs: 20, probe: async () => (cleanAsked++, { running: true, startedAt: Date.now() }) });
    const crashed = workspace('exit 3');
    let crashedAsked = 0;
    rerunOnContainerRestart(crashed.ws, { pollMs: 20, settleMs: 60, probe: async () => (crashedAsked++, running) });
    const off = workspace('exit 137');
    let offAsked = 0;
    rerunOnContainerRestart(off.ws, { pollMs: 20, enabled: () => false, probe: async () => (offAsked++, { running: true, startedAt: Date.now() }) });
    await until(() => [clean, crashed, off].every((w) => w.pane.session.exit !== null), 'all ended');
    await new Promise((r) => setTimeout(r, 200));
    expect(cleanAsked).toBe(0);
    expect(offAsked).toBe(0);
    // the container was asked about for a moment, and had not restarted: the agent's own failure stays shown
    expect(crashedAsked).toBeGreaterThan(0);
    const asked = crashedAsked;
    await new Promise((r) => setTimeout(r, 150));
    expect(crashedAsked).toBe(asked); // and then no more
    expect([clean, crashed, off].map((w) => w.pane.session.running)).toEqual([false, false, false]);
  });
});

// Agent panes come back when their container does: a pane whose `docker exec` ended because
// its container stopped or restarted is run again in place once the container runs again
// (its scrollback kept above a "container restarted" line). Checked with the pane's own
// docker CLI and environment, once a second for a while after the exit. No React.
import { execFile } from 'node:child_process';
import { log } from '../logging.js';
import type { Workspace, WorkspacePane } from './workspace.js';

/** When the container started, if it runs; null when it does not (or is gone). */
export type ContainerProbe = (container: string, env?: Record<string, string | undefined>) => Promise<{ running: boolean; startedAt: number } | null>;

export interface RerunOptions {
  /** Whether panes in this container come back (per project config); default yes. */
  enabled?: (pane: WorkspacePane) => boolean;
  probe?: ContainerProbe;
  pollMs?: number;
  /** How long after the exit the container may take to come back. */
  giveUpMs?: number;
  /** How long a container that still runs (from before the pane) is asked about: it may be stopping. */
  settleMs?: number;
}

/** `docker container inspect` through the CLI the panes use, with their environment. */
export const dockerProbe: ContainerProbe = (container, env) =>
  new Promise((resolve) => {
    execFile('docker', ['container', 'inspect', '-f', '{{.State.Running}} {{.State.StartedAt}}', container], { env: { ...process.env, ...env }, timeout: 5000 }, (err, stdout) => {
      if (err) return resolve(null);
      const [running, started] = stdout.trim().split(' ');
      const at = Date.parse(started ?? '');
      resolve({ running: running === 'true', startedAt: Number.isFinite(at) ? at : 0 });
    });
  });

/** Watches a workspace's panes; returns its stop. */
export function rerunOnContainerRestart(ws: Workspace, o: RerunOptions = {}): () => void {
  const probe = o.probe ?? dockerProbe;
  const pollMs = o.pollMs ?? 1000;
  const giveUpMs = o.giveUpMs ?? 120_000;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const onExit = (p: WorkspacePane) => {
    const container = p.spec.container;
    const exit = p.session.exit;
    // a clean end (the agent finished, the shell was left) is the user's, not the container's
    if (!container || !exit || (exit.code === 0 && !exit.signal) || o.enabled?.(p) === false) return;
    const startedAt = p.session.startedAt;
    const until = Date.now() + giveUpMs;
    const settle = Date.now() + Math.min(giveUpMs, o.settleMs ?? 15_000);
    const check = async () => {
      if (stopped || ws.windowOf(p) < 0 || p.session.running) return;
      const state = await probe(container, p.spec.command.env);
      if (stopped || ws.windowOf(p) < 0 || p.session.running) return;
      // back, and started after this pane did: the container restarted under it
      if (state?.running && state.startedAt >= startedAt - 1000) {
        log.info(`pane ${p.title}: container ${container} runs again; the pane is run again`);
        p.session.rerun(`container ${container} restarted: ${p.title} runs again`);
        return;
      }
      // running since before the pane: the agent ended on its own (the container is asked a
      // little longer, as a stopping container still says running for a moment)
      if (state?.running && Date.now() > settle) return;
      if (Date.now() < until) schedule();
    };
    const schedule = () => {
      const t = setTimeout(() => {
        timers.delete(t);
        void check();
      }, pollMs);
      timers.add(t);
    };
    schedule();
  };
  ws.on('exit', onExit);
  return () => {
    stopped = true;
    ws.off('exit', onExit);
    for (const t of timers) clearTimeout(t);
    timers.clear();
  };
}

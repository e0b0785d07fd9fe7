// A bench's life cycle: its private engine (and tmux server) are removed at the end and on
// Ctrl-C, SIGTERM or a hang-up, once, however the bench ends.
import os from 'node:os';
import * as d from '../../test/harness/daemon.js';

/**
 * Installs the signal handlers and returns `run(main)`: runs the bench, cleans up, and exits
 * 0, or 1 after saying what failed.
 * @param {(msg: string) => void} say
 * @param {() => { state: object | null, tmux: { killServer(): Promise<void> } | null, stop?: () => Promise<void> }} parts what exists so far
 */
export function lifecycle(say, parts) {
  let cleaning = null;
  const cleanup = () => {
    cleaning ??= (async () => {
      const { state, tmux, stop } = parts();
      if (tmux) await tmux.killServer();
      // whatever else the bench started outside tmux (berth's own server)
      if (stop) await stop().catch((e) => say(`warning: ${e.message}`));
      if (state) {
        say('removing the private engine and its containers …');
        const problems = await d.removeTestDir(state);
        for (const p of problems) say(`warning: ${p}`);
      }
    })();
    return cleaning;
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (cleaning) return;
      say(`${sig}: stopping`);
      cleanup().finally(() => process.exit(128 + (os.constants.signals[sig] ?? 1)));
    });
  }
  return (main) =>
    main()
      .then(async () => {
        await cleanup();
        process.exit(0);
      })
      .catch(async (error) => {
        say(`error: ${error instanceof Error ? error.message : String(error)}`);
        await cleanup();
        process.exit(1);
      });
}

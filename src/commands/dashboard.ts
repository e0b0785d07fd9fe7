import type { Command } from 'commander';

/** What of the terminal's environment the server needs to draw this client's dashboard. */
const PASSED_ENV = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'NO_COLOR', 'BERTH_PREFIX', 'BERTH_CONFIG'];

/**
 * `berth` with no subcommand: the dashboard. The server draws it (starting the server when
 * none runs); this process only lends it the terminal, so it loads nothing heavy.
 */
export function register(program: Command): void {
  program
    .option('-H, --host <address>', 'Docker engine address (unix:///path, tcp://host:port, ssh://user@host)')
    .option('--theme <name>', 'colour theme from themes/ (NO_COLOR forces monochrome)')
    .action(async (opts: { host?: string; theme?: string }) => {
      if (!process.stdout.isTTY || !process.stdin.isTTY) throw new Error('the dashboard needs a terminal; use `berth ps` for scripts');
      const { attachTerminal } = await import('../sessions/client.js');
      const env: Record<string, string> = { PWD: process.cwd() };
      for (const k of PASSED_ENV) {
        const v = process.env[k];
        if (v !== undefined && v !== '') env[k] = v;
      }
      const r = await attachTerminal({ op: 'dashboard', host: opts.host, theme: opts.theme, env, prefix: process.env.BERTH_PREFIX ?? 'C-b' });
      if (r.reason === 'quit') {
        if (r.note) process.stdout.write(`${r.note}\n`);
        process.exit(r.code ?? 0);
      }
      // the terminal went away, or the server ended: the view waits in the server
      if (r.reason === 'shutdown') process.stdout.write('[server exited]\n');
      process.exit(r.signal === 'SIGTERM' ? 143 : r.signal === 'SIGHUP' ? 129 : 0);
    });
}

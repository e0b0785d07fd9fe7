import type { Command } from 'commander';

/**
 * `berth` with no subcommand: the dashboard. cli.ts starts it without commander when the
 * command line holds nothing else; this is the same, for what commander has to read.
 */
export function register(program: Command): void {
  program
    .option('-H, --host <address>', 'Docker engine address (unix:///path, tcp://host:port, ssh://user@host)')
    .option('--theme <name>', 'colour theme from themes/ (NO_COLOR forces monochrome)')
    .action(async (opts: { host?: string; theme?: string }) => {
      const { runDashboardClient } = await import('../client/dashboard.js');
      process.exit(await runDashboardClient(opts));
    });
}

import type { Command } from 'commander';

/** `berth` with no subcommand opens the dashboard. */
export function register(program: Command): void {
  program
    .option('-H, --host <address>', 'Docker engine address (unix:///path, tcp://host:port, ssh://user@host)')
    .option('--theme <name>', 'colour theme from themes/ (NO_COLOR forces monochrome)')
    .action(async (opts: { host?: string; theme?: string }) => {
      const { runDashboard } = await import('../ui/run.js');
      const code = await runDashboard(opts);
      process.exit(code);
    });
}

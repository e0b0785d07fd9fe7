import type { Command } from 'commander';

/** `berth ps [--json]`: the dashboard's grouped snapshot, once, for scripts. */
export function register(program: Command): void {
  program
    .command('ps')
    .description("list every project's containers with live figures, once")
    .option('--json', 'print JSON instead of a table')
    .option('--no-stats', 'skip the CPU/memory/network sample (faster)')
    .action(async (opts: { json?: boolean; stats: boolean }, cmd: Command) => {
      const { runPs } = await import('../ops/ps.js');
      const host = cmd.parent?.opts().host as string | undefined;
      process.exitCode = await runPs({ json: !!opts.json, stats: opts.stats, host });
    });
}

import type { Command } from 'commander';

/** `berth migrate <project|volume> --from HOST --to HOST`: move data and images between engines. */
export function register(program: Command): void {
  program
    .command('migrate <target>')
    .description("move a project's volumes and images (or one volume) to another engine: streamed, checked file by file, nothing deleted on the source")
    .option('--from <host>', 'the engine it is on: a [[hosts]] name, a docker context or an address (default: the one known host that has it)')
    .requiredOption('--to <host>', 'the engine it goes to: a [[hosts]] name, a docker context or an address')
    .option('--dry-run', 'list what would move, move nothing')
    .option('-y, --yes', 'do not ask')
    .option('--stop', 'stop every running container using the volumes for the copy (default: only databases)')
    .option('--live', 'stop nothing (a live copy)')
    .action(async (target: string, opts: { from?: string; to: string; dryRun?: boolean; yes?: boolean; stop?: boolean; live?: boolean }) => {
      const { migrateCommand } = await import('../ops/migrate/command.js');
      const { askYesNo } = await import('../ops/scaffold/ask.js');
      const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
      process.exitCode = await migrateCommand({ target, ...opts, confirm: interactive ? (q) => askYesNo(q) : undefined });
    });
}

import type { Command } from 'commander';

const collect = (v: string, prev: string[]) => [...prev, v];

/** `berth prune [kinds…]`: preview, confirm, remove exactly what the preview listed. */
export function register(program: Command): void {
  program
    .command('prune')
    .description('remove stopped containers, dangling images, unused networks, build cache and (when asked) unused volumes')
    .argument('[what...]', 'containers, images, networks, build-cache, volumes or all (default: all but volumes)')
    .option('--dry-run', 'show the preview only')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--backup-volumes', 'back up each volume before it is removed')
    .option('--all-images', 'images: also unused tagged images, not only dangling ones')
    .option('--volume <name>', 'remove this unused volume even if protected (repeatable)', collect, [])
    .option('--filter <label=KEY[=VALUE]>', 'only objects with this label (repeatable)', collect, [])
    .option('--json', 'print the plan (with --dry-run) or the outcome as JSON')
    .action(async (what: string[], opts: { dryRun?: boolean; yes?: boolean; backupVolumes?: boolean; allImages?: boolean; volume: string[]; filter: string[]; json?: boolean }, cmd: Command) => {
      const { runPruneCommand } = await import('../ops/prune/run.js');
      const host = cmd.parent?.opts().host as string | undefined;
      process.exitCode = await runPruneCommand({ what, ...opts, host });
    });
}

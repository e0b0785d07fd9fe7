import type { Command } from 'commander';

/** `berth restore <archive> --to <volume>`: verified restore into a new or empty volume. */
export function register(program: Command): void {
  program
    .command('restore')
    .description('restore a berth backup into a new or empty volume (verified before and after)')
    .argument('<archive>', 'a .tar.gz written by berth backup')
    .requiredOption('--to <volume>', 'volume to restore into (created when missing)')
    .option('--force', 'restore over existing data (a safety backup is taken first)')
    .option('--dest <dir>', 'folder for the safety backup (default: the backup folder)')
    .option('--allow-special', 'also restore device nodes, setuid/setgid files and links pointing outside the volume (refused otherwise)')
    .option('--helper-image <image>', 'local image for the helper container')
    .option('--json', 'print the verification result as JSON')
    .action(async (archive: string, opts: { to: string; force?: boolean; dest?: string; allowSpecial?: boolean; helperImage?: string; json?: boolean }, cmd: Command) => {
      const { runRestoreCommand } = await import('../ops/backup/run.js');
      const host = cmd.parent?.opts().host as string | undefined;
      process.exitCode = await runRestoreCommand({ archive, ...opts, host });
    });
}

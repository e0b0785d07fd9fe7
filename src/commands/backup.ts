import type { Command } from 'commander';

/** `berth backup <project|volume|/folder>`: verified .tar.gz archives of volumes. */
export function register(program: Command): void {
  program
    .command('backup')
    .description('back up a volume, a host folder or every volume of a project (verified .tar.gz)')
    .argument('[target]', 'volume name, project name or absolute host folder (prefix volume:, project: or bind: to disambiguate)')
    .option('--dest <dir>', 'destination folder (default [backup] dir, or $XDG_DATA_HOME/berth/backups)')
    .option('--stop', 'stop running containers that use the data for the copy, start them after (default for databases)')
    .option('--live', 'copy while containers keep running (with a warning)')
    .option('--dump', 'also take a logical dump of running postgres, mysql/mariadb or mongo containers')
    .option('--dry-run', 'show what would be copied, stopped or deleted, and do nothing')
    .option('--prune-old', 'delete archives beyond the newest N per volume ([backup] keep, default 7)')
    .option('--keep <n>', 'archives to keep per volume with --prune-old', (v) => Number(v))
    .option('--level <n>', 'gzip level 1-9 (default [backup] level, 6)', (v) => Number(v))
    .option('--helper-image <image>', 'local image for the helper container (default: the image of a container using the volume)')
    .action(async (target: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      const { runBackupCommand } = await import('../ops/backup/run.js');
      const host = cmd.parent?.opts().host as string | undefined;
      process.exitCode = await runBackupCommand({ ...opts, target, host });
    });
}

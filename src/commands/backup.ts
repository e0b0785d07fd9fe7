import type { Command } from 'commander';
import { UserError } from '../config/errors.js';

/** `berth backup <project|volume|/folder>`: verified .tar.gz archives of volumes. */
export function register(program: Command): void {
  const backup = program
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
    .option('--due', 'run the [[backup.schedule]] entries that are due (by their volumes\' newest archives), then their retention')
    .action(async (target: string | undefined, opts: Record<string, unknown>, cmd: Command) => {
      const host = cmd.parent?.opts().host as string | undefined;
      if (opts.due) {
        if (target) throw new UserError('--due runs the schedules of the config: give no target with it');
        const { runDue } = await import('../ops/backup/due.js');
        const { loadUserConfig } = await import('../config/userConfig.js');
        const { userConfigPath } = await import('../config/paths.js');
        process.exitCode = await runDue({ config: loadUserConfig(), configFile: userConfigPath(), host, dryRun: !!opts.dryRun });
        return;
      }
      const { runBackupCommand } = await import('../ops/backup/run.js');
      process.exitCode = await runBackupCommand({ ...opts, target, host });
    });
  backup
    .command('schedule')
    .description('install or uninstall the systemd user timer (or crontab line) that runs `berth backup --due` every 15 minutes')
    .argument('<action>', 'install or uninstall')
    .option('--scheduler <kind>', 'systemd or cron (default: systemd when a user instance runs, else cron)')
    .option('--dry-run', 'show what would be written or removed, change nothing')
    .action(async (action: string, opts: { scheduler?: string; dryRun?: boolean }, cmd: Command) => {
      const { runScheduleCommand } = await import('../ops/backup/scheduleCommand.js');
      // --dry-run after the action may be read as backup's own option
      const dryRun = !!opts.dryRun || !!cmd.parent?.opts().dryRun;
      process.exitCode = runScheduleCommand(action, { ...opts, dryRun });
    });
}

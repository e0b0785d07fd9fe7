// `berth backup schedule install|uninstall` for the command line: checks the schedules,
// picks the scheduler, shows what it wrote (or would write) and what it ran.
import path from 'node:path';
import { UserError } from '../../config/errors.js';
import { userConfigPath } from '../../config/paths.js';
import { loadUserConfig } from '../../config/userConfig.js';
import { packageRoot } from '../../lib/packageRoot.js';
import { checkSchedules } from './due.js';
import { cronLine, dueCommand, installSchedule, parseScheduler, pickScheduler, uninstallSchedule, type ScheduleChange } from './scheduler.js';

export function runScheduleCommand(action: string, opts: { scheduler?: string; dryRun?: boolean }, out: NodeJS.WritableStream = process.stdout): number {
  const say = (s: string) => out.write(`${s}\n`);
  if (action !== 'install' && action !== 'uninstall') throw new UserError(`backup schedule ${action}: use install or uninstall`);
  const config = loadUserConfig();
  checkSchedules(config, userConfigPath());
  const scheduler = parseScheduler(opts.scheduler) ?? pickScheduler();
  const cli = path.join(packageRoot(), 'dist', 'cli.js');
  if (!scheduler) {
    say('no systemd user instance and no crontab command here: have your own scheduler run this every 15 minutes:');
    say(`  ${cronLine(dueCommand(cli))}`);
    return 1;
  }
  const dry = !!opts.dryRun;
  const change: ScheduleChange = action === 'install' ? installSchedule({ scheduler, cli, dryRun: dry }) : uninstallSchedule({ scheduler, dryRun: dry });
  const verb = action === 'install' ? (dry ? 'would write' : 'wrote') : dry ? 'would remove' : 'removed';
  for (const f of change.files) {
    say(`${verb} ${f.path}`);
    if (f.content) for (const l of f.content.trimEnd().split('\n')) say(`  ${l}`);
  }
  if (change.line) say(`${action === 'install' ? (dry ? 'would add to' : 'added to') : dry ? 'would remove from' : 'removed from'} the crontab:\n  ${change.line}`);
  if (action === 'uninstall' && !change.files.length && !change.line) say(`no berth schedule to remove (${scheduler})`);
  for (const c of change.commands) say(`${dry ? 'would run' : 'ran'}: ${c.join(' ')}`);
  if (action === 'install' && !config.backup.schedule.length) say(`note: ${userConfigPath()} has no [[backup.schedule]] yet: nothing will be due`);
  return 0;
}

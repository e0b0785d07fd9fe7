// `berth backup schedule install|uninstall`: a systemd user timer (or, without systemd, a
// crontab line) that runs `berth backup --due` every 15 minutes; --due itself decides what
// is due. What is written is shown; nothing else of the user's is touched (berth's own
// crontab line carries a mark, so it is found again and replaced, never doubled).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../config/errors.js';
import { shellQuote } from '../../config/ntm.js';
import { stateDir, xdgConfigHome } from '../../config/paths.js';

export type Scheduler = 'systemd' | 'cron';

export const UNIT = 'berth-backup';
const MARK = '# berth backup --due';
/** How often the scheduler asks berth what is due. */
export const EVERY_MINUTES = 15;
/** Settings the timer's berth needs to see what this one sees. */
const PASSED_ENV = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'BERTH_CONFIG', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME'];

export interface Command {
  node: string;
  cli: string;
  env: Record<string, string>;
}

export function dueCommand(cli: string, env: NodeJS.ProcessEnv = process.env): Command {
  const passed: Record<string, string> = {};
  for (const k of PASSED_ENV) if (env[k]) passed[k] = env[k]!;
  return { node: process.execPath, cli, env: passed };
}

function systemdQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`;
}


export function systemdUnits(c: Command): { service: string; timer: string } {
  const env = Object.entries(c.env).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`)}\n`).join('');
  const service = `[Unit]
Description=berth: run the backups that are due ([[backup.schedule]] in berth's config)

[Service]
Type=oneshot
${env}ExecStart=${systemdQuote(c.node)} ${systemdQuote(c.cli)} backup --due
`;
  const timer = `[Unit]
Description=berth: look for due backups every ${EVERY_MINUTES} minutes

[Timer]
OnCalendar=*:0/${EVERY_MINUTES}
Persistent=true

[Install]
WantedBy=timers.target
`;
  return { service, timer };
}

export function cronLine(c: Command, log = path.join(stateDir(), 'backup-due.log')): string {
  // cron reads % as a new line: escaped; the rest goes to sh, so the mark is a comment
  const q = (s: string) => shellQuote(s).replace(/%/g, '\\%');
  const env = Object.entries(c.env).map(([k, v]) => `${k}=${q(v)} `).join('');
  return `*/${EVERY_MINUTES} * * * * ${env}${q(c.node)} ${q(c.cli)} backup --due >> ${q(log)} 2>&1 ${MARK}`;
}

export function userUnitDir(): string {
  return path.join(xdgConfigHome(), 'systemd', 'user');
}

function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** systemd when a user instance answers, else cron when there is a crontab command. */
export function pickScheduler(): Scheduler | null {
  if (fs.existsSync('/run/systemd/system') && works('systemctl', ['--user', 'show-environment'])) return 'systemd';
  if (works('sh', ['-c', 'command -v crontab'])) return 'cron';
  return null;
}

export interface ScheduleChange {
  scheduler: Scheduler;
  /** Files written or removed, with their content when written. */
  files: Array<{ path: string; content?: string }>;
  /** The crontab line added or removed. */
  line?: string;
  /** Commands run (or that would run). */
  commands: string[][];
}

function run(cmd: string[], input?: string): string {
  return execFileSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
}

function currentCrontab(): string {
  try {
    return run(['crontab', '-l']);
  } catch {
    return ''; // no crontab yet
  }
}

export function installSchedule(o: { scheduler: Scheduler; cli: string; dryRun?: boolean; env?: NodeJS.ProcessEnv }): ScheduleChange {
  const c = dueCommand(o.cli, o.env);
  if (o.scheduler === 'systemd') {
    const dir = userUnitDir();
    const { service, timer } = systemdUnits(c);
    const files = [
      { path: path.join(dir, `${UNIT}.service`), content: service },
      { path: path.join(dir, `${UNIT}.timer`), content: timer },
    ];
    const commands = [
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', `${UNIT}.timer`],
    ];
    if (!o.dryRun) {
      fs.mkdirSync(dir, { recursive: true });
      for (const f of files) fs.writeFileSync(f.path, f.content);
      try {
        for (const cmd of commands) run(cmd);
      } catch (e) {
        const why = ((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n').pop();
        throw new UserError(`wrote ${dir}/${UNIT}.{service,timer} but systemctl --user failed (${why}): run \`${commands.map((c) => c.join(' ')).join(' && ')}\` once your user instance runs`);
      }
    }
    return { scheduler: 'systemd', files, commands };
  }
  const line = cronLine(c);
  if (!o.dryRun) {
    const kept = currentCrontab().split('\n').filter((l) => l && !l.endsWith(MARK));
    run(['crontab', '-'], `${[...kept, line].join('\n')}\n`);
  }
  return { scheduler: 'cron', files: [], line, commands: [['crontab', '-']] };
}

export function uninstallSchedule(o: { scheduler: Scheduler; dryRun?: boolean }): ScheduleChange {
  if (o.scheduler === 'systemd') {
    const dir = userUnitDir();
    const files = [{ path: path.join(dir, `${UNIT}.timer`) }, { path: path.join(dir, `${UNIT}.service`) }].filter((f) => fs.existsSync(f.path));
    const commands = files.length ? [['systemctl', '--user', 'disable', '--now', `${UNIT}.timer`], ['systemctl', '--user', 'daemon-reload']] : [];
    if (!o.dryRun) {
      const live = files.length > 0 && works('systemctl', ['--user', 'show-environment']);
      if (live) run(commands[0]!);
      for (const f of files) fs.rmSync(f.path, { force: true });
      if (live) run(commands[1]!);
    }
    return { scheduler: 'systemd', files, commands };
  }
  const table = currentCrontab();
  const line = table.split('\n').find((l) => l.endsWith(MARK));
  if (!o.dryRun && line) {
    const kept = table.split('\n').filter((l) => l && !l.endsWith(MARK));
    run(['crontab', '-'], kept.length ? `${kept.join('\n')}\n` : '');
  }
  return { scheduler: 'cron', files: [], line, commands: line ? [['crontab', '-']] : [] };
}

export function parseScheduler(v: string | undefined): Scheduler | null {
  if (v === undefined) return null;
  if (v === 'systemd' || v === 'cron') return v;
  throw new UserError(`--scheduler ${v}: use systemd or cron`);
}

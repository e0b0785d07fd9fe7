import type { Command } from 'commander';
import type { SessionInfo } from '../sessions/protocol.js';

/** One line per session, tmux `ls` style, then its panes indented. */
function describe(list: SessionInfo[], panes: boolean): string {
  return list
    .map((s) => {
      const windows = s.windows.length > 1 ? `${s.windows.length} windows, ` : '';
      const head = `${s.name}: ${windows}${s.panes.length} pane${s.panes.length === 1 ? '' : 's'} (created ${new Date(s.created).toLocaleString()})${s.clients > 1 ? ` (attached, ${s.clients} clients)` : s.attached ? ' (attached)' : ''}`;
      if (!panes) return head;
      // with several windows each pane is named window.pane, as tmux's targets are
      const at = (p: SessionInfo['panes'][number]) => (s.windows.length > 1 ? `${p.window}.${p.index}` : `${p.index}`);
      return [head, ...s.panes.map((p) => `  ${at(p)} ${p.title} [${p.running ? p.status : 'exited'}]`)].join('\n');
    })
    .join('\n');
}

/** Asks before ending sessions (their agents end with them); --yes skips, --dry-run only lists. */
async function endSessions(what: { name?: string; all?: boolean }, o: { yes?: boolean; dryRun?: boolean }, label: string): Promise<void> {
  const { request } = await import('../sessions/client.js');
  const { UserError } = await import('../config/errors.js');
  const preview = await request<SessionInfo[]>({ op: 'kill', ...what, dryRun: true });
  if (!preview || preview.length === 0) {
    if (!what.all) throw new UserError(`no session "${what.name}" (berth ls lists them)`);
    if (!preview) return void process.stdout.write('no berth server is running\n');
    // no session to lose: a lingering server (kept warm for the next start) just stops, as tmux's kill-server
    if (o.dryRun) return void process.stdout.write('no berth sessions; dry run: the berth server was left running\n');
    await request<SessionInfo[]>({ op: 'kill', ...what });
    return void process.stdout.write('no berth sessions; the berth server stopped\n');
  }
  process.stdout.write(`${label} ends these sessions and every process in their panes:\n${describe(preview, true)}\n`);
  if (o.dryRun) {
    process.stdout.write('dry run: nothing was ended\n');
    return;
  }
  if (!o.yes) {
    if (!process.stdin.isTTY) throw new UserError(`${label}: not asking on a non-interactive input; run again with --yes to end the sessions listed above`);
    const { askYesNo } = await import('../ops/scaffold/ask.js');
    if (!(await askYesNo('End them? [y/N] '))) {
      process.stdout.write('nothing was ended\n');
      return;
    }
  }
  const ended = (await request<SessionInfo[]>({ op: 'kill', ...what })) ?? [];
  process.stdout.write(`ended ${ended.map((s) => s.name).join(', ') || 'nothing'}\n`);
}

/**
 * Detachable sessions, tmux style: `berth spawn` starts its panes in a per-user session
 * server; `attach` shows a session again, `ls` lists them, `kill-session` / `kill-server`
 * end them. `server` is what spawn starts in the background.
 */
export function register(program: Command): void {
  program
    .command('attach')
    .description('show a running session again (the most recent one without a name); C-b d detaches')
    .argument('[session]', 'session name (the project name; see berth ls)')
    .option('--prefix <key>', 'prefix key (default C-b, or $BERTH_PREFIX)')
    .option('-d, --detach-others', 'detach the other terminals showing the session (tmux attach -d); otherwise they share it')
    .action(async (name: string | undefined, o: { prefix?: string; detachOthers?: boolean }) => {
      const { attachTerminal, exitLine } = await import('../sessions/client.js');
      const { UserError } = await import('../config/errors.js');
      if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError('berth attach needs a terminal');
      const { loadUserConfig } = await import('../config/userConfig.js');
      const r = await attachTerminal({ op: 'attach', name, detachOthers: o.detachOthers === true, prefix: o.prefix ?? process.env.BERTH_PREFIX ?? 'C-b', mouse: loadUserConfig().panes.mouse });
      process.stdout.write(`${exitLine(r)}\n`);
      process.exit(0);
    });

  program
    .command('ls')
    .alias('sessions')
    .description('list the sessions of the session server and their panes')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }) => {
      const { request } = await import('../sessions/client.js');
      const list = (await request<SessionInfo[]>({ op: 'list' })) ?? [];
      if (o.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else process.stdout.write(list.length ? `${describe(list, true)}\n` : 'no berth sessions\n');
    });

  program
    .command('kill-session')
    .description('end a session and the processes in its panes (asks first)')
    .argument('<session>', 'session name (see berth ls)')
    .option('--dry-run', 'only list what would end')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, o: { yes?: boolean; dryRun?: boolean }) => {
      await endSessions({ name }, o, 'kill-session');
    });

  program
    .command('kill-server')
    .description('end every session and the session server (asks first)')
    .option('--dry-run', 'only list what would end')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (o: { yes?: boolean; dryRun?: boolean }) => {
      await endSessions({ all: true }, o, 'kill-server');
    });

  program
    .command('server')
    .description('run the berth server in the foreground (berth, berth spawn start it when needed)')
    .option('--prewarm', 'list and sample the engine at once: a dashboard client is on its way')
    .option('-H, --host <address>', 'with --prewarm: the engine the dashboard asked for')
    .action(async (o: { prewarm?: boolean; host?: string }) => {
      const { runServer } = await import('../sessions/run.js');
      await runServer(o);
    });
}

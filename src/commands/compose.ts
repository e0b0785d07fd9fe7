import type { Command } from 'commander';

/** `berth compose <project> <up|down|build|pull|restart|logs> [services…]`, output streamed. */
export function register(program: Command): void {
  program
    .command('compose <project> <action> [services...]')
    .description('run docker compose (v2, else docker-compose v1) for a project: up, down, build, pull, restart, logs')
    .option('--volumes', 'down: also delete the volumes (says which, asks first)')
    .option('-y, --yes', 'down --volumes: do not ask')
    .option('--build', 'up: build images first')
    .option('-f, --follow', 'logs: keep following')
    .option('--tail <n>', 'logs: only the last n lines')
    .option('--path <dir>', 'the project folder (overrides the registered path)')
    .option('--dry-run', 'print the command (and for down the volumes it would delete), run nothing')
    .action(
      async (
        project: string,
        action: string,
        services: string[],
        opts: { volumes?: boolean; yes?: boolean; build?: boolean; follow?: boolean; tail?: string; path?: string; dryRun?: boolean },
        cmd: Command,
      ) => {
        const { composeCommand } = await import('../ops/compose/command.js');
        const { askYesNo } = await import('../ops/scaffold/ask.js');
        const host = cmd.parent?.opts().host as string | undefined;
        const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
        process.exitCode = await composeCommand({
          project,
          action,
          services,
          ...opts,
          host,
          confirm: interactive ? (q) => askYesNo(q) : undefined,
        });
      },
    );
}

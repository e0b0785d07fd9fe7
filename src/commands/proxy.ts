import type { Command } from 'commander';

/** `berth proxy add <project> <service> --host H --port P [--tls]`: route a service through Traefik. */
export function register(program: Command): void {
  const proxy = program.command('proxy').description('put services behind the Traefik reverse proxy (compose labels and networks)');
  proxy
    .command('add <project> <service>')
    .description("add the Traefik labels and network to a service in the project's compose file (shows the diff, asks first)")
    // berth's global -H/--host (the engine) takes --host before this command sees it: the
    // value is read from there, since proxy add talks to no engine
    .option('--host <name>', 'the host name it answers to, e.g. app.example.com')
    .option('--port <n>', 'the port the app listens on inside the container (default: the service\'s only port)')
    .option('--tls', 'HTTPS through a cert resolver of Traefik')
    .option('--entrypoint <name>', "Traefik entrypoint (default: web, or websecure with --tls, as Traefik's command defines them)")
    .option('--resolver <name>', "cert resolver for --tls (default: the one Traefik's command defines)")
    .option('--network <name>', "the network shared with Traefik (default: Traefik's)")
    .option('--path <dir>', 'the project folder (overrides the registered path)')
    .option('--dry-run', 'show the change, write nothing')
    .option('-y, --yes', 'write without asking')
    .action(async (project: string, service: string, opts: { host?: string; port?: string; tls?: boolean; entrypoint?: string; resolver?: string; network?: string; path?: string; dryRun?: boolean; yes?: boolean }, cmd: Command) => {
      const { proxyAddCommand } = await import('../ops/proxy/command.js');
      const { UserError } = await import('../config/errors.js');
      const host = opts.host ?? (cmd.parent?.parent?.opts().host as string | undefined);
      if (!host) throw new UserError('--host NAME is needed: the host name the service answers to, e.g. app.example.com');
      const { askYesNo } = await import('../ops/scaffold/ask.js');
      const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
      process.exitCode = await proxyAddCommand({ project, service, ...opts, host, confirm: interactive ? (q) => askYesNo(q) : undefined });
    });
}

import type { Command } from 'commander';

/** `berth df [-v] [--json]`: disk usage like `docker system df`. */
export function register(program: Command): void {
  program
    .command('df')
    .description('disk usage of images, containers, volumes and build cache, with what is reclaimable')
    .option('-v, --verbose', 'list every image, container, volume and cache record')
    .option('--json', 'print JSON')
    .action(async (opts: { verbose?: boolean; json?: boolean }, cmd: Command) => {
      const [{ loadUserConfig }, { resolveEngine }, { diskUsage, formatDiskUsage }] = await Promise.all([
        import('../config/userConfig.js'),
        import('../engine/connection.js'),
        import('../ops/diskUsage.js'),
      ]);
      const host = cmd.parent?.opts().host as string | undefined;
      const config = loadUserConfig();
      const engine = await resolveEngine({ host, configHost: config.engine.host });
      const du = await diskUsage(engine.docker);
      process.stdout.write(opts.json ? JSON.stringify(du, null, 2) + '\n' : formatDiskUsage(du, !!opts.verbose));
    });
}

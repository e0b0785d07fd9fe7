import type { Command } from 'commander';

/** `berth doctor [project] [--json] [--path DIR]`: lint a project's setup; exit 1 on an error. */
export function register(program: Command): void {
  program
    .command('doctor [project]')
    .description("check a project's compose file, Dockerfile and containers (exit status 1 when an error is found)")
    .option('--json', 'print the findings as JSON')
    .option('--sarif', 'print the findings as SARIF 2.1.0 (editors, CI code scanning)')
    .option('--path <dir>', 'the project folder (default: the registered path, or the current folder)')
    .option('--no-containers', 'skip the live container checks (no engine needed)')
    .action(async (project: string | undefined, opts: { json?: boolean; sarif?: boolean; path?: string; containers: boolean }, cmd: Command) => {
      const { doctorCommand } = await import('../ops/doctor/command.js');
      const host = cmd.parent?.opts().host as string | undefined;
      process.exitCode = await doctorCommand({ project, path: opts.path, json: !!opts.json, sarif: !!opts.sarif, containers: opts.containers, host });
    });
}

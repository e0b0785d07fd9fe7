import type { Command } from 'commander';

/** `berth init [--template T] [--name N] [--dry-run] [--force]`: scaffold an agent container. */
export function register(program: Command): void {
  program
    .command('init')
    .description("write a Dockerfile, compose.yaml, .ntm/config.toml, .env.example, .dockerignore and Claude Code's state hooks (.claude/settings.json) for an agent container, and register the project")
    .option('--template <name>', 'base, python, node or fullstack', 'base')
    .option('--name <name>', 'project name (default: the folder name)')
    .option('--path <dir>', 'the project folder (default: the current folder)')
    .option('--dry-run', 'show the files that would be written, write nothing')
    .option('--force', 'overwrite existing files without asking')
    .option('--hooks', "only add berth's agent state hooks to the project's .claude/settings.json (the rest of it kept)")
    .action(async (opts: { template: string; name?: string; path?: string; dryRun?: boolean; force?: boolean; hooks?: boolean }) => {
      const { initProject, formatInitResult, installClaudeHooks } = await import('../ops/scaffold/index.js');
      if (opts.hooks) {
        const r = installClaudeHooks(opts.path ?? process.cwd(), !!opts.dryRun);
        const said = r.action === 'unchanged' ? `${r.file} has berth's hooks already` : `${r.action.padEnd(15)} ${r.file} (Claude Code reports its state to berth)`;
        process.stdout.write(`${said}\n${opts.dryRun ? `----- ${r.file} -----\n${r.content}----- end -----\n` : ''}`);
        return;
      }
      const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
      const { askYesNo } = await import('../ops/scaffold/ask.js');
      const result = await initProject({
        dir: opts.path ?? process.cwd(),
        template: opts.template,
        name: opts.name,
        dryRun: !!opts.dryRun,
        force: !!opts.force,
        confirm: interactive ? (file) => askYesNo(`${file} exists; overwrite it? [y/N] `) : undefined,
      });
      process.stdout.write(formatInitResult(result, { showContent: !!opts.dryRun }));
    });
}

// berth's command line (commander). Each subcommand lives in src/commands/<name>.ts and
// exports `register(program)`; this file only wires them together. cli.ts loads it for
// everything but the bare dashboard.
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

const program = new Command();
program
  .name('berth')
  .description('A terminal UI for AI coding agents running in one Docker container per project')
  .version('0.1.0');

registerCommands(program);

export function runProgram(argv: string[]): Promise<unknown> {
  return program.parseAsync(argv);
}

#!/usr/bin/env node
// berth's command line. Each subcommand lives in src/commands/<name>.ts and exports
// `register(program)`; this file only wires them together.
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

// React and Ink are loaded lazily by the commands that draw; their development builds cost
// several times more CPU per frame, so run the production ones unless told otherwise.
process.env.NODE_ENV ??= 'production';

const program = new Command();
program
  .name('berth')
  .description('A terminal UI for AI coding agents running in one Docker container per project')
  .version('0.1.0');

registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`berth: ${msg}\n`);
  process.exit(1);
});

// berth's command line (commander). Each subcommand lives in src/commands/<name>.ts and
// exports `register(program)`; this file only wires them together. cli.ts loads it for
// everything but the bare dashboard.
import { Command } from 'commander';
import { UserError } from './config/errors.js';
import { examplesText } from './commands/examples.js';
import { registerCommands } from './commands/index.js';

const program = new Command();
program
  .name('berth')
  .description('A terminal UI for AI coding agents running in one Docker container per project')
  .version('0.1.0');

registerCommands(program);
program.addHelpText('after', examplesText('berth'));
for (const c of program.commands) {
  c.addHelpText('after', examplesText(c.name()));
  for (const sub of c.commands) sub.addHelpText('after', examplesText(`${c.name()} ${sub.name()}`));
}

/** Edit distance of two short words (for "did you mean"). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/**
 * The command line as commander should read it: `berth help <command>` is `<command> --help`
 * (the dashboard's own action would otherwise take `help` for an argument), and a word that
 * names no command is refused with the closest one, as git does.
 */
export function normalizeArgs(args: string[], names: string[]): string[] {
  const [first, ...rest] = args;
  if (first === undefined || first.startsWith('-')) return args;
  if (first === 'help') return rest.length ? [rest[0]!, '--help'] : ['--help'];
  if (names.includes(first)) return args;
  const close = names.map((n) => [n, distance(first, n)] as const).sort((x, y) => x[1] - y[1])[0];
  const hint = close && close[1] <= 2 ? ` (did you mean ${close[0]}?)` : '';
  throw new UserError(`unknown command "${first}"${hint}; berth --help lists them`);
}

/** The commands and their aliases (tests check each has examples). */
/** Every command, and subcommands as "command sub" (for the examples' test). */
export function commandNames(): string[] {
  return program.commands.flatMap((c) => [c.name(), ...c.commands.map((sub) => `${c.name()} ${sub.name()}`)]);
}

export function runProgram(argv: string[]): Promise<unknown> {
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  const args = normalizeArgs(argv.slice(2), names);
  return program.parseAsync([...argv.slice(0, 2), ...args]);
}

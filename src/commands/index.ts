import type { Command } from 'commander';
import { register as backup } from './backup.js';
import { register as compose } from './compose.js';
import { register as dashboard } from './dashboard.js';
import { register as df } from './df.js';
import { register as doctor } from './doctor.js';
import { register as init } from './init.js';
import { register as proxy } from './proxy.js';
import { register as migrate } from './migrate.js';
import { register as prune } from './prune.js';
import { register as ps } from './ps.js';
import { register as restore } from './restore.js';
import { register as scan } from './scan.js';
import { register as sessions } from './sessions.js';
import { register as spawn } from './spawn.js';

// Each subcommand module exports `register(program)` and imports its heavy dependencies
// lazily inside its action, so `berth --help` stays fast. One import and one list entry
// per module; keep the list sorted by command name.

type Register = (program: Command) => void;

const registrations: Register[] = [
  backup,
  compose,
  dashboard,
  df,
  doctor,
  init,
  migrate,
  proxy,
  prune,
  ps,
  restore,
  scan,
  sessions,
  spawn,
];

export function registerCommands(program: Command): void {
  for (const register of registrations) register(program);
}

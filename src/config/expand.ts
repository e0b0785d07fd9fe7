// ${VAR} and ${VAR:-default} in config strings (NTM configs use them for container names,
// models, keys): the one parser of lib/vars.ts in config mode. `$$` is a literal `$`.
// Nothing else is expanded: no commands, no bare $VAR.
import { expandVars as expand, VarError } from '../lib/vars.js';
import { UserError } from './errors.js';

export interface ExpandOptions {
  /** Throw (naming the variable) when one is unset and has no default. */
  strict?: boolean;
  /** Where the text came from, for error messages. */
  where?: string;
}

export function expandVars(text: string, env: Record<string, string | undefined> = process.env, opts: ExpandOptions = {}): string {
  try {
    return expand(text, env, { mode: 'config', required: opts.strict });
  } catch (e) {
    if (e instanceof VarError) throw new UserError(`${opts.where ? `${opts.where}: ` : ''}${e.message}`);
    throw e;
  }
}

// ${VAR} and ${VAR:-default} in config strings (NTM configs use them for container names,
// models, keys). `$$` is a literal `$`. Nothing else is expanded: no commands, no $VAR.
import { UserError } from './errors.js';

export interface ExpandOptions {
  /** Throw (naming the variable) when one is unset and has no default. */
  strict?: boolean;
  /** Where the text came from, for error messages. */
  where?: string;
}

export function expandVars(text: string, env: Record<string, string | undefined> = process.env, opts: ExpandOptions = {}): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] !== '{') {
      out += c;
      i++;
      continue;
    }
    // find the matching brace (defaults may hold nested ${…})
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) break;
    }
    if (j >= text.length) throw new UserError(`${opts.where ? `${opts.where}: ` : ''}unclosed \${ in "${text}"`);
    const body = text.slice(i + 2, j);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/s.exec(body);
    if (!m) throw new UserError(`${opts.where ? `${opts.where}: ` : ''}bad variable reference \${${body}}`);
    const [, name, op, def] = m;
    const value = env[name!];
    if (op === ':-' ? value !== undefined && value !== '' : op === '-' ? value !== undefined : value !== undefined) out += value;
    else if (op) out += expandVars(def ?? '', env, opts);
    else if (opts.strict) throw new UserError(`${opts.where ? `${opts.where}: ` : ''}\${${name}} is not set`);
    i = j + 1;
  }
  return out;
}

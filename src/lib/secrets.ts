// One rule for what is a secret, used by every view that shows environment variables,
// command lines or labels, and by the doctor. A variable is secret when a whole word of
// its name says so (DB_PASS, apiToken, SLACK_WEBHOOK_URL; not AUTHOR, not PASSWORD_FILE,
// which names a file), or when its value looks like one whatever its name (a URL with
// user:password, a bearer token, a JWT, a private key, a provider's key shape). Masks
// never reveal the value's length. Pure.
import { isOnlyReferences } from './vars.js';

/** Words that make a name secret, wherever they stand in it. */
const SECRET_WORDS = new Set([
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PWD',
  'PASSPHRASE',
  'SECRET',
  'SECRETS',
  'TOKEN',
  'TOKENS',
  'KEY',
  'KEYS',
  'APIKEY',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'AUTH',
  'COOKIE',
  'COOKIES',
  'SESSION',
  'PRIVATE',
  'JWT',
  'WEBHOOK',
  'DSN',
  'SALT',
  'SIGNATURE',
]);

/** Glued words that end in a secret word (DBPASSWORD, GITHUBTOKEN, BASICAUTH, OAUTH). */
const SECRET_SUFFIX = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIALS?|APIKEY|AUTH|WEBHOOK)S?$/;

/** A last word that says the variable names where a secret is, or how it behaves, not the secret. */
const NOT_A_VALUE = new Set(['FILE', 'PATH', 'DIR', 'SOCK', 'SOCKET', 'ENABLED', 'DISABLED', 'TIMEOUT', 'TTL', 'TYPE', 'MODE', 'LENGTH', 'HEADER', 'METHOD', 'PROVIDER']);

/** The words of a name: split at non-alphanumerics and camelCase boundaries, upper-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last || NOT_A_VALUE.has(last)) return false;
  if (words.includes('PUBLIC')) return false;
  return words.some((w) => SECRET_WORDS.has(w) || SECRET_SUFFIX.test(w));
}

/** scheme://user:password@host… with a password that is not a ${VAR} reference. */
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s@/]+)@/i;

const SECRET_VALUE_SHAPES: RegExp[] = [
  /^bearer\s+\S{8,}/i,
  /^basic\s+[A-Za-z0-9+/=]{8,}$/i,
  /^eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*$/, // JWT
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^AKIA[0-9A-Z]{16}$/, // AWS access key id
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}$/, // GitHub tokens
  /^github_pat_[A-Za-z0-9_]{30,}$/,
  /^glpat-[A-Za-z0-9_-]{20,}$/, // GitLab
  /^xox[abposr]-[A-Za-z0-9-]{10,}$/, // Slack tokens
  /^https:\/\/hooks\.slack\.com\/services\/\S+/,
  /^https:\/\/(discord|discordapp)\.com\/api\/webhooks\/\S+/,
  /^sk-(ant-|proj-)?[A-Za-z0-9_-]{20,}$/, // Anthropic, OpenAI
  /^(sk|rk)_live_[A-Za-z0-9]{16,}$/, // Stripe
  /^AIza[0-9A-Za-z_-]{35}$/, // Google API key
  /^npm_[A-Za-z0-9]{36}$/,
  /^hf_[A-Za-z0-9]{30,}$/,
];

/** Whether a value looks like a secret whatever its name. */
export function isSecretValue(value: string): boolean {
  const v = value.trim();
  const url = URL_WITH_PASSWORD.exec(v);
  if (url) return !isOnlyReferences(url[3]!);
  return SECRET_VALUE_SHAPES.some((re) => re.test(v));
}

/** Shown instead of a secret: the same width whatever the value's length. */
export const MASK = '••••••';

/** The value as a view may show it: a URL keeps all but its password, anything else is masked whole. */
export function maskValue(value: string): string {
  const url = URL_WITH_PASSWORD.exec(value.trim());
  if (url) return value.trim().replace(URL_WITH_PASSWORD, `$1$2:${MASK}@`);
  return MASK;
}

/** NAME=value as a view shows it: masked when the name or the value is secret, unless revealed. */
export function showVariable(name: string, value: string, reveal: boolean): { text: string; masked: boolean } {
  if (reveal || value === '' || (!isSecretName(name) && !isSecretValue(value))) return { text: `${name}=${value}`, masked: false };
  return { text: `${name}=${isSecretName(name) ? MASK : maskValue(value)}`, masked: true };
}

/** Whether NAME=value holds a secret (the doctor's question: is a literal secret written down?). */
export function holdsSecret(name: string, value: string): boolean {
  if (value === '' || isOnlyReferences(value)) return false;
  return isSecretName(name) || isSecretValue(value);
}

/**
 * A command line with its secrets masked: `--password=x`, `--token x`, `-pPASSWORD`-style
 * values of secret-named options, NAME=value words, and values that look like secrets.
 */
export function maskArgs(args: readonly string[], reveal = false): string[] {
  if (reveal) return [...args];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const opt = /^(--?[A-Za-z0-9][A-Za-z0-9_.-]*)=(.*)$/s.exec(a);
    const assign = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (opt && opt[2] !== '' && (isSecretName(opt[1]!) || isSecretValue(opt[2]!))) out.push(`${opt[1]}=${isSecretName(opt[1]!) ? MASK : maskValue(opt[2]!)}`);
    else if (assign && assign[2] !== '') out.push(showVariable(assign[1]!, assign[2]!, false).text);
    else if (/^--?[A-Za-z]/.test(a) && !a.includes('=') && isSecretName(a) && i + 1 < args.length && !args[i + 1]!.startsWith('-')) {
      out.push(a, MASK);
      i++;
    } else if (isSecretValue(a)) out.push(maskValue(a));
    else out.push(a);
  }
  return out;
}

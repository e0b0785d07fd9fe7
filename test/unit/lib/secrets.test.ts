// The one secret rule, on a table of names and values that must and must not be masked.
import { describe, expect, it } from 'vitest';
import { holdsSecret, isSecretName, isSecretValue, MASK, maskArgs, showVariable } from '../../../src/lib/secrets.js';

const SECRET_NAMES = [
  'PASSWORD',
  'DB_PASS',
  'DB_PASSWORD',
  'MYSQL_ROOT_PASSWORD',
  'POSTGRES_PASSWD',
  'PASSPHRASE',
  'GPG_PASSPHRASE',
  'API_KEY',
  'apiKey',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'GITHUB_TOKEN',
  'GITHUBTOKEN',
  'githubToken',
  'NPM_TOKENS',
  'JWT',
  'JWT_SIGNING',
  'SLACK_WEBHOOK_URL',
  'SENTRY_DSN',
  'SESSION_SECRET',
  'SESSION_COOKIE',
  'PRIVATE_KEY',
  'GOOGLE_APPLICATION_CREDENTIALS_JSON',
  'CREDS',
  'AUTH',
  'BASIC_AUTH',
  'BASICAUTH',
  'REDIS_AUTH',
  'HASH_SALT',
];

const PLAIN_NAMES = [
  'AUTHOR',
  'AUTHORS',
  'PASSWORD_FILE',
  'POSTGRES_PASSWORD_FILE',
  'SECRETS_DIR',
  'SSH_AUTH_SOCK',
  'TOKEN_TTL',
  'SESSION_TIMEOUT',
  'AUTH_ENABLED',
  'PUBLIC_KEY',
  'SSH_PUBLIC_KEY',
  'KEYBOARD',
  'MONKEY',
  'PATH',
  'HOME',
  'PASSENGER',
  'COMPASS',
  'TOKENIZER',
  'LANG',
  'NODE_ENV',
  'DATABASE_HOST',
];

const SECRET_VALUES = [
  'postgres://app:s3cret@db:5432/app',
  'mysql://root:hunter2@mariadb/shop',
  'http://proxyuser:proxypass@proxy.internal:3128',
  'redis://:onlypassword@redis:6379/0',
  'Bearer abcdef0123456789',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  'https://discord.com/api/webhooks/123/abc',
  'AKIAIOSFODNN7EXAMPLE',
  'ghp_0123456789abcdefghijABCDEFGHIJ012345',
  'xoxb-1234567890-abcdefghij',
  'sk-ant-api03-abcdefghijklmnopqrstuvwxyz',
  'sk-proj-abcdefghijklmnopqrstuvwx',
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
  'AIzaSyA-1234567890abcdefghijklmnopqrstu',
];

const PLAIN_VALUES = [
  'postgres://app@db:5432/app',
  'postgres://app:${DB_PASSWORD}@db:5432/app',
  'https://example.com/path',
  'http://proxy.internal:3128',
  'production',
  '/run/secrets/db_password',
  'Bearer',
  'sk-short',
  '8080',
  'true',
];

describe('secret names', () => {
  it.each(SECRET_NAMES)('%s is secret', (n) => expect(isSecretName(n)).toBe(true));
  it.each(PLAIN_NAMES)('%s is not', (n) => expect(isSecretName(n)).toBe(false));
});

describe('secret values', () => {
  it.each(SECRET_VALUES)('%s is secret', (v) => expect(isSecretValue(v)).toBe(true));
  it.each(PLAIN_VALUES)('%s is not', (v) => expect(isSecretValue(v)).toBe(false));
});

describe('masks', () => {
  it('never reveal the length, keep a URL readable, and v reveals all', () => {
    expect(showVariable('DB_PASS', 'x', false).text).toBe(`DB_PASS=${MASK}`);
    expect(showVariable('DB_PASS', 'a much longer password than that', false).text).toBe(`DB_PASS=${MASK}`);
    expect(showVariable('DATABASE_URL', 'postgres://app:s3cret@db:5432/app', false)).toEqual({ text: `DATABASE_URL=postgres://app:${MASK}@db:5432/app`, masked: true });
    expect(showVariable('HTTP_PROXY', 'http://u:p@proxy:3128', false).text).toBe(`HTTP_PROXY=http://u:${MASK}@proxy:3128`);
    expect(showVariable('NOTIFY', 'https://hooks.slack.com/services/T0/B0/XXXX', false).text).toBe(`NOTIFY=${MASK}`);
    expect(showVariable('AUTHOR', 'Ada', false)).toEqual({ text: 'AUTHOR=Ada', masked: false });
    expect(showVariable('PASSWORD_FILE', '/run/secrets/pw', false).masked).toBe(false);
    expect(showVariable('DB_PASS', 'hunter2', true)).toEqual({ text: 'DB_PASS=hunter2', masked: false });
  });

  it('command lines: --password=…, --token …, NAME=value words, secret-looking values', () => {
    expect(maskArgs(['mysqld', '--password=hunter2', '--port=3306'])).toEqual(['mysqld', `--password=${MASK}`, '--port=3306']);
    expect(maskArgs(['cli', '--token', 'abc123', '--verbose'])).toEqual(['cli', '--token', MASK, '--verbose']);
    expect(maskArgs(['env', 'DB_PASS=x', 'LANG=C', 'run'])).toEqual(['env', `DB_PASS=${MASK}`, 'LANG=C', 'run']);
    expect(maskArgs(['psql', 'postgres://a:b@db/x'])).toEqual(['psql', `postgres://a:${MASK}@db/x`]);
    expect(maskArgs(['cli', '--token', 'abc'], true)).toEqual(['cli', '--token', 'abc']);
  });

  it("the doctor's question: a literal secret, not a reference", () => {
    expect(holdsSecret('DB_PASS', 'hunter2')).toBe(true);
    expect(holdsSecret('DATABASE_URL', 'postgres://u:pw@db/x')).toBe(true);
    expect(holdsSecret('DB_PASS', '${DB_PASS}')).toBe(false);
    expect(holdsSecret('DB_PASS', '')).toBe(false);
    expect(holdsSecret('DATABASE_URL', 'postgres://u:${PW}@db/x')).toBe(false);
    expect(holdsSecret('AUTHOR', 'Ada')).toBe(false);
  });
});

// Running commands from a repository's config is a trust decision. As NTM and zellij do,
// berth asks once per file content: the sha256 of a trusted file is stored in
// $XDG_STATE_HOME/berth/trust.json; any change to the file asks again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from './paths.js';
import { makeDirs } from '../lib/makeDirs.js';

interface TrustFile {
  version: 1;
  /** absolute path -> sha256 of the content that was trusted */
  files: Record<string, string>;
}

export function trustFilePath(): string {
  return path.join(stateDir(), 'trust.json');
}

export function contentHash(content: string | Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

function read(): TrustFile {
  try {
    const data = JSON.parse(fs.readFileSync(trustFilePath(), 'utf8')) as TrustFile;
    if (data && typeof data.files === 'object') return { version: 1, files: data.files };
  } catch {
    // missing or unreadable: nothing trusted
  }
  return { version: 1, files: {} };
}

export function isTrusted(file: string, content: string | Buffer): boolean {
  return read().files[path.resolve(file)] === contentHash(content);
}

export function trust(file: string, content: string | Buffer): void {
  const data = read();
  data.files[path.resolve(file)] = contentHash(content);
  const target = trustFilePath();
  makeDirs(path.dirname(target));
  const tmp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, target);
}

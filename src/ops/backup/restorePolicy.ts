// What a restore checks before it writes anything: the target is a volume name, the folder
// for the safety backup is a writable folder, and the archive holds nothing that could
// reach outside the volume or hand out privileges unless the user asked for it: device
// nodes, setuid/setgid files, and links that point outside the volume (absolute symbolic
// links, relative ones that climb above the volume's root, hard links to outside it).
// Pure apart from the folder check; the archive was verified against its manifest first.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../../config/errors.js';
import { MakeDirError, makeDirs } from '../../lib/makeDirs.js';
import type { ManifestEntry } from './manifest.js';

/** Docker's own rule for volume names. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function checkVolumeName(name: string): void {
  if (!VOLUME_NAME.test(name)) {
    throw new UserError(`--to ${JSON.stringify(name)} is not a volume name: use letters, digits, '_', '.' or '-', starting with a letter or digit (e.g. myproject_data)`);
  }
}

/** The folder exists (created when missing), is a folder, and this user can write in it. */
export function checkWritableDir(dir: string, flag = '--dest'): void {
  try {
    makeDirs(dir, 0o700);
  } catch (e) {
    throw new UserError(`${flag} ${dir}: cannot create the folder (${e instanceof MakeDirError ? e.code : (e as Error).message})`);
  }
  if (!fs.statSync(dir).isDirectory()) throw new UserError(`${flag} ${dir} is not a folder`);
  const probe = path.join(dir, `.berth-write-test-${process.pid}`);
  try {
    fs.writeFileSync(probe, '', { mode: 0o600, flag: 'wx' });
    fs.rmSync(probe);
  } catch (e) {
    throw new UserError(`${flag} ${dir}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export interface SpecialEntry {
  path: string;
  why: string;
}

/** Where a link in `dir` pointing at `target` lands, relative to the volume root ('..' when outside). */
function landing(dir: string, target: string): string {
  return path.posix.normalize(path.posix.join(dir || '.', target));
}

const outside = (p: string) => p === '..' || p.startsWith('../');

/** Entries that need the user's explicit consent to restore. */
export function specialEntries(list: readonly ManifestEntry[]): SpecialEntry[] {
  const out: SpecialEntry[] = [];
  for (const e of list) {
    const where = e.p === '' ? '(the volume root)' : e.p;
    if (e.t === 'char' || e.t === 'block') out.push({ path: where, why: `a ${e.t === 'char' ? 'character' : 'block'} device` });
    else if (e.t !== 'dir' && e.m & 0o4000) out.push({ path: where, why: 'setuid' });
    else if (e.t !== 'dir' && e.m & 0o2000) out.push({ path: where, why: 'setgid' });
    else if (e.t === 'symlink' && e.l !== undefined) {
      if (e.l.startsWith('/')) out.push({ path: where, why: `a symbolic link to the absolute path ${e.l}` });
      else if (outside(landing(path.posix.dirname(e.p), e.l))) out.push({ path: where, why: `a symbolic link leaving the volume (${e.l})` });
    } else if (e.t === 'hardlink' && e.l !== undefined && (e.l.startsWith('/') || outside(landing('', e.l)))) {
      out.push({ path: where, why: `a hard link leaving the volume (${e.l})` });
    }
  }
  return out;
}

/** Throws one line naming the first special entry, unless the user allowed them. */
export function refuseSpecial(file: string, list: readonly ManifestEntry[], allowed: boolean): SpecialEntry[] {
  const special = specialEntries(list);
  if (special.length && !allowed) {
    const first = special[0]!;
    const more = special.length > 1 ? ` and ${special.length - 1} more` : '';
    throw new UserError(
      `${path.basename(file)}: ${first.path} is ${first.why}${more}; nothing was written. Restore with --allow-special if you trust this archive (device nodes, setuid/setgid files, links outside the volume)`,
    );
  }
  return special;
}

// The folder that holds the session server's socket is checked on every use, as tmux
// checks its own: it must be a real folder (not a link), owned by this user and closed to
// group and others; the socket in it must be a socket owned by this user. Otherwise
// another local user could put a listener of their own there first and read what is typed
// into `berth attach`. A folder that fails the check is refused with one line saying what
// to fix; berth never loosens or tightens someone else's folder by itself.
import fs from 'node:fs';
import { UserError } from '../config/errors.js';
import { makeDirs } from '../lib/makeDirs.js';

const uid = () => process.getuid?.() ?? -1;
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** Why `dir` may not hold berth's socket, or null when it may. */
export function unsafeDirReason(dir: string, st: fs.Stats): string | null {
  if (st.isSymbolicLink()) return `${dir} is a symbolic link: remove it (berth creates the folder itself)`;
  if (!st.isDirectory()) return `${dir} is not a folder: remove it (berth creates the folder itself)`;
  if (uid() >= 0 && st.uid !== uid()) return `${dir} belongs to uid ${st.uid}, not to you (uid ${uid()}): remove it, or set XDG_RUNTIME_DIR to a folder of your own`;
  if (st.mode & 0o077) return `${dir} has mode ${octal(st.mode)}, open to other users: make it private with chmod 700 ${dir}`;
  return null;
}

/**
 * Makes sure `dir` exists (created 0700 when `create`) and is safe for the socket. Returns
 * false when it does not exist and was not to be created; throws a UserError when unsafe.
 */
export function ensureSocketDir(dir: string, create: boolean): boolean {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`cannot use ${dir}: ${(e as Error).message}`);
    if (!create) return false;
    try {
      makeDirs(dir, 0o700);
    } catch (err) {
      throw new UserError(`cannot create ${dir}: ${(err as Error).message}`);
    }
    st = fs.lstatSync(dir);
  }
  const why = unsafeDirReason(dir, st);
  if (why) throw new UserError(`refusing to use the session socket folder: ${why}`);
  return true;
}

/** Throws when `file` exists but is not a socket of this user's (someone else's listener). */
export function checkSocketFile(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new UserError(`refusing to use ${file}: it is not a socket; remove it`);
  if (uid() >= 0 && st.uid !== uid()) throw new UserError(`refusing to use ${file}: it belongs to uid ${st.uid}, not to you (uid ${uid()}); remove it`);
}

// `mkdir -p` that always ends. Node's recursive mkdir loops forever on some paths (under
// /proc a missing folder answers ENOENT, and Node then retries its parent, which exists,
// again and again); this one walks up to the first folder that exists and creates each
// missing one below it once, failing with the system's code on the first refusal. Pure
// apart from the file system.
import fs from 'node:fs';
import path from 'node:path';

export class MakeDirError extends Error {
  constructor(
    readonly dir: string,
    readonly code: string,
  ) {
    super(`cannot create ${dir} (${code})`);
  }
}

/** Creates `dir` and its missing parents with `mode`; does nothing when it exists. */
export function makeDirs(dir: string, mode = 0o777): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    try {
      fs.statSync(at);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
      if (code !== 'ENOENT') throw new MakeDirError(at, code);
    }
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'ERROR';
      if (code !== 'EEXIST') throw new MakeDirError(d, code);
    }
  }
}

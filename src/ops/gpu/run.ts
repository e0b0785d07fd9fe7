// Running a GPU tool once, with a hard timeout that kills it (and anything it started).

export interface RunResult {
  stdout: string;
  stderr: string;
  /** null when the process did not exit normally (killed, could not start). */
  exitCode: number | null;
  timedOut: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES …). */
  spawnError?: string;
}

export interface RunOptions {
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

export type Runner = (file: string, args: string[], opts: RunOptions) => Promise<RunResult>;

const MAX_BUFFER = 8 * 1024 * 1024;

/**
 * The default runner (execa 9). The tool runs in its own process group so that on timeout the
 * whole group gets SIGKILL: a wrapper script and its children die with it and the pipes close.
 * If even that does not end it (a process stuck in the kernel), the call still returns after
 * timeout + 1 s.
 */
export const execaRunner: Runner = async (file, args, opts) => {
  // loaded at the first run: most machines have no GPU tool, and then nothing is ever run
  const { execa } = await import('execa');
  const sub = execa(file, args, {
    reject: false,
    env: opts.env,
    extendEnv: false,
    stdin: 'ignore',
    detached: true,
    maxBuffer: MAX_BUFFER,
    encoding: 'utf8',
  });
  let timedOut = false;
  const killGroup = () => {
    timedOut = true;
    try {
      if (sub.pid !== undefined) process.kill(-sub.pid, 'SIGKILL');
    } catch {
      sub.kill('SIGKILL');
    }
  };
  const timer = setTimeout(killGroup, opts.timeoutMs);
  let hardTimer: NodeJS.Timeout | undefined;
  const hard = new Promise<'hard'>((resolve) => {
    hardTimer = setTimeout(() => resolve('hard'), opts.timeoutMs + 1000);
  });
  try {
    const res = await Promise.race([sub, hard]);
    if (res === 'hard') return { stdout: '', stderr: '', exitCode: null, timedOut: true };
    const spawnFailed = res.failed && res.exitCode === undefined && !res.isTerminated && !timedOut;
    return {
      stdout: String(res.stdout ?? ''),
      stderr: String(res.stderr ?? ''),
      exitCode: res.exitCode ?? null,
      timedOut,
      ...(spawnFailed ? { spawnError: spawnErrorText(res) } : {}),
    };
  } finally {
    clearTimeout(timer);
    if (hardTimer) clearTimeout(hardTimer);
  }
};

/** "ENOENT", "EACCES" … or the first line of execa's message. */
function spawnErrorText(res: { code?: string; originalMessage?: string; shortMessage?: string; message?: string }): string {
  if (res.code) return res.code;
  const text = res.originalMessage || res.shortMessage || res.message || 'unknown error';
  return text.split(/\r?\n/)[0];
}

/** An executable regular file? */
export { findOnPath, isExecutable } from '../../lib/findOnPath.js';

// Runs a program on this terminal (its stdin, stdout and stderr inherited), as the
// dashboard's suspended exec does: the exit code, or an error line when it could not start.
import { execa } from 'execa';

export async function runInheriting(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; error?: string }> {
  const r = await execa(cmd, args, { stdio: 'inherit', env, reject: false });
  if (r.failed && r.exitCode === undefined) return { code: 1, error: `${cmd}: ${r.shortMessage}` };
  return { code: r.exitCode ?? 1 };
}

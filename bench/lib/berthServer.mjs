// The berth server a bench's environment runs (its pid file in XDG_RUNTIME_DIR/berth).
import fs from 'node:fs';
import path from 'node:path';
import { waitGone } from './proc.mjs';

/** The server's pid, or 0 when none runs. */
export function berthServerPid(env) {
  try {
    const pid = Number(fs.readFileSync(path.join(env.XDG_RUNTIME_DIR, 'berth', 'server.pid'), 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return 0;
  }
}

/** Ends the server (a cold start follows), waiting until it is gone. */
export async function stopBerthServer(env) {
  const pid = berthServerPid(env);
  if (!pid) return;
  process.kill(pid, 'SIGTERM');
  if (!(await waitGone(pid, 5000))) {
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 2000);
  }
}

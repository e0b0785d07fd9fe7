// `berth`: the dashboard, drawn by the server (started when none runs); this process only
// lends it the terminal. Nothing heavy is imported here: see the import-rule test.
import { attachTerminal } from '../sessions/client.js';
import type { DashboardArgs } from './args.js';

/** What of the terminal's environment the server needs to draw this client's dashboard. */
const PASSED_ENV = ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'NO_COLOR', 'BERTH_PREFIX', 'BERTH_CONFIG'];

/** Shows the dashboard until the user quits or the terminal goes; resolves with the exit status. */
export async function runDashboardClient(opts: DashboardArgs): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new Error('the dashboard needs a terminal; use `berth ps` for scripts');
  const env: Record<string, string> = { PWD: process.cwd() };
  for (const k of PASSED_ENV) {
    const v = process.env[k];
    if (v !== undefined && v !== '') env[k] = v;
  }
  const r = await attachTerminal({ op: 'dashboard', host: opts.host, theme: opts.theme, env, prefix: process.env.BERTH_PREFIX ?? 'C-b' });
  if (r.reason === 'quit') {
    if (r.note) process.stdout.write(`${r.note}\n`);
    return r.code ?? 0;
  }
  // the terminal went away, or the server ended: the view waits in the server
  if (r.reason === 'shutdown') process.stdout.write('[server exited]\n');
  return r.signal === 'SIGTERM' ? 143 : r.signal === 'SIGHUP' ? 129 : 0;
}

// `berth server`: the session server as a process. It logs to $XDG_STATE_HOME/berth/server.log,
// writes its pid next to its socket, ends every session on SIGTERM/SIGINT, and exits when the
// last session is over (as tmux does), so nothing lingers once the agents are done.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from '../config/paths.js';
import { log, openLog } from '../logging.js';
import { pidPath, socketPath } from './protocol.js';
import { SessionServer } from './server.js';

/** How long an idle server (no session) waits for one before it exits. */
const IDLE_EXIT_MS = 2000;

export async function runServer(): Promise<void> {
  openLog(path.join(stateDir(), 'server.log'));
  const server = new SessionServer({ socketPath: socketPath() });
  await server.listen();
  const writePid = () => fs.writeFileSync(pidPath(), `${process.pid}\n`, { mode: 0o600 });
  writePid();
  server.keepSocket(2000, writePid);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`session server stops: ${why}`);
    await server.close();
    try {
      if (fs.readFileSync(pidPath(), 'utf8').trim() === String(process.pid)) fs.rmSync(pidPath());
    } catch {
      // already gone
    }
    // let the panes' clean-up commands (docker exec … kill) get going before exiting
    setTimeout(() => process.exit(0), 200);
  };
  let idleTimer: NodeJS.Timeout | null = null;
  server.on('idle', () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (server.list().length === 0) void stop('no sessions left');
    }, IDLE_EXIT_MS);
  });
  // started by a client that is about to ask for a session; if it never does, do not linger
  server.emit('idle');
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // not attached to a terminal: a hang-up is not ours to act on
  process.on('SIGHUP', () => {});
  process.on('uncaughtException', (e) => {
    log.error(`session server: ${e.stack ?? e.message}`);
  });
  // a failed promise somewhere in one client's work must not end every session
  process.on('unhandledRejection', (e) => {
    log.error(`session server: unhandled ${(e as Error)?.stack ?? String(e)}`);
  });
}

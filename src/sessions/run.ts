// `berth server`: the session server as a process. It logs to $XDG_STATE_HOME/berth/server.log,
// writes its pid next to its socket, ends every session on SIGTERM/SIGINT, and exits when the
// last session is over (as tmux does), so nothing lingers once the agents are done.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from '../config/paths.js';
import { lingerMs, userConfigSchema, type UserConfig } from '../config/schema.js';
import { loadUserConfig } from '../config/userConfig.js';
import { log, openLog } from '../logging.js';
import { pidPath, socketPath } from './protocol.js';
import { SessionServer } from './server.js';

/** `[server] linger` of the user's config; its default when the config cannot be read. */
function lingerFromConfig(): number {
  try {
    return lingerMs(loadUserConfig().server.linger);
  } catch (e) {
    log.warn(`session server: config not read (${(e as Error).message}); lingering ${DEFAULT_LINGER_MIN} minutes`);
    return lingerMs(DEFAULT_LINGER_MIN);
  }
}

const DEFAULT_LINGER_MIN = 10;

/**
 * A value of the user's config read now, so an edit of config.toml applies at once; the
 * schema's default when the config cannot be read (it was said at start).
 */
function fromConfig<T>(pick: (c: UserConfig) => T): T {
  try {
    return pick(loadUserConfig());
  } catch {
    return pick(userConfigSchema.parse({}));
  }
}

export interface RunServerOptions {
  /** Started by a dashboard client: its engine (the environment's, or this --host) is listed at once. */
  prewarm?: boolean;
  host?: string;
}

export async function runServer(opts: RunServerOptions = {}): Promise<void> {
  openLog(path.join(stateDir(), 'server.log'));
  const linger = lingerFromConfig();
  const server = new SessionServer({
    socketPath: socketPath(),
    keepDashboardMs: linger,
    // read when they are needed: when a pane calls the user, when a pane's container went away
    notify: () => fromConfig((c) => c.notify),
    rerunOnRestart: (session) => fromConfig((c) => c.projects.find((p) => p.name === session)?.rerun_on_restart ?? c.panes.rerun_on_restart),
  });
  if (opts.prewarm) server.dashboards.prewarm(opts.host, process.env);
  await server.listen();
  log.info(`session server ready ${performance.now().toFixed(0)} ms after its start`);
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
  // with no session and no client left the server stays [server] linger (so the next start is warm), then exits
  let idleTimer: NodeJS.Timeout | null = null;
  server.on('idle', () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!server.busy()) void stop(`no sessions for ${Math.round(linger / 1000)} s ([server] linger)`);
    }, linger);
  });
  // started by a client that is about to ask for a session; if it never does, do not linger
  server.emit('idle');
  server.on('shutdown', () => void stop('berth kill-server'));
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

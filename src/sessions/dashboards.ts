// The server's dashboards: one EngineHub per engine address (shared by every client that
// looks at that engine) and one DashboardScreen per client. A client that goes away leaves
// its screen behind, detached; the next dashboard client for the same engine takes the
// most recent one back (same selection, filter, open view), as `tmux attach` finds the
// session it left. Detached screens are kept for `keepMs` ([server] linger), at most
// MAX_DETACHED of them.
import { userConfigPath } from '../config/paths.js';
import { loadTheme } from '../config/theme.js';
import type { UserConfig } from '../config/schema.js';
import { loadUserConfig } from '../config/userConfig.js';
import { resolveAddress } from '../engine/address.js';
import { engineAt } from '../engine/connection.js';
import { buildKeymap, setKeymap } from '../input/keymap.js';
import { log } from '../logging.js';
import { EngineHub } from '../dashboard/engineHub.js';
import { DashboardScreen, type SessionsApi } from './dashboardScreen.js';
import type { Hello } from './protocol.js';
import type { ClientIo } from './server.js';

/** Detached dashboards kept at most; the oldest goes first. */
export const MAX_DETACHED = 8;

type DashboardHello = Extract<Hello, { op: 'dashboard' }>;

export class Dashboards {
  private readonly hubs = new Map<string, EngineHub>();
  private readonly screens = new Set<DashboardScreen>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessions: SessionsApi,
    private readonly keepMs: number,
  ) {}

  /** Dashboards with a client now. */
  get attached(): number {
    let n = 0;
    for (const s of this.screens) if (s.attached) n++;
    return n;
  }

  hub(address: string): EngineHub | undefined {
    return this.hubs.get(address);
  }

  /** The engine a dashboard with this config, --host and environment looks at; its hub made when new. */
  private hubFor(config: UserConfig, host: string | undefined, env: Record<string, string | undefined>): EngineHub {
    // each hello resolves its engine; a client is made only for an engine not seen yet
    const addr = resolveAddress({ host, configHost: config.engine.host, env });
    let hub = this.hubs.get(addr.address);
    if (!hub) {
      const engine = engineAt(addr);
      hub = new EngineHub(engine, config.stats, { scan: config.scan.background, path: env.PATH });
      this.hubs.set(engine.address, hub);
      log.info(`engine ${engine.address} (from ${engine.source})`);
    }
    return hub;
  }

  /**
   * The server was started by a dashboard client (its environment is the server's): the
   * engine is listed and sampled before the client's hello arrives. Problems are the
   * client's to hear, at its hello: here they are only logged.
   */
  prewarm(host: string | undefined, env: NodeJS.ProcessEnv): void {
    try {
      const file = env.BERTH_CONFIG ?? userConfigPath();
      this.hubFor(loadUserConfig(file), host, env).warm();
    } catch (e) {
      log.warn(`prewarm: ${(e as Error).message}`);
    }
  }

  /**
   * Draws a dashboard on the client's terminal: the most recently left one of this engine
   * when there is one, else a new one. Throws a UserError for a config the user must fix.
   */
  open(hello: DashboardHello, io: ClientIo, onQuit: (code: number, note: string | null) => void): DashboardScreen {
    const t0 = performance.now();
    const file = hello.env.BERTH_CONFIG ?? userConfigPath();
    const config = loadUserConfig(file);
    const theme = loadTheme(hello.theme ?? config.theme, hello.env);
    setKeymap(buildKeymap(config.keys, `${file}: [keys]`));
    const hub = this.hubFor(config, hello.host, hello.env);
    log.info(`dashboard hello: config, theme and engine in ${(performance.now() - t0).toFixed(1)} ms`);
    const left = [...this.screens].filter((s) => !s.attached && s.o.hub === hub).sort((a, b) => b.detachedAt - a.detachedAt)[0];
    const screen =
      left ??
      new DashboardScreen({
        hub,
        config,
        theme,
        sessions: this.sessions,
        prefix: hello.env.BERTH_PREFIX || hello.prefix,
        cwd: hello.env.PWD,
      });
    this.screens.add(screen);
    screen.attach(io, (code, note) => {
      this.screens.delete(screen);
      onQuit(code, note);
    }, theme);
    log.info(`dashboard client attached (${left ? 'its view kept' : 'new view'}; ${this.attached} attached)`);
    io.onClose = () => {
      if (!this.screens.has(screen)) return;
      screen.detach();
      log.info(`dashboard client left; its view is kept (${this.attached} attached)`);
      this.trim();
    };
    this.sweepLater();
    return screen;
  }

  /** Drops detached dashboards beyond MAX_DETACHED and those older than keepMs. */
  private trim(now = Date.now()): void {
    const detached = [...this.screens].filter((s) => !s.attached).sort((a, b) => b.detachedAt - a.detachedAt);
    detached.forEach((s, i) => {
      if (i >= MAX_DETACHED || now - s.detachedAt >= this.keepMs) {
        s.dispose();
        this.screens.delete(s);
      }
    });
  }

  private sweepLater(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.trim(), Math.max(1000, Math.min(60_000, this.keepMs)));
    this.sweeper.unref();
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const s of this.screens) s.dispose();
    this.screens.clear();
    for (const h of this.hubs.values()) h.stop();
    this.hubs.clear();
  }
}

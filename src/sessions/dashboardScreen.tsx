// One client's dashboard, drawn in the server. Its state (selection, filter, open view, log
// session, dialogs) lives here and outlives the terminal: when the client goes away (the
// window closed, SSH dropped) only the terminal part is let go, and the next `berth` gets
// the same view back. The engine's figures come from the shared EngineHub.
//
//   persistent: store, Operations, ProjectOps, DashboardWorkspaces, the hub membership
//   per terminal: Ink instance, ScreenWriter, key router, alternate screen
import { PassThrough } from 'node:stream';
import React from 'react';
import { render, type Instance } from 'ink';
import type { UserConfig } from '../config/schema.js';
import type { Theme } from '../config/theme.js';
import { handleDashboardKey } from '../input/dashboardKeys.js';
import { InputRouter } from '../input/router.js';
import { log } from '../logging.js';
import type { EngineHub } from '../dashboard/engineHub.js';
import { Operations } from '../dashboard/operations.js';
import { ProjectOps } from '../dashboard/projectOps.js';
import { createAppStore, type AppStore } from '../dashboard/store.js';
import { enterFullscreen, type TerminalSession } from '../term/terminal.js';
import { ScreenWriter } from '../term/writer.js';
import { App } from '../ui/App.js';
import { DashboardWorkspaces, type OpenRequest } from '../workspace/dashboardWorkspaces.js';
import type { ExitMessage, SessionInfo } from './protocol.js';
import type { ClientIo } from './server.js';

/** What a dashboard needs of the server's sessions. */
export interface SessionsApi {
  list(): SessionInfo[];
  kill(names: string[]): void;
  attention(): Array<{ session: string; window: number; pane: number }>;
  showOnDashboard(io: ClientIo, hello: OpenRequest, signal: AbortSignal): Promise<ExitMessage>;
}

export interface DashboardScreenOptions {
  hub: EngineHub;
  config: UserConfig;
  theme: Theme;
  sessions: SessionsApi;
  prefix: string;
  /** The client's working folder (where save prompts start). */
  cwd?: string;
}

interface Attached {
  io: ClientIo;
  router: InputRouter;
  term: TerminalSession;
  onQuit: (code: number, note: string | null) => void;
}

export class DashboardScreen {
  readonly store: AppStore;
  private readonly ops: Operations;
  private readonly projectOps: ProjectOps;
  private readonly workspaces: DashboardWorkspaces;
  /** Leaves the hub: set while a client shows the dashboard (no client, no figures wanted). */
  private leaveHub: (() => void) | null = null;
  private theme: Theme;
  private at: Attached | null = null;
  /** Ink draws into the writer; both live as long as the view and move from terminal to terminal. */
  private drawing: { writer: ScreenWriter; ink: Instance } | null = null;
  /** A session is on the terminal (a, E): the dashboard's keys are off. */
  private lent = false;
  /** When it last had a client. */
  detachedAt = 0;
  private disposed = false;

  constructor(readonly o: DashboardScreenOptions) {
    const { hub, config } = o;
    this.theme = o.theme;
    this.store = createAppStore(config.projects, hub.engine.address);
    this.workspaces = new DashboardWorkspaces({
      engine: hub.engine,
      store: this.store,
      sessions: {
        list: () => o.sessions.list(),
        kill: (name) => o.sessions.kill([name]),
        attention: () => o.sessions.attention(),
        show: (hello, signal) => {
          if (!this.at) return Promise.resolve({ reason: 'detach', name: hello.name });
          return o.sessions.showOnDashboard(this.at.io, hello, signal);
        },
      },
      takeOver: (fn) => this.takeOver(fn),
      size: () => this.size(),
      prefix: o.prefix,
      mouse: config.panes.mouse,
    });
    this.projectOps = new ProjectOps({
      docker: hub.engine.docker,
      store: this.store,
      host: hub.engine.address,
      local: hub.engine.local,
      configured: config.projects,
      openPreset: (project, preset) => void this.workspaces.openAgents(project, { preset }),
    });
    this.ops = new Operations({
      docker: hub.engine.docker,
      store: this.store,
      logs: { maxLines: config.logs.max_lines, tail: config.logs.tail },
      cwd: o.cwd,
      workspaces: this.workspaces,
    });
  }

  get attached(): boolean {
    return this.at !== null;
  }

  private size() {
    const out = this.at?.io.output;
    return { cols: out?.columns || 80, rows: out?.rows || 24 };
  }

  /** Draws on a client's terminal; `onQuit` when the user quits (q at the top, ctrl+c). */
  attach(io: ClientIo, onQuit: Attached['onQuit'], theme?: Theme): void {
    if (this.disposed) throw new Error('dashboard disposed');
    if (this.at) this.detach();
    const t0 = performance.now();
    // the terminal's modes are new: whatever was on screen last time is not
    this.store.getState().patchUi({ suspended: false });
    // the hub hands over what it knows at once (so the first frame has names and filled
    // sparklines), then each change
    this.leaveHub = this.o.hub.attach(this.store);
    const out = io.output as unknown as NodeJS.WriteStream;
    const term = enterFullscreen(out);
    if (!this.drawing) {
      if (theme) this.theme = theme;
      // Ink renders whole frames into the writer (debug mode); the writer sends the client
      // only the cells that changed, at most 30 times a second. See src/term/writer.ts.
      const writer = new ScreenWriter(out, { maxFps: 30 });
      writer.whenDrawn(() => log.info(`dashboard drawn in ${(performance.now() - t0).toFixed(0)} ms`));
      const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
      const ink = render(<App store={this.store} theme={this.theme} out={writer.sink} writer={writer} />, {
        stdout: writer.sink,
        stdin,
        debug: true,
        exitOnCtrlC: false,
        patchConsole: false,
      });
      this.drawing = { writer, ink };
    } else {
      // a view that comes back: its last frame goes to the new terminal at once
      const { writer, ink } = this.drawing;
      // this terminal may want other colours (NO_COLOR, --theme)
      if (theme && JSON.stringify(theme) !== JSON.stringify(this.theme)) {
        this.theme = theme;
        ink.rerender(<App store={this.store} theme={theme} out={writer.sink} writer={writer} />);
      }
      writer.whenDrawn(() => log.info(`dashboard drawn again in ${(performance.now() - t0).toFixed(0)} ms`));
      writer.retarget(out);
      writer.resume();
    }
    const router = new InputRouter(io.input as unknown as NodeJS.ReadStream);
    this.at = { io, router, term, onQuit };
    this.lent = false;
    router.start(this.onKey);
    this.workspaces.resume();
  }

  private readonly onKey = (key: string, text: string) => {
    if (this.lent || !this.at) return;
    handleDashboardKey(
      {
        store: this.store,
        quit: () => this.quit(0),
        pageSize: () => Math.max(1, this.size().rows - 6),
        // the views' border takes a column on each side, and their text starts after a space
        viewWidth: () => Math.max(1, this.size().cols - 3),
        ops: this.ops,
        projectOps: this.projectOps,
        sessions: this.workspaces,
      },
      key,
      text,
    );
  };

  /** A session takes the terminal (alternate screen kept), then the dashboard is drawn whole again. */
  private async takeOver(fn: () => Promise<void>): Promise<void> {
    const at = this.at;
    const drawing = this.drawing;
    if (!at || !drawing) return;
    this.store.getState().patchUi({ suspended: true });
    drawing.writer.suspend();
    at.router.stop();
    this.lent = true;
    try {
      at.io.output.write('\x1b[0m\x1b[2J\x1b[H');
    } catch {
      // the client went away
    }
    try {
      await fn();
    } finally {
      this.lent = false;
      if (this.at === at) {
        try {
          at.io.output.write('\x1b[0m\x1b[?25l\x1b[2J');
        } catch {
          // the client went away
        }
        this.store.getState().patchUi({ suspended: false });
        drawing.writer.resume();
        at.router.start(this.onKey);
      }
    }
  }

  /** Lets go of the terminal (the client went away); the view stays for the next client. */
  detach(): void {
    const at = this.at;
    if (!at) return;
    this.at = null;
    this.detachedAt = Date.now();
    this.leaveHub?.();
    this.leaveHub = null;
    this.workspaces.pause();
    at.router.stop();
    // the view keeps its Ink tree and last frame for the next terminal; nothing is drawn meanwhile
    this.drawing?.writer.suspend();
    at.term.restore();
  }

  private quit(code: number): void {
    const at = this.at;
    if (!at) return;
    const note = this.workspaces.exitNote();
    this.detach();
    this.dispose();
    log.info('dashboard client quit');
    at.onQuit(code, note);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.detach();
    if (this.drawing) {
      this.drawing.ink.unmount();
      this.drawing.writer.close();
      this.drawing = null;
    }
    this.ops.stop();
    this.projectOps.stop();
    this.workspaces.dispose();
  }
}

// The session server: one per user (like tmux's), on a Unix socket in $XDG_RUNTIME_DIR/berth/.
// It owns the workspaces, so the agents in their panes keep running when the terminal or the
// SSH connection that showed them goes away; `berth attach` shows them again. A client is a
// dumb terminal: the server composes the screen for the client's size and sends the bytes,
// the client sends back what the user types. One client per session at a time: a new attach
// takes the session over (the old client is told and exits), which is what a user coming back
// after a dropped connection needs while the old connection has not timed out yet.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { UserError } from '../config/errors.js';
import { log } from '../logging.js';
import type { Workspace, WorkspacePane } from '../panes/workspace.js';
import type { OpenRequest } from '../workspace/dashboardWorkspaces.js';
import type { OpenWorkspaceOptions, WorkspaceControl } from '../workspace/runWorkspace.js';
import { loadPaneLayer, paneLayerLoaded } from './loadPanes.js';
import {
  encodeFrame,
  FrameReader,
  MSG,
  PROTOCOL_VERSION,
  type ExitMessage,
  type ExitReason,
  type Hello,
  type OmitEach,
  type SessionInfo,
  type SpawnRequest,
  type VersionInfo,
} from './protocol.js';
import { checkHello, checkResize, MAX_CLIENT_FRAME } from './messages.js';
import { RemoteInput, RemoteOutput } from './remoteTerminal.js';
import { checkSocketFile, ensureSocketDir } from './socketDir.js';
import { Dashboards } from './dashboards.js';

/** A client's terminal as the server draws on it. */
export interface ClientIo {
  input: RemoteInput;
  output: RemoteOutput;
  /** The client's connection closed (the terminal went away). */
  onClose?: () => void;
  /** The session view on this terminal now (the session tree can move it to another). */
  view?: View;
}

interface View {
  /** Set by the session tree: the terminal goes on to this session (and pane) when the view ends. */
  switchTo?: { name: string; window?: number; pane?: number };
  input: RemoteInput;
  output: RemoteOutput;
  ctl: WorkspaceControl | null;
  /** Set when the server ends the view (taken over, killed); otherwise the workspace says why. */
  reason: ExitReason | null;
}

interface Session {
  name: string;
  ws: Workspace;
  created: number;
  used: number;
  open: Pick<OpenWorkspaceOptions, 'newPane' | 'onReady'>;
  /** First prompts are sent at the first attach only. */
  fresh: boolean;
  /** The clients showing it; the workspace is laid out for the smallest, as tmux does. */
  views: View[];
  /** Said to the client when the session ends. */
  note?: string;
}

/** Prepares a workspace for a spawn request, or adds its panes `into` one (tests give their own). */
export type Preparer = (req: SpawnRequest, size: { cols: number; rows: number }, into?: Workspace) => Promise<{ workspace: Workspace; open: Session['open'] }>;

export interface SessionServerOptions {
  socketPath: string;
  prepare?: Preparer;
  /** How long a dashboard left by its client keeps its view ([server] linger); default 10 minutes. */
  keepDashboardMs?: number;
  /** `[panes] mouse`, for clients that do not say. */
  mouse?: boolean;
  /**
   * Whether a session's panes come back when their container restarts ([panes]
   * rerun_on_restart, per project in [[projects]]); default yes. `probe`: how the container
   * is checked (tests give their own).
   */
  rerunOnRestart?: (session: string) => boolean;
  /**
   * What happens when a pane starts waiting for the user or fails ([notify]): a bell and an
   * OSC 9 desktop notification on every attached terminal, and the user's own command.
   */
  notify?: () => { states?: string[]; bell: boolean; desktop: boolean; command: string[]; webhook?: string; quiet?: string };
  probe?: import('../panes/rerun.js').ContainerProbe;
}

const defaultPreparer: Preparer = async (req, size, into) => {
  const { prepareWorkspace } = await loadPaneLayer();
  const p = await prepareWorkspace({ ...req, into }, size, false);
  return { workspace: p.workspace, open: p.open };
};

export class SessionServer extends EventEmitter {
  private readonly sessions = new Map<string, Session>();
  /** Names of sessions being spawned (their panes are starting). */
  private readonly starting = new Set<string>();
  private readonly conns = new Set<net.Socket>();
  private server: net.Server;
  private keeper: NodeJS.Timeout | null = null;
  private readonly prepare: Preparer;
  private closed = false;
  readonly dashboards: Dashboards;
  /** Every attached terminal (workspaces and dashboards): a bell reaches them all, as tmux's bell-action any. */
  private readonly outputs = new Set<RemoteOutput>();
  private statusTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SessionServerOptions) {
    super();
    this.prepare = o.prepare ?? defaultPreparer;
    this.dashboards = new Dashboards(
      { list: () => this.list(), kill: (names) => this.kill(names), attention: () => this.attention(), showOnDashboard: (io, hello, signal) => this.showOnDashboard(io, hello, signal) },
      o.keepDashboardMs ?? 10 * 60_000,
    );
    this.server = net.createServer((s) => this.accept(s));
  }

  /** Listens; a socket file left by a server that is gone is replaced, a live one is an error. */
  async listen(): Promise<void> {
    ensureSocketDir(path.dirname(this.o.socketPath), true);
    try {
      await this.tryListen();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      checkSocketFile(this.o.socketPath);
      if (await isAlive(this.o.socketPath)) throw new UserError(`a berth session server already runs on ${this.o.socketPath}`);
      fs.rmSync(this.o.socketPath, { force: true });
      await this.tryListen();
    }
    fs.chmodSync(this.o.socketPath, 0o600);
    log.info(`session server listening on ${this.o.socketPath} (pid ${process.pid})`);
  }

  /**
   * Puts the socket back when it disappears while the server runs: systemd-logind removes
   * $XDG_RUNTIME_DIR when the user's last session ends (a dropped SSH connection), and
   * creates it anew at the next login; the sessions must be reachable again then.
   * `onRebound` runs after each re-creation (the pid file goes back too).
   */
  keepSocket(everyMs = 2000, onRebound?: () => void): void {
    this.keeper = setInterval(() => {
      if (this.closed || fs.existsSync(this.o.socketPath)) return;
      // the runtime directory itself is the login manager's: wait for it to come back
      if (!fs.existsSync(path.dirname(path.dirname(this.o.socketPath)))) return;
      const old = this.server;
      this.server = net.createServer((s) => this.accept(s));
      old.close();
      void this.listen().then(
        () => {
          log.info('socket was removed (runtime directory cleared); listening again');
          onRebound?.();
        },
        (e: Error) => log.warn(`socket re-creation failed: ${e.message}`),
      );
    }, everyMs);
    this.keeper.unref();
  }

  private tryListen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(this.o.socketPath, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
  }

  list(): SessionInfo[] {
    return [...this.sessions.values()].map((s) => {
      s.ws.updateStatuses();
      return {
        name: s.name,
        created: s.created,
        attached: s.views.length > 0,
        clients: s.views.length,
        windows: s.ws.windows.map((_, i) => s.ws.windowName(i)),
        window: s.ws.current,
        panes: s.ws.windows.flatMap((w, window) =>
          w.panes.map((p, index) => ({ index, window, title: p.title, kind: p.spec.kind, status: p.status, running: p.session.running, container: p.spec.container, ...(p.alert ? { alert: p.alert.text } : {}) })),
        ),
      };
    });
  }

  /** Ends sessions and their panes; the server goes idle when none is left. */
  kill(names: string[], reason: ExitReason = 'killed'): void {
    for (const name of names) {
      const s = this.sessions.get(name);
      if (!s) continue;
      this.sessions.delete(name);
      for (const v of [...s.views]) this.endView(v, reason);
      s.ws.dispose();
      log.info(`session ${name} ended (${reason})`);
    }
    this.checkIdle();
  }

  /** Ends every session, closes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.keeper) clearInterval(this.keeper);
    this.kill([...this.sessions.keys()], 'shutdown');
    this.dashboards.close();
    for (const c of this.conns) c.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
    fs.rmSync(this.o.socketPath, { force: true });
  }

  /** Whether anything keeps the server from lingering: a session, one starting, a dashboard on screen. */
  busy(): boolean {
    return this.sessions.size > 0 || this.starting.size > 0 || this.dashboards.attached > 0;
  }

  private checkIdle(): void {
    if (!this.closed && !this.busy()) this.emit('idle');
  }

  /** `berth`: the dashboard, drawn here for the client; the client's quit ends the connection. */
  private dashboard(socket: net.Socket, hello: Extract<Hello, { op: 'dashboard' }>, ready: (v: ClientIo) => void): void {
    const io: ClientIo = { input: new RemoteInput(), output: new RemoteOutput(socket, hello.cols, hello.rows) };
    this.outputs.add(io.output);
    socket.once('close', () => this.outputs.delete(io.output));
    try {
      this.dashboards.open(hello, io, (code, note) => {
        const msg: ExitMessage = { reason: 'quit', name: '', note: note ?? undefined, code };
        if (!socket.destroyed) socket.end(encodeFrame(MSG.exit, JSON.stringify(msg)));
        this.checkIdle();
      });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      return this.fail(socket, e.message);
    }
    const onClose = io.onClose;
    io.onClose = () => {
      onClose?.();
      setImmediate(() => this.checkIdle());
    };
    ready(io);
  }

  private accept(socket: net.Socket): void {
    this.conns.add(socket);
    const reader = new FrameReader(MAX_CLIENT_FRAME);
    let hello: Hello | null = null;
    let view: ClientIo | null = null;
    let refused = false;
    let clampSaid = false;
    // what the user typed before the view was ready (a spawn takes a moment), bounded
    const early: Buffer[] = [];
    let earlyBytes = 0;
    let size: { cols: number; rows: number } | null = null;
    const ready = (v: ClientIo) => {
      view = v;
      for (const b of early.splice(0)) v.input.push(b);
      if (size) v.output.resize(size.cols, size.rows);
    };
    const refuse = (reason: string) => {
      refused = true;
      this.refuse(socket, reason);
    };
    const clamped = (what: string | undefined) => {
      if (!what || clampSaid) return;
      clampSaid = true;
      log.warn(`session client: terminal size ${what}`);
    };
    socket.on('data', (chunk: Buffer) => {
      if (refused) return;
      let frames;
      try {
        frames = reader.push(chunk);
      } catch (e) {
        return refuse((e as Error).message);
      }
      for (const f of frames) {
        if (refused || socket.destroyed) return;
        if (!hello) {
          if (f.type !== MSG.hello) return refuse(`the first frame must be a hello, not type ${f.type}`);
          const checked = checkHello(f.payload);
          if (checked.otherVersion !== undefined) {
            refused = true;
            const info: VersionInfo = { protocol: PROTOCOL_VERSION, sessions: this.sessions.size + this.starting.size, pid: process.pid };
            socket.write(encodeFrame(MSG.version, JSON.stringify(info)));
            return this.fail(socket, `this berth session server speaks protocol ${PROTOCOL_VERSION}, the client ${checked.otherVersion}: end it with berth kill-server, then try again`);
          }
          if (!checked.ok) return refuse(checked.error);
          clamped(checked.clamped);
          hello = checked.value;
          this.onHello(socket, hello, ready).catch((e: unknown) => {
            log.error(`session client (${hello?.op}): ${(e as Error)?.stack ?? String(e)}`);
            this.fail(socket, `berth session server: ${(e as Error)?.message ?? String(e)}`);
          });
        } else if (f.type === MSG.input) {
          if (view) view.input.push(f.payload);
          else {
            earlyBytes += f.payload.length;
            if (earlyBytes > MAX_CLIENT_FRAME) return refuse('too much input before the session was ready');
            early.push(f.payload);
          }
        } else if (f.type === MSG.resize) {
          const checked = checkResize(f.payload);
          if (!checked.ok) return refuse(checked.error);
          clamped(checked.clamped);
          if (view) view.output.resize(checked.value.cols, checked.value.rows);
          else size = checked.value;
        } else {
          return refuse(`unknown frame type ${f.type}`);
        }
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.conns.delete(socket);
      view?.onClose?.();
    });
  }

  /** A client that sent something the server cannot use: one line back, logged, connection closed. */
  private refuse(socket: net.Socket, reason: string): void {
    log.warn(`session client refused: ${reason}`);
    if (socket.destroyed) return;
    socket.end(encodeFrame(MSG.error, `berth session server: ${reason}`));
    // a client that does not read its error line is not waited for
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  private fail(socket: net.Socket, message: string): void {
    if (socket.destroyed) return;
    socket.end(encodeFrame(MSG.error, message));
  }

  private reply(socket: net.Socket, data: unknown): void {
    if (socket.destroyed) return;
    socket.end(encodeFrame(MSG.reply, JSON.stringify(data)));
  }

  private async onHello(socket: net.Socket, hello: Hello, ready: (v: ClientIo) => void): Promise<void> {
    // what shows panes needs the pane layer (loaded at the first such request)
    if (hello.op === 'spawn' || hello.op === 'attach' || hello.op === 'open') await loadPaneLayer();
    switch (hello.op) {
      case 'list':
        return this.reply(socket, this.list());
      case 'kill': {
        const names = hello.all ? [...this.sessions.keys()] : hello.name && this.sessions.has(hello.name) ? [hello.name] : [];
        if (!hello.all && names.length === 0) return this.fail(socket, `no session "${hello.name}" (berth ls lists them)`);
        const affected = this.list().filter((s) => names.includes(s.name));
        if (!hello.dryRun) this.kill(names);
        this.reply(socket, affected);
        // kill-server ends the server too (however long it would linger), as tmux's does
        if (hello.all && !hello.dryRun) setImmediate(() => this.emit('shutdown'));
        return;
      }
      case 'attach': {
        const s = hello.name ? this.sessions.get(hello.name) : [...this.sessions.values()].sort((a, b) => b.used - a.used)[0];
        if (!s) {
          return this.fail(socket, hello.name ? `no session "${hello.name}" (berth ls lists them)` : 'no berth sessions; start one with berth spawn <project>');
        }
        return this.attach(s, socket, hello, ready);
      }
      case 'spawn': {
        const name = hello.name;
        if (this.starting.has(name)) return this.fail(socket, `${name}: its panes are starting; try again in a moment`);
        const running = this.sessions.get(name);
        if (running) {
          // tmux's `new -A`: the project's session runs already, so spawn shows it; agents
          // asked for are not added behind the user's back (berth add does that)
          const asked = hello.spawn.agents.filter((a) => a.count > 0).map((a) => (['cc', 'cod', 'gmi'].includes(a.kind) ? `--${a.kind}=${a.count}` : `--agent ${a.kind}=${a.count}`));
          const note = asked.length ? `${name} was running; ${asked.join(' ')} not added: berth add ${name} ${asked.join(' ')} does that` : `${name} was running: shown as it is`;
          log.info(`spawn ${name}: the session exists; attached`);
          return this.attach(running, socket, hello, ready, note);
        }
        this.starting.add(name);
        let prepared;
        try {
          prepared = await this.prepare(hello.spawn, { cols: hello.cols, rows: hello.rows });
        } catch (e) {
          this.starting.delete(name);
          log.warn(`spawn ${name}: ${(e as Error).message}`);
          this.fail(socket, e instanceof UserError ? e.message : `spawn ${name}: ${(e as Error).message}`);
          return this.checkIdle();
        }
        this.starting.delete(name);
        const s = this.addSession(name, prepared.workspace, prepared.open);
        if (socket.destroyed) return; // the client went away meanwhile: the session waits for an attach
        return this.attach(s, socket, hello, ready);
      }
      case 'open':
        return this.open(socket, hello, ready);
      case 'dashboard':
        return this.dashboard(socket, hello, ready);
      default:
        return this.fail(socket, 'unknown request');
    }
  }

  private addSession(name: string, ws: Workspace, open: Session['open']): Session {
    const s: Session = { name, ws, created: Date.now(), used: Date.now(), open, fresh: true, views: [] };
    this.sessions.set(name, s);
    ws.sessionName = name;
    // a session exists, so the pane layer was loaded for it
    const layer = paneLayerLoaded();
    if (layer) {
      const stop = layer.rerunOnContainerRestart(ws, { enabled: () => this.o.rerunOnRestart?.(ws.project) ?? true, probe: this.o.probe });
      ws.once('disposed', stop);
    }
    // a pane that starts waiting for the user, or fails, calls them (statuses are read for
    // every session, attached or not, by the status ticker)
    ws.on('status', (p: WorkspacePane) => {
      const states = this.o.notify?.().states ?? ['waiting', 'error'];
      if (states.includes(p.status)) this.alert(s, p);
    });
    // …and so does a program that rings the bell or sends a notification itself
    ws.on('alert', (p: WorkspacePane, text: string) => this.alert(s, p, text));
    this.startStatusTicker();
    // A shell pane closes when its shell exits cleanly, as in tmux; agent panes stay to show
    // how they ended. The last pane closing ends the session.
    ws.on('exit', (p: WorkspacePane) => {
      if (p.spec.kind !== 'user' || p.session.exit?.code !== 0) return;
      setImmediate(() => {
        // s.name: the session may have been renamed (C-b $) since
        if (ws.windowOf(p) < 0 || this.sessions.get(s.name) !== s) return;
        ws.removePane(p);
        if (ws.allPanes().length > 0) return;
        s.note = `${p.spec.container ?? s.name}: shell exited`;
        this.sessions.delete(s.name);
        for (const v of [...s.views]) this.endView(v, 'empty');
        ws.dispose();
        log.info(`session ${s.name} ended (its last shell exited)`);
        this.checkIdle();
      });
    });
    log.info(`session ${name} started with ${ws.allPanes().length} pane(s)`);
    return s;
  }

  /**
   * The dashboard's `a` and `E`, and `berth add`: the session `name`, made to have agents or
   * a shell for a container. Throws a UserError (one line for the user) when it cannot.
   */
  async openSession(hello: OpenRequest): Promise<Session> {
    const { Workspace, userShell } = await loadPaneLayer();
    const name = hello.name;
    if (this.starting.has(name)) throw new UserError(`${name}: its panes are starting; try again in a moment`);
    let s = this.sessions.get(name);
    const size = { cols: hello.cols, rows: hello.rows };
    if (hello.add && !s) throw new UserError(`no session "${name}"; berth spawn ${name} starts one`);
    if (hello.agents && (hello.add || !s || !s.ws.allPanes().some((p) => p.spec.kind !== 'user'))) {
      this.starting.add(name);
      // a preset added to a running session gets a window of its own (the dashboard's A)
      const window = hello.add && s && hello.window !== undefined ? s.ws.newWindow(undefined, hello.window) : null;
      try {
        const prepared = await this.prepare({ ...hello.agents, user: s ? false : hello.agents.user }, size, s?.ws);
        if (!s) s = this.addSession(name, prepared.workspace, prepared.open);
        else {
          s.open = prepared.open;
          s.fresh = true;
        }
      } catch (e) {
        if (window !== null && s && s.ws.windows[window]?.panes.length === 0) s.ws.killWindow(window);
        log.warn(`open ${name}: ${(e as Error).message}`);
        throw e instanceof UserError ? e : new UserError(`${name}: agent panes failed: ${(e as Error).message}`);
      } finally {
        this.starting.delete(name);
        this.checkIdle();
      }
    }
    if (hello.shell) {
      const { container, env } = hello.shell;
      if (!s) s = this.addSession(name, new Workspace(name, { ...size, layout: 'tiled' }), { newPane: () => userShell(name, container, env) });
      const ws = s.ws;
      // the container's shell pane, in whichever window it is, else a new one in the window shown
      let pane = ws.allPanes().find((p) => p.spec.kind === 'user' && p.spec.container === container);
      if (!pane) {
        const spec = userShell(name, container, env);
        if (ws.allPanes().some((p) => p.title === spec.title)) spec.title = `${name}__${container}`;
        pane = ws.add(spec);
      } else if (!pane.session.running) pane.session.respawn();
      ws.selectWindow(ws.windowOf(pane));
      ws.setFocus(ws.panes.indexOf(pane));
    }
    if (!s) throw new UserError(`no session "${name}"`);
    if (hello.focus) {
      s.ws.selectWindow(hello.focus.window);
      s.ws.setFocus(hello.focus.pane);
    }
    return s;
  }

  private async open(socket: net.Socket, hello: Extract<Hello, { op: 'open' }>, ready: (v: ClientIo) => void): Promise<void> {
    let s: Session;
    try {
      s = await this.openSession(hello);
    } catch (e) {
      return this.fail(socket, (e as Error).message);
    }
    if (socket.destroyed) return;
    this.attach(s, socket, hello, ready);
  }

  /**
   * Shows a session on a dashboard client's terminal (its `a` and `E`) until the user
   * detaches from it, the session ends, or `signal` says the client went away.
   */
  async showOnDashboard(io: ClientIo, hello: OpenRequest, signal: AbortSignal): Promise<ExitMessage> {
    const s = await this.openSession(hello);
    const { exited } = this.attachIo(s, io, { ...hello, op: 'open' });
    // the session tree may have moved this terminal to another session: end the current one
    const onAbort = () => {
      if (io.view) this.endView(io.view, 'detach');
    };
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) onAbort();
    try {
      return await exited;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  private attach(s: Session, socket: net.Socket, hello: Extract<Hello, { op: 'spawn' | 'attach' | 'open' }>, ready: (v: ClientIo) => void, note?: string): void {
    const io: ClientIo = { input: new RemoteInput(), output: new RemoteOutput(socket, hello.cols, hello.rows) };
    this.outputs.add(io.output);
    socket.once('close', () => this.outputs.delete(io.output));
    const { exited } = this.attachIo(s, io, hello, note);
    io.onClose = () => {
      // the terminal went away (closed, or the SSH connection dropped): the session stays
      if (io.view && !io.view.reason) this.endView(io.view, 'detach');
    };
    ready(io);
    void exited.then((msg) => {
      if (!socket.destroyed) socket.end(encodeFrame(MSG.exit, JSON.stringify(msg)));
    });
  }

  /** Draws the session on a client's terminal; resolves with why it stopped. */
  private attachIo(s: Session, io: ClientIo, hello: OmitEach<Extract<Hello, { op: 'spawn' | 'attach' | 'open' }>, 'v'>, note?: string): { view: View; exited: Promise<ExitMessage> } {
    // `attach -d` (tmux's flag) detaches the other clients; otherwise they share the session
    if (hello.op === 'attach' && hello.detachOthers) for (const v of [...s.views]) this.endView(v, 'taken');
    const view: View = { input: io.input, output: io.output, ctl: null, reason: null };
    io.view = view;
    s.views.push(view);
    s.used = Date.now();
    const onReady = s.fresh ? s.open.onReady : undefined;
    s.fresh = false;
    // a session exists, so the pane layer was loaded for it
    const panes = paneLayerLoaded();
    if (!panes) throw new Error('the pane layer is not loaded');
    const exited = panes.openWorkspace({
      workspace: s.ws,
      stdin: view.input as unknown as NodeJS.ReadStream,
      stdout: view.output as unknown as NodeJS.WriteStream,
      prefix: hello.prefix,
      fullscreen: hello.fullscreen ?? true,
      mouse: hello.mouse ?? this.o.mouse ?? false,
      newPane: s.open.newPane,
      setSize: () => this.fit(s),
      sessions: () => this.list(),
      renameSession: (to) => this.rename(s, to),
      nextAttention: () => this.attention()[0] ?? null,
      switchTo: (name, window, pane) => {
        view.switchTo = { name, window, pane };
        this.endView(view, 'detach');
      },
      onReady: (ctl) => {
        view.ctl = ctl;
        onReady?.(ctl);
        if (note) ctl.say(note, 6000);
      },
    });
    const done = exited.then((how): ExitMessage | Promise<ExitMessage> => {
      const reason = view.reason ?? how;
      s.views = s.views.filter((v) => v !== view);
      // the clients left may be larger: lay the panes out for them
      if (s.views.length) this.fit(s);
      if (how === 'empty' && this.sessions.get(s.name) === s) {
        // the last pane was closed: the session is over
        this.sessions.delete(s.name);
        s.ws.dispose();
        log.info(`session ${s.name} ended (no panes left)`);
        this.checkIdle();
      }
      // the session tree chose another session: this terminal shows it now
      const next = view.switchTo && this.sessions.get(view.switchTo.name);
      if (next && !io.output.closed) {
        const { window, pane } = view.switchTo!;
        if (window !== undefined) next.ws.selectWindow(window);
        if (pane !== undefined && pane < next.ws.panes.length) next.ws.setFocus(pane);
        log.info(`a client moved from session ${s.name} to ${next.name}`);
        return this.attachIo(next, io, { ...hello, op: 'attach', detachOthers: false }).exited;
      }
      return { reason, name: s.name, note: s.note };
    });
    return { view, exited: done };
  }

  /** Reads every session's pane statuses twice a second while there are sessions. */
  private startStatusTicker(): void {
    if (this.statusTimer) return;
    this.statusTimer = setInterval(() => {
      if (!this.sessions.size) {
        clearInterval(this.statusTimer!);
        this.statusTimer = null;
        return;
      }
      // a session on screen is read by its views already (every 250 ms): only the others here
      for (const s of this.sessions.values()) if (!s.views.length) s.ws.updateStatuses();
    }, 500);
    this.statusTimer.unref();
  }

  /** A pane needs the user: a bell, a desktop notification and their command, as configured. */
  private alert(s: Session, p: WorkspacePane, said?: string): void {
    const cfg = this.o.notify?.() ?? { bell: true, desktop: true, command: [] };
    const state = said ? 'alert' : p.status;
    const message = `${p.title} ${said ?? stateWords(p)}`;
    const text = `berth: ${s.name}: ${message}`;
    log.info(`attention: ${s.name}: ${message}${p.muted ? ' (muted)' : ''}`);
    // a muted pane (C-b m) and quiet hours still count, but call nobody
    if (p.muted || inQuietHours(cfg.quiet, new Date())) return;
    // BEL rings the terminal (and tmux around it); OSC 9 is a desktop notification in the
    // terminals that know it (iTerm2, WezTerm, Windows Terminal, kitty), also over SSH
    const seq = `${cfg.bell ? '\x07' : ''}${cfg.desktop ? `\x1b]9;${text.replace(/[\x00-\x1f\x7f]/g, ' ')}\x07` : ''}`;
    if (seq) for (const out of this.outputs) if (!out.closed) out.write(seq);
    const values: Record<string, string> = { project: s.ws.project, session: s.name, pane: p.title, state, reason: said ? '' : (p.reason ?? ''), container: p.spec.container ?? '', message };
    if (cfg.webhook) this.postWebhook(cfg.webhook, { ...values, at: new Date().toISOString() });
    const [file, ...args] = cfg.command;
    if (file) {
      const fill = (a: string) => a.replace(/\{(project|session|pane|state|reason|container|message)\}/g, (_, k: string) => values[k]!);
      // arguments passed as they are, no shell in between
      execFile(fill(file), args.map(fill), { timeout: 30_000 }, (err) => {
        if (err) log.warn(`[notify] command failed: ${err.message}`);
      });
    }
  }

  /** Webhook failures are logged once until one succeeds again (no log storm, no retries). */
  private webhookFailing = false;

  private postWebhook(url: string, body: Record<string, string>): void {
    void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) }).then(
      (r) => {
        if (r.ok) this.webhookFailing = false;
        else this.webhookFailed(url, `HTTP ${r.status}`);
      },
      (e: Error) => this.webhookFailed(url, e.message),
    );
  }

  private webhookFailed(url: string, why: string): void {
    if (this.webhookFailing) return;
    this.webhookFailing = true;
    log.warn(`[notify] webhook ${url}: ${why} (said once until it works again)`);
  }

  /** The panes that need the user in every session, the one waiting longest first. */
  attention(): Array<{ session: string; window: number; pane: number; since: number }> {
    return [...this.sessions.values()].flatMap((s) => s.ws.needingUser().map((x) => ({ session: s.name, ...x }))).sort((a, b) => a.since - b.since);
  }

  /** tmux's rename-session: the session goes by `to` from now on; a reason when it cannot. */
  private rename(s: Session, to: string): string | null {
    if (!/^[\w][\w.@:+-]{0,127}$/.test(to)) return `rename-session: "${to}" is not a session name (letters, digits, . _ - @ : +)`;
    if (this.sessions.get(s.name) !== s) return `rename-session: ${s.name} has ended`;
    if (this.sessions.has(to) || this.starting.has(to)) return `rename-session: a session "${to}" exists already`;
    this.sessions.delete(s.name);
    log.info(`session ${s.name} renamed ${to}`);
    s.name = to;
    s.ws.sessionName = to;
    this.sessions.set(to, s);
    return null;
  }

  /** Lays the session out for its smallest client (each client draws it at that size). */
  private fit(s: Session): void {
    const live = s.views.filter((v) => !v.reason);
    if (!live.length) return;
    const cols = Math.min(...live.map((v) => v.output.columns));
    const rows = Math.min(...live.map((v) => v.output.rows));
    if (cols !== s.ws.cols || rows !== s.ws.rows) s.ws.setSize(cols, rows);
  }

  private endView(view: View, reason: ExitReason): void {
    if (view.reason) return;
    view.reason = reason;
    view.ctl?.close();
  }
}

/** What a pane's state says in a notification: "is waiting for you", "failed: rate limit". */
function stateWords(p: WorkspacePane): string {
  const why = p.reason ? `: ${p.reason}` : '';
  switch (p.status) {
    case 'waiting':
      return `is waiting for you${why}`;
    case 'error':
      return `failed${why}`;
    case 'done':
      return 'is done';
    case 'exited':
      return `exited (${p.session.exit?.signal ?? `status ${p.session.exit?.code ?? '?'}`})`;
    default:
      return `is ${p.status}`;
  }
}

/** Whether `now` (local time) falls in a span like "22:00-07:00" (which may cross midnight). */
export function inQuietHours(span: string | undefined, now: Date): boolean {
  const m = span && /^(\d\d):(\d\d)-(\d\d):(\d\d)$/.exec(span);
  if (!m) return false;
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  const t = now.getHours() * 60 + now.getMinutes();
  return from <= to ? t >= from && t < to : t >= from || t < to;
}

/** Whether a server answers on `socketPath`. */
export function isAlive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

// Starts the full-screen dashboard: backend first, then the terminal, then Ink.
import React from 'react';
import { render } from 'ink';
import { loadTheme } from '../config/theme.js';
import { userConfigPath } from '../config/paths.js';
import { loadUserConfig } from '../config/userConfig.js';
import { openEngine } from '../engine/connection.js';
import { EngineWatcher } from '../engine/watcher.js';
import { handleDashboardKey } from '../input/dashboardKeys.js';
import { buildKeymap, setKeymap } from '../input/keymap.js';
import { Operations } from '../state/operations.js';
import { ProjectOps } from '../state/projectOps.js';
import { InputRouter } from '../input/router.js';
import { log, openLog } from '../logging.js';
import { feedEngine } from '../state/feeds.js';
import { createAppStore } from '../state/store.js';
import { App } from './App.js';
import { startLiveStats } from '../state/liveStats.js';
import { runInheriting } from '../term/inherit.js';
import { ScreenWriter } from '../term/writer.js';
import { DashboardWorkspaces } from '../workspace/dashboardWorkspaces.js';
import { enterFullscreen } from '../term/terminal.js';

export interface DashboardOptions {
  host?: string;
  theme?: string;
}

export async function runDashboard(opts: DashboardOptions): Promise<number> {
  const config = loadUserConfig();
  const theme = loadTheme(opts.theme ?? config.theme);
  setKeymap(buildKeymap(config.keys, `${userConfigPath()}: [keys]`));
  const logPath = openLog();
  const engine = openEngine({ host: opts.host, configHost: config.engine.host });
  log.info(`berth starting; engine ${engine.address} (from ${engine.source}); log ${logPath}`);

  const out = process.stdout;
  if (!out.isTTY || !process.stdin.isTTY) {
    throw new Error('the dashboard needs a terminal; use `berth ps` for scripts');
  }

  const store = createAppStore(config.projects, engine.address);
  const watcher = new EngineWatcher(engine);
  const unfeed = feedEngine(watcher, store);
  watcher.start();
  const stopStats = startLiveStats(engine, watcher, store, config.stats);

  let term = enterFullscreen(out);
  const input = new InputRouter(process.stdin);
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));

  // Ink renders whole frames into the writer (debug mode); the writer sends the terminal
  // only the cells that changed, at most 30 times a second. See src/term/writer.ts.
  const writer = new ScreenWriter(out, { maxFps: 30 });
  const ink = render(<App store={store} theme={theme} out={writer.sink} writer={writer} />, {
    stdout: writer.sink,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });

  const onKey = (key: string, text: string) =>
    handleDashboardKey(
      {
        store,
        quit: () => shutdown(0),
        pageSize: () => Math.max(1, (out.rows || 24) - 6),
        ops,
        projectOps,
      },
      key,
      text,
    );

  // exec: the dashboard lends the terminal to `docker exec -it …` and takes it back.
  const suspend = async (fn: () => Promise<void>) => {
    store.getState().patchUi({ suspended: true });
    await new Promise((r) => setTimeout(r, 50));
    writer.suspend();
    input.stop();
    term.restore();
    out.write('\x1b[2J\x1b[H');
    try {
      await fn();
    } finally {
      term = enterFullscreen(out);
      store.getState().patchUi({ suspended: false });
      writer.resume();
      input.start(onKey);
    }
  };
  const runInTerminal = async (cmd: string, args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: engine.address };
    delete env.DOCKER_CONTEXT;
    const r = await runInheriting(cmd, args, env);
    if (r.error) store.getState().setMessage(r.error, 'error');
    return r.code;
  };
  // Agent panes: the workspace takes the terminal (the alternate screen stays), C-b d gives
  // it back and the dashboard is drawn whole again. The panes keep running meanwhile.
  const takeOver = async (fn: () => Promise<void>) => {
    store.getState().patchUi({ suspended: true });
    writer.suspend();
    input.stop();
    out.write('\x1b[0m\x1b[2J\x1b[H');
    try {
      await fn();
    } finally {
      if (!done) {
        out.write('\x1b[0m\x1b[?25l\x1b[2J');
        store.getState().patchUi({ suspended: false });
        writer.resume();
        input.start(onKey);
      }
    }
  };
  const workspaces = new DashboardWorkspaces({ engine, store, takeOver, prefix: process.env.BERTH_PREFIX ?? 'C-b', mouse: config.panes.mouse, stdout: out });
  const projectOps = new ProjectOps({
    docker: engine.docker,
    store,
    host: engine.address,
    local: engine.local,
    configured: config.projects,
    openPreset: (project, preset) => void workspaces.openAgents(project, { preset }),
  });
  const ops = new Operations({ docker: engine.docker, store, logs: { maxLines: config.logs.max_lines, tail: config.logs.tail }, suspend, runInTerminal, workspaces });

  let done = false;
  const shutdown = (code: number) => {
    if (done) return;
    done = true;
    ops.stop();
    projectOps.stop();
    workspaces.dispose();
    input.stop();
    stopStats();
    unfeed();
    watcher.stop();
    ink.unmount();
    writer.close();
    term.restore();
    const note = workspaces.exitNote();
    if (note) {
      try {
        out.write(`${note}\n`);
      } catch {
        // no terminal left (hang-up)
      }
    }
    log.info(`berth exiting (${code})`);
    resolveExit(code);
  };

  const onSignal = (sig: NodeJS.Signals) => shutdown(sig === 'SIGINT' ? 130 : 143);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  const onCrash = (err: unknown) => {
    log.error(`crash: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    shutdown(1);
    process.stderr.write(`berth: internal error: ${err instanceof Error ? err.message : String(err)} (details in ${logPath})\n`);
    process.exit(1);
  };
  // A terminal that hangs up makes writes fail with EIO: that is a quit, not a crash.
  const onOutError = (err: NodeJS.ErrnoException) => {
    log.warn(`terminal write failed (${err.code ?? err.message}); quitting`);
    shutdown(129);
  };
  out.on('error', onOutError);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  input.start(onKey);

  const code = await exited;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  process.off('SIGHUP', onSignal);
  return code;
}

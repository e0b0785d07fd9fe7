// The workspace as a full-screen view: owns stdin (raw bytes) while it is open, draws the
// panes through the cell diff, at most 30 frames a second (a keystroke's echo at once).
//
//   const result = await openWorkspace({ workspace, prefix: 'C-b', newPane });
//
// resolves when the user goes back (prefix d) or the last pane was closed. The caller
// owns the Workspace: it keeps running after a detach until the caller disposes it.
//
// This file wires the parts to the terminal: bytes in (mouse reports, the prefix machine,
// the rest to the focused pane), frames out. What a prefix command does is in
// paneCommands.ts, each mode's keys in modes/, the state they share in view.ts.
import { StringDecoder } from 'node:string_decoder';
import type { ReadStream } from 'node:tty';
import { OUTER_MODES_OFF, OUTER_MODES_ON, translateForPane } from '../input/paneKeys.js';
import { keyLength, parsePrefixKey, PrefixMachine } from '../input/prefix.js';
import { MOUSE_OFF, MOUSE_ON, takeMouse } from '../input/mouse.js';
import type { PaneSnapshot } from '../panes/snapshot.js';
import { FrameScheduler } from '../panes/scheduler.js';
import type { WorkspacePane } from '../panes/workspace.js';
import type { Cell } from '../term/cells.js';
import { diffScreens } from '../term/diff.js';
import { enterFullscreen, type TerminalSession } from '../term/terminal.js';
import { composeWorkspace, type Overlay } from './compose.js';
import { dialogKey, dialogPrompt } from './modes/dialogs.js';
import { mouseReport } from './modes/mouse.js';
import { runPrefixKey } from './paneCommands.js';
import type { Mode, OpenWorkspaceOptions, WorkspaceExit, WorkspaceView } from './view.js';

export type { OpenWorkspaceOptions, WorkspaceControl, WorkspaceExit } from './view.js';

export function openWorkspace(opts: OpenWorkspaceOptions): Promise<WorkspaceExit> {
  const ws = opts.workspace;
  const stdin = opts.stdin ?? process.stdin;
  const out = opts.stdout ?? process.stdout;
  const prefixName = opts.prefix ?? 'C-b';
  const prefix = new PrefixMachine(parsePrefixKey(prefixName));

  let fs: TerminalSession | null = null;
  if (opts.fullscreen !== false) fs = enterFullscreen(out);
  const wasRaw = (stdin as ReadStream).isRaw ?? false;
  if (stdin.isTTY) (stdin as ReadStream).setRawMode(true);
  out.write(OUTER_MODES_ON + (opts.mouse ? MOUSE_ON : ''));

  let prev: Cell[][] | null = null;
  let lastCursor = '';
  let message = '';
  let messageTimer: NodeJS.Timeout | null = null;
  let done = false;

  const v: WorkspaceView = {
    ws,
    opts,
    prefixName,
    out,
    mode: 'normal',
    input: '',
    completions: '',
    copy: { offset: 0, search: '', cursor: { y: 0, x: 0 } },
    copyByWheel: false,
    tree: { rows: [], cursor: 0 },
    helpScroll: 0,
    say: (text, ms = 4000) => {
      message = text;
      if (messageTimer) clearTimeout(messageTimer);
      messageTimer = setTimeout(() => {
        message = '';
        redraw();
      }, ms);
      redraw();
    },
    redraw: () => redraw(),
    finish: (reason) => finish(reason),
  };

  // the pane keeps its last snapshot until its screen changes (shared by every client)
  const snapshot = (p: WorkspacePane): PaneSnapshot | undefined => p.session.snapshot();

  const overlay = (): Overlay => {
    const o: Overlay = { prefixArmed: prefix.armed, message: message || undefined };
    if (v.mode === 'help') o.help = { scroll: v.helpScroll };
    if (v.mode === 'copy' || v.mode === 'copy-search') o.copy = v.copy;
    if (v.mode === 'numbers') o.numbers = true;
    if (v.mode === 'tree') o.tree = { rows: v.tree.rows.map((r) => r.label), cursor: v.tree.cursor };
    o.prompt = dialogPrompt(v);
    const f = ws.focused();
    if (!o.prompt && v.mode === 'normal' && f && !f.session.running && !message) {
      o.message = `pane ${ws.focus} has exited: ${prefixName} r runs it again, ${prefixName} x closes it`;
    }
    return o;
  };

  const frame = () => {
    if (done) return;
    const screen = composeWorkspace(ws, { snapshot, overlay: overlay(), prefixName });
    if (opts.draw) {
      opts.draw(screen.cells, screen.cursor);
      return;
    }
    let bytes = diffScreens(prev, screen.cells);
    prev = screen.cells;
    const cur = screen.cursor ? `\x1b[${screen.cursor.y + 1};${screen.cursor.x + 1}H\x1b[?25h` : '\x1b[?25l';
    if (bytes || cur !== lastCursor) bytes = (bytes && screen.cursor ? '\x1b[?25l' : '') + bytes + cur;
    lastCursor = cur;
    if (bytes) {
      try {
        out.write(bytes);
      } catch {
        finish('detach');
      }
    }
  };
  const scheduler = new FrameScheduler(frame, opts.maxFps ?? 30);
  const redraw = () => scheduler.request();

  const onDirty = (p: WorkspacePane) => {
    if (ws.visible().includes(p)) redraw();
  };
  let layouts = 0;
  // panes that do not fit are shown one at a time: said once each time it happens
  let wasTabs = false;
  const onLayout = () => {
    layouts++;
    prev = null;
    const tabs = ws.mode === 'tabs';
    if (tabs && !wasTabs) {
      v.say(`${ws.panes.length} panes do not fit ${ws.cols}x${ws.rows} in ${ws.layout}: one at a time (tabs above; ${prefixName} o next pane, ${prefixName} space another layout, a larger terminal shows all)`, 8000);
    }
    wasTabs = tabs;
    if (!opts.draw) out.write('\x1b[0m\x1b[2J');
    redraw();
  };
  ws.on('dirty', onDirty);
  ws.on('layout', onLayout);
  ws.on('exit', redraw);
  ws.on('status', redraw);
  const statusTimer = setInterval(() => ws.updateStatuses(), 250);

  const setSize = opts.setSize ?? ((cols: number, rows: number) => ws.setSize(cols, rows));
  const onResize = () => {
    const seen = layouts;
    setSize(out.columns || 80, out.rows || 24);
    // the layout stayed (a smaller client sets it): this terminal still needs a whole new
    // screen; when it was laid out again, onLayout has drawn one already
    if (layouts === seen) onLayout();
  };
  out.on('resize', onResize);
  setSize(out.columns || 80, out.rows || 24);

  // a multi-byte character can be split across two reads, and so can a mouse report
  const decoder = new StringDecoder('utf8');
  let mouseCarry = '';
  const onData = (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (opts.mouse) {
      const m = takeMouse(mouseCarry + data);
      mouseCarry = m.partial;
      for (const r of m.reports) mouseReport(v, r);
      data = m.rest;
    }
    if (!data) return;
    if (v.mode !== 'normal') {
      // a dialog takes keys one at a time until it ends; the rest goes on as usual
      let i = 0;
      while (i < data.length && (v.mode as Mode) !== 'normal') {
        const len = keyLength(data.slice(i));
        dialogKey(v, data.slice(i, i + len));
        i += len;
      }
      redraw();
      if (i >= data.length) return;
      handleNormal(data.slice(i));
      return;
    }
    handleNormal(data);
  };

  const handleNormal = (data: string) => {
    const armedBefore = prefix.armed;
    for (const a of prefix.feed(data)) {
      if (done) return;
      if (a.type === 'send') {
        const f = ws.focused();
        if (!f) continue;
        if (v.mode !== 'normal') {
          // a command opened a dialog: the rest of the chunk belongs to it
          onData(a.data);
          continue;
        }
        scheduler.expedite();
        f.session.write(translateForPane(a.data, f.session.term.modes));
      } else runPrefixKey(v, a);
    }
    if (prefix.armed !== armedBefore) redraw();
  };

  let resolveExit!: (r: WorkspaceExit) => void;
  const exited = new Promise<WorkspaceExit>((r) => (resolveExit = r));
  function finish(reason: WorkspaceExit): void {
    if (done) return;
    done = true;
    scheduler.stop();
    clearInterval(statusTimer);
    if (messageTimer) clearTimeout(messageTimer);
    stdin.off('data', onData);
    out.off('resize', onResize);
    ws.off('dirty', onDirty);
    ws.off('layout', onLayout);
    ws.off('exit', redraw);
    ws.off('status', redraw);
    try {
      out.write(`\x1b[0m${OUTER_MODES_OFF}${opts.mouse ? MOUSE_OFF : ''}`);
      if (stdin.isTTY) (stdin as ReadStream).setRawMode(wasRaw);
    } catch {
      // the terminal is gone
    }
    fs?.restore();
    resolveExit(reason);
  }

  stdin.on('data', onData);
  stdin.resume();
  ws.focused()?.session.focus(true);
  redraw();
  opts.onReady?.({ say: v.say, close: () => finish('detach') });
  return exited;
}

// The workspace as a full-screen view: owns stdin (raw bytes) while it is open, draws the
// panes through the cell diff, at most 30 frames a second (a keystroke's echo at once).
//
//   const result = await openWorkspace({ workspace, prefix: 'C-b', newPane });
//
// resolves when the user goes back (prefix d/q) or the last pane was closed. The caller
// owns the Workspace: it keeps running after a detach until the caller disposes it.
import { StringDecoder } from 'node:string_decoder';
import type { ReadStream } from 'node:tty';
import { OUTER_MODES_OFF, OUTER_MODES_ON, translateForPane } from '../input/paneKeys.js';
import { keyLength, parsePrefixKey, PrefixMachine, type PrefixAction } from '../input/prefix.js';
import { parsePromptTarget, sendPrompt } from '../panes/prompt.js';
import type { PaneSnapshot } from '../panes/snapshot.js';
import { FrameScheduler } from '../panes/scheduler.js';
import type { PaneSpec, Workspace, WorkspacePane } from '../panes/workspace.js';
import type { Cell } from '../term/cells.js';
import { diffScreens } from '../term/diff.js';
import { enterFullscreen, type TerminalSession } from '../term/terminal.js';
import { completeCommand, parseCommandLine } from './commandLine.js';
import { composeWorkspace, type Overlay } from './compose.js';
import { copyModeKey, enterCopyMode, osc52, scrollView, searchFrom, type CopyModeState } from './copyMode.js';
import { encodeMouse, MOUSE_OFF, MOUSE_ON, takeMouse, type MouseReport } from '../input/mouse.js';

export interface OpenWorkspaceOptions {
  workspace: Workspace;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Prefix key, e.g. "C-b" (default) or "C-a". */
  prefix?: string;
  /** Whether to enter (and leave) the alternate screen; false when the caller is already in it. */
  fullscreen?: boolean;
  /** The pane a split adds (usually a shell in the project's container). */
  newPane?: (ws: Workspace) => PaneSpec | undefined;
  maxFps?: number;
  /**
   * Draws a composed screen instead of writing the cell diff to stdout itself, e.g. into the
   * dashboard's ScreenWriter as a full-screen overlay (writer.setOverlay). The cursor is the
   * focused pane's, or null to hide it.
   */
  draw?: (cells: Cell[][], cursor: { x: number; y: number } | null) => void;
  /** Mouse reports from the terminal: click focuses, wheel scrolls (off by default, as in tmux). */
  mouse?: boolean;
  /**
   * Called instead of sizing the workspace to this terminal, when the terminal's size is
   * known or changes: a session shown by several clients is laid out for the smallest.
   */
  setSize?: (cols: number, rows: number) => void;
  /** Called once the workspace is on screen, with a way to show messages in its status line. */
  onReady?: (ctl: WorkspaceControl) => void;
}

export interface WorkspaceControl {
  say(text: string, ms?: number): void;
  /** Leaves the workspace as a detach would. */
  close(): void;
}

export type WorkspaceExit = 'detach' | 'empty';

type Mode = 'normal' | 'help' | 'confirm-kill' | 'rename' | 'send' | 'command' | 'copy' | 'copy-search';

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
  let mode: Mode = 'normal';
  let input = '';
  /** Command names the last tab in the command prompt could not choose between. */
  let completions = '';
  let copy: CopyModeState = { offset: 0, search: '', cursor: { y: 0, x: 0 } };
  let message = '';
  let messageTimer: NodeJS.Timeout | null = null;

  // the pane keeps its last snapshot until its screen changes (shared by every client)
  const snapshot = (p: WorkspacePane): PaneSnapshot | undefined => p.session.snapshot();

  const overlay = (): Overlay => {
    const o: Overlay = { prefixArmed: prefix.armed, message: message || undefined };
    if (mode === 'help') o.help = true;
    if (mode === 'copy' || mode === 'copy-search') o.copy = copy;
    const f = ws.focused();
    if (mode === 'confirm-kill' && f) o.prompt = `close pane ${ws.focus} ${f.title}${f.session.running ? ' (ends its process)' : ''}? y/n`;
    if (mode === 'rename') o.prompt = `rename pane: ${input}`;
    if (mode === 'send') o.prompt = `send to which agents? all: / cc: / 2: then the text: ${input}`;
    // the prompt stands in the status line, where messages would: candidates go before it
    if (mode === 'command') o.prompt = `${completions ? `[${completions}] ` : ''}:${input}`;
    if (mode === 'copy-search') o.prompt = `search: ${input}`;
    if (!o.prompt && mode === 'normal' && f && !f.session.running && !message) {
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

  const say = (text: string, ms = 4000) => {
    message = text;
    if (messageTimer) clearTimeout(messageTimer);
    messageTimer = setTimeout(() => {
      message = '';
      redraw();
    }, ms);
    redraw();
  };

  const onDirty = (p: WorkspacePane) => {
    if (ws.visible().includes(p)) redraw();
  };
  let layouts = 0;
  const onLayout = () => {
    layouts++;
    prev = null;
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

  const runCommand = (a: Extract<PrefixAction, { type: 'command' }>) => {
    const n = ws.panes.length;
    switch (a.command) {
      case 'focus-up':
      case 'focus-down':
      case 'focus-left':
      case 'focus-right':
        ws.moveFocus(a.command.slice('focus-'.length) as 'up');
        break;
      case 'next-pane':
        ws.setFocus((ws.focus + 1) % n);
        break;
      case 'previous-pane':
        ws.setFocus((ws.focus + n - 1) % n);
        break;
      case 'select-pane':
        if (a.arg !== undefined && a.arg < n) ws.setFocus(a.arg);
        break;
      case 'zoom':
        ws.toggleZoom();
        break;
      case 'next-layout':
      case 'previous-layout':
        ws.cycleLayout(a.command === 'next-layout' ? 1 : -1);
        say(`layout ${ws.layout}`, 1500);
        break;
      case 'split': {
        const spec = opts.newPane?.(ws);
        if (!spec) {
          say('no command for a new pane');
          break;
        }
        ws.add(spec);
        ws.setFocus(ws.panes.length - 1);
        break;
      }
      case 'kill-pane':
        mode = 'confirm-kill';
        break;
      case 'respawn': {
        const f = ws.focused();
        if (f && !f.session.running) f.session.respawn();
        else say('the pane is still running');
        break;
      }
      case 'copy-mode': {
        const f = ws.focused();
        if (f) startCopy(f, false);
        break;
      }
      case 'paste': {
        const f = ws.focused();
        if (!ws.pasteBuffer) say('nothing copied yet (copy mode: space, move, y)', 2000);
        else if (f?.session.running) f.session.paste(ws.pasteBuffer);
        break;
      }
      case 'rename':
        mode = 'rename';
        input = ws.focused()?.title ?? '';
        break;
      case 'send-prompt':
        mode = 'send';
        input = '';
        break;
      case 'command-prompt':
        mode = 'command';
        input = '';
        break;
      case 'choose-tree':
        say('the session tree is not in berth yet: berth ls lists the sessions, berth attach NAME shows one', 3000);
        break;
      case 'detach':
        finish('detach');
        return;
      case 'help':
        mode = 'help';
        break;
    }
    redraw();
  };

  /** Line editing for prompts; returns the submitted line, null on escape, undefined while editing. */
  const edit = (key: string): string | null | undefined => {
    if (key === '\r' || key === '\n') return input;
    if (key === '\x1b' || key === '\x03' || key === '\x07') return null;
    if (key === '\x7f' || key === '\b') input = [...input].slice(0, -1).join('');
    else if (key === '\x15') input = '';
    else if (!key.startsWith('\x1b') && key >= ' ') input += key;
    return undefined;
  };

  /** Copy mode the wheel opened ends when the wheel has scrolled back to the bottom. */
  let copyByWheel = false;
  const startCopy = (p: WorkspacePane, byWheel: boolean) => {
    mode = 'copy';
    copy = enterCopyMode(p.session.term);
    copyByWheel = byWheel;
  };

  const copyKey = (key: string) => {
    const f = ws.focused();
    if (!f) {
      mode = 'normal';
      return;
    }
    const r = copyModeKey(f.session.term, copy, key, f.rect.h);
    if (r.type === 'leave') mode = 'normal';
    else if (r.type === 'search') {
      mode = 'copy-search';
      input = '';
    } else if (r.type === 'not-found') say(`not found: ${r.search}`, 2000);
    else if (r.type === 'copy') {
      ws.pasteBuffer = r.text;
      // the outer terminal's clipboard (OSC 52: works over SSH where the terminal allows it)
      if (!opts.draw) {
        try {
          out.write(osc52(r.text));
        } catch {
          // the terminal is gone
        }
      }
      mode = 'normal';
      const lines = r.text.split('\n').length;
      say(`copied ${[...r.text].length} characters${lines > 1 ? ` (${lines} lines)` : ''}; ${prefixName} ] pastes`, 2500);
    }
  };

  const onKey = (key: string) => {
    switch (mode) {
      case 'help':
        mode = 'normal';
        return;
      case 'confirm-kill':
        mode = 'normal';
        if (key === 'y' || key === 'Y') {
          ws.remove(ws.focus);
          if (ws.panes.length === 0) finish('empty');
        }
        return;
      case 'copy':
        copyKey(key);
        return;
    }
    if (mode === 'command') {
      completions = '';
      if (key === '\t') {
        const c = completeCommand(input);
        input = c.line;
        if (c.candidates.length > 1) completions = c.candidates.join(' ');
        return;
      }
    }
    const line = edit(key);
    if (line === undefined) return;
    const was = mode;
    mode = was === 'copy-search' ? 'copy' : 'normal';
    if (line === null) return;
    if (was === 'rename') ws.rename(ws.focus, line);
    else if (was === 'command') {
      if (!line.trim()) return;
      const r = parseCommandLine(line);
      if (!r.ok) return say(r.error, 3000);
      const act = r.action;
      if (act.type === 'command') return runCommand({ type: 'command', command: act.command, arg: act.arg });
      if (act.type === 'layout') {
        ws.setLayout(act.layout);
        return say(`layout ${ws.layout}`, 1500);
      }
      if (act.type === 'title') return ws.rename(ws.focus, act.title);
      return sendTo(act.text);
    }
    else if (was === 'copy-search') {
      copy.search = line;
      const f = ws.focused();
      // searches go back through the output, as from the bottom of a terminal one looks up
      if (f && line && !searchFrom(f.session.term, copy, f.rect.h, true)) say(`not found: ${line}`, 2000);
    } else if (was === 'send' && line.trim()) sendTo(line);
  };

  /** Sends a prompt to the panes its target names ("cc: …", "3: …", "all: …"). */
  const sendTo = (line: string) => {
    const { target, text } = parsePromptTarget(line);
    const panes = ws.select(target);
    if (panes.length === 0) {
      say(`no pane matches "${target}"`);
      return;
    }
    say(`sending to ${panes.length} pane(s)…`);
    void sendPrompt(panes, text).then((results) => {
      const missed = results.filter((r) => !r.taken);
      say(missed.length ? `not taken by ${missed.map((r) => `${r.pane.title} (${r.reason})`).join(', ')}` : `sent to ${results.length} pane(s)`);
    });
  };


  /** The pane (and its index) at a screen cell: its contents, or its title row. */
  const paneAt = (x: number, y: number) => {
    for (const p of ws.visible()) {
      const r = p.rect;
      if (x < r.x || x >= r.x + r.w) continue;
      if (y >= r.y && y < r.y + r.h) return { pane: p, index: ws.panes.indexOf(p), inside: true };
      if (y === r.y - 1 && ws.mode === 'panes') return { pane: p, index: ws.panes.indexOf(p), inside: false };
    }
    return null;
  };

  const onMouse = (m: MouseReport) => {
    if (mode === 'copy' && m.wheel) {
      const f = ws.focused();
      if (!f) return;
      scrollView(f.session.term, copy, m.wheel === 'up' ? 3 : -3, f.rect.h);
      if (copyByWheel && copy.offset === 0 && m.wheel === 'down') mode = 'normal';
      return redraw();
    }
    if (mode !== 'normal') return;
    const hit = paneAt(m.x, m.y);
    if (!hit) return;
    const { pane, index } = hit;
    const term = pane.session.term;
    if (m.leftClick && index !== ws.focus) {
      ws.setFocus(index);
      redraw();
    }
    // a program that asked for the mouse gets it, at its own coordinates
    if (term.modes.mouseTrackingMode !== 'none' && hit.inside && pane.session.running) {
      if (index === ws.focus) pane.session.write(encodeMouse(m, m.x - pane.rect.x, m.y - pane.rect.y));
      return;
    }
    if (!m.wheel) return;
    if (term.buffer.active.type === 'alternate') {
      // full-screen programs without mouse support (less, man): the wheel as arrow keys
      if (index === ws.focus) pane.session.write(translateForPane(m.wheel === 'up' ? '\x1b[A' : '\x1b[B', term.modes).repeat(3));
      return;
    }
    if (m.wheel === 'up') {
      ws.setFocus(index);
      startCopy(pane, true);
      scrollView(term, copy, 3, pane.rect.h);
      redraw();
    }
  };

  // a multi-byte character can be split across two reads, and so can a mouse report
  const decoder = new StringDecoder('utf8');
  let mouseCarry = '';
  const onData = (chunk: Buffer | string) => {
    let data = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (opts.mouse) {
      const m = takeMouse(mouseCarry + data);
      mouseCarry = m.partial;
      for (const r of m.reports) onMouse(r);
      data = m.rest;
    }
    if (!data) return;
    if (mode !== 'normal') {
      let i = 0;
      while (i < data.length && (mode as Mode) !== 'normal') {
        const len = keyLength(data.slice(i));
        onKey(data.slice(i, i + len));
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
        if (mode !== 'normal') {
          // a command opened a dialog: the rest of the chunk belongs to it
          onData(a.data);
          continue;
        }
        scheduler.expedite();
        f.session.write(translateForPane(a.data, f.session.term.modes));
      } else runCommand(a);
    }
    if (prefix.armed !== armedBefore) redraw();
  };

  let done = false;
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
  opts.onReady?.({ say, close: () => finish('detach') });
  return exited;
}

// What every part of an open workspace shares: the workspace, the mode it is in (which
// decides who gets a key and what the status line says), the line being edited in a
// prompt, copy mode's state, and the ways to show a message, redraw and leave. The parts
// live in modes/ (one file per mode) and paneCommands.ts (the prefix commands);
// runWorkspace.ts wires them to the terminal.
import type { PaneSpec, Workspace } from '../panes/workspace.js';
import type { Cell } from '../term/cells.js';
import type { CopyModeState } from './copyMode.js';

export type Mode = 'normal' | 'help' | 'confirm-kill' | 'confirm-kill-window' | 'rename' | 'rename-window' | 'rename-session' | 'send' | 'command' | 'copy' | 'copy-search' | 'tree' | 'numbers';

/** A session as the session tree lists it (the server's sessions, this one included). */
export interface TreeSession {
  name: string;
  clients: number;
  /** Window names in order. */
  windows: string[];
  panes: Array<{ index: number; window: number; title: string; status: string }>;
}

/** A row of the session tree: a session, one of its windows, or a pane of that window. */
export interface TreeRow {
  label: string;
  session: string;
  window?: number;
  pane?: number;
}

export type WorkspaceExit = 'detach' | 'empty';

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
  /** The sessions the tree (C-b s / C-b w) lists; absent: only this one. */
  sessions?: () => TreeSession[];
  /** The pane that has waited longest for the user, in any session (C-b N goes there). */
  nextAttention?: () => { session: string; window: number; pane: number } | null;
  /** Renames the session shown (C-b $); a one-line reason when it cannot. */
  renameSession?: (name: string) => string | null;
  /** Shows another session (and a window and pane of it) on this terminal instead of this one. */
  switchTo?: (session: string, window?: number, pane?: number) => void;
}

export interface WorkspaceControl {
  say(text: string, ms?: number): void;
  /** Leaves the workspace as a detach would. */
  close(): void;
}

export interface WorkspaceView {
  readonly ws: Workspace;
  readonly opts: OpenWorkspaceOptions;
  readonly prefixName: string;
  readonly out: NodeJS.WriteStream;
  mode: Mode;
  /** The line a prompt is editing. */
  input: string;
  /** Command names the last tab in the command prompt could not choose between. */
  completions: string;
  copy: CopyModeState;
  /** Copy mode the wheel opened ends when the wheel has scrolled back to the bottom. */
  copyByWheel: boolean;
  /** The session tree while it is open. */
  tree: { rows: TreeRow[]; cursor: number };
  /** How far the help box is scrolled. */
  helpScroll: number;
  say(text: string, ms?: number): void;
  redraw(): void;
  finish(reason: WorkspaceExit): void;
}

// Alternate screen and terminal modes: entered before Ink renders, and restored on every
// way out (normal exit, signals, uncaught errors).
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
const LEAVE = '\x1b[?25h\x1b[?1049l';

export interface TerminalSession {
  /** Restores the terminal; safe to call more than once. */
  restore(): void;
}

export function enterFullscreen(out: NodeJS.WriteStream = process.stdout): TerminalSession {
  let active = true;
  out.write(ENTER);
  const restore = () => {
    if (!active) return;
    active = false;
    process.off('exit', restore);
    try {
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    } catch {
      // stdin may already be closed.
    }
    try {
      out.write(LEAVE);
    } catch {
      // No terminal left to restore (hang-up).
    }
  };
  process.on('exit', restore);
  return { restore };
}

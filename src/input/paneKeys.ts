// Bytes typed in the outer terminal, adjusted to the modes the focused pane's program asked
// for: application cursor keys, bracketed paste, focus events.
export interface PaneModes {
  applicationCursorKeysMode: boolean;
  bracketedPasteMode: boolean;
  sendFocusMode: boolean;
}

export function translateForPane(data: string, modes: PaneModes): string {
  let s = data;
  // arrows, home and end in the form the program asked for (DECCKM), whatever the outer terminal sent
  if (modes.applicationCursorKeysMode) s = s.replace(/\x1b\[([ABCDHF])/g, '\x1bO$1');
  else s = s.replace(/\x1bO([ABCDHF])/g, '\x1b[$1');
  if (!modes.bracketedPasteMode) s = s.replace(/\x1b\[20[01]~/g, '');
  if (!modes.sendFocusMode) s = s.replace(/\x1b\[[IO]/g, '');
  return s;
}

/** Outer terminal modes the workspace turns on while it runs (and off when it leaves). */
export const OUTER_MODES_ON = '\x1b[?2004h\x1b[?1004h';
export const OUTER_MODES_OFF = '\x1b[?2004l\x1b[?1004l';

// Mouse reports from the outer terminal (SGR encoding, DECSET 1006), for workspaces with
// `[panes] mouse = true`: split out of the input, so the rest still goes to the pane.
export const MOUSE_ON = '\x1b[?1000h\x1b[?1002h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1002l\x1b[?1000l';

export interface MouseReport {
  /** The button code as sent (wheel +64, motion +32, shift +4, meta +8, ctrl +16). */
  code: number;
  /** Screen column and row, 0-based. */
  x: number;
  y: number;
  /** Press (or wheel, or drag), as opposed to release. */
  press: boolean;
  wheel: 'up' | 'down' | null;
  motion: boolean;
  /** The left button pressed, no motion. */
  leftClick: boolean;
}

const SGR = /\x1b\[<(\d+);(\d+);(\d+)([Mm])/g;
const PARTIAL = /\x1b\[<[\d;]*$/;

/**
 * Takes the mouse reports out of `data`. `partial` is the start of a report cut at the end of
 * this read: keep it and put it in front of the next read.
 */
export function takeMouse(data: string): { reports: MouseReport[]; rest: string; partial: string } {
  const reports: MouseReport[] = [];
  let partial = '';
  const tail = PARTIAL.exec(data);
  if (tail) {
    partial = tail[0];
    data = data.slice(0, tail.index);
  }
  const rest = data.replace(SGR, (_m, c: string, x: string, y: string, kind: string) => {
    const code = Number(c);
    const wheel = code & 64 ? (code & 1 ? 'down' : 'up') : null;
    const motion = (code & 32) !== 0;
    const press = kind === 'M';
    reports.push({ code, x: Number(x) - 1, y: Number(y) - 1, press, wheel, motion, leftClick: press && !wheel && !motion && (code & 3) === 0 });
    return '';
  });
  return { reports, rest, partial };
}

/** A report for a program inside a pane, at its own 0-based column and row. */
export function encodeMouse(r: MouseReport, x: number, y: number): string {
  return `\x1b[<${r.code};${x + 1};${y + 1}${r.press ? 'M' : 'm'}`;
}

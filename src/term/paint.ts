// Builds cells directly, for regions drawn without Ink (hot content such as the container
// rows, whose figures change every second). Colours are Ink/chalk names, as in themes.
import { widthOf, type Cell } from './cells.js';

const FG: Record<string, number> = {
  black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37,
  gray: 90, grey: 90, blackBright: 90, redBright: 91, greenBright: 92, yellowBright: 93,
  blueBright: 94, magentaBright: 95, cyanBright: 96, whiteBright: 97,
};

export interface Style {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

/** The SGR parameters for a style, in the same form parseLine() produces for Ink's output. */
export function sgrOf(style: Style): string {
  const parts: string[] = [];
  if (style.bold) parts.push('1');
  if (style.dim) parts.push('2');
  if (style.underline) parts.push('4');
  if (style.inverse) parts.push('7');
  const fg = style.fg ? FG[style.fg] : undefined;
  if (fg) parts.push(String(fg));
  const bg = style.bg ? FG[style.bg] : undefined;
  if (bg) parts.push(String(bg + 10));
  return parts.join(';');
}

export interface Segment extends Style {
  text: string;
}

/**
 * One row of exactly `width` cells from styled segments, cut at the width. Wide characters
 * take two cells (the second empty), zero-width ones join the previous cell; control
 * characters must have been removed by the caller.
 */
export function paintRow(segments: readonly Segment[], width: number, fill: Style = {}): Cell[] {
  const row: Cell[] = [];
  for (const seg of segments) {
    const style = sgrOf(seg);
    for (const ch of seg.text) {
      if (row.length >= width) return row;
      const w = ch < '\x7f' ? 1 : widthOf(ch);
      if (w === 0) {
        const prev = row[row.length - 1];
        if (prev) prev.ch += ch;
        continue;
      }
      if (w === 2) {
        if (row.length + 2 > width) break;
        row.push({ ch, style }, { ch: '', style });
        continue;
      }
      row.push({ ch, style });
    }
  }
  const fillStyle = sgrOf(fill);
  while (row.length < width) row.push({ ch: ' ', style: fillStyle });
  return row;
}

// Computes the bytes that turn one screen of cells into the next: only the cells that
// changed are written, with absolute cursor moves and the fewest style changes.
import type { Cell } from './cells.js';

const CSI = '\x1b[';

/** Unchanged cells shorter than this between two changed runs are rewritten instead of jumped over. */
const MERGE_GAP = 4;

function sgr(style: string): string {
  return style ? `${CSI}0;${style}m` : `${CSI}0m`;
}

export function diffScreens(prev: Cell[][] | null, next: Cell[][]): string {
  let out = '';
  let current: string | null = null;
  for (let y = 0; y < next.length; y++) {
    const row = next[y]!;
    const old = prev?.[y];
    // the same row object as last time: unchanged (rows are never changed in place)
    if (old === row) continue;
    let x = 0;
    while (x < row.length) {
      if (old && same(old[x], row[x]!)) {
        x++;
        continue;
      }
      // Start of a changed run; extend it across short unchanged gaps.
      let end = x + 1;
      let gap = 0;
      for (let k = x + 1; k < row.length; k++) {
        if (old && same(old[k], row[k]!)) {
          gap++;
          if (gap >= MERGE_GAP) break;
        } else {
          gap = 0;
          end = k + 1;
        }
      }
      // Never start in the middle of a wide character.
      let start = x;
      while (start > 0 && row[start]!.ch === '') start--;
      out += `${CSI}${y + 1};${start + 1}H`;
      for (let k = start; k < end; k++) {
        const cell = row[k]!;
        if (cell.ch === '') continue;
        if (cell.style !== current) {
          out += sgr(cell.style);
          current = cell.style;
        }
        out += cell.ch;
      }
      x = end;
    }
  }
  if (out && current !== '') out += `${CSI}0m`;
  return out;
}

function same(a: Cell | undefined, b: Cell): boolean {
  return !!a && a.ch === b.ch && a.style === b.style;
}

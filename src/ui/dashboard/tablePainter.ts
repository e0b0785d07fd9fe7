// Paints the container table's body rows straight into cells, for the screen writer's
// overlay: a stats tick then costs a few microseconds per row instead of an Ink render.
import { colorOf, type ColorName, type Theme } from '../../config/theme.js';
import type { Cell } from '../../term/cells.js';
import { paintRow, type Segment } from '../../term/paint.js';
import { fit } from '../../lib/format.js';
import type { Column } from './columns.js';

export interface RowCell {
  text: string;
  color?: ColorName;
}

export interface PaintedRow {
  key: string;
  parts: RowCell[];
  selected: boolean;
}

export interface TablePaint {
  rows: PaintedRow[];
  cols: Column[];
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
  /** Shown on the first row when there are no rows. */
  empty: string;
}

export function paintTable(p: TablePaint): Cell[][] {
  const c = (role: ColorName) => colorOf(p.theme, role);
  const out: Cell[][] = [];
  if (!p.rows.length) out.push(paintRow([{ text: fit(`  ${p.empty}`, p.width), fg: c('dim') }], p.width));
  for (const row of p.rows.slice(0, p.height)) {
    const texts = row.parts.map((part, k) => fit(part.text, p.cols[k]?.width ?? 0, p.cols[k]?.align ?? 'left'));
    if (row.selected) {
      const mono = p.theme.monochrome || !p.focused;
      out.push(
        paintRow(
          [{ text: fit(texts.join(' '), p.width), inverse: mono, fg: mono ? undefined : c('selected_fg'), bg: mono ? undefined : c('selected_bg') }],
          p.width,
        ),
      );
      continue;
    }
    const segs: Segment[] = row.parts.map((part, k) => ({ text: (k ? ' ' : '') + texts[k], fg: part.color ? c(part.color) : undefined }));
    out.push(paintRow(segs, p.width));
  }
  while (out.length < p.height) out.push(paintRow([], p.width));
  return out;
}

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
  /**
   * The rows painted last time, by what they show; filled anew by each paint. A row that
   * shows the same text in the same colours is reused as it is (most rows, most ticks: idle
   * containers), which also lets the writer skip it as unchanged without comparing cells.
   */
  cache?: Map<string, Cell[]>;
}

export function paintTable(p: TablePaint): Cell[][] {
  const c = (role: ColorName) => colorOf(p.theme, role);
  const out: Cell[][] = [];
  const last = p.cache ? new Map(p.cache) : null;
  p.cache?.clear();
  const reuse = (key: string, make: () => Cell[]): Cell[] => {
    const row = last?.get(key) ?? make();
    p.cache?.set(key, row);
    return row;
  };
  if (!p.rows.length) out.push(paintRow([{ text: fit(`  ${p.empty}`, p.width), fg: c('dim') }], p.width));
  for (const row of p.rows.slice(0, p.height)) {
    const texts = row.parts.map((part, k) => fit(part.text, p.cols[k]?.width ?? 0, p.cols[k]?.align ?? 'left'));
    const key = `${row.selected ? (p.focused ? 'F' : 'S') : '-'}${p.width}\0${texts.join('\0')}\0${row.parts.map((x) => x.color ?? '').join(',')}`;
    out.push(reuse(key, () => paintOne(p, row, texts, c)));
  }
  while (out.length < p.height) out.push(reuse(`blank${p.width}`, () => paintRow([], p.width)));
  return out;
}

function paintOne(p: TablePaint, row: PaintedRow, texts: string[], c: (role: ColorName) => string | undefined): Cell[] {
  if (row.selected) {
    const mono = p.theme.monochrome || !p.focused;
    const fg = mono ? undefined : c('selected_fg');
    const bg = mono ? undefined : c('selected_bg');
    return paintRow([{ text: fit(texts.join(' '), p.width), inverse: mono, fg, bg }], p.width);
  }
  const segs: Segment[] = row.parts.map((part, k) => ({ text: (k ? ' ' : '') + texts[k], fg: part.color ? c(part.color) : undefined }));
  return paintRow(segs, p.width);
}

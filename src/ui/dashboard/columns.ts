// Which columns the container table shows at a given width, and how wide each is.
// Narrow terminals drop the least important columns first. Pure.

export type ColumnId = 'project' | 'name' | 'state' | 'restarts' | 'uptime' | 'cpu' | 'spark' | 'mem' | 'net' | 'gpu' | 'vuln' | 'image';

export interface Column {
  id: ColumnId;
  title: string;
  width: number;
  align: 'left' | 'right';
}

interface Spec {
  id: ColumnId;
  title: string;
  min: number;
  align: 'left' | 'right';
  /** Lower is dropped first when space runs out. */
  keep: number;
  /** Takes a share of the spare width. */
  grow?: number;
  max?: number;
}

const SPECS: Spec[] = [
  { id: 'project', title: 'PROJECT', min: 8, align: 'left', keep: 40, grow: 1, max: 16 },
  { id: 'name', title: 'NAME', min: 14, align: 'left', keep: 100, grow: 2, max: 40 },
  { id: 'state', title: 'STATE', min: 10, align: 'left', keep: 90 },
  { id: 'restarts', title: 'RST', min: 3, align: 'right', keep: 20 },
  { id: 'uptime', title: 'UP', min: 4, align: 'right', keep: 30 },
  { id: 'cpu', title: 'CPU', min: 6, align: 'right', keep: 80 },
  { id: 'spark', title: '', min: 4, align: 'left', keep: 75, grow: 1, max: 20 },
  { id: 'mem', title: 'MEM', min: 11, align: 'right', keep: 70 },
  { id: 'net', title: 'NET ↓/↑', min: 11, align: 'right', keep: 65 },
  { id: 'gpu', title: 'GPU', min: 6, align: 'right', keep: 55 },
  // critical and high findings of the image ("C1 H3"), when a scanner is installed
  { id: 'vuln', title: 'VULN', min: 7, align: 'right', keep: 50 },
  { id: 'image', title: 'IMAGE', min: 10, align: 'left', keep: 10, grow: 2, max: 40 },
];

/** Columns for a table `width` cells wide; one space separates columns. */
export function layoutColumns(width: number, opts: { gpu?: boolean; project?: boolean; vuln?: boolean } = {}): Column[] {
  let specs = SPECS.filter((s) => (s.id !== 'gpu' || opts.gpu) && (s.id !== 'project' || opts.project) && (s.id !== 'vuln' || opts.vuln));
  const used = (list: Spec[]) => list.reduce((n, s) => n + s.min, 0) + Math.max(0, list.length - 1);
  while (specs.length > 1 && used(specs) > width) {
    const drop = specs.reduce((a, b) => (b.keep < a.keep ? b : a));
    specs = specs.filter((s) => s !== drop);
  }
  const widths = new Map(specs.map((s) => [s.id, s.min]));
  let spare = Math.max(0, width - used(specs));
  const growers = specs.filter((s) => s.grow);
  while (spare > 0 && growers.some((s) => widths.get(s.id)! < (s.max ?? Infinity))) {
    for (const s of growers) {
      for (let k = 0; k < s.grow! && spare > 0; k++) {
        if (widths.get(s.id)! < (s.max ?? Infinity)) {
          widths.set(s.id, widths.get(s.id)! + 1);
          spare--;
        }
      }
    }
  }
  // The name column takes whatever is still left, so rows fill the panel.
  if (spare > 0 && widths.has('name')) widths.set('name', widths.get('name')! + spare);
  return specs.map((s) => ({ id: s.id, title: s.title, width: widths.get(s.id)!, align: s.align }));
}

// A window's own layout once the user splits panes (tmux's C-b " and %) or resizes them:
// a tree of splits whose leaves are panes, each split's children side by side ('h') or one
// above the other ('v') with their sizes in cells, 1-cell borders between them as in the
// preset layouts (layout.ts). Pure functions.
import type { Rect } from './layout.js';

export type SplitNode = { pane: number } | { dir: 'h' | 'v'; children: SplitNode[]; sizes: number[] };

const isLeaf = (n: SplitNode): n is { pane: number } => 'pane' in n;

/** Shares `total` cells (less the borders) among children in proportion to `sizes`; at least 1 each. */
function share(sizes: readonly number[], total: number): number[] {
  const room = Math.max(sizes.length, total - (sizes.length - 1));
  const sum = sizes.reduce((a, b) => a + b, 0) || 1;
  const out = sizes.map((s) => Math.max(1, Math.floor((s / sum) * room)));
  out[out.length - 1] = Math.max(1, room - out.slice(0, -1).reduce((a, b) => a + b, 0));
  return out;
}

/** Each pane's rectangle when the tree fills `area`. */
export function treeRects(node: SplitNode, area: Rect, out = new Map<number, Rect>()): Map<number, Rect> {
  if (isLeaf(node)) {
    out.set(node.pane, { ...area });
    return out;
  }
  const cells = share(node.sizes, node.dir === 'h' ? area.w : area.h);
  let at = node.dir === 'h' ? area.x : area.y;
  node.children.forEach((c, i) => {
    const size = cells[i]!;
    treeRects(c, node.dir === 'h' ? { x: at, y: area.y, w: size, h: area.h } : { x: area.x, y: at, w: area.w, h: size }, out);
    at += size + 1;
  });
  return out;
}

/**
 * The tree that gives exactly these rectangles (a preset layout's, with 1-cell borders): cut
 * the bounding box where no rectangle crosses, columns first, as tmux's layouts are built.
 */
export function treeFromRects(rects: ReadonlyArray<{ pane: number; rect: Rect }>): SplitNode {
  if (rects.length === 1) return { pane: rects[0]!.pane };
  for (const dir of ['h', 'v'] as const) {
    const start = (r: Rect) => (dir === 'h' ? r.x : r.y);
    const end = (r: Rect) => (dir === 'h' ? r.x + r.w : r.y + r.h);
    const sorted = [...rects].sort((a, b) => start(a.rect) - start(b.rect));
    const groups: Array<typeof sorted> = [];
    let group: typeof sorted = [];
    let reach = -Infinity;
    for (const r of sorted) {
      if (group.length && start(r.rect) >= reach) {
        groups.push(group);
        group = [];
      }
      group.push(r);
      reach = Math.max(reach, end(r.rect));
    }
    groups.push(group);
    if (groups.length < 2) continue;
    const sizes = groups.map((g) => Math.max(...g.map((r) => end(r.rect))) - Math.min(...g.map((r) => start(r.rect))));
    // keep the panes' order within each group
    return { dir, children: groups.map((g) => treeFromRects(rects.filter((r) => g.includes(r)))), sizes };
  }
  // not a guillotine layout (cannot happen with tmux's): one row, in order
  return { dir: 'h', children: rects.map((r) => ({ pane: r.pane })), sizes: rects.map((r) => r.rect.w) };
}

/** Splits pane `target` in two along `dir` ('h': the new pane to its right; 'v': below it), halves each. */
export function splitPane(node: SplitNode, target: number, added: number, dir: 'h' | 'v', targetSize: number): SplitNode {
  if (isLeaf(node)) {
    if (node.pane !== target) return node;
    const half = Math.max(1, Math.floor((targetSize - 1) / 2));
    return { dir, children: [node, { pane: added }], sizes: [Math.max(1, targetSize - 1 - half), half] };
  }
  const i = node.children.findIndex((c) => isLeaf(c) && c.pane === target);
  if (i >= 0 && node.dir === dir) {
    // a split in the same direction as its parent: a sibling next to it, sharing its size
    const half = Math.max(1, Math.floor((node.sizes[i]! - 1) / 2));
    const children = [...node.children.slice(0, i + 1), { pane: added }, ...node.children.slice(i + 1)];
    const sizes = [...node.sizes.slice(0, i), Math.max(1, node.sizes[i]! - 1 - half), half, ...node.sizes.slice(i + 1)];
    return { ...node, children, sizes };
  }
  return { ...node, children: node.children.map((c) => splitPane(c, target, added, dir, targetSize)) };
}

/** The tree without pane `target`: the neighbour before it takes its room (the next one when it was first); null when it was the last. */
export function removePane(node: SplitNode, target: number): SplitNode | null {
  if (isLeaf(node)) return node.pane === target ? null : node;
  const i = node.children.findIndex((c) => contains(c, target));
  if (i < 0) return node;
  const kept = removePane(node.children[i]!, target);
  if (kept) return { ...node, children: node.children.map((c, k) => (k === i ? kept : c)) };
  const children = node.children.filter((_, k) => k !== i);
  const sizes = node.sizes.filter((_, k) => k !== i);
  sizes[Math.max(0, i - 1)]! += node.sizes[i]! + 1;
  return children.length === 1 ? children[0]! : { ...node, children, sizes };
}

/** Swaps two panes' places in the tree. */
export function swapPanes(node: SplitNode, a: number, b: number): SplitNode {
  if (isLeaf(node)) return node.pane === a ? { pane: b } : node.pane === b ? { pane: a } : node;
  return { ...node, children: node.children.map((c) => swapPanes(c, a, b)) };
}

const contains = (node: SplitNode, pane: number): boolean => (isLeaf(node) ? node.pane === pane : node.children.some((c) => contains(c, pane)));

/**
 * Moves a border of pane `target` by `cells` towards `edge` (tmux's resize-pane -L/-R/-U/-D):
 * the border on that side when it has a neighbour there, else the border on the other side.
 * Every pane keeps at least `min` cells. The tree unchanged when nothing can move.
 */
export function resizePane(node: SplitNode, target: number, edge: 'left' | 'right' | 'up' | 'down', cells: number, min = 1): SplitNode {
  const dir = edge === 'left' || edge === 'right' ? 'h' : 'v';
  const towardsEnd = edge === 'right' || edge === 'down';
  // the deepest split along dir holding the pane with a neighbour on the wanted side, else on the other
  const find = (n: SplitNode, wantNext: boolean): { path: SplitNode[]; index: number } | null => {
    if (isLeaf(n)) return null;
    const i = n.children.findIndex((c) => contains(c, target));
    if (i < 0) return null;
    const deeper = find(n.children[i]!, wantNext);
    if (deeper) return { path: [n, ...deeper.path], index: deeper.index };
    if (n.dir === dir && (wantNext ? i < n.children.length - 1 : i > 0)) return { path: [n], index: i };
    return null;
  };
  // a neighbour on that side: its border moves; else the border on the other side moves the same way
  const near = find(node, towardsEnd);
  const at = near ?? find(node, !towardsEnd);
  if (!at) return node;
  const split = at.path[at.path.length - 1]! as Extract<SplitNode, { dir: 'h' | 'v' }>;
  const i = at.index;
  // border j lies between children j and j+1
  const j = near ? (towardsEnd ? i : i - 1) : towardsEnd ? i - 1 : i;
  const move = towardsEnd ? cells : -cells;
  const sizes = [...split.sizes];
  // as far as both keep `min` cells
  const moved = Math.max(min - sizes[j]!, Math.min(sizes[j + 1]! - min, move));
  if (moved === 0) return node;
  sizes[j] = sizes[j]! + moved;
  sizes[j + 1] = sizes[j + 1]! - moved;
  const replaced: SplitNode = { ...split, sizes };
  const swap = (n: SplitNode): SplitNode => (n === split ? replaced : isLeaf(n) ? n : { ...n, children: n.children.map(swap) });
  return swap(node);
}

/** The panes in the order the tree shows them (left to right, top to bottom). */
export function treePanes(node: SplitNode): number[] {
  return isLeaf(node) ? [node.pane] : node.children.flatMap(treePanes);
}

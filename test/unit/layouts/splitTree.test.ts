// The split tree behind C-b " and %, resize-pane and the layouts they start from.
import { describe, expect, it } from 'vitest';
import { computeLayout, LAYOUTS } from '../../../src/panes/layout.js';
import { removePane, resizePane, splitPane, swapPanes, treeFromRects, treePanes, treeRects, type SplitNode } from '../../../src/panes/splitTree.js';

const area = { x: 0, y: 0, w: 80, h: 22 };
const rectsOf = (t: SplitNode, a = area) => Object.fromEntries([...treeRects(t, a)].map(([k, r]) => [k, r]));

describe('split tree', () => {
  it('gives back every preset layout exactly, for 1 to 7 panes', () => {
    for (const name of LAYOUTS) {
      for (let n = 1; n <= 7; n++) {
        const rects = computeLayout(name, 80, 22, n);
        const tree = treeFromRects(rects.map((rect, pane) => ({ pane, rect })));
        const again = treeRects(tree, area);
        expect(rects.map((_, i) => again.get(i)), `${name} ${n}`).toEqual(rects);
        expect(treePanes(tree).sort((a, b) => a - b)).toEqual(rects.map((_, i) => i));
      }
    }
  });

  it('splits a pane to its right (%) and below it (")', () => {
    let t: SplitNode = { pane: 0 };
    t = splitPane(t, 0, 1, 'h', 80);
    expect(rectsOf(t)).toEqual({ 0: { x: 0, y: 0, w: 40, h: 22 }, 1: { x: 41, y: 0, w: 39, h: 22 } });
    t = splitPane(t, 1, 2, 'v', 22);
    expect(rectsOf(t)).toEqual({ 0: { x: 0, y: 0, w: 40, h: 22 }, 1: { x: 41, y: 0, w: 39, h: 11 }, 2: { x: 41, y: 12, w: 39, h: 10 } });
    // the same direction as the parent: a sibling sharing the pane's room
    t = splitPane(t, 0, 3, 'h', 40);
    const r = rectsOf(t);
    expect(r[0]!.x).toBe(0);
    expect(r[3]!.x).toBe(r[0]!.w + 1);
    expect(r[1]!.x).toBe(41);
    expect(treePanes(t)).toEqual([0, 3, 1, 2]);
  });

  it('a removed pane gives its room to its neighbour; swapping swaps places', () => {
    let t: SplitNode = splitPane(splitPane({ pane: 0 }, 0, 1, 'h', 80), 1, 2, 'v', 22);
    const swapped = rectsOf(swapPanes(t, 0, 2));
    expect(swapped[2]).toEqual({ x: 0, y: 0, w: 40, h: 22 });
    t = removePane(t, 1)!;
    expect(rectsOf(t)).toEqual({ 0: { x: 0, y: 0, w: 40, h: 22 }, 2: { x: 41, y: 0, w: 39, h: 22 } });
    t = removePane(t, 0)!;
    expect(rectsOf(t)).toEqual({ 2: area });
    expect(removePane(t, 2)).toBeNull();
  });

  it('resize-pane moves the border on that side, else the one on the other side; panes keep a minimum', () => {
    const t: SplitNode = splitPane(splitPane({ pane: 0 }, 0, 1, 'h', 80), 1, 2, 'v', 22);
    // pane 0 has a right neighbour: -R grows it
    expect(rectsOf(resizePane(t, 0, 'right', 5))[0]!.w).toBe(45);
    // pane 1 has no right neighbour: -R moves its left border right (it shrinks)
    const r1 = rectsOf(resizePane(t, 1, 'right', 5));
    expect([r1[0]!.w, r1[1]!.x, r1[1]!.w]).toEqual([45, 46, 34]);
    // -D on the top right pane grows it down; -U on the bottom one moves the same border up
    expect(rectsOf(resizePane(t, 1, 'down', 3))[1]!.h).toBe(14);
    expect(rectsOf(resizePane(t, 2, 'up', 3))[2]!.h).toBe(13);
    // -U on pane 0 (nothing above or below it): unchanged
    expect(resizePane(t, 0, 'up', 3)).toBe(t);
    // never below the minimum
    expect(rectsOf(resizePane(t, 0, 'left', 500, 10))[0]!.w).toBe(10);
  });

  it('a window resize keeps the proportions', () => {
    const t: SplitNode = resizePane(splitPane({ pane: 0 }, 0, 1, 'h', 80), 0, 'left', 20);
    const small = rectsOf(t, area);
    const big = rectsOf(t, { x: 0, y: 0, w: 160, h: 22 });
    expect(small[0]!.w).toBe(20);
    expect(big[0]!.w).toBeGreaterThanOrEqual(39);
    expect(big[0]!.w).toBeLessThanOrEqual(41);
    expect(big[1]!.x + big[1]!.w).toBe(160);
  });
});

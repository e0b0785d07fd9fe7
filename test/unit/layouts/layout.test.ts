import { describe, expect, it } from 'vitest';
import { computeLayout, layoutFits, nextLayout, spread } from '../../../src/panes/layout.js';

describe('layouts', () => {
  it('tiled: 5 panes at 80x24 in 3 rows of 2, the lone last pane full width', () => {
    expect(computeLayout('tiled', 80, 24, 5)).toEqual([
      { x: 0, y: 0, w: 39, h: 7 },
      { x: 40, y: 0, w: 40, h: 7 },
      { x: 0, y: 8, w: 39, h: 7 },
      { x: 40, y: 8, w: 40, h: 7 },
      { x: 0, y: 16, w: 80, h: 8 },
    ]);
  });
  it('spread gives the remainder to the last child', () => {
    expect(spread(80, 3)).toEqual([26, 26, 26]);
    expect(spread(81, 3)).toEqual([26, 26, 27]);
  });
  it('panes never overlap and stay inside the window', () => {
    for (const n of [2, 3, 4, 6, 9]) {
      const rects = computeLayout('tiled', 120, 40, n);
      for (const r of rects) expect(r.x + r.w <= 120 && r.y + r.h <= 40).toBe(true);
      const seen = new Set<string>();
      for (const r of rects) for (let y = r.y; y < r.y + r.h; y++) for (let x = r.x; x < r.x + r.w; x++) {
        const k = `${x},${y}`;
        expect(seen.has(k)).toBe(false);
        seen.add(k);
      }
    }
  });
  it('too many panes for the window do not fit', () => {
    expect(layoutFits(computeLayout('tiled', 80, 24, 4))).toBe(true);
    expect(layoutFits(computeLayout('even-horizontal', 80, 24, 12))).toBe(false);
  });
  it('next layout cycles in tmux order', () => {
    expect(nextLayout('tiled')).toBe('even-horizontal');
    expect(nextLayout('even-horizontal', -1)).toBe('tiled');
  });
});

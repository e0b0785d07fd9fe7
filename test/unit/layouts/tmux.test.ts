// berth's layouts against a real tmux: same window size, same pane count, same rectangles.
import { describe, expect, it } from 'vitest';
import { computeLayout, LAYOUTS } from '../../../src/panes/layout.js';
import { tmuxRects } from './tmuxLayout.js';

const SIZES: Array<[number, number]> = [
  [160, 48],
  [80, 24],
  [200, 60],
  [97, 31],
];

describe('layouts match tmux (split-window, select-layout, list-panes)', () => {
  for (const [cols, rows] of SIZES) {
    for (let n = 1; n <= 7; n++) {
      it(`${n} pane(s) at ${cols}x${rows}, every layout`, () => {
        const tmux = tmuxRects(LAYOUTS, cols, rows, n);
        for (const layout of LAYOUTS) {
          expect({ layout, rects: computeLayout(layout, cols, rows, n) }).toEqual({ layout, rects: tmux[layout] });
        }
      });
    }
  }
});

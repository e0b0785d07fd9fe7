// Asks a real tmux (private socket) where it puts n panes in a window of cols x rows.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Rect } from '../../../src/panes/layout.js';

/** For each of `layouts`, the rectangles tmux gives n panes in a cols x rows window. */
export function tmuxRects(layouts: readonly string[], cols: number, rows: number, n: number): Record<string, Rect[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-layout-'));
  const sock = path.join(dir, 's');
  const t = (...args: string[]) => execFileSync('tmux', ['-S', sock, '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    t('new-session', '-d', '-s', 'l', '-x', String(cols), '-y', String(rows), 'sleep 60');
    t('set-option', '-g', 'status', 'off');
    t('set-option', '-w', '-t', 'l', 'window-size', 'manual');
    for (let i = 1; i < n; i++) {
      t('split-window', '-t', 'l', 'sleep 60');
      t('select-layout', '-t', 'l', 'tiled');
    }
    const result: Record<string, Rect[]> = {};
    for (const layout of layouts) {
      t('select-layout', '-t', 'l', layout);
      result[layout] = parse(t('list-panes', '-t', 'l', '-F', '#{pane_index} #{pane_left} #{pane_top} #{pane_width} #{pane_height}'));
    }
    return result;
  } finally {
    try {
      t('kill-server');
    } catch {
      // gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parse(out: string): Rect[] {
  return out
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number))
    .sort((a, b) => a[0]! - b[0]!)
    .map(([, x, y, w, h]) => ({ x: x!, y: y!, w: w!, h: h! }));
}

// The mouse in a workspace ([panes] mouse = true, as tmux's `mouse on`): a click focuses the
// pane under it, the wheel scrolls back (copy mode), full-screen programs get the wheel as
// arrow keys, and a program that asked for the mouse gets it at its own coordinates.
import { translateForPane } from '../../input/paneKeys.js';
import { encodeMouse, type MouseReport } from '../../input/mouse.js';
import { scrollView } from '../copyMode.js';
import type { WorkspaceView } from '../view.js';
import { startCopy } from './copy.js';

/** The pane (and its index) at a screen cell: its contents, or its title row. */
function paneAt(v: WorkspaceView, x: number, y: number) {
  for (const p of v.ws.visible()) {
    const r = p.rect;
    if (x < r.x || x >= r.x + r.w) continue;
    if (y >= r.y && y < r.y + r.h) return { pane: p, index: v.ws.panes.indexOf(p), inside: true };
    if (y === r.y - 1 && v.ws.mode === 'panes') return { pane: p, index: v.ws.panes.indexOf(p), inside: false };
  }
  return null;
}

export function mouseReport(v: WorkspaceView, m: MouseReport): void {
  const ws = v.ws;
  if (v.mode === 'copy' && m.wheel) {
    const f = ws.focused();
    if (!f) return;
    scrollView(f.session.term, v.copy, m.wheel === 'up' ? 3 : -3, f.rect.h);
    if (v.copyByWheel && v.copy.offset === 0 && m.wheel === 'down') v.mode = 'normal';
    return v.redraw();
  }
  if (v.mode !== 'normal') return;
  const hit = paneAt(v, m.x, m.y);
  if (!hit) return;
  const { pane, index } = hit;
  const term = pane.session.term;
  if (m.leftClick && index !== ws.focus) {
    ws.setFocus(index);
    v.redraw();
  }
  // a program that asked for the mouse gets it, at its own coordinates
  if (term.modes.mouseTrackingMode !== 'none' && hit.inside && pane.session.running) {
    if (index === ws.focus) pane.session.write(encodeMouse(m, m.x - pane.rect.x, m.y - pane.rect.y));
    return;
  }
  if (!m.wheel) return;
  if (term.buffer.active.type === 'alternate') {
    // full-screen programs without mouse support (less, man): the wheel as arrow keys
    if (index === ws.focus) pane.session.write(translateForPane(m.wheel === 'up' ? '\x1b[A' : '\x1b[B', term.modes).repeat(3));
    return;
  }
  if (m.wheel === 'up') {
    ws.setFocus(index);
    startCopy(v, pane, true);
    scrollView(term, v.copy, 3, pane.rect.h);
    v.redraw();
  }
}

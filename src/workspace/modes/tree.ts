// The session tree (tmux's choose-tree, C-b s / C-b w): every session of the server with
// its windows and their panes' agent states; j/k (arrows) move, enter shows the chosen
// session, window or pane on this terminal, q or esc closes it.
import type { TreeRow, TreeSession, WorkspaceView } from '../view.js';

/** The tree's rows: a session, its windows indented, each window's panes below it. */
export function treeRows(sessions: TreeSession[]): TreeRow[] {
  const rows: TreeRow[] = [];
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  for (const s of sessions) {
    const clients = s.clients > 0 ? `, ${plural(s.clients, 'client')}` : '';
    const windows = s.windows.length > 1 ? `${plural(s.windows.length, 'window')}, ` : '';
    rows.push({ label: `${s.name}: ${windows}${plural(s.panes.length, 'pane')}${clients}`, session: s.name });
    s.windows.forEach((name, window) => {
      const panes = s.panes.filter((p) => p.window === window);
      const indent = s.windows.length > 1 ? '    ' : '  ';
      if (s.windows.length > 1) rows.push({ label: `  ${window}: ${name} (${plural(panes.length, 'pane')})`, session: s.name, window });
      for (const p of panes) rows.push({ label: `${indent}${p.index} ${p.title} [${p.status}]`, session: s.name, window, pane: p.index });
    });
  }
  return rows;
}

const shownName = (v: WorkspaceView) => v.ws.sessionName;

export function openTree(v: WorkspaceView): void {
  const own: TreeSession = {
    name: shownName(v),
    clients: 1,
    windows: v.ws.windows.map((_, i) => v.ws.windowName(i)),
    panes: v.ws.windows.flatMap((w, window) => w.panes.map((p, index) => ({ index, window, title: p.title, status: p.status }))),
  };
  const sessions = v.opts.sessions?.() ?? [own];
  const rows = treeRows(sessions);
  const here = rows.findIndex((r) => r.session === shownName(v) && r.window === v.ws.current && r.pane === v.ws.focus);
  v.tree = { rows, cursor: Math.max(0, here) };
  v.mode = 'tree';
}

export function treeKey(v: WorkspaceView, key: string): void {
  const t = v.tree;
  const move = (d: number) => {
    t.cursor = Math.max(0, Math.min(t.rows.length - 1, t.cursor + d));
  };
  if (key === 'j' || key === '\x1b[B' || key === '\x1bOB') return move(1);
  if (key === 'k' || key === '\x1b[A' || key === '\x1bOA') return move(-1);
  if (key === 'g' || key === '\x1b[H') return move(-t.rows.length);
  if (key === 'G' || key === '\x1b[F') return move(t.rows.length);
  if (key === 'q' || key === '\x1b' || key === '\x03') {
    v.mode = 'normal';
    return;
  }
  if (key !== '\r' && key !== '\n') return;
  v.mode = 'normal';
  const row = t.rows[t.cursor];
  if (!row) return;
  if (row.session === shownName(v)) {
    if (row.window !== undefined) v.ws.selectWindow(row.window);
    if (row.pane !== undefined && row.pane < v.ws.panes.length) v.ws.setFocus(row.pane);
    return;
  }
  if (!v.opts.switchTo) return v.say('no other session can be shown here');
  v.opts.switchTo(row.session, row.window, row.pane);
}

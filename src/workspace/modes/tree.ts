// The session tree (tmux's choose-tree, C-b s / C-b w): every session of the server with
// its panes and their agent states; j/k (arrows) move, enter shows the chosen session (and
// focuses the chosen pane) on this terminal, q or esc closes it.
import type { TreeRow, TreeSession, WorkspaceView } from '../view.js';

/** The tree's rows: a session, then its panes indented. */
export function treeRows(sessions: TreeSession[]): TreeRow[] {
  const rows: TreeRow[] = [];
  for (const s of sessions) {
    const clients = s.clients > 0 ? `, ${s.clients} client${s.clients === 1 ? '' : 's'}` : '';
    rows.push({ label: `${s.name}: ${s.panes.length} pane${s.panes.length === 1 ? '' : 's'}${clients}`, session: s.name });
    for (const p of s.panes) rows.push({ label: `  ${p.index} ${p.title} [${p.status}]`, session: s.name, pane: p.index });
  }
  return rows;
}

const shownName = (v: WorkspaceView) => v.opts.sessionName ?? v.ws.project;

export function openTree(v: WorkspaceView): void {
  const own: TreeSession = {
    name: shownName(v),
    clients: 1,
    panes: v.ws.panes.map((p, index) => ({ index, title: p.title, status: p.status })),
  };
  const sessions = v.opts.sessions?.() ?? [own];
  const rows = treeRows(sessions);
  const here = rows.findIndex((r) => r.session === shownName(v) && r.pane === v.ws.focus);
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
    if (row.pane !== undefined && row.pane < v.ws.panes.length) v.ws.setFocus(row.pane);
    return;
  }
  if (!v.opts.switchTo) return v.say('no other session can be shown here');
  v.opts.switchTo(row.session, row.pane);
}

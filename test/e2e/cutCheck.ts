// "Nothing is cut without a way to see it": every screen the e2e runs capture at 80 columns
// or fewer is checked for rows berth cut with "…", and each such row must belong to a view
// that shows the rest another way. What counts as a way, view by view:
//   - the dashboard's header (row 0, " berth  …"): `?` shows the engine's address and version
//     in full at the top of the help;
//   - the dashboard's two panels (project list and container table): the table's title line
//     shows the selected row whole (" project (n) ▸ name  image"), so a cut row is read in
//     full by moving to it;
//   - the dashboard's status line (its last row): `M` lists the last messages in full.
// Anything else is reported with the screen it was on.

/** The rows of `screen` cut with "…" that no way of the view shows in full. */
export function unreachableCuts(screen: string): string[] {
  const rows = screen.split('\n');
  const tableTitle = rows.some((r) => /^│?┌?.*│ .+ \(\d+\)( ▸ |\s*│)/.test(r) || / \(\d+\) ▸ /.test(r));
  const dashboard = rows[0]?.startsWith(' berth ') ?? false;
  let last = rows.length - 1;
  while (last > 0 && !rows[last]!.trim()) last--;
  return rows.filter((row, y) => {
    if (!row.includes('…')) return false;
    if (y === 0 && dashboard) return false;
    if (tableTitle && row.startsWith('│')) return false;
    if (dashboard && y === last) return false;
    return true;
  });
}

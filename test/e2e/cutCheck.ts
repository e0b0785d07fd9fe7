// "Nothing is cut without a way to see it": every screen the e2e runs capture at 80 columns
// or fewer is checked for rows berth cut with "…", and each such row must belong to a view
// that shows the rest another way. What counts as a way, view by view:
//   - the dashboard's header (row 0, " berth  …"): `?` shows the engine's address and version
//     in full at the top of the help;
//   - the dashboard's two panels (project list and container table): the table's title line
//     shows the selected row whole (" project (n) ▸ name  image"), so a cut row is read in
//     full by moving to it;
//   - the dashboard's status line (its last row): `M` lists the last messages in full.
// A "…" that ends a text before blank space ("reading disk usage…   ║") is a word, not a
// cut: a cut fills its whole field, so its "…" meets the field's end (a border, the row's
// end, or the one space before the next column). Anything else is reported with the screen.

/**
 * Whether a row holds a "…" that ends a field cut to its width (`width`: the terminal's; a
 * row that ends in "…" short of it ended there, tmux drops the blanks after it).
 */
export function hasCut(row: string, width: number): boolean {
  for (let i = row.indexOf('…'); i >= 0; i = row.indexOf('…', i + 1)) {
    const after = row.slice(i + 1);
    // text ended before blank space: a word such as "loading…", not a cut
    if (/^ {2,}/.test(after) || /^ +[│║┃]/.test(after) || /^ +$/.test(after)) continue;
    if (after === '' && [...row].length < width) continue;
    return true;
  }
  return false;
}

/** The rows of `screen` cut with "…" that no way of the view shows in full. */
export function unreachableCuts(screen: string, width?: number): string[] {
  const rows = screen.split('\n');
  const w = width ?? Math.max(...rows.map((r) => [...r].length));
  const tableTitle = rows.some((r) => /^│?┌?.*│ .+ \(\d+\)( ▸ |\s*│)/.test(r) || / \(\d+\) ▸ /.test(r));
  const dashboard = rows[0]?.startsWith(' berth ') ?? false;
  let last = rows.length - 1;
  while (last > 0 && !rows[last]!.trim()) last--;
  return rows.filter((row, y) => {
    if (!hasCut(row, w)) return false;
    if (y === 0 && dashboard) return false;
    if (tableTitle && row.startsWith('│')) return false;
    if (dashboard && y === last) return false;
    return true;
  });
}

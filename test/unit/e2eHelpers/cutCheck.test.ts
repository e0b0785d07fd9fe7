// The e2e runs' check that nothing at 80 columns is cut beyond reach (test/e2e/cutCheck.ts),
// on screens the e2e runs captured.
import { describe, expect, it } from 'vitest';
import { unreachableCuts } from '../../e2e/cutCheck.js';

const DASHBOARD = [
  ' berth  unix:///tmp/berth-test-95… 4 projects  4/4 running  CPU 98.9%  MEM 2.1M',
  '┌────────────────┐┌────────────────────────────────────────────────────────────┐',
  '│● all        4/4││ all projects (4) ▸ x694-ml-train  berth-fixture:latest     │',
  '│○ plannedx6… 0/0││NAME                   STATE         CPU                 MEM│',
  '│● mlx694     1/1││x694-ml-train          running      0.0%       ▁    516K/24G│',
  '└────────────────┘└────────────────────────────────────────────────────────────┘',
  ' enter open  / filter  r restart  s stop  d remove  j/k move  ? help  q quit',
].join('\n');

describe('cut rows at 80 columns', () => {
  it("the dashboard's header and panels: their cut rows are reachable (? shows the engine, the table title the selected row)", () => {
    expect(unreachableCuts(DASHBOARD)).toEqual([]);
  });
  it('the same rows without the table title that shows a row whole are reported', () => {
    const noTitle = DASHBOARD.replace('│ all projects (4) ▸ x694-ml-train  berth-fixture:latest     │', `│${' '.repeat(60)}│`);
    expect(unreachableCuts(noTitle)).toEqual(['│○ plannedx6… 0/0││NAME                   STATE         CPU                 MEM│']);
  });
  it("the dashboard's status line: M shows the messages whole", () => {
    expect(unreachableCuts(`${DASHBOARD}\n backup verified: /home/me/.local/share/berth/backups/shop-db/shop-db-2026…`)).toEqual([]);
  });
  it('a word ending in … before blank space is no cut ("reading disk usage…")', () => {
    const view = ['╔════════════════════════════╗', '║ reading disk usage…        ║', '║ planning…', '╚════════════════════════════╝'].join('\n');
    expect(unreachableCuts(view, 30)).toEqual([]);
    expect(unreachableCuts('║ a long name cut to its fi…║', 30)).toEqual(['║ a long name cut to its fi…║']);
    expect(unreachableCuts('name-that-was-cu… running', 30)).toEqual(['name-that-was-cu… running']);
    // at the row's end: a cut when the row fills the terminal, a word when it stops short
    expect(unreachableCuts(' status: backup verified: /home/me/b…', 37)).toEqual([' status: backup verified: /home/me/b…']);
    expect(unreachableCuts(' status: connecting…', 37)).toEqual([]);
  });
  it('a status line or a view row cut elsewhere is reported', () => {
    const screen = ['─ 0 shop__user [done] ────────────────', '/ # ', ' shop  0:shop__user  backup verified: /home/me/backups/shop-db-20261207…'].join('\n');
    expect(unreachableCuts(screen)).toEqual([' shop  0:shop__user  backup verified: /home/me/backups/shop-db-20261207…']);
  });
});

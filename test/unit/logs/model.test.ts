// The bounded buffer (time-ordered merge, line limit) and the view model that cuts lines
// into the rows that fit.
import { describe, expect, it } from 'vitest';
import { LogBuffer, type LogLine } from '../../../src/engine/logs/buffer.js';
import { parseLogQuery } from '../../../src/engine/logs/session.js';
import { findLine, layoutRows, matchPosition, stepLines } from '../../../src/dashboard/logModel.js';
import { initialLogView, type LogViewState } from '../../../src/dashboard/store.js';

const line = (text: string, t = 0, source = 0): LogLine => ({ t, ts: t ? new Date(t).toISOString() : '', text, stream: 'stdout', source });
const view = (p: Partial<LogViewState> = {}): LogViewState => ({ ...initialLogView, ...p });

describe('LogBuffer', () => {
  it('keeps at most max lines, dropping the oldest', () => {
    const b = new LogBuffer(100);
    for (let i = 0; i < 10; i++) b.append(Array.from({ length: 50 }, (_, k) => line(`l${i * 50 + k}`)));
    expect(b.length).toBe(100);
    expect(b.dropped).toBe(400);
    expect(b.at(0).text).toBe('l400');
    expect(b.at(99).text).toBe('l499');
  });

  it('merges lines of several containers in time order', () => {
    const b = new LogBuffer(100);
    b.append([line('a1', 1000, 0), line('a2', 3000, 0), line('a3', 5000, 0)]);
    b.append([line('b1', 2000, 1), line('b2', 4000, 1), line('b3', 6000, 1)]);
    expect(b.toArray().map((l) => l.text)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it('merges two interleaved floods quickly (batches, not a splice per line)', () => {
    const b = new LogBuffer(10_000);
    const batches: LogLine[][] = [];
    for (let round = 0; round < 200; round++) {
      const base = round * 1000;
      // Container 0 is always a little ahead of container 1.
      batches.push(Array.from({ length: 500 }, (_, k) => line(`a${base + k * 2}`, base + k * 2 + 1, 0)));
      batches.push(Array.from({ length: 500 }, (_, k) => line(`b${base + k * 2}`, base + k * 2, 1)));
    }
    // The same lines in order (plain pushes), timed under the same machine load.
    const inOrder = new LogBuffer(10_000);
    const sorted = batches.flat().sort((x, y) => x.t - y.t);
    const s0 = performance.now();
    for (let k = 0; k < sorted.length; k += 1000) inOrder.append(sorted.slice(k, k + 1000));
    const plain = performance.now() - s0;
    const t0 = performance.now();
    for (const batch of batches) b.append(batch);
    const ms = performance.now() - t0;
    const all = b.toArray();
    expect(all).toHaveLength(10_000);
    expect(all.every((l, i) => i === 0 || l.t >= all[i - 1]!.t)).toBe(true);
    expect(ms).toBeLessThan(10 * plain + 50); // merging costs a few times a push; a splice per line cost ~30 times
  });

  it('stays bounded in memory over a million lines', () => {
    const b = new LogBuffer(1000);
    for (let i = 0; i < 1000; i++) b.append(Array.from({ length: 1000 }, (_, k) => line(`x${k}`)));
    expect(b.length).toBe(1000);
    expect((b as unknown as { lines: unknown[] }).lines.length).toBeLessThanOrEqual(1000 + 1024 + 1000);
  });
});

describe('layoutRows', () => {
  it('shows the last lines that fit when following', () => {
    const b = new LogBuffer(1000);
    b.append(Array.from({ length: 50 }, (_, i) => line(`line ${i}`)));
    const rows = layoutRows(b, view(), { width: 40, height: 5 });
    expect(rows.map((r) => r.body)).toEqual(['line 45', 'line 46', 'line 47', 'line 48', 'line 49']);
  });

  it('renders a 200,000-character line in the rows that fit, fast, both wrapped and not', () => {
    const b = new LogBuffer(1000);
    const giant = 'A'.repeat(100_000) + 'NEEDLE' + 'B'.repeat(99_994);
    b.append([line('before'), line(giant), line('after')]);
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) layoutRows(b, view({ search: 'needle' }), { width: 78, height: 20 });
    const per = (performance.now() - t0) / 100;
    expect(per).toBeLessThan(5);
    const wrapped = layoutRows(b, view(), { width: 78, height: 20 });
    expect(wrapped).toHaveLength(20);
    expect(wrapped.every((r) => r.prefix.length + r.body.length <= 78)).toBe(true);
    expect(wrapped[wrapped.length - 1]!.body).toBe('after');
    const cut = layoutRows(b, view({ wrap: false }), { width: 78, height: 20 });
    expect(cut.map((r) => r.body.length)).toEqual([6, 78, 5]);
    expect(cut[1]!.body.endsWith('…')).toBe(true);
    // Scrolled to the giant line itself: its first rows.
    const at = layoutRows(b, view({ follow: false, anchor: 1 }), { width: 78, height: 20 });
    expect(at[at.length - 1]!.body).toBe('A'.repeat(78));
  });

  it('filters lines, marks search matches, adds name and time prefixes for project logs', () => {
    const b = new LogBuffer(1000);
    b.append([line('GET /health 200', Date.parse('2026-11-22T10:00:00.123Z'), 0), line('db ready', Date.parse('2026-11-22T10:00:01Z'), 1), line('GET /api 500', Date.parse('2026-11-22T10:00:02Z'), 0)]);
    const rows = layoutRows(b, view({ filter: 'get', search: '500', timestamps: true }), { width: 60, height: 10, names: ['web', 'database'] });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.prefix).toBe('web      │ 10:00:00.123 ');
    expect(rows[1]!.marks).toEqual([[9, 12]]);
    expect(rows[0]!.marks).toEqual([]);
  });

  it('finds the next and previous matches and steps through filtered lines', () => {
    const b = new LogBuffer(1000);
    b.append(['a', 'err 1', 'b', 'err 2', 'c'].map((t) => line(t)));
    expect(findLine(b, 'err', '', 4, -1)).toBe(3);
    expect(findLine(b, 'err', '', 3, -1)).toBe(1);
    expect(findLine(b, 'err', '', 1, -1)).toBeNull();
    expect(findLine(b, 'err', '', 1, 1)).toBe(3);
    expect(stepLines(b, 'err', 3, -1)).toBe(1);
    expect(stepLines(b, '', 4, -2)).toBe(2);
  });
});

describe('parseLogQuery', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('reads line counts, durations and dates', () => {
    expect(parseLogQuery('500', now)).toEqual({ tail: 500 });
    expect(parseLogQuery('all', now)).toEqual({ tail: 'all' });
    expect(parseLogQuery('10m', now)).toEqual({ tail: 'all', since: now / 1000 - 600 });
    expect(parseLogQuery('2026-11-22T10:00:00Z', now)).toEqual({ tail: 'all', since: Date.parse('2026-11-22T10:00:00Z') / 1000 });
    expect(parseLogQuery('soon', now)).toMatch(/not a line count/);
  });
});

describe('matchPosition', () => {
  it('says which match of how many the current one is ("3/16"), counting dropped lines in the absolute index', () => {
    const b = new LogBuffer(10);
    b.append(Array.from({ length: 14 }, (_, i) => line(`${i % 2 ? 'beta' : 'alpha'} ${i}`)));
    // lines 4..13 are kept (4 dropped); beta at 5, 7, 9, 11, 13
    expect(matchPosition(b, 'beta', '', null)).toMatchObject({ at: null, total: 5 });
    expect(matchPosition(b, 'beta', '', 9)).toMatchObject({ at: 3, total: 5 });
    expect(matchPosition(b, 'BETA', ' 1', 13)).toMatchObject({ at: 2, total: 2 });
    expect(matchPosition(b, 'gamma', '', null)).toMatchObject({ at: null, total: 0 });
  });
});

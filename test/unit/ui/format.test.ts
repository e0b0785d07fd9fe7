import { describe, expect, it } from 'vitest';
import { bytes, fit, percent, rate, sparkline } from '../../../src/lib/format.js';
import { layoutColumns } from '../../../src/ui/dashboard/columns.js';
import { scrollOffset } from '../../../src/ui/dashboard/scroll.js';

describe('format', () => {
  it('sizes', () => {
    expect([bytes(512), bytes(12 * 1024), bytes(1.5 * 1024 ** 2), bytes(2 * 1024 ** 3), bytes(-1)]).toEqual(['512B', '12K', '1.5M', '2.0G', '-']);
    expect(rate(0.2)).toBe('0');
  });
  it('percent', () => {
    expect([percent(0), percent(12.345), percent(100.2)]).toEqual(['0.0%', '12.3%', '100%']);
  });
  it('sparkline scales to 100% or the largest value and right-aligns', () => {
    expect(sparkline([0, 50, 100], 5)).toBe('  ▁▅█');
    expect(sparkline([0, 200], 2)).toBe('▁█');
  });
  it('fit pads and cuts with an ellipsis', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abc', 5, 'right')).toBe('  abc');
    expect(fit('abcdef', 4)).toBe('abc…');
  });
});

describe('layoutColumns', () => {
  const total = (w: number, o = {}) => {
    const cols = layoutColumns(w, o);
    return cols.reduce((n, c) => n + c.width, 0) + cols.length - 1;
  };
  it('fills the width exactly at 80 and 250 columns', () => {
    expect(total(62)).toBe(62);
    expect(total(220, { project: true, gpu: true })).toBe(220);
  });
  it('drops the least important columns first when narrow', () => {
    const ids = layoutColumns(62).map((c) => c.id);
    expect(ids).toContain('name');
    expect(ids).toContain('cpu');
    expect(ids).toContain('mem');
    expect(ids).not.toContain('image');
    const wide = layoutColumns(220, { gpu: true, project: true }).map((c) => c.id);
    expect(wide).toEqual(['project', 'name', 'state', 'restarts', 'uptime', 'cpu', 'spark', 'mem', 'net', 'gpu', 'image']);
  });
});

describe('scrollOffset', () => {
  it('keeps the selection in view', () => {
    expect(scrollOffset(0, 5, 10)).toBe(0);
    expect(scrollOffset(50, 100, 10)).toBe(45);
    expect(scrollOffset(99, 100, 10)).toBe(90);
  });
});

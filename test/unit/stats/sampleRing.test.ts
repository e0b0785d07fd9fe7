import { describe, expect, it } from 'vitest';
import { SampleRing } from '../../../src/engine/stats/sampleRing.js';

describe('SampleRing', () => {
  it('keeps the newest items, oldest first', () => {
    const r = new SampleRing<number>(3);
    expect(r.toArray()).toEqual([]);
    expect(r.latest()).toBeUndefined();
    r.push(1);
    r.push(2);
    expect(r.toArray()).toEqual([1, 2]);
    r.push(3);
    r.push(4);
    r.push(5);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.latest()).toBe(5);
    expect(r.size).toBe(3);
  });

  it('wraps many times without losing order', () => {
    const r = new SampleRing<number>(4);
    for (let i = 0; i < 1003; i++) r.push(i);
    expect(r.toArray()).toEqual([999, 1000, 1001, 1002]);
    r.clear();
    expect(r.size).toBe(0);
    r.push(7);
    expect(r.toArray()).toEqual([7]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SampleRing(0)).toThrow(/positive integer/);
    expect(() => new SampleRing(1.5)).toThrow(/positive integer/);
  });
});

import { describe, expect, it } from 'vitest';
import { ProgressMeter, ProgressPrinter, progressText } from '../../../src/lib/progress.js';

const MiB = 1 << 20;

describe('progress lines', () => {
  it('bytes of the total, the rate and the time left', () => {
    expect(progressText({ bytes: 512 * MiB, total: 2048 * MiB }, 64 * MiB)).toBe('512M of 2.0G (25%), 64M/s, 0:24 left');
    expect(progressText({ bytes: 10 * MiB }, null)).toBe('10M');
    expect(progressText({ bytes: 10 * MiB }, 5 * MiB)).toBe('10M, 5.0M/s');
    // a total that turned out low (a tar is a little larger than the files) stays at 100 %
    expect(progressText({ bytes: 110, total: 100 }, 10)).toBe('110B of 100B (100%), 10B/s');
  });
  it('the rate over the last seconds, from the samples', () => {
    const m = new ProgressMeter(5000);
    expect(m.line({ bytes: 0, total: 100 * MiB }, 0)).toBe('0B of 100M (0%)');
    expect(m.line({ bytes: 10 * MiB, total: 100 * MiB }, 1000)).toBe('10M of 100M (10%), 10M/s, 0:09 left');
    expect(m.line({ bytes: 40 * MiB, total: 100 * MiB }, 2000)).toBe('40M of 100M (40%), 20M/s, 0:03 left');
  });
});

function sink(isTTY: boolean) {
  const s = { isTTY, columns: 60, text: '', write(x: string) { s.text += x; return true; } };
  return s;
}

describe('the progress printer', () => {
  it('on a terminal: one line redrawn in place, at most five times a second, ended before other output', () => {
    const out = sink(true);
    const p = new ProgressPrinter(out as unknown as NodeJS.WritableStream);
    p.update('copying db', { bytes: 0, total: 100 }, 0);
    p.update('copying db', { bytes: 10, total: 100 }, 100); // too soon: not drawn
    p.update('copying db', { bytes: 50, total: 100 }, 300);
    p.done();
    expect(out.text).toBe('\rcopying db 0B of 100B (0%)\x1b[K\rcopying db 50B of 100B (50%), 167B/s, 0:00 left\x1b[K\n');
  });
  it('elsewhere (a log, a pipe): a plain line at each tenth', () => {
    const out = sink(false);
    const p = new ProgressPrinter(out as unknown as NodeJS.WritableStream);
    for (let b = 0; b <= 100; b += 5) p.update('copying db', { bytes: b, total: 100 }, b * 10);
    expect(out.text.split('\n').filter(Boolean)).toHaveLength(11);
    expect(out.text).not.toContain('\r');
  });
});

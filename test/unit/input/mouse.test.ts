// SGR mouse reports split out of terminal input.
import { describe, expect, it } from 'vitest';
import { encodeMouse, takeMouse } from '../../../src/input/mouse.js';

describe('takeMouse', () => {
  it('takes press, release, wheel and drag reports out and leaves the keys around them', () => {
    const { reports, rest, partial } = takeMouse('a\x1b[<0;10;5Mb\x1b[<0;10;5m\x1b[<64;1;1M\x1b[<65;2;3M\x1b[<32;4;4Mc');
    expect(rest).toBe('abc');
    expect(partial).toBe('');
    expect(reports.map((r) => [r.x, r.y, r.press, r.wheel, r.motion, r.leftClick])).toEqual([
      [9, 4, true, null, false, true],
      [9, 4, false, null, false, false],
      [0, 0, true, 'up', false, false],
      [1, 2, true, 'down', false, false],
      [3, 3, true, null, true, false],
    ]);
  });

  it('keeps a report cut at the end of a read for the next one; a lone escape is a key', () => {
    const a = takeMouse('x\x1b[<0;1');
    expect([a.rest, a.partial, a.reports.length]).toEqual(['x', '\x1b[<0;1', 0]);
    const b = takeMouse(a.partial + ';2M');
    expect([b.rest, b.reports[0]?.y]).toEqual(['', 1]);
    expect(takeMouse('\x1b').rest).toBe('\x1b');
  });

  it('encodes a report for a pane at its own coordinates', () => {
    const [r] = takeMouse('\x1b[<2;30;12m').reports;
    expect(encodeMouse(r!, 4, 0)).toBe('\x1b[<2;5;1m');
  });
});

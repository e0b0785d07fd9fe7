// Text views wrap long lines instead of cutting them.
import { describe, expect, it } from 'vitest';
import { wrapTextLines } from '../../../src/lib/textLine.js';

describe('wrapTextLines', () => {
  it('breaks at spaces, indents the continuations, keeps the role, cuts nothing', () => {
    const long = '  warning ~/.claude is not mounted: claude has to log in again whenever the container is recreated';
    const out = wrapTextLines([{ text: 'short' }, { text: long, role: 'warning' }], 40);
    expect(out[0]).toEqual({ text: 'short' });
    expect(out.slice(1).every((l) => l.role === 'warning' && [...l.text].length <= 40)).toBe(true);
    expect(out[1]!.text).toBe('  warning ~/.claude is not mounted:');
    expect(out[2]!.text.startsWith('    claude')).toBe(true);
    // every word is still there, in order
    expect(out.slice(1).map((l) => l.text.trim()).join(' ')).toBe(long.trim());
  });

  it('a word longer than the line is cut into pieces, not lost', () => {
    const path = '/var/lib/berth/backups/shop_db/shop_db-20261122T100000000Z.tar.gz';
    const out = wrapTextLines([{ text: `verified: ${path}` }], 24);
    expect(out.every((l) => [...l.text].length <= 24)).toBe(true);
    expect(out.map((l) => l.text.trim()).join('').replace('verified: ', '')).toBe(path);
  });
});

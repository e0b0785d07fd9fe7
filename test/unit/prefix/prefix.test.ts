import { describe, expect, it } from 'vitest';
import { translateForPane } from '../../../src/input/paneKeys.js';
import { parsePrefixKey, PrefixMachine } from '../../../src/input/prefix.js';

describe('PrefixMachine', () => {
  it('passes bytes through until the prefix, then runs the command the next key names', () => {
    const m = new PrefixMachine();
    expect(m.feed('ls -l\r')).toEqual([{ type: 'send', data: 'ls -l\r' }]);
    expect(m.feed('ab\x02zcd')).toEqual([
      { type: 'send', data: 'ab' },
      { type: 'key', key: 'z' },
      { type: 'send', data: 'cd' },
    ]);
  });
  it('keeps the prefix armed across chunks and reads arrow keys as one key', () => {
    const m = new PrefixMachine();
    expect(m.feed('\x02')).toEqual([]);
    expect(m.armed).toBe(true);
    expect(m.feed('\x1b[Bx')).toEqual([{ type: 'key', key: '\x1b[B' }, { type: 'send', data: 'x' }]);
  });
  it('sends the prefix itself when pressed twice; the key table says what a key does', async () => {
    const { commandForPrefixKey } = await import('../../../src/workspace/paneCommands.js');
    const m = new PrefixMachine();
    expect(m.feed('\x02\x02')).toEqual([{ type: 'send', data: '\x02' }]);
    expect(m.feed('\x023')).toEqual([{ type: 'key', key: '3' }]);
    // tmux's keys: digits and n/p pick windows, c opens one, & closes it, ! breaks a pane out
    expect(commandForPrefixKey('3')).toBe('select-window');
    expect(commandForPrefixKey('c')).toBe('new-window');
    expect(commandForPrefixKey('n')).toBe('next-window');
    expect(commandForPrefixKey('p')).toBe('previous-window');
    expect(commandForPrefixKey(',')).toBe('rename-window');
    expect(commandForPrefixKey('&')).toBe('kill-window');
    expect(commandForPrefixKey('!')).toBe('break-pane');
    expect(commandForPrefixKey('"')).toBe('split-below');
    expect(commandForPrefixKey('%')).toBe('split-right');
    expect(commandForPrefixKey('\x1b[1;5C')).toBe('resize-right');
    expect(commandForPrefixKey('\x1b[1;3A')).toBe('resize-up-5');
    expect(commandForPrefixKey('\x1b[B')).toBe('focus-down');
    // an unbound key does nothing (tmux drops it)
    expect(commandForPrefixKey('Q')).toBeUndefined();
  });

  it('binds each key once', async () => {
    const { PANE_COMMANDS } = await import('../../../src/workspace/paneCommands.js');
    const keys = PANE_COMMANDS.flatMap((c) => [...c.keys]);
    expect(keys.length).toBe(new Set(keys).size);
  });
  it('uses a configured prefix', () => {
    const m = new PrefixMachine(parsePrefixKey('C-a'));
    expect(m.feed('\x02\x01d')).toEqual([{ type: 'send', data: '\x02' }, { type: 'key', key: 'd' }]);
    expect(() => parsePrefixKey('x')).toThrow(/not a control key/);
  });
});

describe('translateForPane', () => {
  const off = { applicationCursorKeysMode: false, bracketedPasteMode: false, sendFocusMode: false };
  it('turns arrows into application cursor keys when the program asked for them', () => {
    expect(translateForPane('\x1b[A\x1b[1;5C', { ...off, applicationCursorKeysMode: true })).toBe('\x1bOA\x1b[1;5C');
    expect(translateForPane('\x1b[A', off)).toBe('\x1b[A');
    expect(translateForPane('\x1bOA\x1bOP', off)).toBe('\x1b[A\x1bOP');
  });
  it('strips paste brackets and focus reports the program did not ask for', () => {
    expect(translateForPane('\x1b[200~hi\x1b[201~\x1b[I', off)).toBe('hi');
    expect(translateForPane('\x1b[200~hi\x1b[201~\x1b[I', { ...off, bracketedPasteMode: true, sendFocusMode: true })).toBe('\x1b[200~hi\x1b[201~\x1b[I');
  });
});

describe('README pane keys', () => {
  it("README's pane key table is the one generated from the prefix bindings", async () => {
    const fs = await import('node:fs');
    const { prefixKeyTableMarkdown } = await import('../../../src/workspace/paneCommands.js');
    const readme = fs.readFileSync('README.md', 'utf8');
    const begin = readme.indexOf('<!-- pane-keys:begin -->');
    const end = readme.indexOf('<!-- pane-keys:end -->');
    expect(begin, 'README.md needs <!-- pane-keys:begin --> … <!-- pane-keys:end -->').toBeGreaterThan(0);
    expect(readme.slice(begin + '<!-- pane-keys:begin -->'.length, end).trim(), 'README pane key table is stale: npm run readme-tables').toBe(prefixKeyTableMarkdown());
  });
});

describe('README copy-mode keys', () => {
  it("README's copy-mode key table is the one generated from copy mode's key table", async () => {
    const fs = await import('node:fs');
    const { copyModeKeyTableMarkdown } = await import('../../../src/workspace/copyMode.js');
    const readme = fs.readFileSync('README.md', 'utf8');
    const begin = readme.indexOf('<!-- copy-keys:begin -->');
    const end = readme.indexOf('<!-- copy-keys:end -->');
    expect(begin, 'README.md needs <!-- copy-keys:begin --> … <!-- copy-keys:end -->').toBeGreaterThan(0);
    expect(readme.slice(begin + '<!-- copy-keys:begin -->'.length, end).trim(), 'README copy-mode key table is stale: npm run readme-tables').toBe(copyModeKeyTableMarkdown());
  });
});

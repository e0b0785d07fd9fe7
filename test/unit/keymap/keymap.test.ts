// The command table: remapping, refusal of unknown commands and clashing keys, and the
// README key table generated from it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/config/errors.js';
import { buildKeymap, COMMANDS, keyTableMarkdown } from '../../../src/input/keymap.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('keymap', () => {
  it('the defaults have no clash in any view', () => {
    const km = buildKeymap();
    expect(km.lookup('list', 'r')).toBe('restart');
    expect(km.lookup('logs', '/')).toBe('search');
    expect(km.lookup('list', '/')).toBe('filter');
    expect(km.lookup('logs', 'r')).toBe('restart');
    expect(km.lookup('confirm', 'd')).toBe('confirmDry');
    expect(km.lookup('list', 'd')).toBe('remove');
    expect(km.lookup('env', 'v')).toBe('reveal');
    expect(km.lookup('list', 'v')).toBeUndefined();
  });

  it('remaps a command: the old key is free, the new one runs it', () => {
    const km = buildKeymap({ restart: ['R'] });
    expect(km.lookup('list', 'R')).toBe('restart');
    expect(km.lookup('list', 'r')).toBeUndefined();
    expect(km.keys.restart).toEqual(['R']);
  });

  it('refuses an unknown command with one line naming it', () => {
    expect(() => buildKeymap({ reboot: ['x'] }, 'config.toml [keys]')).toThrow(UserError);
    expect(() => buildKeymap({ reboot: ['x'] }, 'config.toml [keys]')).toThrow(/^config\.toml \[keys\]: unknown command "reboot"/);
  });

  it('refuses a key bound twice in the same view, naming the key and both commands', () => {
    expect(() => buildKeymap({ restart: ['s'] })).toThrow(/key "s" is bound to both "restart" and "stopStart"|key "s" is bound to both "stopStart" and "restart"/);
    // A key used by a command of another view is fine: logs "/" vs list "/".
    expect(() => buildKeymap({ search: ['L'] })).not.toThrow();
    // …but not one of the views shared by that chain (ops keys work in logs too).
    expect(() => buildKeymap({ search: ['r'] })).toThrow(/key "r"/);
    expect(() => buildKeymap({ restart: ['ctrl+c'] })).toThrow(/key "ctrl\+c" is bound to both/);
  });

  it('refuses something that is not a key name', () => {
    expect(() => buildKeymap({ restart: ['Restart'] })).toThrow(/"Restart" is not a key name/);
  });

  it('every command has a description and at least one key', () => {
    for (const c of COMMANDS) {
      expect(c.keys.length, c.id).toBeGreaterThan(0);
      expect(c.description.length, c.id).toBeGreaterThan(3);
    }
  });

  it("README's key table is the one generated from the command table", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const begin = readme.indexOf('<!-- keys:begin -->');
    const end = readme.indexOf('<!-- keys:end -->');
    expect(begin, 'README.md needs <!-- keys:begin --> … <!-- keys:end -->').toBeGreaterThan(0);
    const table = readme.slice(begin + '<!-- keys:begin -->'.length, end).trim();
    expect(table, 'README key table is stale: see the note under it in README.md').toBe(keyTableMarkdown());
  });
});

describe('footer hints', () => {
  it('name only commands bound in the view they are shown in, so the key shown does what it says', async () => {
    const { buildKeymap, FOOTER_HINTS, CHAINS } = await import('../../../src/input/keymap.js');
    const map = buildKeymap();
    const chainOf = (view: string) => (view === 'disk' || view === 'help' ? 'list' : view);
    const wrong: string[] = [];
    for (const [view, hints] of Object.entries(FOOTER_HINTS)) {
      expect(CHAINS[chainOf(view)], `view ${view} has a key chain`).toBeDefined();
      for (const [id] of hints) {
        if (!map.keys[id]!.some((k) => map.lookup(chainOf(view) as never, k) === id)) wrong.push(`${view}: ${id}`);
      }
    }
    expect(wrong).toEqual([]);
    // and the check can fail: a hint for a command of another view
    expect(map.keys.composeUp!.some((k) => map.lookup('list', k) === 'composeUp')).toBe(false);
  });
});

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
    expect(table, 'README key table is stale: npm run readme-tables').toBe(keyTableMarkdown());
  });
});

describe('footer hints and handlers', () => {
  const VIEWS = ['list', 'detail', 'logs', 'env', 'help', 'panel', 'compose', 'disk'] as const;

  it('name only commands bound in the view they are shown in and handled there, so the key shown does what it says', async () => {
    const { hintsOf } = await import('../../../src/input/dashboardKeys.js');
    const { handlerFor } = await import('../../../src/input/dashboardCommands.js');
    const chainOf = (view: string) => (view === 'disk' ? 'list' : view);
    const map = buildKeymap();
    const wrong: string[] = [];
    for (const view of VIEWS) {
      for (const [id] of hintsOf(view)) {
        if (!map.keys[id]!.some((k) => map.lookup(chainOf(view) as never, k) === id)) wrong.push(`${view}: ${id} not bound`);
        if (!handlerFor(id, view)) wrong.push(`${view}: ${id} not handled`);
      }
    }
    expect(wrong).toEqual([]);
    // the lists' footer, view's own commands first, moving and help last
    expect(hintsOf('list').map(([id]) => id)).toEqual(['open', 'filter', 'restart', 'stopStart', 'remove', 'down', 'help', 'quit']);
    // and the check can fail: a hint for a command of another view
    expect(map.keys.composeUp!.some((k) => map.lookup('list', k) === 'composeUp')).toBe(false);
  });

  it('every command of the table does something in some view (no dead key)', async () => {
    const { COMMANDS, handlerFor } = await import('../../../src/input/dashboardCommands.js');
    const wheres = ['list', 'detail', 'logs', 'env', 'help', 'confirm', 'panel', 'compose', 'picker', 'confirmDown', 'backup', 'prune', 'disk', 'sessions'] as const;
    const dead = COMMANDS.filter((c) => !wheres.some((w) => handlerFor(c.id, w))).map((c) => c.id);
    expect(dead).toEqual([]);
    // a view falls back to its parent's handler: the env tab is a detail tab, the logs tab too
    expect(handlerFor('nextTab', 'env')).toBe(handlerFor('nextTab', 'detail'));
    expect(handlerFor('restart', 'logs')).toBe(handlerFor('restart', 'list'));
    // …but a dialog gets only what it names: r in the disk view restarts nothing
    expect(handlerFor('restart', 'disk')).toBeUndefined();
  });
});

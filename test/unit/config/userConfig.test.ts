import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lingerMs } from '../../../src/config/schema.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addProject, loadUserConfig, parseUserConfig } from '../../../src/config/userConfig.js';
import { loadTheme, listThemes } from '../../../src/config/theme.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cfg-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('user config', () => {
  it('a missing file gives the defaults', () => {
    const cfg = loadUserConfig(path.join(dir, 'none.toml'));
    expect(cfg).toMatchObject({ theme: 'default', projects: [], stats: { interval_ms: 1000 } });
  });
  it('reads projects', () => {
    const cfg = parseUserConfig('[[projects]]\nname = "web"\npath = "/src/web"\ncontainers = ["web-dev"]\n', 'c.toml');
    expect(cfg.projects).toEqual([{ name: 'web', path: '/src/web', containers: ['web-dev'] }]);
  });
  it('names the line and column of a TOML syntax error', () => {
    expect(() => parseUserConfig('theme = "x"\n[[projects]\nname = 1\n', 'c.toml')).toThrow(/^c\.toml:2:\d+: /);
  });
  it('names the line, column and key of a wrong value and of an unknown key', () => {
    expect(() => parseUserConfig('[[projects]]\nname = 3\n', 'c.toml')).toThrow(/^c\.toml:2:1: projects\[0\]\.name: Expected string/);
    expect(() => parseUserConfig('theme = "x"\n\n  colour = "red"\n', 'c.toml')).toThrow(/^c\.toml:3:3: unknown key colour/);
    expect(() => parseUserConfig('[stats]\ninterval_ms = 10\n', 'c.toml')).toThrow(/^c\.toml:2:1: stats\.interval_ms/);
    expect(() => parseUserConfig('[stats]\n# the sampler\ninterval_ms = "fast"\n', 'c.toml')).toThrow('c.toml:3:1: stats.interval_ms: Expected number, received string');
    expect(() => parseUserConfig('stats = { interval_ms = "x" }\n', 'c.toml')).toThrow(/^c\.toml:1:11: stats\.interval_ms/);
    expect(() => parseUserConfig('[[projects]]\nname="a"\n[[projects]]\nname="a"\n', 'c.toml')).toThrow('c.toml:4:1: projects: "a" is listed twice');
    expect(() => parseUserConfig('[[projects]]\nname="a"\ncontainers = ["x", 2]\n', 'c.toml')).toThrow(/^c\.toml:3:20: projects\[0\]\.containers\[1\]/);
  });
  it('[server] linger: 10 minutes by default, minutes as a number or a duration with a unit', () => {
    expect(lingerMs(parseUserConfig('', 'c.toml').server.linger)).toBe(600_000);
    expect(lingerMs(parseUserConfig('[server]\nlinger = 0\n', 'c.toml').server.linger)).toBe(0);
    expect(lingerMs(parseUserConfig('[server]\nlinger = 1.5\n', 'c.toml').server.linger)).toBe(90_000);
    expect(lingerMs(parseUserConfig('[server]\nlinger = "90s"\n', 'c.toml').server.linger)).toBe(90_000);
    expect(lingerMs(parseUserConfig('[server]\nlinger = "1h"\n', 'c.toml').server.linger)).toBe(3_600_000);
    expect(() => parseUserConfig('[server]\nlinger = "soon"\n', 'c.toml')).toThrow(/^c\.toml:2:1: server\.linger: /);
  });

  it('addProject appends without losing what the user wrote, and refuses duplicates', () => {
    const file = path.join(dir, 'config.toml');
    fs.writeFileSync(file, '# my settings\ntheme = "default"');
    addProject({ name: 'web', path: '/src/web', containers: [] }, file);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('# my settings\ntheme = "default"\n')).toBe(true);
    expect(loadUserConfig(file).projects.map((p) => p.name)).toEqual(['web']);
    expect(() => addProject({ name: 'web', containers: [] }, file)).toThrow(/already registered/);
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });
});

describe('themes', () => {
  it('ships a default and a monochrome theme; NO_COLOR forces monochrome', () => {
    expect(listThemes()).toEqual(expect.arrayContaining(['default', 'monochrome']));
    expect(loadTheme('default', {}).colors.running).toBe('green');
    expect(loadTheme('default', { NO_COLOR: '1' }).monochrome).toBe(true);
    expect(() => loadTheme('nope', {})).toThrow(/theme "nope" not found; available: .*default/);
  });
});

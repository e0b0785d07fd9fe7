// The shipped themes: all load, use only the 16 colour names, NO_COLOR forces monochrome.
import { describe, expect, it } from 'vitest';
import { COLOR_NAMES, colorOf, listThemes, loadTheme, themeSchema } from '../../../src/config/theme.js';

describe('themes', () => {
  it('ships default, light, high-contrast and monochrome', () => {
    expect(listThemes()).toEqual(expect.arrayContaining(['default', 'light', 'high-contrast', 'monochrome']));
  });

  it('every shipped theme loads and uses 16-colour names only', () => {
    for (const name of listThemes()) {
      const t = loadTheme(name, {});
      expect(t.name).toBe(name);
      for (const v of Object.values(t.colors)) expect(COLOR_NAMES as readonly string[]).toContain(v);
    }
  });

  it('refuses a truecolor or 256-colour value with one line', () => {
    const r = themeSchema.safeParse({ name: 'x', colors: { accent: '#ff0000' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/one of the 16 colour names/);
  });

  it('NO_COLOR forces monochrome, whatever the choice', () => {
    const t = loadTheme('high-contrast', { NO_COLOR: '1' });
    expect(t.monochrome).toBe(true);
    expect(colorOf(t, 'error')).toBeUndefined();
    expect(loadTheme('light', { NO_COLOR: '' }).name).toBe('light');
  });

  it('an unknown theme is refused naming the available ones', () => {
    expect(() => loadTheme('neon', {})).toThrow(/theme "neon" not found; available: .*high-contrast/);
  });
});

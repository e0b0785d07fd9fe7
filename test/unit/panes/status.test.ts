import { describe, expect, it } from 'vitest';
import { compilePatterns, detectStatus } from '../../../src/panes/status.js';

const now = 100_000;
const base = { kind: 'cc', now, lastInput: 0, exited: false };

describe('detectStatus', () => {
  it('working while the agent writes, idle once quiet', () => {
    expect(detectStatus({ ...base, lines: ['> fix it', '* working (esc to interrupt) 2'], lastOutput: now - 100 })).toBe('working');
    expect(detectStatus({ ...base, lines: ['done', '> '], lastOutput: now - 5000 })).toBe('idle');
  });
  it('the echo of a keystroke is not work', () => {
    expect(detectStatus({ ...base, lines: ['> a'], lastInput: now - 60, lastOutput: now - 50 })).toBe('idle');
  });
  it('a spinner line still on screen shortly after output counts as working', () => {
    expect(detectStatus({ ...base, lines: ['✻ Pondering… (esc to interrupt)'], lastOutput: now - 2000 })).toBe('working');
  });
  it('waiting for the user, errors, exit', () => {
    expect(detectStatus({ ...base, lines: ['Do you want to make this edit to a.ts?', '❯ 1. Yes'], lastOutput: now - 5000 })).toBe('waiting');
    expect(detectStatus({ ...base, lines: ['API Error: 429 rate limit exceeded'], lastOutput: now - 5000 })).toBe('error');
    expect(detectStatus({ ...base, lines: ['Invalid API key · Please run /login'], lastOutput: now - 5000 })).toBe('error');
    expect(detectStatus({ ...base, lines: ['> '], lastOutput: 0, exited: true })).toBe('exited');
  });
  it('patterns can be overridden', () => {
    const patterns = compilePatterns({ error: ['^BOOM$'] });
    expect(detectStatus({ ...base, patterns, lines: ['BOOM'], lastOutput: now - 5000 })).toBe('error');
    expect(detectStatus({ ...base, patterns, lines: ['rate limit'], lastOutput: now - 5000 })).toBe('idle');
  });
});

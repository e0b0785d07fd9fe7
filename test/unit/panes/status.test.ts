import { describe, expect, it } from 'vitest';
import { compilePatterns, detectStatus, DONE_AFTER_MS } from '../../../src/panes/status.js';

const now = 100_000;
const base = { kind: 'cc', now, lastInput: 0, exited: false };

describe('detectStatus', () => {
  it('working while the agent writes, done once quiet', () => {
    expect(detectStatus({ ...base, lines: ['> fix it', '* working (esc to interrupt) 2'], lastOutput: now - 100 })).toBe('working');
    expect(detectStatus({ ...base, lines: ['done', '> '], lastOutput: now - 5000 })).toBe('done');
  });
  it('the echo of a keystroke is not work', () => {
    expect(detectStatus({ ...base, lines: ['> a'], lastInput: now - 60, lastOutput: now - 50 })).toBe('done');
  });
  it('a spinner line still on screen shortly after output counts as working', () => {
    expect(detectStatus({ ...base, lines: ['✻ Pondering… (esc to interrupt)'], lastOutput: now - 2000 })).toBe('working');
  });
  it('a working agent that pauses is not done until it has been quiet for a while (debounce)', () => {
    const quiet = { ...base, lines: ['Reading 3 files', '> '] };
    expect(detectStatus({ ...quiet, lastOutput: now - 1500, previous: 'working' })).toBe('working');
    expect(detectStatus({ ...quiet, lastOutput: now - DONE_AFTER_MS + 100, previous: 'working' })).toBe('working');
    expect(detectStatus({ ...quiet, lastOutput: now - DONE_AFTER_MS - 100, previous: 'working' })).toBe('done');
    // a pane that was not working does not become so by being quiet
    expect(detectStatus({ ...quiet, lastOutput: now - 1500, previous: 'done' })).toBe('done');
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
    expect(detectStatus({ ...base, patterns, lines: ['rate limit'], lastOutput: now - 5000 })).toBe('done');
  });
});

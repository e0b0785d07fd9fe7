import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectState, detectStatus, DONE_AFTER_MS, parseSignal, type StatusInput } from '../../../src/panes/status.js';
import { loadRuleFiles, parseRuleFile, rulesForKind } from '../../../src/config/agentRules.js';

const now = 100_000;
const shipped = loadRuleFiles({ user: '' });
const base = { rules: rulesForKind('cc', shipped), now, lastInput: 0, exited: false };

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
  it('waiting for the user, errors with their kind, exit', () => {
    expect(detectStatus({ ...base, lines: ['Do you want to make this edit to a.ts?', '❯ 1. Yes'], lastOutput: now - 5000 })).toBe('waiting');
    expect(detectState({ ...base, lines: ['API Error: 429 rate limit exceeded'], lastOutput: now - 5000 })).toEqual({ status: 'error', reason: 'rate limit' });
    expect(detectState({ ...base, lines: ['Invalid API key · Please run /login'], lastOutput: now - 5000 })).toEqual({ status: 'error', reason: 'auth' });
    expect(detectStatus({ ...base, lines: ['> '], lastOutput: 0, exited: true })).toBe('exited');
  });
});

describe("an agent's own report (hook signal)", () => {
  const quiet: StatusInput = { ...base, lines: ['✻ Pondering… (esc to interrupt)'], lastOutput: now - 100 };
  it('wins over the screen at once, in both directions', () => {
    // the screen says working (fresh output); the hook says it asks the user
    expect(detectStatus({ ...quiet, signal: { state: 'waiting', at: now - 100 } })).toBe('waiting');
    // a working agent is done the moment its Stop hook says so, without the 3 s debounce
    expect(detectStatus({ ...quiet, previous: 'working', signal: { state: 'done', at: now - 100 } })).toBe('done');
  });
  it('holds until the user types into the pane; then the screen decides', () => {
    const answered = { ...quiet, lastInput: now - 50, lastOutput: now - 10, signal: { state: 'waiting' as const, at: now - 500 } };
    expect(detectStatus(answered)).toBe('working');
  });
  it('an error printed after the report still counts; one the report came after does not', () => {
    const lines = ['the fix: back off on 429 rate limit responses', '> '];
    expect(detectStatus({ ...base, lines, lastOutput: now - 5000, signal: { state: 'done', at: now - 5000 } })).toBe('done');
    expect(detectStatus({ ...base, lines, lastOutput: now - 100, signal: { state: 'done', at: now - 5000 } })).toBe('error');
  });
  it('reads OSC 777;berth;state;… text and ignores anything else', () => {
    expect(parseSignal('state;waiting;Bash: rm -rf build', 5)).toEqual({ state: 'waiting', at: 5, reason: 'Bash: rm -rf build' });
    expect(parseSignal('state;done', 5)).toEqual({ state: 'done', at: 5 });
    expect(parseSignal('state;exited', 5)).toBeNull();
    expect(parseSignal('progress;50', 5)).toBeNull();
  });
});

describe('rule files', () => {
  it('a user file of the same name replaces the shipped one; "*" rules still apply', () => {
    const user = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rules-'));
    fs.writeFileSync(path.join(user, 'claude.toml'), 'kinds = ["cc"]\n[[rule]]\nstate = "waiting"\nmatch = "^Proceed\\\\?$"\n');
    const files = loadRuleFiles({ user });
    const rules = rulesForKind('cc', files);
    const at = { ...base, rules, lastOutput: now - 5000 };
    expect(detectStatus({ ...at, lines: ['Proceed?'] })).toBe('waiting');
    // the shipped claude-only wording is gone, the common error rules stay
    expect(detectStatus({ ...at, lines: ['No, and tell Claude what to do differently'] })).toBe('done');
    expect(detectStatus({ ...at, lines: ['rate limit exceeded'] })).toBe('error');
  });
  it('a kind no file names gets the default file\'s rules', () => {
    const rules = rulesForKind('mystery-agent', shipped);
    expect(detectStatus({ ...base, rules, lines: ['[sudo] password for me: '], lastOutput: now - 5000 })).toBe('waiting');
  });
  it('a bad rule names its file, line and column', () => {
    expect(() => parseRuleFile('kinds = ["x"]\n[[rule]]\nstate = "waiting"\nmatch = "(("\n', 'x.toml')).toThrow(/^x\.toml:4:\d+: rule 1: /);
    expect(() => parseRuleFile('kinds = ["x"]\n[[rule]]\nstate = "sleepy"\nmatch = "a"\n', 'x.toml')).toThrow(/^x\.toml:3:\d+: .*state/);
  });
});

describe('hook and screen together', () => {
  const rules = base.rules;
  it('a permission question drawn after the tool hook said working is waiting', () => {
    const lines = ['Do you want to proceed?', '❯ 1. Yes', '  2. No'];
    expect(detectStatus({ ...base, lines, lastOutput: now - 1200, signal: { state: 'working', at: now - 1300 } })).toBe('waiting');
  });
  it("a hook's working holds through a quiet tool run the screen would call done", () => {
    const lines = ['⏺ Bash(npm test)', '> '];
    expect(detectStatus({ ...base, rules, lines, lastOutput: now - 60_000, signal: { state: 'working', at: now - 60_000 } })).toBe('working');
    expect(detectStatus({ ...base, rules, lines, lastOutput: now - 60_000 })).toBe('done');
  });
  it("output that keeps coming long after a done report is work again", () => {
    const lines = ['building…'];
    expect(detectStatus({ ...base, lines, lastOutput: now - 100, signal: { state: 'done', at: now - 200 } })).toBe('done');
    expect(detectStatus({ ...base, lines, lastOutput: now - 100, signal: { state: 'done', at: now - 5000 } })).toBe('working');
  });
});

describe('a done report and the question it answered', () => {
  it('an answered question still on screen does not undo the end of the turn the agent reported', () => {
    const lines = ['Do you want to proceed?', '❯ 1. Yes', '  2. No', 'answer: 1', 'done: ask', '> '];
    expect(detectStatus({ ...base, lines, lastInput: now - 3000, lastOutput: now - 2000, signal: { state: 'done', at: now - 2000 } })).toBe('done');
  });
});

describe('rules that read the title a program set', () => {
  it('match the title, not the screen', () => {
    const rules = parseRuleFile('kinds = ["x"]\n[[rule]]\nstate = "waiting"\nwhere = "title"\nmatch = "^\\\\? "\n', 'x.toml').rules;
    const at = { ...base, rules, lastOutput: now - 5000, lines: ['? not this'] };
    expect(detectStatus({ ...at, title: '? approve edit' })).toBe('waiting');
    expect(detectStatus({ ...at, title: 'claude' })).toBe('done');
    expect(detectStatus(at)).toBe('done');
  });
});

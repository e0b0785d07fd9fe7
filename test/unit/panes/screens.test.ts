// Every shipped rule file against every recorded screen (test/fixtures/screens): each screen
// must come out in the state it was recorded in, as a pane that went quiet 1.5 s ago reads it
// (past the output-is-arriving window, so the rules decide, not the timing).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRuleFiles, rulesForKind } from '../../../src/config/agentRules.js';
import { detectState, matchRule } from '../../../src/panes/status.js';
import { FIXTURE_KINDS, readScreenFixtures, screenTableMarkdown } from '../../fixtures/screens/index.js';

const files = loadRuleFiles({ user: '' });
const fixtures = readScreenFixtures();
const now = 1_000_000;

describe('recorded screens', () => {
  it.each(fixtures.map((f) => [`${f.agent}/${f.name}`, f] as const))('%s', (_, f) => {
    const got = detectState({ lines: f.lines, rules: rulesForKind(FIXTURE_KINDS[f.agent]!, files), exited: false, now, lastOutput: now - 1500, lastInput: 0, previous: 'done' });
    expect(got).toEqual({ status: f.state, ...(f.reason ? { reason: f.reason } : {}) });
  });
  it('every shipped rule recognises at least one recorded screen (none is untested)', () => {
    const used = new Set<object>();
    for (const f of fixtures) {
      const rules = rulesForKind(FIXTURE_KINDS[f.agent]!, files);
      // the rule that decides: the first of the fixture's state that matches
      const state = f.state === 'done' ? null : (f.state as 'waiting' | 'working' | 'error');
      if (state) {
        const hit = matchRule(f.lines, rules, state);
        if (hit) used.add(hit);
      }
    }
    const unused = files.flatMap((file) => file.rules.map((r, i) => ({ r, at: `${file.name}.toml rule ${i + 1} (${r.state}: ${r.re.source.slice(0, 40)})` }))).filter((x) => !used.has(x.r));
    expect(unused.map((x) => x.at)).toEqual([]);
  });
  it('every agent has screens of waiting, done and error', () => {
    for (const agent of Object.keys(FIXTURE_KINDS)) {
      for (const state of ['waiting', 'done', 'error']) expect(fixtures.some((f) => f.agent === agent && f.state === state), `${agent} ${state}`).toBe(true);
    }
  });
  it("the README's table counts them (npm run readme-tables)", () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const table = /<!-- screens:begin -->\n([\s\S]*?)\n<!-- screens:end -->/.exec(readme)?.[1];
    expect(table).toBe(screenTableMarkdown(fixtures));
  });
});

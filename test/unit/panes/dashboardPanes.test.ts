// What the dashboard's agent key starts, and the status badges of the container table.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNtmConfig } from '../../../src/config/ntm.js';
import { UserError } from '../../../src/config/errors.js';
import { defaultAgents, fitBadge, planSpawn, statusBadge } from '../../../src/panes/plan.js';
import { badgesOf, workspaceFailure } from '../../../src/workspace/dashboardWorkspaces.js';

const fixture = path.resolve('test/fixtures/agents/project/.ntm/config.toml');

describe('defaultAgents', () => {
  it('one of each agent the project config names, in its order, by NTM alias', () => {
    const ntm = parseNtmConfig(fs.readFileSync(fixture, 'utf8'), fixture, {});
    expect(defaultAgents(ntm)).toEqual([
      { kind: 'cc', count: 1 },
      { kind: 'cod', count: 1 },
      { kind: 'gmi', count: 1 },
    ]);
    // with the shell, the panes `a` opens for the fixture project
    const plan = planSpawn({ project: 'fx', container: 'fx-dev', agents: defaultAgents(ntm), user: true, ntm });
    expect(plan.panes.map((p) => p.title)).toEqual(['fx__user', 'fx__cc_1', 'fx__cod_1', 'fx__gmi_1']);
    expect(plan.usesProjectConfig).toBe(true);
  });
  it('custom agents keep their name; no config means the shell only', () => {
    const ntm = parseNtmConfig('[agents]\naider = "aider --yes"\nclaude = "claude"\n', 'x.toml', {});
    expect(defaultAgents(ntm)).toEqual([
      { kind: 'aider', count: 1 },
      { kind: 'cc', count: 1 },
    ]);
    expect(defaultAgents(null)).toEqual([]);
    expect(defaultAgents(parseNtmConfig('[agents.aliases]\ncc = "claude"\n', 'y.toml', {}))).toEqual([]);
  });
});

describe('status badges', () => {
  it('counts per status, most urgent first', () => {
    expect(statusBadge(['done', 'working', 'shell', 'working'])).toBe('2 working 1 done 1 shell');
    expect(statusBadge(['exited', 'error', 'waiting'])).toBe('1 error 1 waiting 1 exited');
    expect(statusBadge([])).toBe('');
  });
  it('letters when the words do not fit', () => {
    expect(fitBadge('2 working 1 done 1 shell', 30)).toBe('2 working, 1 done, 1 shell');
    expect(fitBadge('6 exited 1 shell', 17)).toBe('6 exited, 1 shell');
    expect(fitBadge('6 exited 1 shell', 16)).toBe('6x 1s');
    expect(fitBadge('2 working 1 done 1 shell', 10)).toBe('2w 1d 1s');
    expect(fitBadge('1 error 1 waiting 1 exited', 5)).toBe('1! 1?');
    expect(fitBadge('1 working 2 done 1 shell', 6)).toBe('1w 2d');
    expect(fitBadge('1 shell', 2)).toBe('1s');
    // with no room even for that: no badge rather than a cut one
    expect(fitBadge('1 error 1 done 3 shell', 2)).toBe('1!');
    expect(fitBadge('1 error 1 done 3 shell', 1)).toBe('');
  });
});

describe('workspaceFailure', () => {
  it('a user error as it is, others named as agent pane failures', () => {
    expect(workspaceFailure('fx', new UserError('project "fx" has no running container'))).toBe('project "fx" has no running container');
    expect(workspaceFailure('fx', new Error('boom'))).toBe('fx: agent panes failed: boom');
  });
});

describe('badgesOf (the session server\'s list → container badges)', () => {
  it('sums the panes of every session per container; panes without a container are not counted', () => {
    const pane = (kind: string, status: string, container?: string) => ({ index: 0, window: 0, title: 't', kind, status, running: true, container });
    const badges = badgesOf([
      { name: 'shop', created: 0, attached: false, clients: 0, windows: ['agents'], window: 0, panes: [pane('user', 'done', 'shop-1'), pane('cc', 'working', 'shop-1'), pane('cc', 'done', 'shop-1'), pane('cod', 'working', 'shop-2')] },
      { name: 'ml', created: 0, attached: true, clients: 1, windows: ['agents'], window: 0, panes: [pane('user', 'done', 'ml-1'), pane('cc', 'done')] },
    ]);
    expect(badges).toEqual({ 'shop-1': '1 working 1 done 1 shell', 'shop-2': '1 working', 'ml-1': '1 shell' });
    expect(badgesOf([])).toEqual({});
  });
});

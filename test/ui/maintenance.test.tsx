// The backup dialog, the disk-usage view and the prune preview drawn from a hand-filled
// store (the engine data: the prune snapshot recorded from the private engine), and their keys.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { loadTheme } from '../../src/config/theme.js';
import { handleDashboardKey } from '../../src/input/dashboardKeys.js';
import type { BackupPlan } from '../../src/ops/backup/backup.js';
import { summarizeDiskUsage } from '../../src/ops/diskUsage.js';
import { planPrune, type EngineSnapshot } from '../../src/ops/prune/plan.js';
import { backupLines, diskLines, pruneLines, type MaintPanel } from '../../src/dashboard/maintenance.js';
import { createAppStore } from '../../src/dashboard/store.js';
import { Dashboard } from '../../src/ui/dashboard/Dashboard.js';
import { ThemeProvider } from '../../src/ui/theme.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const snap = JSON.parse(fs.readFileSync(path.join(here, '..', 'unit', 'prune', 'fixtures', 'engine-snapshot.json'), 'utf8')) as EngineSnapshot;
const du = summarizeDiskUsage(snap.df);
const plan = planPrune(snap, { kinds: ['containers', 'images', 'networks', 'build-cache'], projects: [], protectVolumes: [], lastBackup: () => null, protectDays: 7, now: new Date('2026-11-22T12:00:00Z') });
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const tick = () => new Promise((r) => setTimeout(r, 30));

const user = (name: string, running: boolean, image = 'berth-fixture:latest') => ({ id: `id-${name}`, name, image, running }) as BackupPlan['stop'][number];
const backupPlan: BackupPlan = {
  target: 'volume:rec-vol',
  kind: 'volume',
  targets: [{ source: { kind: 'volume', name: 'rec-vol' }, key: 'rec-vol', users: [user('rec-running', true)] }],
  stop: [],
  live: [user('rec-running', true)],
  dumps: [],
  notes: [],
};

function setup(maint: MaintPanel) {
  const store = createAppStore([], 'unix:///run/test.sock');
  store.getState().setEngine({ kind: 'connected', address: 'unix:///run/test.sock', version: '20.10.24', apiVersion: '1.41' });
  store.getState().patchUi({ maint });
  const ui = render(
    <ThemeProvider theme={loadTheme('default', {})}>
      <Dashboard store={store} cols={120} rows={30} />
    </ThemeProvider>,
  );
  const key = (k: string, t = '') => handleDashboardKey({ store, quit: () => {}, pageSize: () => 5 }, k, t);
  return { store, ui, key, text: () => strip(ui.lastFrame() ?? '') };
}

describe('maintenance view models', () => {
  it('backup lines: the archive path per volume, and the live-copy warning', () => {
    const lines = backupLines({ kind: 'backup', target: 'rec-vol', plans: [backupPlan], error: null, consistency: 'auto', dump: false, dest: '/b' }, new Date('2026-11-22T10:00:00Z'));
    expect(lines.map((l) => l.text)).toEqual([
      'copy volume rec-vol -> /b/rec-vol/rec-vol-20261122T100000000Z.tar.gz',
      'warning: rec-running keeps running: its data is copied live (may be inconsistent)',
    ]);
    expect(lines[1]!.role).toBe('warning');
    // stopped for the copy: the agent panes in that container are named, they end with it
    const stopping = { ...backupPlan, stop: [user('rec-running', true)], live: [] };
    const panes = [
      { session: 'rec', title: 'rec__cc_1', container: 'rec-running' },
      { session: 'rec', title: 'rec__user', container: 'rec-running' },
    ];
    expect(backupLines({ kind: 'backup', target: 'rec-vol', plans: [stopping], error: null, consistency: 'stop', dump: false, dest: '/b', panes }, new Date('2026-11-22T10:00:00Z')).map((l) => l.text)).toEqual([
      'copy volume rec-vol -> /b/rec-vol/rec-vol-20261122T100000000Z.tar.gz',
      'stop rec-running for the copy, start it again after',
      '  its agent panes end with it and run again when it is back: rec: rec__cc_1, rec: rec__user',
    ]);
    expect(backupLines({ kind: 'backup', target: '', plans: null, error: 'x has no named volumes to back up', consistency: 'auto', dump: false, dest: '/b' })).toEqual([{ text: 'x has no named volumes to back up', role: 'error' }]);
  });

  it('disk lines: the df -v sections of the recorded engine', () => {
    const text = diskLines({ kind: 'disk', du, error: null, scroll: 0 }).map((l) => l.text);
    expect(text[0]).toMatch(/^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$/);
    expect(text).toContain('Local Volumes space usage:');
    expect(text.some((l) => /^rec-vol\s+1\s/.test(l))).toBe(true);
    expect(text.some((l) => l.startsWith('scratch '))).toBe(true);
  });

  it('prune lines: exactly the plan items, kept ones dimmed', () => {
    const lines = pruneLines({ kind: 'prune', plan, error: null, volumes: false, scroll: 0 });
    expect(lines[0]).toEqual({ text: 'containers: 1 to remove', role: 'heading' });
    expect(lines[1]!.text).toMatch(/^ {2}rec-stopped {2}/);
    expect(lines.at(-1)!.text).toMatch(/^total: 3 object\(s\)/);
  });
});

describe('maintenance views', () => {
  it('the backup dialog shows the plan and its options; n closes it', async () => {
    const { store, key, text } = setup({ kind: 'backup', target: 'rec-vol', plans: [backupPlan], error: null, consistency: 'auto', dump: false, dest: '/b' });
    await tick();
    expect(text()).toContain('back up rec-vol to /b?');
    expect(text()).toContain('copy volume rec-vol -> /b/rec-vol/rec-vol-');
    expect(text()).toContain('[ ] s stop databases, copy the rest live');
    expect(text()).toContain('[ ] D logical dump of databases too');
    expect(text()).toContain('y back up   d dry run (plan only)   n/esc/enter cancel');
    key('y'); // no engine side: yes does nothing
    expect(store.getState().ui.maint?.kind).toBe('backup');
    key('escape');
    expect(store.getState().ui.maint).toBeNull();
  });

  it('the disk-usage view scrolls with j and closes with esc', async () => {
    const { store, key, text } = setup({ kind: 'disk', du, error: null, scroll: 0 });
    await tick();
    expect(text()).toContain('disk usage (docker system df -v)');
    expect(text()).toContain('Images space usage:');
    expect(text()).toContain('P prune preview');
    // the footer speaks of this view, not of the container list under it
    const footer = text().trimEnd().split('\n').at(-1)!;
    expect(footer).toMatch(/P prune preview\s+j\/k scroll\s+esc back\s+\? help/);
    expect(footer).not.toMatch(/restart|remove/);
    key('j');
    key('j');
    expect(store.getState().ui.maint).toMatchObject({ kind: 'disk', scroll: 2 });
    await tick();
    expect(text()).not.toMatch(/│ TYPE\s+TOTAL/);
    key('escape');
    expect(store.getState().ui.maint).toBeNull();
    await tick();
    expect(text()).not.toContain('disk usage');
  });

  it('the prune preview names every object that goes and asks; n cancels', async () => {
    const { store, key, text } = setup({ kind: 'prune', plan, error: null, volumes: false, scroll: 0 });
    await tick();
    const t = text();
    expect(t).toContain('remove these objects? This cannot be undone.');
    for (const i of plan.items) expect(t).toContain(i.name);
    expect(t).toContain('[ ] v unused volumes too');
    key('n');
    expect(store.getState().ui.maint).toBeNull();
  });
});

// The one order of the dashboard's open views: the top one gets the keys and the footer.
import { describe, expect, it } from 'vitest';
import { activeChain } from '../../../src/input/dashboardKeys.js';
import { createAppStore } from '../../../src/dashboard/store.js';
import { topView, viewStack } from '../../../src/dashboard/views.js';

describe('viewStack', () => {
  it('stacks filter, prompt, help, confirm, maintenance, project panel, detail, list', () => {
    const store = createAppStore([]);
    const s = () => store.getState();
    expect(viewStack(s())).toEqual(['list']);
    s().patchUi({ view: 'detail', detail: { kind: 'project', name: 'p', containers: [] }, tab: 'logs' });
    store.setState({ projectPanel: { kind: 'menu', project: 'p' } as never });
    s().patchUi({ maint: { kind: 'disk', du: null, error: null, scroll: 0 } as never, help: true });
    expect(viewStack(s())).toEqual(['help', 'maint', 'panel', 'detail', 'list']);
    expect(topView(s())).toBe('help');
    // help lists the keys of the view under it first
    expect(activeChain(store)).toBe('list');
    s().patchUi({ maint: null });
    expect(activeChain(store)).toBe('compose');
    store.setState({ projectPanel: null });
    expect(activeChain(store)).toBe('logs');
    s().patchUi({ help: false, filterEditing: true });
    expect(topView(s())).toBe('filter');
  });
});

describe('destructive confirmations', () => {
  it('enter is the safe answer: it cancels; only y does it', async () => {
    const { handleDashboardKey } = await import('../../../src/input/dashboardKeys.js');
    const store = createAppStore([]);
    const answers: string[] = [];
    const ops = { confirm: (a: string) => answers.push(a) } as never;
    store.getState().patchUi({ confirm: { action: 'remove' } as never });
    const key = (k: string) => handleDashboardKey({ store, quit: () => {}, pageSize: () => 10, ops }, k, k.length === 1 ? k : '');
    key('enter');
    key('y');
    key('escape');
    expect(answers).toEqual(['no', 'yes', 'no']);
  });
});

describe('q and ctrl+c', () => {
  it('q closes the open view and quits only from the top level; ctrl+c always quits', async () => {
    const { handleDashboardKey } = await import('../../../src/input/dashboardKeys.js');
    const store = createAppStore([]);
    let quits = 0;
    const key = (k: string) => handleDashboardKey({ store, quit: () => quits++, pageSize: () => 10 }, k, k.length === 1 ? k : '');
    store.getState().patchUi({ view: 'detail', detail: { kind: 'project', name: 'p', containers: [] }, tab: 'inspect' });
    key('q');
    expect([store.getState().ui.view, quits]).toEqual(['list', 0]);
    store.getState().patchUi({ maint: { kind: 'disk', du: null, error: null, scroll: 0 } as never });
    key('q');
    expect([store.getState().ui.maint, quits]).toEqual([null, 0]);
    store.getState().patchUi({ view: 'detail', detail: { kind: 'project', name: 'p', containers: [] } });
    key('ctrl+c');
    expect(quits).toBe(1);
    store.getState().patchUi({ view: 'list', detail: null });
    key('q');
    expect(quits).toBe(2);
  });
});

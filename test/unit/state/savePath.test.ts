// Where `o` / `O` in a log view offer to save: the project's own folder when it is on this
// machine, else the folder berth was started in; always shown as a whole path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { Operations } from '../../../src/dashboard/operations.js';
import { createAppStore } from '../../../src/dashboard/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function opsFor(projectPath: string, cwd: string) {
  const store = createAppStore([{ name: 'shop', path: projectPath, containers: [] } as never], 'unix:///x.sock');
  store.getState().patchUi({ view: 'detail', detail: { kind: 'project', name: 'shop', containers: [] }, tab: 'logs' });
  const ops = new Operations({ docker: new Dockerode({ socketPath: '/nonexistent.sock' }), store, logs: { maxLines: 10, tail: 10 }, cwd });
  return { store, ops };
}

describe('log save prompt', () => {
  it("offers the project's folder when it exists here, else the starting folder, as a whole path", () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-proj-'));
    const started = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cwd-'));
    dirs.push(project, started);
    const a = opsFor(project, started);
    a.ops.openPrompt('saveVisible');
    const v = a.store.getState().ui.prompt!.value;
    expect(path.dirname(v)).toBe(project);
    expect(path.basename(v)).toMatch(/^shop-\d{8}-\d{6}\.log$/);

    const b = opsFor(path.join(project, 'not-here'), started);
    b.ops.openPrompt('saveFull');
    const w = b.store.getState().ui.prompt!.value;
    expect(path.dirname(w)).toBe(started);
    expect(w).toMatch(/-full\.log$/);
  });
});

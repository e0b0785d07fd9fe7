// Container operations against the private engine, including the refusal paths: removing
// a running container without force, acting on a container that vanished meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewRemoval, runContainerAction, runOnMany, describeRemoval } from '../../src/engine/actions.js';
import { createAppStore } from '../../src/dashboard/store.js';
import { Operations } from '../../src/dashboard/operations.js';
import { openEngine } from '../../src/engine/connection.js';
import { EngineHub } from '../../src/dashboard/engineHub.js';
import { getTestEngine, type TestEngine } from '../harness/engine.js';

let te: TestEngine;
const tag = `a${process.pid % 10000}`;

async function run(name: string, args: string[] = [], cmd: string[] = ['sleep', '600']): Promise<string> {
  const labels = Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  const r = await te.dockerCli(['run', '-d', '--stop-timeout', '1', '--name', name, ...labels, ...args, te.image, ...cmd]);
  return r.stdout.trim();
}

const state = async (id: string) => (await te.docker.getContainer(id).inspect()).State;

async function until(pred: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  te = await getTestEngine();
});

describe('container actions', () => {
  it('restart, stop, start, pause, unpause, kill on a real container', async () => {
    const id = await run(`${tag}-ops`);
    const t = { id, name: `${tag}-ops` };
    const before = (await state(id)).StartedAt;
    let r = await runContainerAction(te.docker, t, 'restart');
    expect(r).toMatchObject({ ok: true, message: `${tag}-ops: restarted` });
    expect((await state(id)).StartedAt).not.toBe(before);
    r = await runContainerAction(te.docker, t, 'pause');
    expect(r.ok).toBe(true);
    expect((await state(id)).Paused).toBe(true);
    r = await runContainerAction(te.docker, t, 'unpause');
    expect((await state(id)).Paused).toBe(false);
    r = await runContainerAction(te.docker, t, 'kill');
    expect(r.message).toBe(`${tag}-ops: killed`);
    expect((await state(id)).ExitCode).toBe(137);
    r = await runContainerAction(te.docker, t, 'start');
    expect((await state(id)).Running).toBe(true);
    r = await runContainerAction(te.docker, t, 'start');
    expect(r).toMatchObject({ ok: false, message: `${tag}-ops: already running` });
    r = await runContainerAction(te.docker, t, 'stop');
    expect(r.ok).toBe(true);
    expect((await state(id)).Running).toBe(false);
  });

  it('refuses to remove a running container without force, with the engine message', async () => {
    const id = await run(`${tag}-busy`);
    const t = { id, name: `${tag}-busy` };
    const r = await runContainerAction(te.docker, t, 'remove');
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(new RegExp(`^${tag}-busy: remove failed: .*(cannot remove a running container|stop the container before attempting removal)`, 'i'));
    expect(r.message).not.toContain('\n');
    expect((await state(id)).Running).toBe(true);
    const forced = await runContainerAction(te.docker, t, 'remove', { force: true });
    expect(forced.ok).toBe(true);
    await expect(te.docker.getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });

  it('says clearly when the container vanished meanwhile', async () => {
    const id = await run(`${tag}-gone`);
    await te.docker.getContainer(id).remove({ force: true });
    for (const action of ['restart', 'stop', 'kill', 'remove'] as const) {
      const r = await runContainerAction(te.docker, { id, name: `${tag}-gone` }, action);
      expect(r).toMatchObject({ ok: false, message: `${tag}-gone: no longer exists (removed meanwhile); nothing to ${action}` });
    }
  });

  it('lists anonymous volumes for the confirmation, and removes them only with v', async () => {
    const keep = await run(`${tag}-vol1`, ['-v', '/data'], ['true']);
    const drop = await run(`${tag}-vol2`, ['-v', '/data'], ['true']);
    await until(async () => !(await state(keep)).Running && !(await state(drop)).Running, 'both to exit');
    const previews = await previewRemoval(te.docker, [{ id: keep, name: `${tag}-vol1` }, { id: drop, name: `${tag}-vol2` }]);
    const volOf = async (id: string) => (await te.docker.getContainer(id).inspect()).Mounts.find((m) => m.Destination === '/data')!.Name!;
    const keepVol = await volOf(keep);
    const dropVol = await volOf(drop);
    expect(previews[0]!.anonymousVolumes).toEqual([keepVol.slice(0, 12)]);
    expect(describeRemoval(previews, { volumes: true })).toContain(`  anonymous volume ${dropVol.slice(0, 12)}: removed`);
    expect(describeRemoval(previews, { volumes: false })).toContain(`  anonymous volume ${keepVol.slice(0, 12)}: kept`);
    expect((await runContainerAction(te.docker, previews[0]!.target, 'remove')).ok).toBe(true);
    expect((await runContainerAction(te.docker, previews[1]!.target, 'remove', { volumes: true })).ok).toBe(true);
    await expect(te.docker.getVolume(keepVol).inspect()).resolves.toBeTruthy();
    await expect(te.docker.getVolume(dropVol).inspect()).rejects.toMatchObject({ statusCode: 404 });
    await te.docker.getVolume(keepVol).remove();
  });

  it('acts on all containers of a project at once and sums up', async () => {
    const a = await run(`${tag}-p1`);
    const b = await run(`${tag}-p2`);
    const r = await runOnMany(te.docker, [{ id: a, name: 'p1' }, { id: b, name: 'p2' }], 'stop');
    expect(r).toMatchObject({ ok: true, summary: 'stopped 2/2' });
    const again = await runOnMany(te.docker, [{ id: a, name: 'p1' }, { id: 'f'.repeat(64), name: 'ghost' }], 'start');
    expect(again.ok).toBe(false);
    expect(again.summary).toBe('started 1/2; ghost: no longer exists (removed meanwhile); nothing to start');
  });
});

describe('Operations (what the keys do) with the live store', () => {
  it('restarts the selected container and every container of the selected project, without blocking', async () => {
    const project = `proj${tag}`;
    const a = await run(`${tag}-web`, ['--label', `com.docker.compose.project=${project}`]);
    const b = await run(`${tag}-db`, ['--label', `com.docker.compose.project=${project}`]);
    const engine = openEngine({ host: te.host });
    const hub = new EngineHub(engine, { interval_ms: 1000, history: 60 });
    const store = createAppStore([], te.host);
    hub.attach(store);
    await hub.watcher.ready();
    const ops = new Operations({ docker: engine.docker, store, logs: { maxLines: 1000, tail: 100 } });
    try {
      await until(() => store.getState().projects.some((p) => p.name === project), 'the project in the store');
      const pi = store.getState().projects.findIndex((p) => p.name === project) + 1;
      store.getState().patchUi({ projectIndex: pi, focus: 'projects' });
      const startedA = (await state(a)).StartedAt;
      const startedB = (await state(b)).StartedAt;
      const t0 = performance.now();
      ops.command('restart');
      expect(performance.now() - t0).toBeLessThan(50); // returns at once; the work is async
      expect(store.getState().ui.message).toBe(`restarting project ${project} (2)…`);
      await until(() => store.getState().ui.messageKind === 'ok', 'the result in the status line', 20_000);
      expect(store.getState().ui.message).toBe(`project ${project} (2): restarted 2/2`);
      expect((await state(a)).StartedAt).not.toBe(startedA);
      expect((await state(b)).StartedAt).not.toBe(startedB);

      // The selected container only: stop, then the same key starts it again.
      store.getState().patchUi({ focus: 'containers', containerIndex: 0 });
      const sel = store.getState().projects[pi - 1]!.containers[0]!;
      ops.command('stopStart');
      await until(async () => !(await state(sel.id)).Running, 'stopped');
      await until(() => store.getState().containers.find((c) => c.id === sel.id)?.state === 'exited', 'the store to see it');
      ops.command('stopStart');
      await until(async () => (await state(sel.id)).Running, 'started again');

      // Remove asks first; a dry run removes nothing.
      ops.command('remove');
      expect(store.getState().ui.confirm?.targets.map((t) => t.name)).toEqual([sel.name]);
      await until(() => store.getState().ui.confirm?.previews !== null, 'the removal preview');
      ops.confirm('dry');
      expect(store.getState().ui.message).toBe(`dry run, nothing removed: container ${sel.name} (running): refused unless forced`);
      expect((await state(sel.id)).Running).toBe(true);
      // Without force the engine refuses; the status line says why.
      ops.command('remove');
      ops.confirm('yes');
      await until(() => store.getState().ui.messageKind === 'error', 'the refusal');
      expect(store.getState().ui.message).toMatch(/remove failed: .*running container/i);
    } finally {
      ops.stop();
      hub.stop();
    }
  });
});

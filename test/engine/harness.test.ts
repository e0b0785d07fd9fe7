// The test harness itself: the engine answers and is the test engine (not the machine's
// default one), the fixture image runs, the daemon can be killed and started again, and
// cleanupTestObjects removes exactly what carries the test label.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../harness/daemon.js';
import { canRestartDaemon, cleanupTestObjects, getDaemonState, getTestEngine, RESTART_SKIP_NOTE, TEST_LABEL } from '../harness/engine.js';

const DEFAULT_SOCKETS = ['unix:///var/run/docker.sock', 'unix:///run/docker.sock'];

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : undefined;
}

describe('test harness', () => {
  it('talks to the test engine, never the machine default one', async () => {
    const engine = await getTestEngine();
    expect(String(await engine.docker.ping())).toBe('OK');
    expect(DEFAULT_SOCKETS).not.toContain(engine.host);
    // a test that forgets the harness and uses DOCKER_HOST lands on the same engine
    expect(process.env.DOCKER_HOST).toBe(engine.host);
    expect(process.env.DOCKER_CONTEXT).toBeUndefined();
    const info = await engine.docker.info();
    if (engine.managed) {
      const state = getDaemonState();
      expect(engine.host).toBe(`unix://${state.socket}`);
      expect(info.DockerRootDir).toBe(state.dataRoot);
    }
    const { stdout } = await engine.dockerCli(['info', '--format', '{{.ID}}']);
    expect(stdout.trim()).toBe(info.ID);
  });

  it('runs the busybox fixture image', async () => {
    const engine = await getTestEngine();
    const echoed = await engine.dockerCli(['run', '--rm', '--label', `${TEST_LABEL}=1`, engine.image, 'echo', 'hello from busybox']);
    expect(echoed.stdout).toBe('hello from busybox');
    const piped = await engine.dockerCli(['run', '-i', '--rm', '--label', `${TEST_LABEL}=1`, engine.image, 'sh', '-c', 'tr a-z A-Z'], { input: 'quiet\n' });
    expect(piped.stdout).toBe('QUIET');
    const image = await engine.docker.getImage(engine.image).inspect();
    expect(image.Config.Cmd).toEqual(['sh']);
    expect(image.RootFS.Layers).toHaveLength(1); // FROM scratch, one COPY
  });

  it('dockerCli rejects on a non-zero exit unless told not to', async () => {
    const engine = await getTestEngine();
    const r = await engine.dockerCli(['run', '--rm', '--label', `${TEST_LABEL}=1`, engine.image, 'sh', '-c', 'echo oops >&2; exit 3'], { reject: false });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('oops');
    await expect(engine.dockerCli(['image', 'inspect', 'berth-no-such-image:nope'])).rejects.toThrow(/failed \(exit 1\)/);
  });

  it('kills the private dockerd and starts it again', async (ctx) => {
    ctx.skip(!canRestartDaemon(), RESTART_SKIP_NOTE);
    const engine = await getTestEngine();
    const state = getDaemonState();
    const pidBefore = Number(readFileSync(state.pidfile, 'utf8'));
    expect(isAlive(pidBefore)).toBe(true);
    await engine.dockerCli(['create', '--name', 'berth-harness-survivor', '--label', `${TEST_LABEL}=1`, engine.image, 'true']);

    await engine.killDaemon();
    expect(isAlive(pidBefore)).toBe(false);
    await expect(engine.docker.ping()).rejects.toThrow();
    await expect(engine.killDaemon()).rejects.toThrow(/not running/);

    const started = Date.now();
    await engine.startDaemon();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(String(await engine.docker.ping())).toBe('OK');
    const pidAfter = Number(readFileSync(state.pidfile, 'utf8'));
    expect(pidAfter).not.toBe(pidBefore);
    expect(isAlive(pidAfter)).toBe(true);
    // same data root: what existed before is still there
    const survivor = await engine.docker.getContainer('berth-harness-survivor').inspect();
    expect(survivor.Config.Labels[TEST_LABEL]).toBe('1');
    await expect(engine.startDaemon()).rejects.toThrow(/already running/);
  });

  it('cleanupTestObjects removes labelled containers, volumes and networks, and nothing else', async () => {
    const { docker, image, labels } = await getTestEngine();
    const running = await docker.createContainer({ Image: image, Cmd: ['sleep', '300'], Labels: labels, Volumes: { '/scratch': {} } });
    await running.start();
    const anonymous = (await running.inspect()).Mounts.find((m) => m.Destination === '/scratch')?.Name;
    expect(anonymous).toBeTruthy();
    await docker.createContainer({ Image: image, Cmd: ['true'], Labels: labels });
    await docker.createVolume({ Name: 'berth-harness-vol', Labels: labels });
    await docker.createNetwork({ Name: 'berth-harness-net', Labels: labels, Internal: true });
    const keep = await docker.createContainer({ Image: image, Cmd: ['true'], name: 'berth-harness-keep' });
    await docker.createVolume({ Name: 'berth-harness-keep' });
    try {
      await cleanupTestObjects();
      const filters = { label: [TEST_LABEL] };
      expect(await docker.listContainers({ all: true, filters })).toEqual([]);
      expect((await docker.listVolumes({ filters })).Volumes ?? []).toEqual([]);
      expect(await docker.listNetworks({ filters })).toEqual([]);
      const anonymousGone = await docker
        .getVolume(anonymous as string)
        .inspect()
        .then(() => 200, statusOf);
      expect(anonymousGone).toBe(404);
      // unlabelled objects are left alone
      expect((await keep.inspect()).Name).toBe('/berth-harness-keep');
      expect((await docker.getVolume('berth-harness-keep').inspect()).Name).toBe('berth-harness-keep');
    } finally {
      await keep.remove({ force: true });
      await docker.getVolume('berth-harness-keep').remove();
    }
  });
});

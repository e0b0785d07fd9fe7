// The Docker engine that engine and e2e tests talk to.
//
// It is chosen by test/run-tests.js (or, when vitest runs engine/e2e tests directly, by
// test/harness/global-setup.ts) and handed over through two variables:
//   BERTH_TEST_DOCKER_HOST   unix:///…/d.sock of the engine
//   BERTH_TEST_DAEMON_STATE  state.json of the test folder (dockerd argv, pidfile, …)
// Without BERTH_TEST_DAEMON_STATE, BERTH_TEST_DOCKER_HOST alone names an existing engine
// that the tests must not restart.
import Dockerode from 'dockerode';
import { execa } from 'execa';
import * as daemon from './daemon.js';
import type { DaemonState } from './daemon.js';

export type { DaemonState } from './daemon.js';

export const TEST_LABEL = daemon.TEST_LABEL;
export const FIXTURE_IMAGE = daemon.FIXTURE_IMAGE;

export interface DockerCliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface TestEngine {
  /** e.g. unix:///tmp/berth-test-1234/d.sock of the private dockerd */
  host: string;
  /** connected to `host` */
  docker: Dockerode;
  /** fixture image, FROM scratch with a static busybox: 'berth-fixture:latest' */
  image: string;
  /** put these on everything a test creates; cleanupTestObjects() removes what carries them */
  labels: Record<string, string>;
  /** true when killDaemon/startDaemon are available (a private dockerd of this run) */
  managed: boolean;
  /** the docker CLI against the test engine; rejects on a non-zero exit unless reject is false */
  dockerCli(args: string[], opts?: { input?: string; reject?: boolean }): Promise<DockerCliResult>;
  /** SIGKILL the private dockerd and wait until it is gone */
  killDaemon(): Promise<void>;
  /** start it again (same argv: socket, data root, exec root); resolves once it answers (30 s at most) */
  startDaemon(): Promise<void>;
}

const NO_ENGINE =
  'no test engine: BERTH_TEST_DOCKER_HOST is not set. Run engine and e2e tests with `npm test`, ' +
  '`node test/run-tests.js` or `npx vitest run --project engine` (they start a private dockerd), ' +
  'or set BERTH_TEST_DOCKER_HOST=unix:///… to an engine dedicated to tests';

/** The state of the test engine as the runner described it (read anew on each call). */
export function getDaemonState(): DaemonState {
  const host = process.env[daemon.HOST_ENV];
  const file = process.env[daemon.STATE_ENV];
  if (file) {
    const state = daemon.readState(file);
    if (state.engine === 'none') throw new Error(`${NO_ENGINE} (engine tests were skipped for this run)`);
    if (host && host !== state.host) {
      throw new Error(`BERTH_TEST_DOCKER_HOST (${host}) and ${file} (${state.host}) disagree; run the tests through test/run-tests.js`);
    }
    return state;
  }
  if (!host) throw new Error(NO_ENGINE);
  return {
    berthTest: 1,
    managed: false,
    engine: 'existing',
    ownerPid: process.pid,
    dir: '',
    host,
    socket: host.startsWith('unix://') ? host.slice('unix://'.length) : '',
    dataRoot: '',
    execRoot: '',
    pidfile: '',
    logFile: '',
    configFile: '',
    stateFile: '',
    dockerConfig: process.env.DOCKER_CONFIG ?? '',
    tmpDir: '',
    xdg: { config: '', state: '', data: '', cache: '', runtime: '' },
    image: daemon.FIXTURE_IMAGE,
    argv: [],
  };
}

/**
 * Whether this run may kill and restart the engine (it is the private dockerd of the run).
 * Tests that need killDaemon/startDaemon skip themselves at runtime when it is false:
 *   it('survives a restart', (ctx) => { if (!canRestartDaemon()) return ctx.skip(RESTART_SKIP_NOTE); … })
 */
export function canRestartDaemon(): boolean {
  try {
    return getDaemonState().managed;
  } catch {
    return false;
  }
}

export const RESTART_SKIP_NOTE =
  'needs the private dockerd of the test runner (BERTH_TEST_DOCKER_HOST points at an existing engine that tests must not restart)';

function dockerodeFor(host: string): Dockerode {
  const opts = daemon.hostToRequestOptions(host);
  if ('socketPath' in opts) return new Dockerode({ socketPath: opts.socketPath });
  return new Dockerode({ host: opts.host, port: opts.port, protocol: 'http' });
}

function cliEnv(state: DaemonState): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: state.host };
  delete env.DOCKER_CONTEXT;
  if (state.dockerConfig) env.DOCKER_CONFIG = state.dockerConfig;
  return env;
}

async function createEngine(): Promise<TestEngine> {
  const state = getDaemonState();
  const docker = dockerodeFor(state.host);
  if (!(await daemon.ping(state.host, 3000))) {
    if (state.managed && !daemon.isDaemonRunning(state)) {
      // an earlier test file killed the daemon and did not bring it back
      console.warn(`berth test harness: the private dockerd was not running; starting it again (${state.host})`);
      await daemon.launchDaemon(state);
    } else {
      throw new Error(`the test engine at ${state.host} does not answer`);
    }
  }
  await daemon.ensureFixtureImage(state.host, { dockerConfig: state.dockerConfig || undefined, tmpDir: state.tmpDir || undefined });
  return {
    host: state.host,
    docker,
    image: daemon.FIXTURE_IMAGE,
    labels: { [daemon.TEST_LABEL]: '1' },
    managed: state.managed,
    async dockerCli(args, opts = {}) {
      const r = await execa('docker', args, {
        env: cliEnv(state),
        extendEnv: false,
        input: opts.input,
        reject: false,
      });
      const result: DockerCliResult = { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
      if (opts.reject !== false && result.exitCode !== 0) {
        throw new Error(`docker ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim() || r.message}`);
      }
      return result;
    },
    killDaemon: () => daemon.killDaemon(state),
    async startDaemon() {
      await daemon.launchDaemon(state);
    },
  };
}

let enginePromise: Promise<TestEngine> | undefined;

/** The test engine, created once per test process (module instance). */
export function getTestEngine(): Promise<TestEngine> {
  enginePromise ??= createEngine().catch((error: unknown) => {
    enginePromise = undefined;
    throw error;
  });
  return enginePromise;
}

/** Whether getTestEngine() was called in this test process. */
export function engineWasRequested(): boolean {
  return enginePromise !== undefined;
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : undefined;
}

async function removeAll<T>(items: T[], remove: (item: T) => Promise<unknown>): Promise<string[]> {
  const failures: string[] = [];
  await Promise.all(
    items.map(async (item) => {
      try {
        await remove(item);
      } catch (error) {
        const status = statusOf(error);
        // 404: already gone; 409: removal already in progress
        if (status !== 404 && status !== 409) failures.push(error instanceof Error ? error.message : String(error));
      }
    }),
  );
  return failures;
}

/** Remove all containers (force, with anonymous volumes), volumes and networks labelled berth.test. */
export async function cleanupTestObjects(): Promise<void> {
  const { docker } = await getTestEngine();
  const filters = { label: [daemon.TEST_LABEL] };
  const containers = await docker.listContainers({ all: true, filters });
  const failures = await removeAll(containers, (c) => docker.getContainer(c.Id).remove({ force: true, v: true }));
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  failures.push(...(await removeAll(volumes ?? [], (v) => docker.getVolume(v.Name).remove())));
  const networks = await docker.listNetworks({ filters });
  failures.push(...(await removeAll(networks, (n) => docker.getNetwork(n.Id).remove())));
  if (failures.length) throw new Error(`cleanupTestObjects: ${failures.join('; ')}`);
}


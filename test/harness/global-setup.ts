// vitest global setup of the engine and e2e projects (runs in vitest's main process).
//
// Through test/run-tests.js (npm test) the engine is already chosen and described by
// BERTH_TEST_DOCKER_HOST / BERTH_TEST_DAEMON_STATE: nothing to do here. When vitest runs
// engine or e2e tests directly (`npx vitest run test/engine/x.test.ts`), this starts the
// same private, disposable dockerd as the runner and removes it at the end; a watchdog
// process removes it too if vitest is interrupted (vitest exits on SIGINT without
// running global teardown). With only BERTH_TEST_DOCKER_HOST set (an existing engine),
// it makes sure the fixture image exists there.
import * as daemon from './daemon.js';
import type { DaemonState } from './daemon.js';

const STARTED = Symbol.for('berth.test.globalSetupDaemon');
type Holder = { [STARTED]?: DaemonState };

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const holder = globalThis as Holder;
  if (daemon.isTruthyEnv(process.env[daemon.SKIP_ENV])) {
    throw new Error('berth tests: BERTH_TEST_SKIP_ENGINE is set, so engine and e2e tests cannot run; unset it or run only --project unit --project ui');
  }
  if (holder[STARTED] || process.env[daemon.STATE_ENV]) return undefined; // the runner (or another project) set it up
  const given = process.env[daemon.HOST_ENV];
  if (given) {
    if (!(await daemon.ping(given, 3000))) throw new Error(`berth tests: the engine at ${given} (BERTH_TEST_DOCKER_HOST) does not answer`);
    await daemon.ensureFixtureImage(given);
    // a test that forgets the harness still reaches this engine, not the machine's default one
    process.env.DOCKER_HOST = given;
    delete process.env.DOCKER_CONTEXT;
    return undefined;
  }
  const missing = daemon.findPrerequisites().missing;
  if (missing.length) {
    throw new Error(`berth tests: cannot start a private dockerd: ${daemon.describeMissing(missing)}; install them as root (apt-get install ${daemon.APT_PACKAGES.join(' ')}) or run \`npm test\`, which does`);
  }
  if (!daemon.isRoot()) throw new Error('berth tests: a private dockerd needs root; run as root or set BERTH_TEST_DOCKER_HOST=unix:///… to an engine dedicated to tests');
  await daemon.reapStale();
  const state = await daemon.createTestDir({ ownerPid: process.pid });
  daemon.spawnWatchdog(state);
  try {
    await daemon.launchDaemon(state);
    await daemon.ensureFixtureImage(state.host, { dockerConfig: state.dockerConfig, tmpDir: state.tmpDir });
  } catch (error) {
    await daemon.removeTestDir(state, { testProcesses: false });
    throw error;
  }
  holder[STARTED] = state;
  // test workers are forked after global setup and inherit this environment; TMPDIR stays
  // as it is because vitest itself outlives the folder
  const env = daemon.testEnvironment(state, process.env, { tmp: false });
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
  console.log(`berth tests: engine: private dockerd at ${state.host} for this vitest run (removed at the end)`);
  return async () => {
    delete holder[STARTED];
    // vitest's own workers carry the state variable too: leave them to vitest
    const problems = await daemon.removeTestDir(state, { testProcesses: false });
    for (const p of problems) console.warn(`berth tests: warning: ${p}`);
  };
}

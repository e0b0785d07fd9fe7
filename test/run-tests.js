#!/usr/bin/env node
// berth's test runner; `npm test` runs it after the type check and the build.
//
//   node test/run-tests.js [vitest arguments]      e.g. test/engine/stats  or  --project unit
//
// It runs the vitest projects unit, ui, engine and e2e (vitest.config.ts). Engine and e2e
// tests need a Docker engine, chosen here and announced in one line before vitest starts:
//
//   (default)                        a PRIVATE, disposable dockerd started for this run:
//                                    its own socket, data root, exec root and pidfile in
//                                    $TMPDIR/berth-test-<pid>/, --bridge=none
//                                    --iptables=false --ip-masq=false, its own containerd,
//                                    the fixture image berth-fixture:latest built FROM
//                                    scratch from Debian's static busybox. It is removed
//                                    at the end, also when tests fail or the run is
//                                    interrupted (SIGINT/SIGTERM/SIGHUP); a watchdog
//                                    process removes it even if this runner is killed.
//   BERTH_TEST_DOCKER_HOST=unix:///… an existing engine, explicitly chosen. The runner
//                                    neither starts nor stops it (it builds the fixture
//                                    image there if missing); tests that restart the
//                                    daemon skip themselves.
//   BERTH_TEST_SKIP_ENGINE=1         only unit and UI tests.
//
// Tests never reach the machine's own engine: test processes get DOCKER_HOST set to the
// chosen engine (to a socket that does not exist when there is none), DOCKER_CONTEXT
// removed, DOCKER_CONFIG set to an empty folder, and XDG_* and TMPDIR pointing into the
// test folder.
//
// When dockerd, containerd, the docker CLI, a static /bin/busybox, tmux, docker compose or bc is missing: as
// root with apt-get, the runner installs docker.io busybox-static tmux bc docker-compose;
// otherwise it still runs the unit and UI tests, then prints one line saying what is
// missing and how to get it, and exits non-zero. The same happens when the private dockerd
// cannot start (not root, …) or the given engine does not answer.
//
// Exit code: vitest's; non-zero when the engine was needed but not available; 128+signal
// when interrupted.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as d from './harness/daemon.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stdout.write(`berth tests: ${msg}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const FAST_PROJECTS = ['unit', 'ui'];

let child = null;
let childTree = [];
let interrupted = null;
let state = null;

/** --project values given on the command line ([] = all projects). */
function requestedProjects(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project' && i + 1 < args.length) out.push(args[++i]);
    else if (args[i].startsWith('--project=')) out.push(args[i].slice('--project='.length));
  }
  return out;
}

function withoutProjects(args) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--project') i++;
    else if (!args[i].startsWith('--project=')) out.push(args[i]);
  }
  return out;
}

const fastOnly = (args) => [...withoutProjects(args), ...FAST_PROJECTS.flatMap((p) => ['--project', p])];

function onSignal(sig) {
  if (interrupted) {
    say(`${sig}: still cleaning up, please wait`);
    return;
  }
  interrupted = sig;
  say(`${sig}: stopping the tests${state?.managed ? ' and removing the private engine' : ''}`);
  if (child) {
    // remember vitest's workers (and whatever they started) before vitest goes away
    childTree = d.descendantsOf(child.pid);
    child.kill('SIGTERM');
    const c = child;
    setTimeout(() => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL'), 5000).unref();
  }
}

function runVitest(args, env) {
  const bin = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
  if (!fs.existsSync(bin)) {
    say('vitest is not installed: run `npm ci` first');
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    child = spawn(process.execPath, [bin, 'run', ...args], { cwd: root, env, stdio: 'inherit' });
    child.on('error', (error) => {
      child = null;
      say(`could not start vitest: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, sig) => {
      child = null;
      resolve(code ?? 128 + (os.constants.signals[sig] ?? 1));
    });
  });
}

/** Choose the engine. Returns { vitestArgs, failure } and sets `state`. */
async function prepare(args) {
  const requested = requestedProjects(args);
  const needsEngine = requested.length === 0 || requested.some((p) => !FAST_PROJECTS.includes(p));

  if (d.isTruthyEnv(process.env[d.SKIP_ENV])) {
    state = await d.createTestDir({ host: null });
    say(`engine: none (${d.SKIP_ENV} is set): running unit and UI tests only`);
    return { vitestArgs: fastOnly(args) };
  }
  if (!needsEngine) {
    state = await d.createTestDir({ host: null });
    say(`engine: none needed (--project ${requested.join(', ')})`);
    return { vitestArgs: args };
  }

  const given = process.env[d.HOST_ENV];
  if (given) {
    state = await d.createTestDir({ host: given });
    if (!(await d.ping(given, 3000))) return { failure: `the engine at ${given} (${d.HOST_ENV}) does not answer` };
    try {
      const version = await d.engineVersion(given);
      const image = await d.ensureFixtureImage(given, { dockerConfig: state.dockerConfig, tmpDir: state.tmpDir });
      say(
        `engine: existing dockerd ${version} at ${given} (${d.HOST_ENV}; not started or stopped by this run, ` +
          `daemon restart tests are skipped; fixture image ${image.built ? 'built' : 'reused'})`,
      );
    } catch (error) {
      return { failure: error.message };
    }
    return { vitestArgs: args };
  }

  const reaped = await d.reapStale();
  if (reaped.length) say(`removed ${reaped.length} private engine(s) left over by earlier runs`);
  for (const r of reaped) for (const p of r.problems) say(`warning: ${p}`);

  let pre = d.findPrerequisites();
  if (pre.missing.length && d.canInstallWithApt()) {
    const log = path.join(os.tmpdir(), `berth-test-apt-${process.pid}.log`);
    say(`${d.describeMissing(pre.missing)}: installing ${d.APT_PACKAGES.join(' ')} with apt-get (log: ${log})`);
    const r = await d.aptInstall(log);
    if (!r.ok) return { failure: `${r.error} (log: ${log})` };
    fs.rmSync(log, { force: true });
    pre = d.findPrerequisites();
  }
  if (pre.missing.length) {
    return {
      failure:
        `${d.describeMissing(pre.missing)}; install them as root (apt-get install ${d.APT_PACKAGES.join(' ')}), ` +
        `or set ${d.HOST_ENV}=unix:///… to an engine dedicated to tests, or ${d.SKIP_ENV}=1 to run only unit and UI tests`,
    };
  }
  if (!d.isRoot()) {
    return {
      failure:
        `a private dockerd needs root (running as uid ${process.getuid?.()}); run as root, ` +
        `or set ${d.HOST_ENV}=unix:///… to an engine dedicated to tests, or ${d.SKIP_ENV}=1 to run only unit and UI tests`,
    };
  }
  try {
    state = await d.createTestDir();
    d.spawnWatchdog(state);
    const t0 = Date.now();
    await d.launchDaemon(state);
    if (interrupted) return { vitestArgs: args };
    const t1 = Date.now();
    const version = await d.engineVersion(state.host);
    const image = await d.ensureFixtureImage(state.host, { dockerConfig: state.dockerConfig, tmpDir: state.tmpDir });
    const t2 = Date.now();
    say(
      `engine: private dockerd ${version} at ${state.host} (up in ${seconds(t1 - t0)}, ` +
        `${d.FIXTURE_IMAGE} ${image.built ? 'built' : 'reused'} in ${seconds(t2 - t1)}; removed at the end)`,
    );
  } catch (error) {
    return { failure: `could not start the private dockerd: ${error.message}` };
  }
  return { vitestArgs: args };
}

async function main() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => onSignal(sig));
  const args = process.argv.slice(2);
  let code = 1;
  let failure;
  try {
    const prepared = await prepare(args);
    failure = prepared.failure;
    let vitestArgs = prepared.vitestArgs;
    if (failure) {
      say(`engine: none: ${failure}`);
      say('running unit and UI tests only, then failing');
      vitestArgs = fastOnly(args);
    }
    state ??= await d.createTestDir({ host: null });
    if (!interrupted) code = await runVitest(vitestArgs, d.testEnvironment(state));
  } catch (error) {
    say(`error: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  } finally {
    if (childTree.length) await d.killPids(childTree);
    if (state) {
      const problems = await d.removeTestDir(state);
      for (const p of problems) say(`warning: ${p}`);
    }
  }
  if (interrupted) {
    say(`interrupted (${interrupted})${state?.managed ? '; private engine removed' : ''}`);
    code = 128 + (os.constants.signals[interrupted] ?? 1);
  } else if (failure) {
    say(`FAILED: engine and e2e tests did not run: ${failure}`);
    if (code === 0) code = 1;
  }
  process.exit(code);
}

main();

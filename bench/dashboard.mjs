#!/usr/bin/env node
// Dashboard benchmark: berth vs `docker stats`, in one run, on one private engine with
// 50 and then 200 running containers. See bench/README.md for what each figure means.
//
//   node bench/dashboard.mjs [--counts 50,200] [--seconds 20] [--warmup 5] [--runs 3]
//                            [--size 120x40] [--parallel 6] [--no-write]
//
// Normally started by `npm run bench` (bench/dashboard.sh), which builds dist/ first.
// Needs root (private dockerd), tmux, dockerd/containerd/docker and a static busybox:
// the packages `npm test` installs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as d from '../test/harness/daemon.js';
import { BUSY_EVERY, NAME_RE, PROJECTS, api, countRunning, fillTo } from './lib/containers.mjs';
import {
  HZ,
  PeakRss,
  coresBusy,
  engineProcesses,
  listProcesses,
  loadAverage,
  machineCpu,
  ticksBetween,
  ticksByProcess,
  treeTicks,
} from './lib/proc.mjs';
import { renderReport, updateReadme } from './lib/report.mjs';
import { lifecycle } from './lib/lifecycle.mjs';
import { Tmux } from './lib/tmux.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (msg) => process.stdout.write(`bench: ${msg}\n`);
const TTFF_TIMEOUT_MS = 60_000;
const POLL_MS = 20;
const SETTLE_MS = 3000;

function parseArgs(argv) {
  const o = { counts: [50, 200], seconds: 20, warmup: 5, runs: 3, cols: 120, rows: 40, parallel: 6, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const num = (s) => {
      const n = Number(s);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a}: "${s}" is not a positive number`);
      return n;
    };
    if (a === '--counts') o.counts = val().split(',').map(num).map(Math.round);
    else if (a === '--seconds') o.seconds = num(val());
    else if (a === '--warmup') o.warmup = num(val());
    else if (a === '--runs') o.runs = Math.round(num(val()));
    else if (a === '--parallel') o.parallel = Math.round(num(val()));
    else if (a === '--size') {
      const m = /^(\d+)x(\d+)$/.exec(val());
      if (!m) throw new Error('--size wants COLSxROWS, e.g. 120x40');
      o.cols = Number(m[1]);
      o.rows = Number(m[2]);
    } else if (a === '--no-write') o.write = false;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 10).join('\n').replace(/^\/\/ ?/gm, '') + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  o.counts.sort((x, y) => x - y);
  return o;
}

// ---------------------------------------------------------------------------------------
// Life cycle: one private engine, removed at the end and on Ctrl-C

let state = null;
let tmux = null;
const runBench = lifecycle(say, () => ({ state, tmux }));

// ---------------------------------------------------------------------------------------
// Machine facts

function machineFacts() {
  const mem = fs.readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+) kB/m);
  const others = listProcesses().filter((p) => path.basename(p.argv[0] ?? '') === 'dockerd').length;
  let dockerCli = 'unknown';
  try {
    dockerCli = execFileSync('docker', ['version', '--format', '{{.Client.Version}}'], {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' },
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch (e) {
    // prints the client version even when no engine answers, then fails
    dockerCli = String(e.stdout ?? '').trim() || 'unknown';
  }
  return {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memGiB: mem ? Number(mem[1]) / 1024 / 1024 : 0,
    kernel: os.release(),
    cgroup: fs.existsSync('/sys/fs/cgroup/cgroup.controllers') ? 'v2' : 'v1',
    node: process.version,
    dockerCli,
    otherDockerds: others,
  };
}

// ---------------------------------------------------------------------------------------
// Measurements

function engineReading() {
  const p = engineProcesses(state);
  return {
    dockerd: ticksByProcess([p.dockerd]),
    containerd: ticksByProcess([p.containerd]),
    shims: ticksByProcess(p.shims),
  };
}

function engineDelta(a, b, secs) {
  const pct = (x, y) => (100 * ticksBetween(x, y)) / HZ / secs;
  const parts = { dockerd: pct(a.dockerd, b.dockerd), containerd: pct(a.containerd, b.containerd), shims: pct(a.shims, b.shims) };
  return { total: parts.dockerd + parts.containerd + parts.shims, parts };
}

function windowStart() {
  return { t: performance.now(), load: loadAverage(), cpu: machineCpu(), engine: engineReading() };
}

function windowEnd(w0, cores) {
  const t = performance.now();
  const secs = (t - w0.t) / 1000;
  const load = loadAverage();
  return {
    secs,
    engine: engineDelta(w0.engine, engineReading(), secs),
    loadStart: w0.load[0],
    loadEnd: load[0],
    coresBusy: coresBusy(w0.cpu, machineCpu(), cores),
  };
}


async function idleWindow(o, cores, label) {
  say(`  engine baseline (${label}), no app: ${o.seconds} s`);
  const w0 = windowStart();
  await sleep(o.seconds * 1000);
  return windowEnd(w0, cores);
}

/** CPU, engine CPU, terminal bytes and peak memory of one program at steady state. */
async function measureApp(o, cores, name, command, n) {
  say(`  ${name}: ${o.warmup} s warm-up + ${o.seconds} s`);
  const session = `cost-${name.replace(/\W+/g, '-')}-${n}`;
  const out = path.join(state.tmpDir, `${session}.raw`);
  await tmux.start(session, command, o.cols, o.rows);
  const pid = await tmux.panePid(session);
  await tmux.pipeTo(session, out);
  const peak = new PeakRss(pid);
  peak.poll();
  const poller = setInterval(() => peak.poll(), 500);
  try {
    await sleep(o.warmup * 1000);
    if (await tmux.paneDead(session)) throw new Error(`${name} exited during warm-up; its screen:\n${await tmux.capture(session)}`);
    const a0 = treeTicks(pid);
    const b0 = fs.statSync(out).size;
    const w0 = windowStart();
    await sleep(o.seconds * 1000);
    const a1 = treeTicks(pid);
    const b1 = fs.statSync(out).size;
    const w = windowEnd(w0, cores);
    peak.poll();
    const screen = await tmux.capture(session);
    if (await tmux.paneDead(session)) throw new Error(`${name} exited during the measurement; its screen:\n${screen}`);
    return {
      ...w,
      appCpuPct: (100 * (a1 - a0)) / HZ / w.secs,
      bytesPerSec: (b1 - b0) / w.secs,
      peakRssKb: peak.peakKb(),
      screenShowsContainers: NAME_RE.test(screen),
      screen,
    };
  } finally {
    clearInterval(poller);
    await tmux.stop(session, pid);
    fs.rmSync(out, { force: true });
  }
}

/**
 * Time from launch until the screen shows container names (`names`), and until a row
 * shows a container name with a CPU figure (`figures`). Polls capture-pane every ~20 ms.
 */
async function firstFrame(o, name, command, n, run) {
  const session = `ttff-${name.replace(/\W+/g, '-')}-${n}-${run}`;
  const t0 = performance.now();
  await tmux.start(session, command, o.cols, o.rows);
  let pid = 0;
  let names = null;
  let figures = null;
  let namesCpu = null;
  let figuresCpu = null;
  let screen = '';
  try {
    pid = await tmux.panePid(session);
    while (performance.now() - t0 < TTFF_TIMEOUT_MS) {
      screen = await tmux.capture(session);
      const t = performance.now() - t0;
      const lines = screen.split('\n');
      // CPU the program used so far (its process started with the session): unlike the
      // wall-clock time, this hardly depends on how busy the machine is
      const cpu = () => (1000 * treeTicks(pid)) / HZ;
      if (names === null && lines.some((l) => NAME_RE.test(l))) [names, namesCpu] = [t, cpu()];
      if (figures === null && lines.some((l) => NAME_RE.test(l) && /\d+(\.\d+)?%/.test(l))) [figures, figuresCpu] = [t, cpu()];
      if (names !== null && figures !== null) break;
      if (await tmux.paneDead(session)) break;
      await sleep(POLL_MS);
    }
  } finally {
    await tmux.stop(session, pid);
  }
  if (names === null || figures === null) {
    say(`  warning: ${name} showed no ${names === null ? 'container names' : 'CPU figures'} within ${TTFF_TIMEOUT_MS / 1000} s; last screen:\n${screen}`);
  }
  return { names, figures, namesCpu, figuresCpu };
}

const median = (xs) => {
  const v = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

// ---------------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const pre = d.findPrerequisites();
  if (pre.missing.length) {
    throw new Error(`${d.describeMissing(pre.missing)}; \`npm test\` installs them as root, or: apt-get install ${d.APT_PACKAGES.join(' ')}`);
  }
  if (!d.isRoot()) throw new Error('the bench starts a private dockerd and needs root');
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm run bench does)');

  const facts = machineFacts();
  facts.loadAtStart = loadAverage();
  say(
    `${facts.cores} cores, ${facts.memGiB.toFixed(1)} GiB, kernel ${facts.kernel}, node ${facts.node}, ` +
      `load ${facts.loadAtStart.join(' ')}, ${facts.otherDockerds} other dockerd(s) running`,
  );

  state = await d.createTestDir();
  d.spawnWatchdog(state);
  await d.launchDaemon(state);
  facts.dockerd = await d.engineVersion(state.host);
  const info = await api(state.host, 'GET', '/info');
  facts.cgroupDriver = info.body?.CgroupDriver ?? 'unknown';
  await d.ensureFixtureImage(state.host, { dockerConfig: state.dockerConfig, tmpDir: state.tmpDir });
  engineProcesses(state); // fails early when the engine is not self-contained
  say(`private dockerd ${facts.dockerd} up (cgroup ${facts.cgroup}, ${facts.cgroupDriver} driver)`);

  const env = d.testEnvironment(state, process.env, { tmp: false });
  delete env.NO_COLOR;
  delete env.TMUX;
  tmux = new Tmux(state.dir, env);
  await tmux.start('keep', 'sleep 100000', o.cols, o.rows); // the server stays up between programs

  const berthCmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)}`;
  const statsCmd = 'exec docker stats';
  const results = [];
  let have = 0;
  for (const n of o.counts) {
    const t = Date.now();
    const before = have;
    say(`starting containers ${have + 1}…${n} (${o.parallel} at a time)`);
    await fillTo(state.host, have + 1, n, {
      image: d.FIXTURE_IMAGE,
      parallel: o.parallel,
      onProgress: (done) => say(`  ${have + done}/${n}`),
    });
    have = n;
    const running = await countRunning(state.host);
    if (running !== n) throw new Error(`expected ${n} running bench containers, the engine lists ${running}`);
    // let the engine (and the load average) calm down after the burst of container starts
    const settle = 10 + Math.round((n - before) / 10);
    say(`${n} containers running (${((Date.now() - t) / 1000).toFixed(0)} s); letting the engine settle for ${settle} s`);
    await sleep(settle * 1000);

    const r = { n, shims: engineProcesses(state).shims.length };
    r.idleBefore = await idleWindow(o, facts.cores, 'before');
    r.berth = await measureApp(o, facts.cores, 'berth', berthCmd, n);
    await sleep(SETTLE_MS);
    r.dockerStats = await measureApp(o, facts.cores, 'docker stats', statsCmd, n);
    await sleep(SETTLE_MS);
    r.idleAfter = await idleWindow(o, facts.cores, 'after');
    const baseline = (r.idleBefore.engine.total + r.idleAfter.engine.total) / 2;
    for (const k of ['berth', 'dockerStats']) r[k].engineExtraPct = r[k].engine.total - baseline;
    r.baselinePct = baseline;

    say(`  time to first frame, ${o.runs} launches each`);
    const ttff = { berth: [], dockerStats: [] };
    const load0 = loadAverage()[0];
    for (let i = 1; i <= o.runs; i++) {
      ttff.berth.push(await firstFrame(o, 'berth', berthCmd, n, i));
      await sleep(SETTLE_MS);
      ttff.dockerStats.push(await firstFrame(o, 'docker stats', statsCmd, n, i));
      await sleep(SETTLE_MS);
    }
    for (const k of ['berth', 'dockerStats']) {
      r[k].ttff = ttff[k];
      r[k].ttffNamesMs = median(ttff[k].map((x) => x.names));
      r[k].ttffFiguresMs = median(ttff[k].map((x) => x.figures));
      r[k].ttffCpuMs = median(ttff[k].map((x) => x.figuresCpu));
    }
    r.ttffLoad = [load0, loadAverage()[0]];
    results.push(r);
    say(
      `  N=${n}: berth cpu ${r.berth.appCpuPct.toFixed(1)}% vs ${r.dockerStats.appCpuPct.toFixed(1)}%, ` +
        `engine extra ${r.berth.engineExtraPct.toFixed(2)}% vs ${r.dockerStats.engineExtraPct.toFixed(2)}%, ` +
        `${Math.round(r.berth.bytesPerSec)} vs ${Math.round(r.dockerStats.bytesPerSec)} B/s`,
    );
  }
  facts.loadAtEnd = loadAverage();

  const run = {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    settings: { ...o, projects: PROJECTS, busyEvery: BUSY_EVERY, hz: HZ },
    facts,
    results: results.map((r) => ({
      ...r,
      berth: { ...r.berth, screen: undefined },
      dockerStats: { ...r.dockerStats, screen: undefined },
    })),
  };
  for (const r of results) {
    for (const [k, name] of [['berth', 'berth'], ['dockerStats', 'docker stats']]) {
      if (!r[k].screenShowsContainers) say(`warning: N=${r.n}: ${name}'s screen at the end of its window showed no container:\n${r[k].screen}`);
    }
  }
  const report = renderReport(run);
  process.stdout.write(`\n${report}\n`);
  if (o.write) {
    fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench', 'results', 'dashboard.json'), `${JSON.stringify(run, null, 2)}\n`);
    updateReadme(path.join(root, 'bench', 'README.md'), report);
    say('results written to bench/README.md (Results) and bench/results/dashboard.json');
  }
}

runBench(main);

#!/usr/bin/env node
// Dashboard benchmark: berth vs `docker stats`, in one run, on one private engine with
// 50 and then 200 running containers: steady cost with one and with two berth clients (one
// server), and the time to the first frame, cold (no berth server) and warm (server
// running), beside `docker ps`, `docker stats` and a bare `node` start. See bench/README.md
// for what each figure means.
//
//   node bench/dashboard.mjs [--counts 50,200] [--seconds 20] [--warmup 30] [--runs 3]
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
  statusKb,
  ticksBetween,
  ticksByProcess,
  treeOf,
  treeTicks,
} from './lib/proc.mjs';
import { renderReport, updateReadme } from './lib/report.mjs';
import { lifecycle } from './lib/lifecycle.mjs';
import { Tmux } from './lib/tmux.mjs';
import { berthServerPid as serverPidOf, stopBerthServer as stopServerOf } from './lib/berthServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (msg) => process.stdout.write(`bench: ${msg}\n`);
const TTFF_TIMEOUT_MS = 60_000;
const POLL_MS = 20;
const SETTLE_MS = 3000;

function parseArgs(argv) {
  const o = { counts: [50, 200], seconds: 20, warmup: 30, runs: 3, cols: 120, rows: 40, parallel: 6, write: true };
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
const runBench = lifecycle(say, () => ({ state, tmux, stop: () => (tmux ? stopBerthServer() : Promise.resolve()) }));

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

const berthServerPid = () => serverPidOf(tmux.env);
const stopBerthServer = () => stopServerOf(tmux.env);

/**
 * CPU, engine CPU, terminal bytes and peak memory of a program at steady state, shown in
 * `clients` terminals at once. With `server`, the berth server's CPU counts as the
 * program's too, and its memory is reported on its own.
 */
async function measureApp(o, cores, name, command, n, { clients = 1, server = false } = {}) {
  say(`  ${name}: ${o.warmup} s warm-up + ${o.seconds} s`);
  const sessions = [];
  const peaks = [];
  let serverPeak = null;
  const poll = () => {
    for (const p of peaks) p.poll();
    serverPeak?.poll();
  };
  let poller = null;
  try {
    for (let i = 0; i < clients; i++) {
      const session = `cost-${name.replace(/\W+/g, '-')}-${n}-${i}`;
      const out = path.join(state.tmpDir, `${session}.raw`);
      await tmux.start(session, command, o.cols, o.rows);
      const pid = await tmux.panePid(session);
      await tmux.pipeTo(session, out);
      sessions.push({ session, out, pid });
      peaks.push(new PeakRss(pid));
    }
    poller = setInterval(poll, 500);
    await sleep(o.warmup * 1000);
    const spid = server ? berthServerPid() : 0;
    if (server && !spid) throw new Error(`${name}: no berth server is running`);
    if (spid) serverPeak = new PeakRss(spid);
    poll();
    for (const x of sessions) {
      if (await tmux.paneDead(x.session)) throw new Error(`${name} exited during warm-up; its screen:\n${await tmux.capture(x.session)}`);
    }
    const ticks = () => sessions.reduce((a, x) => a + treeTicks(x.pid), 0) + (spid ? treeTicks(spid) : 0);
    const bytes = () => sessions.reduce((a, x) => a + fs.statSync(x.out).size, 0);
    const a0 = ticks();
    const b0 = bytes();
    const w0 = windowStart();
    await sleep(o.seconds * 1000);
    const a1 = ticks();
    const b1 = bytes();
    const w = windowEnd(w0, cores);
    poll();
    const screen = await tmux.capture(sessions[0].session);
    for (const x of sessions) {
      if (await tmux.paneDead(x.session)) throw new Error(`${name} exited during the measurement; its screen:\n${await tmux.capture(x.session)}`);
    }
    return {
      ...w,
      clients,
      appCpuPct: (100 * (a1 - a0)) / HZ / w.secs,
      // per terminal: what one user's connection carries
      bytesPerSec: (b1 - b0) / clients / w.secs,
      peakRssKb: Math.max(...peaks.map((p) => p.peakKb())),
      serverPeakRssKb: serverPeak ? serverPeak.peakKb() : null,
      screenShowsContainers: NAME_RE.test(screen),
      screen,
    };
  } finally {
    if (poller) clearInterval(poller);
    for (const x of sessions) {
      await tmux.stop(x.session, x.pid);
      fs.rmSync(x.out, { force: true });
    }
  }
}

/**
 * Time from launch until the screen shows container names (`names`), and until a row
 * shows a container name with a CPU figure (`figures`). Polls capture-pane every ~20 ms.
 * With `server`, the berth server's CPU since the launch counts too (all of it for a cold
 * start, which starts the server), and the client's and server's resident memory at that
 * frame are read.
 */
async function firstFrame(o, name, command, n, run, { server = false, figures: wantFigures = true } = {}) {
  const session = `ttff-${name.replace(/\W+/g, '-')}-${n}-${run}`;
  const spid0 = server ? berthServerPid() : 0;
  const s0 = spid0 ? treeTicks(spid0) : 0;
  const t0 = performance.now();
  await tmux.start(session, command, o.cols, o.rows);
  let pid = 0;
  let names = null;
  let figures = null;
  let namesCpu = null;
  let figuresCpu = null;
  let clientRssKb = null;
  let serverRssKb = null;
  let screen = '';
  try {
    pid = await tmux.panePid(session);
    while (performance.now() - t0 < TTFF_TIMEOUT_MS) {
      screen = await tmux.capture(session);
      const t = performance.now() - t0;
      const lines = screen.split('\n');
      // CPU the program used so far (its process started with the session): unlike the
      // wall-clock time, this hardly depends on how busy the machine is
      const cpu = () => {
        let ticks = treeTicks(pid);
        if (server) {
          const spid = berthServerPid();
          if (spid) ticks += treeTicks(spid) - (spid === spid0 ? s0 : 0);
        }
        return (1000 * ticks) / HZ;
      };
      if (names === null && lines.some((l) => NAME_RE.test(l))) {
        [names, namesCpu] = [t, cpu()];
        clientRssKb = treeOf(pid).reduce((a, p) => a + statusKb(p, 'VmRSS'), 0);
        const spid = server ? berthServerPid() : 0;
        if (spid) serverRssKb = statusKb(spid, 'VmRSS');
      }
      if (wantFigures && figures === null && lines.some((l) => NAME_RE.test(l) && /\d+(\.\d+)?%/.test(l))) [figures, figuresCpu] = [t, cpu()];
      if (names !== null && (figures !== null || !wantFigures)) break;
      if (await tmux.paneDead(session)) break;
      await sleep(POLL_MS);
    }
  } finally {
    await tmux.stop(session, pid);
  }
  if (names === null || (wantFigures && figures === null)) {
    say(`  warning: ${name} showed no ${names === null ? 'container names' : 'CPU figures'} within ${TTFF_TIMEOUT_MS / 1000} s; last screen:\n${screen}`);
  }
  return { names, figures, namesCpu, figuresCpu, clientRssKb, serverRssKb };
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

  const node = JSON.stringify(process.execPath);
  const berthCmd = `exec ${node} ${JSON.stringify(cli)}`;
  const statsCmd = 'exec docker stats';
  const psCmd = 'docker ps; exec sleep 600';
  // what Node itself needs: start, print one line that looks like a container row
  const nodeCmd = `exec ${node} -e "process.stdout.write('bench-p00-c000 0.0%\\\\n'); setTimeout(() => {}, 600000)"`;
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
    r.berth = await measureApp(o, facts.cores, 'berth', berthCmd, n, { server: true });
    await sleep(SETTLE_MS);
    r.berth2 = await measureApp(o, facts.cores, 'berth, two clients', berthCmd, n, { server: true, clients: 2 });
    await sleep(SETTLE_MS);
    r.dockerStats = await measureApp(o, facts.cores, 'docker stats', statsCmd, n);
    await sleep(SETTLE_MS);
    r.idleAfter = await idleWindow(o, facts.cores, 'after');
    const baseline = (r.idleBefore.engine.total + r.idleAfter.engine.total) / 2;
    for (const k of ['berth', 'berth2', 'dockerStats']) r[k].engineExtraPct = r[k].engine.total - baseline;
    r.baselinePct = baseline;

    say(`  time to first frame, ${o.runs} launches each`);
    const ttff = { berthCold: [], berthWarm: [], dockerStats: [], dockerPs: [], node: [] };
    const load0 = loadAverage()[0];
    for (let i = 1; i <= o.runs; i++) {
      await stopBerthServer();
      await sleep(SETTLE_MS);
      ttff.berthCold.push(await firstFrame(o, 'berth cold', berthCmd, n, i, { server: true }));
      // the server stays (its linger): the next launch is warm
      await sleep(SETTLE_MS);
      ttff.berthWarm.push(await firstFrame(o, 'berth warm', berthCmd, n, i, { server: true }));
      await sleep(SETTLE_MS);
      ttff.dockerStats.push(await firstFrame(o, 'docker stats', statsCmd, n, i));
      await sleep(SETTLE_MS);
      ttff.dockerPs.push(await firstFrame(o, 'docker ps', psCmd, n, i, { figures: false }));
      await sleep(SETTLE_MS);
      ttff.node.push(await firstFrame(o, 'node', nodeCmd, n, i));
      await sleep(SETTLE_MS);
    }
    r.ttff = {};
    for (const [k, xs] of Object.entries(ttff)) {
      r.ttff[k] = {
        runs: xs,
        namesMs: median(xs.map((x) => x.names)),
        figuresMs: median(xs.map((x) => x.figures)),
        cpuMs: median(xs.map((x) => x.figuresCpu ?? x.namesCpu)),
        clientRssKb: median(xs.map((x) => x.clientRssKb)),
        serverRssKb: median(xs.map((x) => x.serverRssKb)),
      };
    }
    r.ttffLoad = [load0, loadAverage()[0]];
    results.push(r);
    say(
      `  N=${n}: berth cpu ${r.berth.appCpuPct.toFixed(1)}% (two clients ${r.berth2.appCpuPct.toFixed(1)}%) vs ${r.dockerStats.appCpuPct.toFixed(1)}%, ` +
        `engine extra ${r.berth.engineExtraPct.toFixed(2)}% vs ${r.dockerStats.engineExtraPct.toFixed(2)}%, ` +
        `${Math.round(r.berth.bytesPerSec)} vs ${Math.round(r.dockerStats.bytesPerSec)} B/s; first frame cold ${r.ttff.berthCold.namesMs?.toFixed(0)} ms, warm ${r.ttff.berthWarm.figuresMs?.toFixed(0)} ms`,
    );
  }
  await stopBerthServer();
  facts.loadAtEnd = loadAverage();

  const run = {
    date: new Date().toISOString(),
    durationS: Math.round((Date.now() - started) / 1000),
    settings: { ...o, projects: PROJECTS, busyEvery: BUSY_EVERY, hz: HZ },
    facts,
    results: results.map((r) => ({
      ...r,
      berth: { ...r.berth, screen: undefined },
      berth2: { ...r.berth2, screen: undefined },
      dockerStats: { ...r.dockerStats, screen: undefined },
    })),
  };
  for (const r of results) {
    for (const [k, name] of [['berth', 'berth'], ['berth2', 'berth (two clients)'], ['dockerStats', 'docker stats']]) {
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

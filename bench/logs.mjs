#!/usr/bin/env node
// Log benchmark: berth's log view under a log flood and with a single giant line, on a
// private engine. See bench/README.md ("Logs: flood and a giant line").
//
//   node bench/logs.mjs [--seconds 60] [--rate 20000] [--baseline 20] [--no-write]
//
// Needs root (private dockerd), tmux, dockerd/containerd/docker, a static busybox and a
// built dist/ (npm run build). Prints the results and writes them into bench/README.md
// between the bench:logs markers (unless --no-write).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as d from '../test/harness/daemon.js';
import { api } from './lib/containers.mjs';
import { HZ, engineProcesses, loadAverage, machineCpu, coresBusy, statusKb, ticksBetween, ticksByProcess, treeOf, treeTicks } from './lib/proc.mjs';
import { lifecycle } from './lib/lifecycle.mjs';
import { Tmux } from './lib/tmux.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (msg) => process.stdout.write(`bench-logs: ${msg}\n`);
const POLL_MS = 10;
const KEY_TIMEOUT_MS = 10_000;
const SAMPLE_MS = 2000;
const FLOOD = 'bench-flood';
const GIANT = 'bench-giant';
const GIANT_LEN = 200_000;
const BEGIN = '<!-- bench:logs:begin (written by bench/logs.mjs) -->';
const END = '<!-- bench:logs:end -->';

function parseArgs(argv) {
  const o = { seconds: 60, rate: 20_000, baseline: 20, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a} wants a positive number`);
      return n;
    };
    if (a === '--seconds') o.seconds = num();
    else if (a === '--rate') o.rate = Math.round(num());
    else if (a === '--baseline') o.baseline = num();
    else if (a === '--no-write') o.write = false;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 9).join('\n').replace(/^\/\/ ?/gm, '') + '\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------
// Life cycle

let state = null;
let tmux = null;
const runBench = lifecycle(say, () => ({ state, tmux }));

// ---------------------------------------------------------------------------------------
// Helpers

/** Current resident memory of a process tree (sum of VmRSS), kB. */
const treeRssKb = (pid) => treeOf(pid).reduce((s, p) => s + statusKb(p, 'VmRSS'), 0);

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** Runs the docker CLI against the private engine; resolves with the number of lines it printed. */
function countLines(env, args) {
  return new Promise((resolve, reject) => {
    const p = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let n = 0;
    let last = '';
    let err = '';
    p.stdout.on('data', (b) => {
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
      last = b.toString('latin1', Math.max(0, b.length - 300));
    });
    p.stderr.on('data', (b) => (err += b));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve({ lines: n, tail: last }) : reject(new Error(`docker ${args.join(' ')}: ${err.trim()}`))));
  });
}

const unixTs = (ms) => `${Math.floor(ms / 1000)}.${String(Math.floor(ms % 1000)).padStart(3, '0')}000000`;

async function createContainer(name, cmd) {
  const spec = { Image: d.FIXTURE_IMAGE, Cmd: cmd, Labels: { [d.TEST_LABEL]: '1' }, HostConfig: { NetworkMode: 'none' } };
  const c = await api(state.host, 'POST', `/containers/create?name=${name}`, spec);
  if (c.status !== 201) throw new Error(`creating ${name}: ${c.status} ${JSON.stringify(c.body)}`);
  const s = await api(state.host, 'POST', `/containers/${c.body.Id}/start`);
  if (s.status !== 204) throw new Error(`starting ${name}: ${s.status} ${JSON.stringify(s.body)}`);
  return c.body.Id;
}

async function removeContainer(name) {
  await api(state.host, 'DELETE', `/containers/${name}?force=1`);
}

const engineTicks = () => ticksByProcess(engineProcesses(state).all);

async function tmuxServerPid() {
  return Number((await tmux.run(['display-message', '-p', '#{pid}'])).trim());
}

const ownTicks = (pid) => ticksByProcess([pid]);

/** Waits until `test(screen)` holds; resolves with { ms, screen } (ms from t0), or throws after `timeout`. */
async function waitScreen(session, test, what, timeout, t0 = performance.now()) {
  let screen = '';
  while (performance.now() - t0 < timeout) {
    screen = await tmux.capture(session);
    if (test(screen)) return { ms: performance.now() - t0, screen };
    if (await tmux.paneDead(session)) break;
    await sleep(POLL_MS);
  }
  throw new Error(`${what}: not on screen within ${timeout / 1000} s; last screen:\n${screen}`);
}

/** Presses a key, then polls the screen until `test` holds; the latency in ms, or null on time-out. */
async function keyLatency(session, key, test) {
  const t0 = performance.now();
  await tmux.run(['send-keys', '-t', session, key]);
  let screen = '';
  while (performance.now() - t0 < KEY_TIMEOUT_MS) {
    screen = await tmux.capture(session);
    if (test(screen)) return { ms: performance.now() - t0, screen };
    await sleep(POLL_MS);
  }
  return { ms: null, screen };
}

/**
 * Borders of the panel intact: no row wider than the terminal, no more rows than it has,
 * and every row from the top border (┌) to the bottom one (└) starts and ends with a
 * border character.
 */
function bordersIntact(screen, cols, rows) {
  const lines = screen.replace(/\n$/, '').split('\n');
  const problems = [];
  if (lines.length > rows) problems.push(`${lines.length} rows`);
  lines.forEach((l, i) => {
    if ([...l].length > cols) problems.push(`row ${i + 1} is ${[...l].length} wide`);
  });
  const top = lines.findIndex((l) => l.startsWith('┌'));
  const bottom = lines.findIndex((l, i) => i > top && l.startsWith('└'));
  if (top < 0 || bottom < 0) problems.push('no top or bottom border');
  else {
    for (let i = top; i <= bottom; i++) {
      if (!/^[│┌└├].*[│┐┘┤]$/u.test(lines[i])) problems.push(`row ${i + 1} lacks a border: ${JSON.stringify(lines[i].slice(0, 20))}…${JSON.stringify(lines[i].slice(-20))}`);
    }
  }
  return problems;
}

async function openLogs(session, name) {
  await waitScreen(session, (s) => s.includes(name), `${name} in the container list`, 60_000);
  await tmux.run(['send-keys', '-t', session, '/']);
  await tmux.run(['send-keys', '-t', session, '-l', name]);
  await tmux.run(['send-keys', '-t', session, 'Enter']);
  await tmux.run(['send-keys', '-t', session, 'Tab']);
  await sleep(300);
}

// ---------------------------------------------------------------------------------------
// The containers

/**
 * Prints `rate` lines a second, paced with the uptime clock (centiseconds, read without a
 * fork), in batches of 1/100 s worth; never more than a second behind.
 */
function floodCmd(rate) {
  const perCs = Math.max(1, Math.round(rate / 100));
  const script = [
    'i=0',
    'read u _ < /proc/uptime; s=${u%.*}${u#*.}',
    'while :; do',
    '  read u _ < /proc/uptime; now=${u%.*}${u#*.}',
    `  due=$(( (now - s) * ${perCs} ))`,
    `  if [ $((due - i)) -gt ${rate} ]; then s=$((now - (i + ${rate}) / ${perCs})); due=$((i + ${rate})); fi`,
    '  if [ $i -lt $due ]; then',
    `    n=$((i + ${perCs}))`,
    '    while [ $i -lt $n ]; do echo "flood $i some text to make the line about as long as a real log line"; i=$((i+1)); done',
    '  else usleep 5000; fi',
    'done',
  ].join('\n');
  return ['sh', '-c', script];
}

/** 30 short lines, one line of GIANT_LEN characters, 5 short lines, then sleeps. */
function giantCmd() {
  const body = GIANT_LEN - 'GIANT-START '.length - ' GIANT-END'.length;
  const script = [
    'i=1; while [ $i -le 30 ]; do echo "before $i"; i=$((i+1)); done',
    `{ printf 'GIANT-START '; yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ | tr -d '\\n' | head -c ${body}; echo ' GIANT-END'; }`,
    'i=1; while [ $i -le 5 ]; do echo "after $i"; i=$((i+1)); done',
    'exec sleep 100000',
  ].join('\n');
  return ['sh', '-c', script];
}

// ---------------------------------------------------------------------------------------
// Measurements

/** One program watching the flood for `seconds`: samples every 2 s (CPU, RSS, optional key latency). */
async function watchFlood(o, env, name, session, pid, { keys }) {
  const out = path.join(state.tmpDir, `${session}.raw`);
  await tmux.pipeTo(session, out);
  const tmuxPid = await tmuxServerPid();
  const samples = [];
  const latencies = [];
  const t0 = performance.now();
  const wall0 = Date.now();
  const load0 = loadAverage();
  const m0 = machineCpu();
  const e0 = engineTicks();
  const x0 = ownTicks(tmuxPid);
  let prev = { t: t0, ticks: treeTicks(pid) };
  const first = prev;
  const lastOnScreen = (screen) => Math.max(-1, ...[...screen.matchAll(/flood (\d+)/g)].map((m) => Number(m[1])));
  samples.push({ s: 0, wall: Date.now(), rssKb: treeRssKb(pid), cpuPct: null, onScreen: lastOnScreen(await tmux.capture(session)) });
  for (let k = 1; k * SAMPLE_MS <= o.seconds * 1000; k++) {
    const due = t0 + k * SAMPLE_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (await tmux.paneDead(session)) throw new Error(`${name} exited; its screen:\n${await tmux.capture(session)}`);
    const now = { t: performance.now(), ticks: treeTicks(pid) };
    samples.push({
      s: (now.t - t0) / 1000,
      wall: Date.now(),
      onScreen: lastOnScreen(await tmux.capture(session)),
      rssKb: treeRssKb(pid),
      cpuPct: (100 * (now.ticks - prev.ticks)) / HZ / ((now.t - prev.t) / 1000),
    });
    prev = now;
    if (keys) {
      // t toggles timestamps; the status line shows "· timestamps ·" while they are on
      const before = await tmux.capture(session);
      const on = /· timestamps ·/.test(before);
      const r = await keyLatency(session, 't', (s) => /· timestamps ·/.test(s) !== on);
      latencies.push(r.ms);
      if (r.ms === null) say(`  warning: ${name}: 't' showed no change within ${KEY_TIMEOUT_MS / 1000} s`);
    }
  }
  const t1 = performance.now();
  const wall1 = Date.now();
  const secs = (t1 - t0) / 1000;
  const screen = await tmux.capture(session);
  const onScreen = lastOnScreen(screen);
  const latest = await countLines(env, ['logs', '--tail', '1', FLOOD]);
  const latestLine = Number(/flood (\d+)/.exec(latest.tail)?.[1] ?? NaN);
  const cpuAll = samples.slice(1).map((s) => s.cpuPct);
  return {
    name,
    secs,
    wall: [wall0, wall1],
    samples,
    cpuPct: (100 * (prev.ticks - first.ticks)) / HZ / ((prev.t - first.t) / 1000),
    cpuMin: Math.min(...cpuAll),
    cpuMax: Math.max(...cpuAll),
    tmuxCpuPct: (100 * ticksBetween(x0, ownTicks(tmuxPid))) / HZ / secs,
    engineCpuPct: (100 * ticksBetween(e0, engineTicks())) / HZ / secs,
    bytesPerSec: fs.statSync(out).size / secs,
    load: [load0[0], loadAverage()[0]],
    coresBusy: coresBusy(m0, machineCpu(), os.cpus().length),
    latencies,
    lagLines: onScreen >= 0 && Number.isFinite(latestLine) ? latestLine - onScreen : null,
    onScreen,
    latestLine,
    borders: bordersIntact(screen, o.cols, o.rows),
    screen,
  };
}

async function floodPart(o, env, berthCmd) {
  const result = { rate: o.rate };
  await createContainer(FLOOD, floodCmd(o.rate));
  say(`flood container started (${o.rate} lines/s asked); 5 s to get going`);
  await sleep(5000);

  // the engine taking in the flood with nobody watching
  say(`  no viewer: ${o.baseline} s`);
  const b0 = { t: performance.now(), wall: Date.now(), e: engineTicks(), load: loadAverage()[0] };
  await sleep(o.baseline * 1000);
  const secs = (performance.now() - b0.t) / 1000;
  result.none = { secs, wall: [b0.wall, Date.now()], engineCpuPct: (100 * ticksBetween(b0.e, engineTicks())) / HZ / secs, load: [b0.load, loadAverage()[0]] };

  // berth's log view
  say(`  berth: open the log view, then ${o.seconds} s`);
  await tmux.start('flood-berth', berthCmd, o.cols, o.rows);
  const pid = await tmux.panePid('flood-berth');
  await openLogs('flood-berth', FLOOD);
  const rssBeforeLogsKb = treeRssKb(pid);
  const t0 = performance.now();
  await tmux.run(['send-keys', '-t', 'flood-berth', 'Enter']);
  const opened = await waitScreen('flood-berth', (s) => /flood \d+ some text/.test(s) && /follow/.test(s), 'the flood in berth', 60_000, t0);
  result.berthOpenMs = opened.ms;
  result.berthRssBeforeLogsKb = rssBeforeLogsKb;
  result.berth = await watchFlood(o, env, 'berth', 'flood-berth', pid, { keys: true });
  await tmux.stop('flood-berth', pid);
  await sleep(2000);

  // docker logs -f, what a user would otherwise run (with berth's default tail)
  say(`  docker logs -f --tail 1000: ${o.seconds} s`);
  await tmux.start('flood-docker', `exec docker logs -f --tail 1000 ${FLOOD}`, o.cols, o.rows);
  const dpid = await tmux.panePid('flood-docker');
  result.docker = await watchFlood(o, env, 'docker logs -f', 'flood-docker', dpid, { keys: false });
  await tmux.stop('flood-docker', dpid);

  // what the container really produced in each window
  await api(state.host, 'POST', `/containers/${FLOOD}/kill`);
  say('  counting the lines the container produced in each window');
  for (const k of ['none', 'berth', 'docker']) {
    const [a, b] = result[k].wall;
    const c = await countLines(env, ['logs', '--since', unixTs(a), '--until', unixTs(b), FLOOD]);
    result[k].produced = c.lines;
    result[k].producedPerSec = c.lines / ((b - a) / 1000);
    const r = result[k];
    // the container's newest line at each sample, estimated from its newest line at the end
    // of the window and the rate it produced at in the window
    if (r.samples && Number.isFinite(r.latestLine)) {
      for (const x of r.samples) x.lagLines = x.onScreen >= 0 ? r.latestLine - (r.producedPerSec * (b - x.wall)) / 1000 - x.onScreen : null;
    }
  }
  await removeContainer(FLOOD);
  return result;
}

async function giantPart(o, env, berthCmd) {
  const cols = 80;
  const rows = 24;
  const result = { cols, rows, keys: [], borderProblems: [], screensChecked: 0 };
  await createContainer(GIANT, giantCmd());
  // wait until it printed everything
  for (let i = 0; i < 200; i++) {
    const r = await countLines(env, ['logs', '--tail', '3', GIANT]);
    if (r.tail.includes('after 5')) break;
    await sleep(100);
  }
  const lens = await new Promise((resolve, reject) => {
    const p = spawn('docker', ['logs', GIANT], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let max = 0;
    let cur = 0;
    let n = 0;
    p.stdout.on('data', (b) => {
      for (const c of b) {
        if (c === 10) {
          max = Math.max(max, cur);
          cur = 0;
          n++;
        } else cur++;
      }
    });
    p.on('error', reject);
    p.on('close', () => resolve({ max, n }));
  });
  result.lineLength = lens.max;
  result.lines = lens.n;
  say(`giant line: ${lens.max} characters (${lens.n} lines in the log); berth at ${cols}x${rows}`);

  await tmux.start('giant-berth', berthCmd, cols, rows);
  const pid = await tmux.panePid('giant-berth');
  await openLogs('giant-berth', GIANT);
  const ticks0 = treeTicks(pid);
  const t0 = performance.now();
  await tmux.run(['send-keys', '-t', 'giant-berth', 'Enter']);
  const opened = await waitScreen('giant-berth', (s) => s.includes('after 5') && /[0-9A-Za-z]{60}/.test(s), 'the giant line in berth', 60_000, t0);
  result.openMs = opened.ms;
  result.openCpuS = (treeTicks(pid) - ticks0) / HZ;
  const check = (screen, when) => {
    result.screensChecked++;
    for (const p of bordersIntact(screen, cols, rows)) result.borderProblems.push(`${when}: ${p}`);
  };
  check(opened.screen, 'opened');
  await sleep(500);
  // each key must change the screen: up 8 lines (through the giant line), down 4, G to the
  // bottom, w (nowrap: the line's start shows), w again (wrap: its end shows)
  const plan = [
    ...Array.from({ length: 8 }, () => 'k'),
    ...Array.from({ length: 4 }, () => 'j'),
    'G',
    'w',
    'w',
  ];
  for (const key of plan) {
    await sleep(200);
    const before = await tmux.capture('giant-berth');
    let test = (s) => s !== before;
    if (key === 'w') {
      const wrapOn = /· wrap ·/.test(before);
      test = (s) => /· (no)?wrap ·/.test(s) && /· wrap ·/.test(s) !== wrapOn;
    }
    const r = await keyLatency('giant-berth', key, test);
    if (r.ms === null) say(`  warning: '${key}' changed nothing within ${KEY_TIMEOUT_MS / 1000} s`);
    await sleep(150); // let a frame that follows settle before checking the borders
    const after = await tmux.capture('giant-berth');
    check(after, `after ${key}`);
    result.keys.push({ key, ms: r.ms, showsStart: after.includes('GIANT-START') });
  }
  result.rssKb = treeRssKb(pid);
  result.totalCpuS = (treeTicks(pid) - ticks0) / HZ;
  result.lastScreen = await tmux.capture('giant-berth');
  await tmux.stop('giant-berth', pid);
  await removeContainer(GIANT);
  return result;
}


// ---------------------------------------------------------------------------------------
// Report

const mib = (kb) => (kb / 1024).toFixed(0);
const f1 = (x) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(1));
const int = (x) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : (Math.round(x) || 0).toLocaleString('en-US'));
const ms = (x) => (x === null || x === undefined ? `no change in ${KEY_TIMEOUT_MS / 1000} s` : `${Math.round(x)}`);

function latencyText(xs) {
  const ok = xs.filter((x) => x !== null);
  const lost = xs.length - ok.length;
  if (!ok.length) return `no change within ${KEY_TIMEOUT_MS / 1000} s (${xs.length} presses)`;
  return `${Math.round(median(ok))} / ${Math.round(Math.max(...ok))} (${ok.length} presses${lost ? `, ${lost} unanswered in ${KEY_TIMEOUT_MS / 1000} s` : ''})`;
}

function rssTriple(r) {
  const s = r.samples;
  const mid = s[Math.floor(s.length / 2)];
  return `${mib(s[0].rssKb)} / ${mib(mid.rssKb)} / ${mib(s[s.length - 1].rssKb)}`;
}

function renderReport(run) {
  const { facts: m, flood: f, giant: g } = run;
  const L = [];
  L.push(`Run of ${run.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}, ${Math.round(run.durationS)} s in all.`);
  L.push('');
  L.push(
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memGiB.toFixed(1)} GiB memory, kernel ${m.kernel}, dockerd ${m.dockerd}, node ${m.node}. ` +
      `Load average (1/5/15 min) at the start ${m.loadAtStart.join(' / ')}, at the end ${m.loadAtEnd.join(' / ')}.`,
  );
  L.push('');
  L.push(
    `**Flood**: one container asked to print ${int(f.rate)} lines a second (busybox sh, lines of about 75 characters), ` +
      `120x40 tmux pane, ${run.settings.seconds} s per program, a sample every 2 s. berth: default config (keeps ${'10,000'} lines, opens with the last 1,000), ` +
      `log view in follow mode; \`docker logs -f --tail 1000\` for comparison.`,
  );
  L.push('');
  const b = f.berth;
  const k = f.docker;
  L.push('| Figure | berth log view | `docker logs -f` | no viewer |');
  L.push('| --- | ---: | ---: | ---: |');
  L.push(`| Lines/s the container produced in the window (\`docker logs --since --until\`) | ${int(b.producedPerSec)} | ${int(k.producedPerSec)} | ${int(f.none.producedPerSec)} |`);
  L.push(`| CPU, % of one core, average | ${f1(b.cpuPct)} | ${f1(k.cpuPct)} | |`);
  L.push(`| CPU per 2 s interval, min–max | ${f1(b.cpuMin)}–${f1(b.cpuMax)} | ${f1(k.cpuMin)}–${f1(k.cpuMax)} | |`);
  L.push(`| RSS at start / middle / end, MiB | ${rssTriple(b)} | ${rssTriple(k)} | |`);
  L.push(`| RSS max over the samples, MiB | ${mib(Math.max(...b.samples.map((s) => s.rssKb)))} | ${mib(Math.max(...k.samples.map((s) => s.rssKb)))} | |`);
  L.push(`| Key latency, \`t\` (timestamps) until the status line changes: median / max, ms | ${latencyText(b.latencies)} | (no keys) | |`);
  L.push(`| Terminal output, bytes/s | ${int(b.bytesPerSec)} | ${int(k.bytesPerSec)} | |`);
  L.push(`| tmux server CPU (the terminal), % of one core | ${f1(b.tmuxCpuPct)} | ${f1(k.tmuxCpuPct)} | |`);
  L.push(`| Engine CPU (this dockerd + containerd + shims), % of one core | ${f1(b.engineCpuPct)} | ${f1(k.engineCpuPct)} | ${f1(f.none.engineCpuPct)} |`);
  L.push(`| Lines the screen was behind the container at the end | ${int(b.lagLines)} | ${int(k.lagLines)} | |`);
  L.push(`| 1-min load at start→end of the window (cores busy) | ${f1(b.load[0])}→${f1(b.load[1])} (${f1(b.coresBusy)}) | ${f1(k.load[0])}→${f1(k.load[1])} (${f1(k.coresBusy)}) | ${f1(f.none.load[0])}→${f1(f.none.load[1])} |`);
  L.push('');
  L.push(
    `berth: ${(f.berthOpenMs / 1000).toFixed(2)} s from Enter to the first flood lines on screen; RSS ${mib(f.berthRssBeforeLogsKb)} MiB on the dashboard before opening the logs. ` +
      `Borders of the 120x40 screen at the end: ${b.borders.length ? `**broken** (${b.borders[0]})` : 'intact'}.`,
  );
  L.push('');
  L.push(`berth RSS every 2 s, MiB: ${b.samples.map((s) => mib(s.rssKb)).join(' ')}`);
  L.push('');
  L.push(`Lines berth's screen was behind the container every 2 s (estimated from the rate): ${b.samples.map((s) => int(s.lagLines)).join(' ')}`);
  L.push('');
  L.push(`The same for \`docker logs -f\`: ${k.samples.map((s) => int(s.lagLines)).join(' ')}`);
  L.push('');
  L.push(`berth CPU per 2 s interval, %: ${b.samples.slice(1).map((s) => f1(s.cpuPct)).join(' ')}`);
  L.push('');
  L.push(`berth key latencies, ms: ${b.latencies.map(ms).join(' ')}`);
  L.push('');
  L.push(`**Giant line**: one line of ${int(g.lineLength)} characters between 30 short lines before and 5 after, berth at ${g.cols}x${g.rows}, wrap on (the default).`);
  L.push('');
  const lat = (key) => g.keys.filter((x) => x.key === key).map((x) => x.ms);
  L.push('| Figure | berth |');
  L.push('| --- | ---: |');
  L.push(`| Enter until the giant line's end and the lines after it show, s | ${(g.openMs / 1000).toFixed(2)} |`);
  L.push(`| CPU berth used for that, s | ${g.openCpuS.toFixed(2)} |`);
  for (const key of ['k', 'j', 'G', 'w']) {
    const label = { k: '`k` (up one line, through the giant one)', j: '`j` (down one line)', G: '`G` (bottom, follow)', w: '`w` (wrap off / on)' }[key];
    L.push(`| Key latency ${label}, until the screen changes: median / max, ms | ${latencyText(lat(key))} |`);
  }
  const nowrap = g.keys.find((x) => x.key === 'w');
  L.push(`| With wrap off the line's start shows, truncated | ${nowrap?.showsStart ? 'yes' : 'no'} |`);
  L.push(`| Borders intact (every panel row starts and ends with a border, no row wider than ${g.cols}) on all ${g.screensChecked} screens checked | ${g.borderProblems.length ? `**no**: ${g.borderProblems.slice(0, 3).join('; ')}` : 'yes'} |`);
  L.push(`| berth RSS at the end, MiB | ${mib(g.rssKb)} |`);
  L.push('');
  L.push(`Key latencies, ms, in order: ${g.keys.map((x) => `${x.key} ${ms(x.ms)}`).join(', ')}`);
  return L.join('\n');
}

function updateReadme(file, report) {
  let text = fs.readFileSync(file, 'utf8');
  const block = `${BEGIN}\n${report}\n${END}`;
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) text = text.slice(0, a) + block + text.slice(b + END.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}

// ---------------------------------------------------------------------------------------

async function main() {
  const o = { ...parseArgs(process.argv.slice(2)), cols: 120, rows: 40 };
  const started = Date.now();
  const pre = d.findPrerequisites();
  if (pre.missing.length) throw new Error(`${d.describeMissing(pre.missing)}; apt-get install ${d.APT_PACKAGES.join(' ')}`);
  if (!d.isRoot()) throw new Error('the bench starts a private dockerd and needs root');
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const mem = fs.readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+) kB/m);
  const facts = {
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    memGiB: mem ? Number(mem[1]) / 1024 / 1024 : 0,
    kernel: os.release(),
    node: process.version,
    loadAtStart: loadAverage(),
  };
  say(`${facts.cores} cores, load ${facts.loadAtStart.join(' ')}`);

  state = await d.createTestDir();
  d.spawnWatchdog(state);
  await d.launchDaemon(state);
  facts.dockerd = await d.engineVersion(state.host);
  await d.ensureFixtureImage(state.host, { dockerConfig: state.dockerConfig, tmpDir: state.tmpDir });
  engineProcesses(state);
  say(`private dockerd ${facts.dockerd} up`);

  const env = d.testEnvironment(state, process.env, { tmp: false });
  delete env.NO_COLOR;
  delete env.TMUX;
  tmux = new Tmux(state.dir, env);
  await tmux.start('keep', 'sleep 100000', o.cols, o.rows);
  const berthCmd = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)}`;

  const flood = await floodPart(o, env, berthCmd);
  say(
    `  flood: berth cpu ${f1(flood.berth.cpuPct)}%, docker logs ${f1(flood.docker.cpuPct)}%; ` +
      `key latency median ${f1(median(flood.berth.latencies.filter((x) => x !== null)))} ms; ` +
      `${int(flood.berth.producedPerSec)} lines/s produced`,
  );
  const giant = await giantPart(o, env, berthCmd);
  facts.loadAtEnd = loadAverage();

  const run = { date: new Date().toISOString(), durationS: (Date.now() - started) / 1000, settings: o, facts, flood, giant };
  const report = renderReport(run);
  process.stdout.write(`\n${report}\n`);
  if (flood.berth.borders.length) say(`berth's flood screen at the end:\n${flood.berth.screen}`);
  if (giant.borderProblems.length) say(`giant: border problems:\n${giant.borderProblems.join('\n')}\nlast screen:\n${giant.lastScreen}`);
  if (o.write) {
    updateReadme(path.join(root, 'bench', 'README.md'), report);
    say('results written to bench/README.md (Logs: flood and a giant line)');
  }
}

runBench(main);

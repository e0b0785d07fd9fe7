#!/usr/bin/env node
// Do background image scans slow the dashboard? One private engine with containers of
// several images, the dashboard (client and server) in tmux, in alternating windows with the
// background scans off ([scan] background = false) and on, with a stand-in Trivy that keeps
// one core busy for each image it scans, as a real scan does (berth runs it at nice 19).
// Measured per window: berth's own CPU (the client's process tree and the server process
// itself, the scanner's processes left out and reported on their own), the bytes berth writes
// to its terminal per second (its frames), and the time from a key to the screen showing it
// (j moves the selection; 10 presses, median).
//
//   node bench/scan.mjs [--containers 30] [--images 6] [--seconds 20] [--rounds 2] [--burn 8]
//
// Needs root (a private dockerd), tmux, and dist/ built (npm run build).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as d from '../test/harness/daemon.js';
import { opt } from './lib/args.mjs';
import { fillTo } from './lib/containers.mjs';
import { lifecycle } from './lib/lifecycle.mjs';
import { HZ, loadAverage, readStat, treeTicks } from './lib/proc.mjs';
import { Tmux } from './lib/tmux.mjs';
import { berthServerPid, stopBerthServer } from './lib/berthServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stdout.write(`${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const containers = Number(opt('containers', '30'));
const images = Number(opt('images', '6'));
const seconds = Number(opt('seconds', '20'));
const rounds = Number(opt('rounds', '2'));
const burn = Number(opt('burn', '8'));
const cols = 120;
const rows = 40;

let state = null;
let tmux = null;
const run = lifecycle(say, () => ({ state, tmux, stop: stopServer }));

const serverPid = () => berthServerPid(tmux.env);
const stopServer = async () => {
  if (tmux) await stopBerthServer(tmux.env);
};

/** CPU ticks of the server process alone (its scanner children are counted apart). */
function selfTicks(pid) {
  const s = readStat(pid);
  return s ? s.utime + s.stime : 0;
}

/** CPU ticks of every process under the server but not the server itself (the scans). */
function childTicks(pid) {
  return treeTicks(pid) - selfTicks(pid);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function keyLatency(session) {
  const out = [];
  for (let i = 0; i < 10; i++) {
    const before = await tmux.capture(session);
    const t0 = performance.now();
    await tmux.run(['send-keys', '-t', session, i % 2 ? 'k' : 'j']);
    for (;;) {
      const now = await tmux.capture(session);
      if (now !== before) break;
      if (performance.now() - t0 > 3000) break;
      await sleep(5);
    }
    out.push(performance.now() - t0);
    await sleep(200);
  }
  return median(out);
}

async function window(mode, scanner) {
  await stopServer();
  const cfgDir = path.join(tmux.env.XDG_CONFIG_HOME, 'berth');
  fs.mkdirSync(cfgDir, { recursive: true });
  fs.writeFileSync(path.join(cfgDir, 'config.toml'), `[scan]\nbackground = ${mode === 'on'}\n`);
  // a fresh scan cache: every image is scanned again in the "on" windows
  fs.rmSync(path.join(tmux.env.XDG_CACHE_HOME, 'berth'), { recursive: true, force: true });
  fs.writeFileSync(scanner.calls, '');
  const session = `scan-${mode}-${Date.now()}`;
  const out = path.join(state.tmpDir, `${session}.raw`);
  await tmux.start(session, `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'dist', 'cli.js'))}`, cols, rows);
  const pid = await tmux.panePid(session);
  await tmux.pipeTo(session, out);
  await sleep(4000);
  await tmux.run(['send-keys', '-t', session, 'Tab']);
  await sleep(1000);
  const spid = serverPid();
  if (!spid) throw new Error('no berth server');
  const a0 = treeTicks(pid) + selfTicks(spid);
  const c0 = childTicks(spid);
  const b0 = fs.statSync(out).size;
  const t0 = performance.now();
  const latency = await keyLatency(session);
  await sleep(Math.max(0, seconds * 1000 - (performance.now() - t0)));
  const secs = (performance.now() - t0) / 1000;
  const a1 = treeTicks(pid) + selfTicks(spid);
  const c1 = childTicks(spid);
  const b1 = fs.statSync(out).size;
  const scans = fs.readFileSync(scanner.calls, 'utf8').trim().split('\n').filter(Boolean).length;
  const screen = await tmux.capture(session);
  await tmux.stop(session, pid);
  fs.rmSync(out, { force: true });
  return {
    mode,
    berthCpuPct: (100 * (a1 - a0)) / HZ / secs,
    scannerCpuPct: (100 * (c1 - c0)) / HZ / secs,
    bytesPerSec: (b1 - b0) / secs,
    keyMs: latency,
    scansStarted: scans,
    vulnColumn: /VULN/.test(screen),
  };
}

async function main() {
  if (!d.isRoot()) throw new Error('the bench starts a private dockerd and needs root');
  if (!fs.existsSync(path.join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: npm run build');
  state = await d.createTestDir();
  d.spawnWatchdog(state);
  await d.launchDaemon(state);
  await d.ensureFixtureImage(state.host, { dockerConfig: state.dockerConfig, tmpDir: state.tmpDir });
  const env = d.testEnvironment(state, process.env, { tmp: false });
  delete env.NO_COLOR;
  delete env.TMUX;
  env.XDG_CACHE_HOME = path.join(state.dir, 'cache');
  // the stand-in scanner: one busy core per image for `burn` seconds, then an empty report
  const bin = path.join(state.dir, 'scanner-bin');
  fs.mkdirSync(bin);
  const calls = path.join(bin, 'calls.log');
  fs.writeFileSync(
    path.join(bin, 'trivy'),
    `#!/bin/sh
if [ "$1" = version ]; then echo '{"Version":"0.56.2","VulnerabilityDB":{"Version":2,"UpdatedAt":"2026-12-08T06:00:00Z"}}'; exit 0; fi
for a in "$@"; do img="$a"; done
echo "$img" >> '${calls}'
end=$(( $(date +%s) + ${burn} )); while [ "$(date +%s)" -lt "$end" ]; do :; done
echo '{"SchemaVersion":2,"Results":[]}'
`,
    { mode: 0o755 },
  );
  env.PATH = `${bin}${path.delimiter}${env.PATH}`;
  tmux = new Tmux(state.dir, env);
  await tmux.start('keep', 'sleep 100000', cols, rows);

  say(`${containers} containers of ${images} images`);
  await fillTo(state.host, 1, containers, { image: d.FIXTURE_IMAGE, parallel: 6 });
  // images of their own (FROM the fixture with a label: new ids), one container each
  for (let i = 1; i < images; i++) {
    const ctx = path.join(state.tmpDir, `img${i}`);
    fs.mkdirSync(ctx, { recursive: true });
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${d.FIXTURE_IMAGE}\nLABEL bench.scan=${i}\n`);
    const { execFileSync } = await import('node:child_process');
    execFileSync('docker', ['build', '-q', '-t', `bench-scan-${i}:1`, ctx], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    execFileSync('docker', ['run', '-d', '--network', 'none', '--label', 'berth.test=1', '--name', `bench-scan-${i}`, `bench-scan-${i}:1`, 'sleep', '100000'], { env });
  }
  await sleep(5000);
  const results = [];
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 ? ['on', 'off'] : ['off', 'on']) {
      const w = await window(mode, { calls });
      results.push(w);
      say(`round ${r + 1} scans ${mode}: berth ${w.berthCpuPct.toFixed(2)}% CPU, scanner ${w.scannerCpuPct.toFixed(1)}%, ${w.bytesPerSec.toFixed(0)} B/s to the terminal, key → screen ${w.keyMs.toFixed(0)} ms, ${w.scansStarted} scans started, VULN column ${w.vulnColumn ? 'shown' : 'not shown'}`);
    }
  }
  const of = (mode, k) => median(results.filter((x) => x.mode === mode).map((x) => x[k]));
  say(`\nmedians (${rounds} rounds of ${seconds} s, load ${loadAverage().join(' ')}):`);
  say('| background scans | berth CPU | scanner CPU (nice 19) | terminal bytes/s | key → screen |');
  say('| --- | ---: | ---: | ---: | ---: |');
  for (const m of ['off', 'on']) say(`| ${m} | ${of(m, 'berthCpuPct').toFixed(2)} % | ${of(m, 'scannerCpuPct').toFixed(1)} % | ${of(m, 'bytesPerSec').toFixed(0)} | ${of(m, 'keyMs').toFixed(0)} ms |`);
}

run(main);

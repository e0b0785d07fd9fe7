#!/usr/bin/env node
// Pane throughput and keystroke echo: a berth pane against a plain tmux pane.
//
//   DOCKER_HOST=unix:///…/d.sock node bench/panes.mjs --container NAME [--lines 1000000] [--size 80x24] [--echo 30] [--rounds 3] [--busy]
//
// Both run the same shell in the same container through `docker exec -it`; the outer
// terminal is a tmux pane of the same size in both cases (berth runs inside it). Times are
// wall clock from pressing Enter until the marker printed after `seq` shows on the outer
// screen, read with `tmux capture-pane` (polled every 5 ms). Echo latency: one key, until
// the program writes it back to the outer terminal (seen through a tmux control-mode
// client, see echoLatencies), median of --echo keys.
// `berth spawn` is a client of berth's session server, as a tmux client is of its server: the
// berth figures include the socket hop between the two, and each berth round ends its
// session with `berth kill-server -y`.
// Needs a built dist/ (npm run build), tmux, and a running container with sh and seq.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { args, opt, ROOT } from './lib/args.mjs';

const container = opt('container');
if (!container) {
  console.error('usage: node bench/panes.mjs --container NAME [--lines N] [--size COLSxROWS] [--echo N]');
  process.exit(2);
}
const lines = Number(opt('lines', '1000000'));
const [cols, rows] = opt('size', '80x24').split('x').map(Number);
const echoN = Number(opt('echo', '30'));
// --busy: a second pane beside the shell prints 2,000 short lines a second all along (an agent
// streaming its answer while you type in the other pane)
const busy = args.includes('--busy');
const BUSY = 'while :; do seq 1 100; usleep 50000; done';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-panes-'));
const sock = path.join(dir, 's');
const tmux = (...a) => execFileSync('tmux', ['-S', sock, '-f', '/dev/null', ...a], { encoding: 'utf8' });
const capture = () => tmux('capture-pane', '-p', '-t', 'b');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;

async function waitFor(pred, ms = 120_000) {
  const t0 = now();
  while (now() - t0 < ms) {
    if (pred(capture())) return now();
    await sleep(5);
  }
  throw new Error('timed out; screen:\n' + capture());
}

/**
 * Keystroke echo through a tmux control-mode client: it types with `send-keys` written to its
 * stdin and hears the program's output as `%output` lines, so nothing is polled and no process
 * is started per key. The time runs from writing the command until the first output that
 * holds the typed x: tmux parsing the command, the program (berth or docker exec) and the
 * container, and tmux reading the answer are all in it, alike for both.
 */
async function echoLatencies(n) {
  const client = spawn('tmux', ['-S', sock, '-f', '/dev/null', '-C', 'attach', '-t', 'b'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let rest = '';
  let waiting = null;
  client.stdout.setEncoding('utf8');
  client.stdout.on('data', (chunk) => {
    const t = now();
    rest += chunk;
    let i;
    while ((i = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, i);
      rest = rest.slice(i + 1);
      if (waiting && line.startsWith('%output ') && line.slice(line.indexOf(' ', 8) + 1).includes('x')) {
        const w = waiting;
        waiting = null;
        w(t);
      }
    }
  });
  await sleep(500);
  const lat = [];
  for (let i = 0; i < n; i++) {
    const got = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no echo within 5 s; screen:\n' + capture())), 5000);
      waiting = (t) => {
        clearTimeout(timer);
        resolve(t);
      };
    });
    const s0 = now();
    client.stdin.write("send-keys -t b -l 'x'\n");
    lat.push((await got) - s0);
    await sleep(30 + Math.random() * 20);
  }
  client.stdin.end();
  await new Promise((r) => client.once('exit', r));
  return lat;
}

async function run(label, command, ready, neighbour) {
  tmux('new-session', '-d', '-s', 'b', '-x', String(cols), '-y', String(rows), command);
  tmux('set-option', '-g', 'status', 'off');
  if (neighbour) {
    tmux('split-window', '-v', '-t', 'b', neighbour); // above and below, as berth's tiled layout puts two panes
    tmux('select-pane', '-t', 'b.0');
  }
  await waitFor(ready, 60_000);
  await sleep(1500);
  // throughput
  tmux('send-keys', '-t', 'b', '-l', `seq 1 ${lines}; echo BENCH-DONE`);
  const t0 = now();
  tmux('send-keys', '-t', 'b', 'Enter');
  const t1 = await waitFor((s) => /^BENCH-DONE/m.test(s));
  await sleep(500);
  // echo latency: type x, time until an x comes out of the program
  tmux('send-keys', '-t', 'b', '-l', 'clear');
  tmux('send-keys', '-t', 'b', 'Enter');
  await sleep(500);
  const lat = await echoLatencies(echoN);
  tmux('kill-server');
  // berth's panes belong to its session server and outlive the terminal: end them
  if (label === 'berth pane') execFileSync('node', [`${ROOT}/dist/cli.js`, 'kill-server', '-y'], { env: { ...process.env, ...berthEnv }, stdio: 'ignore' });
  await sleep(1000); // a new server started at once may find the old one still exiting
  lat.sort((a, b) => a - b);
  const r = { label, seconds: (t1 - t0) / 1000, echoMedianMs: lat[Math.floor(lat.length / 2)], echoP90Ms: lat[Math.floor(lat.length * 0.9)] };
  console.log(JSON.stringify(r));
  return r;
}

const env = `DOCKER_HOST=${process.env.DOCKER_HOST ?? ''} DOCKER_CONFIG=${process.env.DOCKER_CONFIG ?? ''}`;
// berth: the user shell pane of a workspace, zoomed so that it has the same size minus berth's title and status rows
const cfg = path.join(dir, 'config', 'berth');
fs.mkdirSync(cfg, { recursive: true });
const berthEnv = { XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_STATE_HOME: path.join(dir, 'state'), XDG_RUNTIME_DIR: path.join(dir, 'run') };
const project = path.join(dir, 'project');
fs.mkdirSync(path.join(project, '.ntm'), { recursive: true });
fs.writeFileSync(path.join(project, '.ntm', 'config.toml'), `[agents]\nclaude = "${BUSY}"\n`);
fs.writeFileSync(path.join(cfg, 'config.toml'), `[[projects]]\nname = "bench"\npath = "${project}"\ncontainers = ["${container}"]\n`);
const runTmux = () =>
  run(
    'tmux pane',
    `env ${env} docker exec -it -e TERM=xterm-256color ${container} sh`,
    (s) => /[#$]\s*$/m.test(s),
    busy ? `env ${env} docker exec -it ${container} sh -c '${BUSY}'` : undefined,
  );
const runBerth = () =>
  run(
    'berth pane',
    `env ${env} ${Object.entries(berthEnv).map(([k, v]) => `${k}=${v}`).join(' ')} node ${ROOT}/dist/cli.js spawn bench${busy ? ' --cc=1 --trust' : ''}`,
    (s) => /[#$]\s*$/m.test(s) && s.includes('bench__user'),
  );
// Rounds alternate which program goes first, so a change of machine load does not favour one.
const rounds = Number(opt('rounds', '3'));
const results = { 'tmux pane': [], 'berth pane': [] };
const ratios = [];
for (let i = 0; i < rounds; i++) {
  const [a, b] = i % 2 === 0 ? [runTmux, runBerth] : [runBerth, runTmux];
  const ra = await a();
  const rb = await b();
  for (const r of [ra, rb]) results[r.label].push(r);
  const t = results['tmux pane'].at(-1);
  const br = results['berth pane'].at(-1);
  ratios.push(br.seconds / t.seconds);
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(`\n| ${cols}x${rows}${busy ? ', beside a busy pane' : ''}, seq 1 ${lines}, median of ${rounds} | time to finish | echo median | echo p90 |\n| --- | --- | --- | --- |`);
for (const [label, rs] of Object.entries(results)) {
  console.log(`| ${label} | ${median(rs.map((r) => r.seconds)).toFixed(2)} s | ${median(rs.map((r) => r.echoMedianMs)).toFixed(1)} ms | ${median(rs.map((r) => r.echoP90Ms)).toFixed(1)} ms |`);
}
console.log(`\nberth / tmux time per round: ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}x)`);
fs.rmSync(dir, { recursive: true, force: true });

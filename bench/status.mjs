#!/usr/bin/env node
// What reading agent states costs: a workspace with 16 busy agent panes (real processes on
// real ptys), with the state readings the session server makes and without them, in
// alternating runs of the same length. Target (issue "Agents that need you"): the readings
// add under 2 % of one core.
//
//   node bench/status.mjs [--panes 16] [--seconds 20] [--rounds 3]
//
// Prints each run and the medians; the difference of the medians is the cost of detection,
// and "in readings" the time spent inside them measured directly.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { args, opt, ROOT } from './lib/args.mjs';

const panes = opt('panes', '16');
const seconds = opt('seconds', '20');
const rounds = Number(opt('rounds', '3'));
const out = path.join(ROOT, 'node_modules/.cache/berth/status-cost.mjs');
execFileSync(
  path.join(ROOT, 'node_modules/.bin/esbuild'),
  ['bench/lib/statusCost.ts', '--bundle', '--platform=node', '--format=esm', '--packages=external', `--outfile=${out}`, '--log-level=warning', '--define:process.env.NODE_ENV="production"'],
  { cwd: ROOT, stdio: 'inherit' },
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { on: [], off: [] };
for (let r = 0; r < rounds; r++) {
  for (const mode of r % 2 ? ['off', 'on'] : ['on', 'off']) {
    const res = JSON.parse(execFileSync('node', [out, mode, panes, seconds], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop());
    runs[mode].push(res);
    console.log(`round ${r + 1} ${mode.padEnd(3)}: ${res.cpuPct.toFixed(2)} % of one core${mode === 'on' ? `, in readings ${res.readingsMsPerS.toFixed(2)} ms/s (${res.readings} readings), states ${JSON.stringify(res.states)}` : ''}`);
  }
}
const on = median(runs.on.map((r) => r.cpuPct));
const off = median(runs.off.map((r) => r.cpuPct));
const direct = median(runs.on.map((r) => r.readingsMsPerS));
console.log(`\n${panes} busy panes, ${seconds} s windows, median of ${rounds}:`);
console.log(`  with state readings (every 250 ms): ${on.toFixed(2)} % of one core`);
console.log(`  without:                            ${off.toFixed(2)} % of one core`);
console.log(`  difference:                         ${(on - off).toFixed(2)} % of one core (target: under 2 %)`);
console.log(`  time inside the readings:           ${(direct / 10).toFixed(2)} % of one core (${direct.toFixed(2)} ms per second)`);

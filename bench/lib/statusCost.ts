// One run of the state-detection bench (bench/status.mjs bundles and starts it): a workspace
// as the session server holds it, with N busy agent panes (real processes on real ptys
// printing a spinner line with "esc to interrupt" 20 times a second and a new line every
// second, as an agent streaming its work does), read for state every 250 ms (the rate of
// a session on screen; an unattached one is read every 500 ms) or never. Prints one JSON
// line: the process's CPU over the window, and the time spent in the readings themselves.
import { performance } from 'node:perf_hooks';
import { Workspace } from '../../src/panes/workspace.js';

const [mode = 'on', panesArg = '16', secondsArg = '20'] = process.argv.slice(2);
const panes = Number(panesArg);
const seconds = Number(secondsArg);
const BUSY =
  'i=0; while :; do i=$((i+1)); printf "\\r✻ Working… (%ds · esc to interrupt) %s" $((i/20)) "$(date +%N)"; ' +
  '[ $((i % 20)) = 0 ] && printf "\\n⏺ Read src/file_%d.ts (%d lines)\\n" $i $((i*7)); sleep 0.05; done';

const ws = new Workspace('bench', { cols: 200, rows: 50, layout: 'tiled' });
for (let i = 0; i < panes; i++) ws.add({ title: `bench__cc_${i + 1}`, kind: 'cc', command: { file: 'sh', args: ['-c', BUSY] } });

let inReadings = 0;
let readings = 0;
const timer =
  mode === 'on'
    ? setInterval(() => {
        const t0 = performance.now();
        ws.updateStatuses();
        inReadings += performance.now() - t0;
        readings++;
      }, 250)
    : null;

// a warm-up, then the window
await new Promise((r) => setTimeout(r, 5000));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
inReadings = 0;
readings = 0;
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - t0;
if (timer) clearInterval(timer);
const states = Object.fromEntries(ws.allPanes().map((p) => [p.status, 0]));
for (const p of ws.allPanes()) states[p.status]!++;
process.stdout.write(
  `${JSON.stringify({ mode, panes, seconds, cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100, readingsMsPerS: (inReadings / wall) * 1000, readings, states })}\n`,
);
ws.dispose();
process.exit(0);

// What processes cost, read from /proc: CPU ticks, peak memory, process trees, and the
// processes that make up ONE Docker engine (its dockerd, its managed containerd and the
// containerd shims that serve that containerd), so that other engines on the same machine
// are never counted. Linux only. No dependencies.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Clock ticks per second (utime/stime unit in /proc/<pid>/stat). */
export const HZ = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** /proc/<pid>/stat fields we need, or undefined when the process is gone (or a zombie). */
export function readStat(pid) {
  let text;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // the command name may contain spaces and parentheses: split after the last ')'
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 of proc(5) (state); utime is field 14, so f[11]
  if (f[0] === 'Z' || f[0] === 'X') return undefined;
  return {
    pid,
    ppid: Number(f[1]),
    utime: Number(f[11]),
    stime: Number(f[12]),
    cutime: Number(f[13]),
    cstime: Number(f[14]),
    start: f[19],
  };
}

function readArgv(pid) {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    return argv;
  } catch {
    return [];
  }
}

/** Every live process: pid, ppid, start time, argv. */
export function listProcesses() {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st) out.push({ ...st, argv: readArgv(st.pid) });
  }
  return out;
}

/** root and all its descendants (pids). */
export function treeOf(root, procs = listProcesses()) {
  const children = new Map();
  for (const p of procs) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p.pid);
  }
  if (!procs.some((p) => p.pid === root)) return [];
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    if (out.includes(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

const key = (st) => `${st.pid}:${st.start}`;

/**
 * CPU ticks of a process tree so far: own utime+stime of every live member, plus what
 * they collected from children they already reaped (cutime+cstime). The difference of
 * two readings is the tree's CPU time in between, children that came and went included.
 */
export function treeTicks(root) {
  let sum = 0;
  for (const pid of treeOf(root)) {
    const st = readStat(pid);
    if (st) sum += st.utime + st.stime + st.cutime + st.cstime;
  }
  return sum;
}

/** Per-process ticks (own utime+stime only) keyed by pid+start time. */
export function ticksByProcess(pids) {
  const m = new Map();
  for (const pid of pids) {
    const st = readStat(pid);
    if (st) m.set(key(st), st.utime + st.stime);
  }
  return m;
}

/**
 * Ticks spent between two ticksByProcess() readings by the processes of the first one
 * that are still there in the second (plus any new ones of the second, in full).
 */
export function ticksBetween(before, after) {
  let sum = 0;
  for (const [k, t] of after) sum += t - (before.get(k) ?? 0);
  return sum;
}

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM …), 0 when the process is gone. */
export function statusKb(pid, field) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Follows the peak resident memory of a process tree: call poll() now and then; peakKb()
 * is the sum, over every process seen in the tree, of its VmHWM (the kernel's high-water
 * mark of its resident set), so a peak between two polls is not missed.
 */
export class PeakRss {
  constructor(root) {
    this.root = root;
    this.hwm = new Map();
  }
  poll() {
    for (const pid of treeOf(this.root)) {
      const st = readStat(pid);
      if (!st) continue;
      const kb = statusKb(pid, 'VmHWM');
      if (kb > 0) this.hwm.set(key(st), Math.max(kb, this.hwm.get(key(st)) ?? 0));
    }
  }
  peakKb() {
    let sum = 0;
    for (const kb of this.hwm.values()) sum += kb;
    return sum;
  }
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage() {
  return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** Whole-machine CPU counters (all cores) from /proc/stat, for "how busy was the box". */
export function machineCpu() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...
  const idle = v[3] + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle, total };
}

/** Cores busy on average between two machineCpu() readings (0 … number of cores). */
export function coresBusy(a, b, cores) {
  const total = b.total - a.total;
  if (total <= 0) return 0;
  return (cores * (total - (b.idle - a.idle))) / total;
}

/**
 * The processes of one private engine: its dockerd (from the pidfile), the containerd it
 * manages (under its exec root) and the containerd shims serving that containerd (found
 * by their -address argument, or by a parent chain that leads to that containerd).
 * Throws when the engine is not self-contained (a dockerd using a shared containerd
 * would make the engine figures count other engines' work).
 */
export function engineProcesses({ pidfile, execRoot }) {
  const procs = listProcesses();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const dockerd = Number(fs.readFileSync(pidfile, 'utf8').trim());
  if (!byPid.has(dockerd) || path.basename(byPid.get(dockerd).argv[0] ?? '') !== 'dockerd') {
    throw new Error(`the pidfile names pid ${dockerd}, which is not a running dockerd`);
  }
  const inExecRoot = (a) => a === execRoot || a.startsWith(`${execRoot}/`);
  const containerd = procs.filter(
    (p) => path.basename(p.argv[0] ?? '') === 'containerd' && p.argv.some(inExecRoot),
  );
  if (containerd.length !== 1) {
    throw new Error(
      `expected one containerd managed by the bench's dockerd (under its exec root), found ${containerd.length}; ` +
        'is a system containerd running that dockerd uses instead?',
    );
  }
  const containerdPid = containerd[0].pid;
  const socket = `${execRoot}/containerd/containerd.sock`;
  const leadsTo = (p, target) => {
    for (let q = p, hops = 0; q && hops < 64; q = byPid.get(q.ppid), hops++) if (q.pid === target) return true;
    return false;
  };
  const shims = procs
    .filter((p) => path.basename(p.argv[0] ?? '').startsWith('containerd-shim'))
    .filter((p) => p.argv.includes(socket) || p.argv.some((a) => a === `--address=${socket}`) || leadsTo(p, containerdPid))
    .map((p) => p.pid);
  return { dockerd, containerd: containerdPid, shims, all: [dockerd, containerdPid, ...shims] };
}

/** Waits until process `pid` is gone (or a zombie); false when it still runs after `ms`. */
export async function waitGone(pid, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    if (!fs.existsSync(`/proc/${pid}`) || /\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

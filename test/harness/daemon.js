// Private, disposable Docker engine for berth's engine and e2e tests.
//
// Plain JavaScript with no dependencies beyond Node's standard library, because it is
// used both by the test runner (test/run-tests.js, run by plain `node`) and by the vitest
// harness (test/harness/engine.ts, test/harness/global-setup.ts). Types: daemon.d.ts.
//
// A private engine lives in one folder, `<tmp>/berth-test-<owner pid>/`:
//   d.sock  d.pid  daemon.json  dockerd.log  state.json
//   data/ (data root)  exec/ (exec root, with dockerd's own managed containerd)
//   docker-config/ (empty DOCKER_CONFIG)  tmp/  xdg/{config,state,data,cache,run}/
// state.json describes it (DaemonState); tests find it through BERTH_TEST_DAEMON_STATE.
// Removing it stops every process started from that folder (dockerd, containerd, shims and
// the containers under them), unmounts what is left below it and deletes it.
//
// Run as `node daemon.js watchdog <state.json>` it waits for the owner process to die and
// then removes the engine, so even a runner killed with SIGKILL leaves nothing behind.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOST_ENV = 'BERTH_TEST_DOCKER_HOST';
export const STATE_ENV = 'BERTH_TEST_DAEMON_STATE';
export const SKIP_ENV = 'BERTH_TEST_SKIP_ENGINE';
export const FIXTURE_IMAGE = 'berth-fixture:latest';
export const TEST_LABEL = 'berth.test';
// The one list of Debian packages the tests need (the runner and .ci/run both use it):
// the engine and its CLI, a static busybox for the fixture image, tmux for e2e tests,
// docker-compose (v1; the v2 plugin is not packaged) for compose tests, bc for the bench
// helper. findPrerequisites says which of them this machine lacks.
export const APT_PACKAGES = ['docker.io', 'busybox-static', 'tmux', 'docker-compose', 'bc', 'zstd', 'postgresql-15', 'mariadb-server', 'redis-server', 'shellcheck'];
// What `npm ci` needs to build node-pty from source (it ships no Linux prebuild).
export const BUILD_PACKAGES = ['python3', 'make', 'g++'];
export const START_TIMEOUT_MS = 30_000;
export const BUSYBOX_PATH = '/bin/busybox';

const DIR_PREFIX = 'berth-test-';
const DIR_NAME_RE = /^berth-test-\d+$/;
// sun_path holds 108 bytes on Linux; the longest socket we create is containerd's.
const MAX_SOCKET_PATH = 100;
const EXTRA_BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const PREDEFINED_NETWORKS = new Set(['bridge', 'host', 'none']);
const SELF = fileURLToPath(import.meta.url);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** '1', 'true', 'yes' … are true; unset, '', '0', 'false', 'no' are false. */
export function isTruthyEnv(value) {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no' && v !== 'off';
}

// ---------------------------------------------------------------------------------------
// Prerequisites

export function findBinary(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_BIN_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * 'static' when the file is an ELF executable without a program interpreter (it runs in
 * an image FROM scratch), 'dynamic' when it needs a loader, 'missing' otherwise.
 */
export function elfLinkage(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return 'missing';
  }
  try {
    const header = Buffer.alloc(64);
    if (fs.readSync(fd, header, 0, 64, 0) < 52 || header.readUInt32BE(0) !== 0x7f454c46) return 'missing';
    const is64 = header[4] === 2;
    const le = header[5] === 1;
    const u16 = (b, o) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b, o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64 ? Number(le ? header.readBigUInt64LE(0x20) : header.readBigUInt64BE(0x20)) : u32(header, 0x1c);
    const phentsize = u16(header, is64 ? 0x36 : 0x2a);
    const phnum = u16(header, is64 ? 0x38 : 0x2c);
    const table = Buffer.alloc(phentsize * phnum);
    fs.readSync(fd, table, 0, table.length, phoff);
    const PT_INTERP = 3;
    for (let i = 0; i < phnum; i++) if (u32(table, i * phentsize) === PT_INTERP) return 'dynamic';
    return 'static';
  } finally {
    fs.closeSync(fd);
  }
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The `docker compose` v2 plugin's path where the docker CLI would find it, if installed. */
function composePlugin() {
  const dirs = [
    path.join(os.homedir(), '.docker', 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'docker-compose');
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** What the tests need on this machine, and what of it is missing. */
export function findPrerequisites() {
  const found = {
    dockerd: findBinary('dockerd'),
    containerd: findBinary('containerd'),
    docker: findBinary('docker'),
    tmux: findBinary('tmux'),
    busybox: BUSYBOX_PATH,
    compose: findBinary('docker-compose') ?? composePlugin(),
  };
  const missing = [];
  if (!found.dockerd) missing.push({ what: 'dockerd', pkg: 'docker.io' });
  if (!found.containerd) missing.push({ what: 'containerd', pkg: 'docker.io' });
  if (!found.docker) missing.push({ what: 'the docker CLI', pkg: 'docker.io' });
  const linkage = elfLinkage(BUSYBOX_PATH);
  if (linkage === 'missing') missing.push({ what: BUSYBOX_PATH, pkg: 'busybox-static' });
  if (linkage === 'dynamic') missing.push({ what: `a static ${BUSYBOX_PATH} (the installed one is dynamically linked)`, pkg: 'busybox-static' });
  if (!found.tmux) missing.push({ what: 'tmux', pkg: 'tmux' });
  if (!found.compose) missing.push({ what: 'docker compose or docker-compose', pkg: 'docker-compose' });
  if (!findBinary('bc')) missing.push({ what: 'bc', pkg: 'bc' });
  // restore of .tar.zst archives (test/engine/restorePlain.test.ts)
  if (!findBinary('zstd')) missing.push({ what: 'zstd', pkg: 'zstd' });
  // real database images built FROM scratch out of these (test/harness/dbImages.ts)
  if (!fs.existsSync('/usr/lib/postgresql/15/bin/postgres')) missing.push({ what: 'PostgreSQL 15', pkg: 'postgresql-15' });
  if (!fs.existsSync('/usr/sbin/mariadbd')) missing.push({ what: 'mariadbd', pkg: 'mariadb-server' });
  if (!findBinary('redis-server')) missing.push({ what: 'redis-server', pkg: 'redis-server' });
  // the doctor runs it over RUN commands (test/unit/doctor/shellcheck.test.ts)
  if (!findBinary('shellcheck')) missing.push({ what: 'shellcheck', pkg: 'shellcheck' });
  return { ...found, missing };
}

export function describeMissing(missing) {
  const what = missing.map((m) => m.what).join(', ');
  const pkgs = [...new Set(missing.map((m) => m.pkg))].join(' ');
  return `missing ${what} (Debian/Ubuntu packages: ${pkgs})`;
}

export function canInstallWithApt() {
  return isRoot() && findBinary('apt-get') !== undefined;
}

function runToFile(cmd, args, logFile, env) {
  return new Promise((resolve) => {
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env });
    fs.closeSync(fd);
    child.on('error', (error) => resolve({ code: 127, error }));
    child.on('exit', (code, signal) => resolve({ code: code ?? 128 + (os.constants.signals[signal] ?? 0) }));
  });
}

/** Build tools `npm ci` needs for node-pty, and which of them this machine lacks. */
export function missingBuildTools() {
  const missing = [];
  if (!findBinary('python3')) missing.push({ what: 'python3', pkg: 'python3' });
  if (!findBinary('make')) missing.push({ what: 'make', pkg: 'make' });
  if (!findBinary('g++')) missing.push({ what: 'a C++ compiler (g++)', pkg: 'g++' });
  return missing;
}

/** `apt-get update` + `apt-get install -y` of packages (as root). Output goes to logFile. */
export async function aptInstall(logFile, packages = APT_PACKAGES) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    const r = await runToFile('apt-get', args, logFile, env);
    if (r.code !== 0) {
      return { ok: false, error: `apt-get ${args[0]} failed (exit ${r.code}): ${r.error?.message ?? logTail(logFile)}` };
    }
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------
// Talking to an engine over its socket (no dockerode here: the runner has no TS loader)

export function hostToRequestOptions(host) {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('tcp://') || host.startsWith('http://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new Error(`unsupported Docker host "${host}": use unix:///path/to/docker.sock or tcp://host:port`);
}

export function engineRequest(host, method, urlPath, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...hostToRequestOptions(host), method, path: urlPath, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // plain text answer (/_ping)
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${host} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export async function ping(host, timeoutMs = 1000) {
  try {
    const r = await engineRequest(host, 'GET', '/_ping', timeoutMs);
    return r.status === 200;
  } catch {
    return false;
  }
}

export async function engineVersion(host) {
  const r = await engineRequest(host, 'GET', '/version');
  return typeof r.body === 'object' && r.body ? String(r.body.Version) : 'unknown';
}

async function inBatches(items, size, fn) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

/** Everything on a PRIVATE engine: all containers (force, with volumes) and user networks. */
async function removeAllObjects(host) {
  const containers = await engineRequest(host, 'GET', '/containers/json?all=1');
  const list = Array.isArray(containers.body) ? containers.body : [];
  await inBatches(list, 16, async (c) => {
    const r = await engineRequest(host, 'DELETE', `/containers/${c.Id}?force=1&v=1`, 30_000);
    if (r.status >= 300 && r.status !== 404 && r.status !== 409) {
      throw new Error(`removing container ${c.Id.slice(0, 12)}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  });
  const networks = await engineRequest(host, 'GET', '/networks');
  for (const n of Array.isArray(networks.body) ? networks.body : []) {
    if (PREDEFINED_NETWORKS.has(n.Name)) continue;
    await engineRequest(host, 'DELETE', `/networks/${n.Id}`);
  }
}

// ---------------------------------------------------------------------------------------
// Processes and mounts

function readProc(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 of proc(5) (state), fields[1] the ppid, fields[19] the start time
    const state = fields[0];
    if (state === 'Z' || state === 'X') return undefined;
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (argv[argv.length - 1] === '') argv.pop();
    return { pid, ppid: Number(fields[1]), start: fields[19], argv };
  } catch {
    return undefined;
  }
}

function listProcesses() {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readProc(Number(name));
    if (p) out.push(p);
  }
  return out;
}

export function processStartTime(pid) {
  return readProc(pid)?.start;
}

/** True while the process exists and is not a zombie (and, given `start`, is the same one). */
export function isAlive(pid, start) {
  const p = readProc(pid);
  return p !== undefined && (start === undefined || p.start === start);
}

export async function waitGone(pids, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pids.every((pid) => !isAlive(pid))) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
}

function signal(pids, sig) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

export function descendantsOf(pid) {
  const children = new Map();
  for (const p of listProcesses()) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p.pid);
  }
  const out = [];
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length) {
    const next = stack.pop();
    if (out.includes(next)) continue;
    out.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return out;
}

/** SIGKILL the given processes (ones this program started) and wait for them to go. */
export async function killPids(pids, timeoutMs = 5000) {
  const alive = pids.filter((pid) => pid !== process.pid && isAlive(pid));
  signal(alive, 'SIGKILL');
  return waitGone(alive, timeoutMs);
}

const mentions = (arg, dir) => arg === dir || arg.includes(`${dir}/`);

function ancestorsOfSelf() {
  const out = new Set();
  let pid = process.pid;
  while (pid > 1) {
    out.add(pid);
    const p = readProc(pid);
    if (!p) break;
    pid = p.ppid;
  }
  return out;
}

/** dockerd processes serving this engine: from the pidfile and from the process table. */
function daemonPids(state) {
  const pids = new Set();
  for (const p of listProcesses()) {
    if (path.basename(p.argv[0] ?? '') !== 'dockerd') continue;
    if (p.argv.some((a) => a === state.host || a === `--host=${state.host}` || mentions(a, state.dir))) pids.add(p.pid);
  }
  return [...pids];
}

function containerdPids(state) {
  return listProcesses()
    .filter((p) => path.basename(p.argv[0] ?? '') === 'containerd' && p.argv.some((a) => mentions(a, state.execRoot)))
    .map((p) => p.pid);
}

function readMounts() {
  const unescape = (s) => s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parts = line.split(' ');
      const sep = parts.indexOf('-');
      return { mountPoint: unescape(parts[4]), fsType: parts[sep + 1], superOptions: parts[sep + 3] ?? '' };
    });
}

export function mountsUnder(dir) {
  return readMounts()
    .map((m) => m.mountPoint)
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
}

function runQuiet(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    child.on('error', () => resolve(127));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function unmountUnder(dir) {
  for (let pass = 0; pass < 3; pass++) {
    const mounts = [...new Set(mountsUnder(dir))].sort((a, b) => b.length - a.length);
    if (!mounts.length) return;
    for (const m of mounts) {
      if ((await runQuiet('umount', [m])) !== 0) await runQuiet('umount', ['-l', m]);
    }
  }
}

/** Container cgroups (leaf named by a 64-hex container id) of the given processes. */
function containerCgroups(pids) {
  const rel = new Set();
  for (const pid of pids) {
    try {
      for (const line of fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n')) {
        const p = line.split(':').slice(2).join(':');
        if (/\/[0-9a-f]{64}$/.test(p)) rel.add(p);
      }
    } catch {
      // gone
    }
  }
  if (!rel.size) return [];
  const roots = readMounts()
    .filter((m) => m.fsType === 'cgroup' || m.fsType === 'cgroup2')
    .map((m) => m.mountPoint);
  return [...rel].flatMap((r) => roots.map((root) => path.join(root, r)));
}

/**
 * SIGKILL every process whose command line names a path under `dir` (containerd, shims,
 * a dockerd, tmux servers of tests …) and all their descendants (the containers); given
 * the state file, also the test processes of the run (their environment names it).
 */
async function killProcessesUnder(dir, problems, stateFile) {
  const procs = listProcesses();
  const marker = stateFile ? `${STATE_ENV}=${stateFile}` : undefined;
  const holdsMarker = (pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
    } catch {
      return false;
    }
  };
  const protect = ancestorsOfSelf();
  const children = new Map();
  for (const p of procs) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p.pid);
  }
  const victims = new Set();
  const stack = procs
    .filter((p) => !protect.has(p.pid) && (p.argv.some((a) => mentions(a, dir)) || (marker && holdsMarker(p.pid))))
    .map((p) => p.pid);
  while (stack.length) {
    const pid = stack.pop();
    if (victims.has(pid) || protect.has(pid)) continue;
    victims.add(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  if (!victims.size) return;
  const cgroups = containerCgroups([...victims]);
  if (!(await killPids([...victims]))) {
    problems.push(`processes still running after SIGKILL: ${[...victims].filter((p) => isAlive(p)).join(', ')}`);
  }
  for (const cg of cgroups) {
    for (let i = 0; i < 20; i++) {
      try {
        fs.rmdirSync(cg);
        break;
      } catch (e) {
        if (e.code !== 'EBUSY') break;
        await sleep(50);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// The private engine

export function chooseBaseDir() {
  for (const base of [os.tmpdir(), '/tmp']) {
    const longest = path.join(base, `${DIR_PREFIX}4194304`, 'exec', 'containerd', 'containerd.sock.ttrpc');
    if (longest.length <= MAX_SOCKET_PATH) return base;
  }
  return '/tmp';
}

function layoutFor(dir) {
  const socket = path.join(dir, 'd.sock');
  return {
    dir,
    socket,
    host: `unix://${socket}`,
    dataRoot: path.join(dir, 'data'),
    execRoot: path.join(dir, 'exec'),
    pidfile: path.join(dir, 'd.pid'),
    logFile: path.join(dir, 'dockerd.log'),
    configFile: path.join(dir, 'daemon.json'),
    stateFile: path.join(dir, 'state.json'),
    dockerConfig: path.join(dir, 'docker-config'),
    tmpDir: path.join(dir, 'tmp'),
    xdg: {
      config: path.join(dir, 'xdg', 'config'),
      state: path.join(dir, 'xdg', 'state'),
      data: path.join(dir, 'xdg', 'data'),
      cache: path.join(dir, 'xdg', 'cache'),
      runtime: path.join(dir, 'xdg', 'run'),
    },
  };
}

function writeState(state) {
  const tmp = `${state.stateFile}.new`;
  fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(tmp, state.stateFile);
}

export function readState(file) {
  const state = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (state?.berthTest !== 1) throw new Error(`${file} is not a berth test engine state file`);
  return state;
}

/**
 * Create the folder of a test engine owned by `ownerPid` and write its state.json.
 * `host` undefined: a private dockerd (started with launchDaemon); a string: an existing
 * engine (unmanaged; the folder only holds DOCKER_CONFIG, TMPDIR and XDG folders); null:
 * no engine at all (DOCKER_HOST points at a socket that does not exist).
 */
export async function createTestDir({ ownerPid = process.pid, host } = {}) {
  const dir = path.join(chooseBaseDir(), `${DIR_PREFIX}${ownerPid}`);
  if (fs.existsSync(dir)) {
    let old;
    try {
      old = readState(path.join(dir, 'state.json'));
    } catch {
      old = { berthTest: 1, managed: false, ...layoutFor(dir) };
    }
    const problems = await removeTestDir(old);
    if (problems.length) throw new Error(`cannot reuse ${dir}: ${problems.join('; ')}`);
  }
  fs.mkdirSync(dir, { mode: 0o711 });
  const layout = layoutFor(dir);
  for (const d of [layout.dockerConfig, layout.tmpDir, ...Object.values(layout.xdg)]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const managed = host === undefined;
  const state = {
    berthTest: 1,
    managed,
    ownerPid,
    ownerStart: processStartTime(ownerPid),
    ...layout,
    host: managed ? layout.host : (host ?? `unix://${path.join(dir, 'no-engine.sock')}`),
    engine: managed ? 'private' : host ? 'existing' : 'none',
    image: FIXTURE_IMAGE,
    argv: [],
  };
  if (managed) {
    const dockerd = findBinary('dockerd');
    if (!dockerd) throw new Error(describeMissing([{ what: 'dockerd', pkg: 'docker.io' }]));
    fs.writeFileSync(layout.configFile, '{}\n');
    state.argv = [
      dockerd,
      '--host', layout.host,
      '--data-root', layout.dataRoot,
      '--exec-root', layout.execRoot,
      '--pidfile', layout.pidfile,
      '--config-file', layout.configFile,
      '--bridge=none',
      '--iptables=false',
      '--ip-masq=false',
      '--shutdown-timeout=2',
      // only matters if a system containerd is running (dockerd then uses it instead of
      // starting its own): keeps our containers out of everybody else's namespace
      `--containerd-namespace=berth-test-${ownerPid}`,
      `--containerd-plugins-namespace=berth-test-${ownerPid}-plugins`,
    ];
  }
  writeState(state);
  return state;
}

function daemonEnv() {
  const env = { ...process.env };
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const d of EXTRA_BIN_DIRS) if (!dirs.includes(d)) dirs.push(d);
  env.PATH = dirs.join(path.delimiter);
  delete env.NOTIFY_SOCKET;
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  return env;
}

export function logTail(file, lines = 3) {
  try {
    const text = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
    return text
      .slice(-lines)
      .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
      .join(' | ');
  } catch {
    return '(no log)';
  }
}

function requireManaged(state, what) {
  if (!state.managed) {
    throw new Error(
      `${what}(): not available: the tests use ${state.engine === 'none' ? 'no engine' : `an existing engine (${HOST_ENV}=${state.host})`}, ` +
        'which the test runner does not manage; guard such tests with canRestartDaemon()',
    );
  }
}

/** Start the private dockerd (detached, logging to its folder); resolves once /_ping answers. */
export async function launchDaemon(state, timeoutMs = START_TIMEOUT_MS) {
  requireManaged(state, 'startDaemon');
  const running = daemonPids(state);
  if (running.length) throw new Error(`startDaemon(): the private dockerd is already running (pid ${running.join(', ')}); call killDaemon() first`);
  // The managed containerd dies with a killed dockerd (parent-death signal), but may stay a
  // zombie for a while if init reaps slowly; dockerd counts a zombie as "still running"
  // (for its own pidfile and containerd's) and would wait for it in vain.
  await waitGone(containerdPids(state), 3000);
  for (const pidfile of [state.pidfile, path.join(state.execRoot, 'containerd', 'containerd.pid')]) {
    try {
      const pid = Number(fs.readFileSync(pidfile, 'utf8').trim());
      if (pid > 0 && !isAlive(pid)) fs.rmSync(pidfile, { force: true });
    } catch {
      // no pidfile
    }
  }
  const fd = fs.openSync(state.logFile, 'a');
  let child;
  try {
    child = spawn(state.argv[0], state.argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env: daemonEnv() });
  } finally {
    fs.closeSync(fd);
  }
  let exited;
  child.on('error', (error) => (exited = error.message));
  child.on('exit', (code, sig) => (exited = sig ? `killed by ${sig}` : `exit code ${code}`));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`dockerd stopped (${exited}) before answering on ${state.host}; its log ends: ${logTail(state.logFile)}`);
    if (await ping(state.host, 1000)) return child.pid;
    await sleep(100);
  }
  signal([child.pid], 'SIGKILL');
  throw new Error(`dockerd did not answer on ${state.host} within ${Math.round(timeoutMs / 1000)} s; its log ends: ${logTail(state.logFile)}`);
}

/** SIGKILL the private dockerd and wait until it is gone. */
export async function killDaemon(state) {
  requireManaged(state, 'killDaemon');
  const pids = daemonPids(state);
  if (!pids.length) throw new Error(`killDaemon(): the private dockerd (${state.host}) is not running`);
  signal(pids, 'SIGKILL');
  if (!(await waitGone(pids, 10_000))) throw new Error(`killDaemon(): dockerd (pid ${pids.join(', ')}) is still there 10 s after SIGKILL`);
}

export function isDaemonRunning(state) {
  return state.managed && daemonPids(state).length > 0;
}

/**
 * Stop and remove a test engine folder: for a private engine, remove all its containers
 * and networks, stop dockerd (SIGTERM, then SIGKILL), then for any kind kill what still
 * runs from the folder (and, unless testProcesses is false, test processes of the run that
 * are still there), unmount what is mounted below it and delete it.
 * Returns the problems met (empty when everything went).
 */
export async function removeTestDir(state, { testProcesses = true } = {}) {
  const problems = [];
  const dir = state.dir;
  if (typeof dir !== 'string' || !path.isAbsolute(dir) || !DIR_NAME_RE.test(path.basename(dir))) {
    return [`refusing to remove "${dir}": not a berth test folder`];
  }
  if (state.managed) {
    if (await ping(state.host, 1000)) {
      try {
        await removeAllObjects(state.host);
      } catch (e) {
        problems.push(`could not remove the test containers: ${e.message}`);
      }
    }
    const pids = daemonPids(state);
    signal(pids, 'SIGTERM');
    if (!(await waitGone(pids, 20_000))) {
      signal(pids, 'SIGKILL');
      await waitGone(pids, 5000);
    }
  }
  await killProcessesUnder(dir, problems, testProcesses ? state.stateFile : undefined);
  await unmountUnder(dir);
  const still = mountsUnder(dir);
  if (still.length) {
    problems.push(`left ${dir} in place: still mounted: ${still.join(', ')}`);
    return problems;
  }
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (e) {
    problems.push(`could not delete ${dir}: ${e.message}`);
  }
  return problems;
}

/** Remove test folders whose owner process is gone (a runner killed with SIGKILL …). */
export async function reapStale() {
  const reaped = [];
  for (const base of new Set([os.tmpdir(), '/tmp'])) {
    let names;
    try {
      names = fs.readdirSync(base);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!DIR_NAME_RE.test(name)) continue;
      const dir = path.join(base, name);
      let state;
      try {
        state = readState(path.join(dir, 'state.json'));
      } catch {
        continue;
      }
      if (state.dir !== dir || isAlive(state.ownerPid, state.ownerStart)) continue;
      const problems = await removeTestDir(state);
      reaped.push({ dir, problems });
    }
  }
  return reaped;
}

/** A detached process that removes the engine as soon as its owner process is gone. */
export function spawnWatchdog(state) {
  const child = spawn(process.execPath, [SELF, 'watchdog', state.stateFile], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid;
}

async function watchdog(stateFile) {
  for (;;) {
    await sleep(500);
    let state;
    try {
      state = readState(stateFile);
    } catch {
      return; // removed by its owner
    }
    if (!isAlive(state.ownerPid, state.ownerStart)) {
      await removeTestDir(state);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Fixture image and test environment

function dockerCliEnv(host, dockerConfig) {
  const env = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '0' };
  delete env.DOCKER_CONTEXT;
  if (dockerConfig) env.DOCKER_CONFIG = dockerConfig;
  return env;
}

function runDocker(args, env) {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: e.message }));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * Make sure FIXTURE_IMAGE exists on the engine: FROM scratch, Debian's static busybox as
 * /bin/busybox, one symlink per applet (created here and COPYed; no RUN step, since the
 * engine has no network), CMD ["sh"]. Reuses the image when present.
 */
export async function ensureFixtureImage(host, { dockerConfig, tmpDir = os.tmpdir() } = {}) {
  const present = await engineRequest(host, 'GET', `/images/${encodeURIComponent(FIXTURE_IMAGE)}/json`);
  if (present.status === 200) return { built: false, id: String(present.body?.Id) };
  const env = dockerCliEnv(host, dockerConfig);
  if (elfLinkage(BUSYBOX_PATH) !== 'static') {
    throw new Error(`cannot build ${FIXTURE_IMAGE}: ${describeMissing([{ what: `a static ${BUSYBOX_PATH}`, pkg: 'busybox-static' }])}`);
  }
  const ctx = fs.mkdtempSync(path.join(tmpDir, 'fixture-'));
  try {
    const rootfs = path.join(ctx, 'rootfs');
    fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
    fs.copyFileSync(BUSYBOX_PATH, path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    const list = await new Promise((resolve) => {
      const child = spawn(BUSYBOX_PATH, ['--list-full'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('error', () => resolve(''));
      child.on('exit', () => resolve(out));
    });
    const applets = list.split('\n').map((l) => l.trim()).filter((l) => l && l !== 'linuxrc' && !l.includes('..'));
    if (!applets.some((a) => a.endsWith('/sh'))) throw new Error(`cannot build ${FIXTURE_IMAGE}: ${BUSYBOX_PATH} --list-full gave no shell applet`);
    for (const applet of applets) {
      const target = path.join(rootfs, applet);
      if (fs.existsSync(target)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.symlinkSync('/bin/busybox', target);
    }
    for (const d of ['tmp', 'root', 'etc', 'proc', 'sys', 'dev']) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
    fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
    fs.writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    fs.writeFileSync(path.join(rootfs, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY rootfs/ /\nCMD ["sh"]\n');
    const built = await runDocker(['build', '-q', '--label', `${TEST_LABEL}.fixture=1`, '-t', FIXTURE_IMAGE, ctx], env);
    if (built.code !== 0) throw new Error(`docker build of ${FIXTURE_IMAGE} failed (exit ${built.code}): ${built.stderr.trim()}`);
    return { built: true, id: built.stdout.trim() };
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}

/**
 * Environment for test processes: the docker CLI and any library that follows DOCKER_HOST
 * reach the test engine (never the machine's default one), DOCKER_CONFIG is an empty
 * folder (no contexts, no credentials), and XDG folders (and, unless tmp is false,
 * TMPDIR) point into the test folder so nothing a test writes survives the run.
 */
export function testEnvironment(state, baseEnv = process.env, { tmp = true } = {}) {
  const env = { ...baseEnv };
  delete env.DOCKER_CONTEXT;
  delete env.DOCKER_TLS_VERIFY;
  delete env.DOCKER_CERT_PATH;
  env.DOCKER_HOST = state.host;
  env.DOCKER_CONFIG = state.dockerConfig;
  env.XDG_CONFIG_HOME = state.xdg.config;
  env.XDG_STATE_HOME = state.xdg.state;
  env.XDG_DATA_HOME = state.xdg.data;
  env.XDG_CACHE_HOME = state.xdg.cache;
  env.XDG_RUNTIME_DIR = state.xdg.runtime;
  if (tmp) env.TMPDIR = state.tmpDir;
  env[STATE_ENV] = state.stateFile;
  if (state.engine === 'none') delete env[HOST_ENV];
  else env[HOST_ENV] = state.host;
  return env;
}

/**
 * `node daemon.js prerequisites`: install (as root, with apt-get) every Debian package of
 * APT_PACKAGES and BUILD_PACKAGES that this machine lacks; .ci/run calls it before
 * `npm ci`, and the test runner installs APT_PACKAGES the same way. Exit 0 when nothing is
 * missing afterwards, else one line saying what is and how to get it.
 */
async function installPrerequisites() {
  const say = (msg) => process.stdout.write(`berth prerequisites: ${msg}\n`);
  const missingNow = () => [...findPrerequisites().missing, ...missingBuildTools()];
  let missing = missingNow();
  if (!missing.length) return 0;
  const packages = [...new Set(missing.map((m) => m.pkg))];
  if (!canInstallWithApt()) {
    say(`${describeMissing(missing)}; install them as root: apt-get install ${packages.join(' ')}`);
    return 1;
  }
  const log = path.join(os.tmpdir(), `berth-prerequisites-${process.pid}.log`);
  say(`${describeMissing(missing)}: installing ${[...APT_PACKAGES, ...BUILD_PACKAGES].join(' ')} with apt-get (log: ${log})`);
  const r = await aptInstall(log, [...APT_PACKAGES, ...BUILD_PACKAGES]);
  if (!r.ok) {
    say(`${r.error} (log: ${log})`);
    return 1;
  }
  fs.rmSync(log, { force: true });
  missing = missingNow();
  if (missing.length) {
    say(`still ${describeMissing(missing)} after apt-get install`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.argv[2] === 'prerequisites') {
  installPrerequisites().then(
    (code) => process.exit(code),
    (error) => {
      process.stdout.write(`berth prerequisites: ${error.message}\n`);
      process.exit(1);
    },
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF && process.argv[2] === 'watchdog' && process.argv[3]) {
  watchdog(process.argv[3]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
}

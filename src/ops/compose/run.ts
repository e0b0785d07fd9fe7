// Running docker compose for a project: `docker compose` (v2 plugin) when it answers,
// else `docker-compose` (v1). Output is streamed line by line (a callback or an async
// iterable) so a view can show it while it runs. The engine is passed as DOCKER_HOST.
import fs from 'node:fs';
import readline from 'node:readline';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { execa } from 'execa';
import { UserError } from '../../config/errors.js';
import { ComposeFile, findComposeFile, namedVolumes, normalizeProjectName, normalizeProjectNameV1 } from './file.js';

export const COMPOSE_ACTIONS = ['up', 'down', 'build', 'pull', 'restart', 'logs'] as const;
export type ComposeAction = (typeof COMPOSE_ACTIONS)[number];

export interface ComposeTool {
  kind: 'v2' | 'v1';
  /** Program to run and the arguments before compose's own (["compose"] for v2). */
  command: string;
  prefix: string[];
  version: string;
}

let detected: Promise<ComposeTool> | null = null;

async function tryVersion(command: string, args: string[]): Promise<string | null> {
  try {
    const r = await execa(command, args, { reject: false, timeout: 15_000, stdin: 'ignore' });
    if (r.exitCode !== 0) return null;
    const m = /v?(\d+\.\d+\.\d+[\w.+-]*)/.exec(String(r.stdout));
    return m ? m[1]! : String(r.stdout).trim();
  } catch {
    return null;
  }
}

function readOsRelease(): string | null {
  try {
    return fs.readFileSync('/etc/os-release', 'utf8');
  } catch {
    return null;
  }
}

/** Which package gives this system a compose tool, from /etc/os-release (ID, ID_LIKE). */
export function composeInstallHint(osRelease: string | null, platform: string): string {
  if (platform === 'darwin') return 'install Docker Desktop, or: brew install docker-compose';
  const field = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?`, 'm').exec(osRelease ?? '')?.[1]?.toLowerCase() ?? '';
  const ids = `${field('ID')} ${field('ID_LIKE')}`.split(/\s+/).filter(Boolean);
  const is = (...names: string[]) => ids.some((i) => names.includes(i));
  if (is('debian', 'ubuntu')) return 'install one: apt-get install docker-compose (the distribution\'s) or docker-compose-plugin (from Docker\'s own apt repository)';
  if (is('fedora', 'rhel', 'centos')) return 'install one: dnf install docker-compose-plugin (from Docker\'s own repository) or docker-compose';
  if (is('alpine')) return 'install it: apk add docker-cli-compose';
  if (is('arch')) return 'install it: pacman -S docker-compose';
  if (is('suse', 'opensuse')) return 'install it: zypper install docker-compose';
  return 'install the docker compose plugin: https://docs.docker.com/compose/install/';
}

/** Finds the compose tool once per process: the v2 plugin first, then docker-compose v1. */
export function detectCompose(opts: { refresh?: boolean } = {}): Promise<ComposeTool> {
  if (!detected || opts.refresh) {
    detected = (async () => {
      const v2 = await tryVersion('docker', ['compose', 'version', '--short']);
      if (v2) return { kind: 'v2', command: 'docker', prefix: ['compose'], version: v2 } as const;
      const v2b = await tryVersion('docker-compose', ['version', '--short']);
      if (v2b) {
        // docker-compose may itself be v2 (the standalone binary).
        const kind = /^[2-9]\./.test(v2b) ? 'v2' : 'v1';
        return { kind, command: 'docker-compose', prefix: [], version: v2b } as const;
      }
      throw new UserError(`neither \`docker compose\` nor \`docker-compose\` is installed; ${composeInstallHint(readOsRelease(), process.platform)}`);
    })();
    detected.catch(() => {
      detected = null;
    });
  }
  return detected;
}

export interface ComposeTarget {
  /** Project folder (where the compose file and .env are). */
  dir: string;
  /** Compose file; found in `dir` when absent. */
  file?: string;
  /** Engine address for DOCKER_HOST (unix://…, tcp://…, ssh://…); the environment's when absent. */
  host?: string;
}

export interface ComposeOptions {
  services?: string[];
  /** down: also delete named and anonymous volumes. */
  volumes?: boolean;
  /** up: build images first. */
  build?: boolean;
  /** logs: keep following. */
  follow?: boolean;
  /** logs: lines from the end. */
  tail?: number;
  /** Extra arguments passed after the action's own. */
  extraArgs?: string[];
}

/** The argument list for an action, in the style of the given tool. Pure. */
export function composeArgs(tool: ComposeTool, file: string, dir: string, action: ComposeAction, o: ComposeOptions = {}): string[] {
  const global = [...tool.prefix, '--ansi', 'never', '-f', file, '--project-directory', dir];
  if (tool.kind === 'v2' && (action === 'build' || action === 'up' || action === 'pull')) global.push('--progress', 'plain');
  const services = o.services ?? [];
  const extra = o.extraArgs ?? [];
  switch (action) {
    case 'up':
      return [...global, 'up', '-d', ...(o.build ? ['--build'] : []), ...extra, ...services];
    case 'down':
      return [...global, 'down', ...(o.volumes ? ['--volumes'] : []), ...extra];
    case 'build':
      return [...global, 'build', ...extra, ...services];
    case 'pull':
      // v2 would try to pull the images of services it builds; v1 skips those by itself.
      return [...global, 'pull', ...(tool.kind === 'v2' ? ['--ignore-buildable'] : []), ...extra, ...services];
    case 'restart':
      return [...global, 'restart', ...extra, ...services];
    case 'logs':
      return [...global, 'logs', '--no-color', ...(o.follow ? ['-f'] : []), ...(o.tail !== undefined ? ['--tail', String(o.tail)] : []), ...extra, ...services];
  }
}

export interface ComposeLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface ComposeResult {
  ok: boolean;
  exitCode: number;
  /** The command line that ran, for messages. */
  command: string;
  /** The last lines of output (both streams), at most 500. */
  tail: ComposeLine[];
  /** One line saying what went wrong, when it failed. */
  error?: string;
}

export interface RunOptions extends ComposeOptions {
  onLine?: (l: ComposeLine) => void;
  signal?: AbortSignal;
  tool?: ComposeTool;
}

function resolveFile(target: ComposeTarget): string {
  const dir = path.resolve(target.dir);
  const file = target.file ? path.resolve(dir, target.file) : findComposeFile(dir);
  if (!file) throw new UserError(`${dir}: no compose file (compose.yaml, docker-compose.yml …); run berth init there first`);
  return file;
}

/** The child's environment: DOCKER_HOST set to the engine, no DOCKER_CONTEXT to contradict it. */
export function composeEnv(host: string | undefined, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, COMPOSE_INTERACTIVE_NO_CLI: '1' };
  if (host) {
    env.DOCKER_HOST = host;
    delete env.DOCKER_CONTEXT;
  }
  return env;
}

/**
 * Says in one line why a compose command failed: for a build, which service and which
 * step ("Service 'app' failed to build: The command '…' returned a non-zero code: 3");
 * otherwise the last error-looking line.
 */
export function summarizeFailure(lines: ComposeLine[]): string | null {
  const texts = lines.map((l) => l.line.trim()).filter(Boolean);
  const last = (re: RegExp): string | undefined => {
    for (let i = texts.length - 1; i >= 0; i--) if (re.test(texts[i]!)) return texts[i];
    return undefined;
  };
  const cause = last(/returned a non-zero code|did not complete successfully|failed to solve|executor failed/i);
  const service = last(/^(ERROR: )?Service '[^']+' failed to build|^target [^:]+: failed to solve/i);
  if (cause || service) {
    const s = service?.replace(/^ERROR: /, '').replace(/\s*:\s*Build failed$/i, '');
    return [s, cause].filter((x, i, all) => x && all.indexOf(x) === i).join(': ');
  }
  return last(/^ERROR:/) ?? last(/\berror\b/i) ?? last(/failed|denied|not found|no such|invalid|unable|cannot|refused/i) ?? texts[texts.length - 1] ?? null;
}

/** The command line an action would run, for dry runs and messages. */
export async function composeCommandLine(target: ComposeTarget, action: ComposeAction, o: ComposeOptions & { tool?: ComposeTool } = {}): Promise<string> {
  const file = resolveFile(target);
  const tool = o.tool ?? (await detectCompose());
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return [tool.command, ...composeArgs(tool, file, path.resolve(target.dir), action, o)].map(quote).join(' ');
}

/** Runs one compose action, calling onLine for every output line as it arrives. */
export async function runCompose(target: ComposeTarget, action: ComposeAction, o: RunOptions = {}): Promise<ComposeResult> {
  const file = resolveFile(target);
  const dir = path.resolve(target.dir);
  const tool = o.tool ?? (await detectCompose());
  const args = composeArgs(tool, file, dir, action, o);
  const command = [tool.command, ...args].join(' ');
  const tail: ComposeLine[] = [];
  const push = (l: ComposeLine): void => {
    tail.push(l);
    if (tail.length > 500) tail.shift();
    o.onLine?.(l);
  };
  const child = execa(tool.command, args, {
    cwd: dir,
    env: composeEnv(target.host),
    extendEnv: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    cancelSignal: o.signal,
    forceKillAfterDelay: 5_000,
  });
  const pump = (stream: NodeJS.ReadableStream | null, name: ComposeLine['stream']): Promise<void> => {
    if (!stream) return Promise.resolve();
    const rl = readline.createInterface({ input: stream, crlfDelay: Infinity });
    // Progress output redraws with \r; keep the last state of each line.
    rl.on('line', (line) => push({ stream: name, line: line.split('\r').filter(Boolean).pop() ?? '' }));
    return new Promise((resolve) => rl.on('close', () => resolve()));
  };
  const [res] = await Promise.all([child, pump(child.stdout, 'stdout'), pump(child.stderr, 'stderr')]);
  const exitCode = typeof res.exitCode === 'number' ? res.exitCode : -1;
  const ok = exitCode === 0 && !res.isCanceled;
  let error: string | undefined;
  if (!ok) {
    const why = res.isCanceled ? 'cancelled' : res.failed && exitCode === -1 ? String(res.shortMessage ?? res.message ?? 'failed to start') : summarizeFailure(tail);
    error = `${tool.kind === 'v2' ? 'docker compose' : 'docker-compose'} ${action} failed${exitCode >= 0 ? ` (exit ${exitCode})` : ''}${why ? `: ${why}` : ''}`;
  }
  return { ok, exitCode, command, tail, ...(error ? { error } : {}) };
}

/** The same as runCompose, as an async iterable of lines; `result` settles at the end. */
export function streamCompose(target: ComposeTarget, action: ComposeAction, o: Omit<RunOptions, 'onLine'> = {}): AsyncIterable<ComposeLine> & { result: Promise<ComposeResult> } {
  const queue: ComposeLine[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  const result = runCompose(target, action, {
    ...o,
    onLine: (l) => {
      queue.push(l);
      wake?.();
    },
  }).finally(() => {
    finished = true;
    wake?.();
  });
  // The iterator reports failures through `result`; keep an unobserved rejection quiet.
  result.catch(() => undefined);
  return {
    result,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (finished) {
          await result.catch(() => undefined);
          while (queue.length) yield queue.shift()!;
          return;
        }
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    },
  };
}

export interface VolumeAtRisk {
  name: string;
  /** Named in the compose file, or an anonymous volume of one of the project's containers. */
  kind: 'named' | 'anonymous';
}

/**
 * The volumes `down --volumes` would delete: the compose file's named volumes (not
 * external) that exist on the engine, plus anonymous volumes of the project's containers.
 * Without an engine, the named volumes the file declares.
 */
export async function volumesAtRisk(target: ComposeTarget, docker?: Dockerode | null): Promise<VolumeAtRisk[]> {
  const file = resolveFile(target);
  const compose = ComposeFile.load(file, process.env);
  if (!compose.valid) return [];
  const projectNames = [...new Set([compose.projectName(), normalizeProjectNameV1(compose.projectName()), normalizeProjectName(path.basename(compose.dir))])];
  const declared = projectNames.flatMap((p) => namedVolumes(compose, p)).filter((v) => !v.external);
  if (!docker) {
    const seen = new Set<string>();
    return namedVolumes(compose)
      .filter((v) => !v.external && !seen.has(v.name) && seen.add(v.name))
      .map((v) => ({ name: v.name, kind: 'named' as const }));
  }
  const existing = new Set(((await docker.listVolumes()).Volumes ?? []).map((v) => v.Name));
  const out: VolumeAtRisk[] = [];
  const seen = new Set<string>();
  for (const v of declared) {
    if (existing.has(v.name) && !seen.has(v.name)) {
      seen.add(v.name);
      out.push({ name: v.name, kind: 'named' });
    }
  }
  for (const p of projectNames) {
    const containers = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${p}`] } });
    for (const c of containers) {
      for (const m of c.Mounts ?? []) {
        if (m.Type === 'volume' && m.Name && /^[0-9a-f]{64}$/.test(m.Name) && !seen.has(m.Name)) {
          seen.add(m.Name);
          out.push({ name: m.Name, kind: 'anonymous' });
        }
      }
    }
  }
  return out;
}

// Types of daemon.js (plain JavaScript so that the test runner can use it without a TS loader).

export const HOST_ENV: 'BERTH_TEST_DOCKER_HOST';
export const STATE_ENV: 'BERTH_TEST_DAEMON_STATE';
export const SKIP_ENV: 'BERTH_TEST_SKIP_ENGINE';
export const FIXTURE_IMAGE: 'berth-fixture:latest';
export const TEST_LABEL: 'berth.test';
export const APT_PACKAGES: string[];
export const BUILD_PACKAGES: string[];
export const START_TIMEOUT_MS: number;
export const BUSYBOX_PATH: string;

/** What state.json (BERTH_TEST_DAEMON_STATE) holds. */
export interface DaemonState {
  berthTest: 1;
  /** true: a private dockerd the runner (or vitest's global setup) started and removes. */
  managed: boolean;
  engine: 'private' | 'existing' | 'none';
  ownerPid: number;
  ownerStart?: string;
  dir: string;
  /** unix:///…/d.sock (private), the given BERTH_TEST_DOCKER_HOST, or a socket that does not exist (none). */
  host: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  logFile: string;
  configFile: string;
  stateFile: string;
  dockerConfig: string;
  tmpDir: string;
  xdg: { config: string; state: string; data: string; cache: string; runtime: string };
  image: string;
  /** dockerd's full argv (empty unless managed). */
  argv: string[];
}

export interface Missing {
  what: string;
  pkg: string;
}

export function isTruthyEnv(value: string | undefined): boolean;
export function findBinary(name: string): string | undefined;
export function elfLinkage(file: string): 'static' | 'dynamic' | 'missing';
export function isRoot(): boolean;
export function findPrerequisites(): {
  dockerd?: string;
  containerd?: string;
  docker?: string;
  tmux?: string;
  busybox: string;
  compose?: string;
  missing: Missing[];
};
export function describeMissing(missing: Missing[]): string;
export function canInstallWithApt(): boolean;
export function missingBuildTools(): Missing[];
export function aptInstall(logFile: string, packages?: string[]): Promise<{ ok: boolean; error?: string }>;

export function hostToRequestOptions(host: string): { socketPath: string } | { host: string; port: number };
export function engineRequest(host: string, method: string, urlPath: string, timeoutMs?: number): Promise<{ status: number; body: unknown }>;
export function ping(host: string, timeoutMs?: number): Promise<boolean>;
export function engineVersion(host: string): Promise<string>;

export function processStartTime(pid: number): string | undefined;
export function isAlive(pid: number, start?: string): boolean;
export function waitGone(pids: number[], timeoutMs: number): Promise<boolean>;
export function descendantsOf(pid: number): number[];
export function killPids(pids: number[], timeoutMs?: number): Promise<boolean>;
export function mountsUnder(dir: string): string[];

export function chooseBaseDir(): string;
export function readState(file: string): DaemonState;
export function createTestDir(opts?: { ownerPid?: number; host?: string | null }): Promise<DaemonState>;
export function logTail(file: string, lines?: number): string;
export function launchDaemon(state: DaemonState, timeoutMs?: number): Promise<number | undefined>;
export function killDaemon(state: DaemonState): Promise<void>;
export function isDaemonRunning(state: DaemonState): boolean;
export function removeTestDir(state: DaemonState, opts?: { testProcesses?: boolean }): Promise<string[]>;
export function reapStale(): Promise<{ dir: string; problems: string[] }[]>;
export function spawnWatchdog(state: DaemonState): number | undefined;

export function ensureFixtureImage(
  host: string,
  opts?: { dockerConfig?: string; tmpDir?: string },
): Promise<{ built: boolean; id: string }>;
export function testEnvironment(
  state: DaemonState,
  baseEnv?: NodeJS.ProcessEnv,
  opts?: { tmp?: boolean },
): NodeJS.ProcessEnv;

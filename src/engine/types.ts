// Plain data shared by the engine layer, the stores and the CLI. No React here.

export type ContainerState =
  | 'created'
  | 'running'
  | 'paused'
  | 'restarting'
  | 'removing'
  | 'exited'
  | 'dead';

export type Health = 'healthy' | 'unhealthy' | 'starting' | null;

/** One container as berth knows it: from the list call, refreshed by events and inspect. */
export interface ContainerInfo {
  id: string;
  /** Name without the leading slash. */
  name: string;
  image: string;
  /** The image's id (sha256:… of its config): what vulnerability scans are kept by. */
  imageId?: string;
  state: ContainerState;
  /** Docker's human status text, e.g. "Up 3 minutes (healthy)". */
  status: string;
  health: Health;
  restartCount: number;
  /** ms since epoch, when the container last started (running) or null. */
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  oomKilled: boolean;
  /** Host PID of the container's main process when running, else 0. */
  pid: number;
  labels: Record<string, string>;
  /** com.docker.compose.project label, when present. */
  composeProject: string | null;
  composeService: string | null;
  created: number;
  /** The container asks for a GPU (device request, nvidia runtime, /dev/nvidia* or AMD devices). */
  gpuRequested: boolean;
  /** State.ExitCode from inspect in any state (a created container that failed to start carries 126/127). */
  lastExitCode?: number | null;
  /** State.Error from inspect, e.g. the runtime's exec failure; '' when none. */
  stateError?: string;
  /** Restart policy, e.g. "on-failure", "always:3", "no". */
  restartPolicy?: string;
  /** Output of the most recent health check, when the container has a health log. */
  healthOutput?: string | null;
  healthFailingStreak?: number;
}

/** Raw cumulative counters read at one instant, from cgroup files or the stats API. */
export interface RawStats {
  /** When the counters were read (ms since epoch): Date.now() for cgroup readings, the engine's own `read` time for API readings. */
  readAt: number;
  /** Total CPU time used by the container, nanoseconds, cumulative. */
  cpuTotalNs: number;
  /** Host CPU time across all CPUs, nanoseconds, cumulative (as docker's system_cpu_usage). */
  systemNs: number;
  /** CPUs online for the container (docker's online_cpus). */
  onlineCpus: number;
  /** Memory used as docker stats (CLI 28) shows it: usage minus inactive_file (v2) or total_inactive_file (v1). */
  memUsed: number;
  /** Memory limit in bytes (host memory when unlimited). */
  memLimit: number;
  /** Network bytes received/sent across the container's interfaces (excluding lo), cumulative. */
  rxBytes: number;
  txBytes: number;
  pids: number;
}

/** One computed sample, derived from two RawStats readings. */
export interface StatsSample {
  t: number;
  /** CPU percent as docker stats: 100% = one full CPU. */
  cpuPct: number;
  memUsed: number;
  memLimit: number;
  rxRate: number;
  txRate: number;
  pids: number;
}

export type EngineStatus =
  | { kind: 'connecting'; address: string }
  | { kind: 'connected'; address: string; version: string; apiVersion: string }
  /** Connected, but the engine has not answered a ping for a while (frozen, overloaded). */
  | { kind: 'stalled'; address: string; version: string; apiVersion: string; since: number }
  | { kind: 'down'; address: string; error: string; since: number };

export interface ProjectView {
  name: string;
  /** Where the project came from: compose label, user config, or the catch-all. */
  source: 'compose' | 'config' | 'other';
  path: string | null;
  containers: ContainerInfo[];
  running: number;
  total: number;
}

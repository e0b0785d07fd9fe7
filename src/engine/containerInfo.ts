// Converts the engine's list and inspect answers into ContainerInfo.
import type Dockerode from 'dockerode';
import { containerRequestsGpu, type GpuInspectLike } from '../ops/gpu/index.js';
import type { ContainerInfo, ContainerState, Health } from './types.js';

const STATES: ReadonlySet<string> = new Set(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

function state(s: string | undefined): ContainerState {
  const v = (s ?? '').toLowerCase();
  return (STATES.has(v) ? v : 'dead') as ContainerState;
}

function time(s: string | undefined): number | null {
  if (!s || s.startsWith('0001-')) return null;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : null;
}

function health(s: string | undefined): Health {
  return s === 'healthy' || s === 'unhealthy' || s === 'starting' ? s : null;
}

/** From a list entry: enough to show a row before the inspect answer arrives. */
export function fromListEntry(c: Dockerode.ContainerInfo): ContainerInfo {
  const labels = c.Labels ?? {};
  const exit = /^Exited \((\d+)\)/.exec(c.Status ?? '');
  const h = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status ?? '');
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    state: state(c.State),
    status: c.Status ?? '',
    health: h ? (h[1] === 'health: starting' ? 'starting' : (h[1] as Health)) : null,
    restartCount: 0,
    startedAt: null,
    finishedAt: null,
    exitCode: exit ? Number(exit[1]) : null,
    oomKilled: false,
    pid: 0,
    labels,
    composeProject: labels['com.docker.compose.project'] ?? null,
    composeService: labels['com.docker.compose.service'] ?? null,
    created: (c.Created ?? 0) * 1000,
    gpuRequested: false,
  };
}

/** From an inspect answer: the full picture. `status` keeps the list's text when known. */
export function fromInspect(i: Dockerode.ContainerInspectInfo, status = ''): ContainerInfo {
  const labels = i.Config?.Labels ?? {};
  const st = state(i.State?.Status);
  const startedAt = st === 'running' || st === 'paused' || st === 'restarting' ? time(i.State?.StartedAt) : null;
  const info: ContainerInfo = {
    id: i.Id,
    name: (i.Name ?? i.Id.slice(0, 12)).replace(/^\//, ''),
    image: i.Config?.Image ?? i.Image,
    imageId: i.Image,
    state: st,
    status,
    health: health(i.State?.Health?.Status),
    restartCount: i.RestartCount ?? 0,
    startedAt,
    finishedAt: time(i.State?.FinishedAt),
    exitCode: st === 'exited' || st === 'dead' ? (i.State?.ExitCode ?? null) : null,
    oomKilled: !!i.State?.OOMKilled,
    pid: i.State?.Pid ?? 0,
    labels,
    composeProject: labels['com.docker.compose.project'] ?? null,
    composeService: labels['com.docker.compose.service'] ?? null,
    created: time(i.Created) ?? 0,
    gpuRequested: containerRequestsGpu(i as unknown as GpuInspectLike).requestsGpu,
    ...diagnosisFields(i),
  };
  if (!info.status) info.status = statusText(info);
  return info;
}

/** A status text like docker ps shows it, derived from inspect data (list data may be stale). */
export function statusText(c: ContainerInfo, now = Date.now()): string {
  switch (c.state) {
    case 'running':
      return `Up ${c.startedAt ? humanDuration(now - c.startedAt) : ''}${c.health ? ` (${c.health})` : ''}`.trim();
    case 'paused':
      return 'Paused';
    case 'restarting':
      return `Restarting (${c.exitCode ?? 0})`;
    case 'exited':
      return `Exited (${c.exitCode ?? 0})${c.finishedAt ? ` ${humanDuration(now - c.finishedAt)} ago` : ''}`;
    default:
      return c.state[0]!.toUpperCase() + c.state.slice(1);
  }
}

export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** The inspect fields the crash diagnosis (src/ops/diagnosis.ts) needs. */
function diagnosisFields(i: Dockerode.ContainerInspectInfo): Partial<ContainerInfo> {
  const st = i.State as (typeof i.State & { Error?: string; Health?: { FailingStreak?: number; Log?: Array<{ Output?: string }> | null } }) | undefined;
  const log = st?.Health?.Log ?? [];
  const policy = i.HostConfig?.RestartPolicy;
  return {
    lastExitCode: st?.ExitCode ?? null,
    stateError: st?.Error ?? '',
    restartPolicy: policy?.Name ? `${policy.Name}${policy.MaximumRetryCount ? `:${policy.MaximumRetryCount}` : ''}` : 'no',
    healthOutput: log.length ? (log[log.length - 1]!.Output ?? '') : null,
    healthFailingStreak: st?.Health?.FailingStreak ?? 0,
  };
}

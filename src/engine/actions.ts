// Operations on containers: restart, stop/start, pause/unpause, kill, remove, plus the
// read-only calls the detail view needs (inspect, top). Each returns a one-line result
// for the status line; engine errors are turned into one line too. No React here.
import type Dockerode from 'dockerode';
import { describeEngineError } from './connection.js';

export type ContainerAction = 'restart' | 'stop' | 'start' | 'pause' | 'unpause' | 'kill' | 'remove';

export interface ActionTarget {
  id: string;
  name: string;
}

export interface RemoveOptions {
  /** Remove a running container too (docker rm -f). */
  force?: boolean;
  /** Remove the container's anonymous volumes with it (docker rm -v). */
  volumes?: boolean;
}

export interface ActionOutcome {
  target: ActionTarget;
  ok: boolean;
  /** One line: what happened, or the engine's reason. */
  message: string;
}

const PAST: Record<ContainerAction, string> = {
  restart: 'restarted',
  stop: 'stopped',
  start: 'started',
  pause: 'paused',
  unpause: 'unpaused',
  kill: 'killed',
  remove: 'removed',
};

interface EngineError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

/** The engine's own message for an HTTP error, else a short description. */
export function engineMessage(err: unknown): string {
  const e = err as EngineError;
  const fromJson = e?.json && typeof e.json === 'object' ? e.json.message : undefined;
  if (fromJson) return fromJson.trim().split('\n')[0]!;
  if (typeof e?.message === 'string') {
    // dockerode: "(HTTP code 409) unexpected - You cannot remove … "
    const m = /^\(HTTP code \d+\)\s*[^-]*-\s*(.+)$/s.exec(e.message);
    if (m) return m[1]!.trim().split('\n')[0]!;
  }
  return describeEngineError(err);
}

/** One line for a failed action, naming the container. */
export function describeActionError(err: unknown, target: ActionTarget, action: ContainerAction): string {
  const status = (err as EngineError)?.statusCode;
  if (status === 404) return `${target.name}: no longer exists (removed meanwhile); nothing to ${action}`;
  if (status === 304) {
    const already = action === 'start' ? 'already running' : action === 'stop' ? 'already stopped' : `already ${PAST[action]}`;
    return `${target.name}: ${already}`;
  }
  return `${target.name}: ${action} failed: ${engineMessage(err)}`;
}

/** Runs one action on one container; never throws. */
export async function runContainerAction(
  docker: Dockerode,
  target: ActionTarget,
  action: ContainerAction,
  opts: RemoveOptions = {},
): Promise<ActionOutcome> {
  const c = docker.getContainer(target.id);
  try {
    switch (action) {
      case 'restart':
        await c.restart();
        break;
      case 'stop':
        await c.stop();
        break;
      case 'start':
        await c.start();
        break;
      case 'pause':
        await c.pause();
        break;
      case 'unpause':
        await c.unpause();
        break;
      case 'kill':
        await c.kill();
        break;
      case 'remove':
        await c.remove({ force: !!opts.force, v: !!opts.volumes });
        break;
    }
    return { target, ok: true, message: `${target.name}: ${PAST[action]}` };
  } catch (err) {
    return { target, ok: false, message: describeActionError(err, target, action) };
  }
}

/** Runs an action on several containers at once; one summary line plus each outcome. */
export async function runOnMany(
  docker: Dockerode,
  targets: ActionTarget[],
  action: ContainerAction,
  opts: RemoveOptions = {},
): Promise<{ ok: boolean; summary: string; outcomes: ActionOutcome[] }> {
  const outcomes = await Promise.all(targets.map((t) => runContainerAction(docker, t, action, opts)));
  const failed = outcomes.filter((o) => !o.ok);
  if (targets.length === 1) return { ok: outcomes[0]!.ok, summary: outcomes[0]!.message, outcomes };
  const done = outcomes.length - failed.length;
  let summary = `${PAST[action]} ${done}/${outcomes.length}`;
  if (failed.length) summary += `; ${failed.map((f) => f.message).join('; ')}`;
  return { ok: failed.length === 0, summary, outcomes };
}

/** What removing a container would take with it: for the confirmation and the dry run. */
export interface RemovalPreview {
  target: ActionTarget;
  exists: boolean;
  running: boolean;
  /** Anonymous volumes: removed only with the `v` option. */
  anonymousVolumes: string[];
  /** Named volumes and bind mounts: never removed by berth's remove. */
  keptMounts: string[];
}

const ANONYMOUS = /^[0-9a-f]{64}$/;

export async function previewRemoval(docker: Dockerode, targets: ActionTarget[]): Promise<RemovalPreview[]> {
  return Promise.all(
    targets.map(async (target): Promise<RemovalPreview> => {
      try {
        const info = await docker.getContainer(target.id).inspect();
        const anonymousVolumes: string[] = [];
        const keptMounts: string[] = [];
        for (const m of info.Mounts ?? []) {
          const mount = m as { Type?: string; Name?: string; Source?: string; Destination?: string };
          if (mount.Type === 'volume' && mount.Name && ANONYMOUS.test(mount.Name)) anonymousVolumes.push(mount.Name.slice(0, 12));
          else keptMounts.push(`${mount.Name ?? mount.Source ?? '?'} → ${mount.Destination ?? '?'}`);
        }
        const running = !!info.State?.Running || !!info.State?.Paused || !!info.State?.Restarting;
        return { target, exists: true, running, anonymousVolumes, keptMounts };
      } catch {
        return { target, exists: false, running: false, anonymousVolumes: [], keptMounts: [] };
      }
    }),
  );
}

/** Lines that say exactly what a removal would do with the given options. */
export function describeRemoval(previews: RemovalPreview[], opts: RemoveOptions): string[] {
  const lines: string[] = [];
  for (const p of previews) {
    if (!p.exists) {
      lines.push(`${p.target.name}: no longer exists`);
      continue;
    }
    let line = `container ${p.target.name}${p.running ? ' (running)' : ''}`;
    if (p.running && !opts.force) line += ': refused unless forced';
    lines.push(line);
    for (const v of p.anonymousVolumes) lines.push(`  anonymous volume ${v}: ${opts.volumes ? 'removed' : 'kept'}`);
    for (const m of p.keptMounts) lines.push(`  ${m}: kept`);
  }
  return lines;
}

export interface TopResult {
  titles: string[];
  processes: string[][];
}

export async function containerTop(docker: Dockerode, id: string): Promise<TopResult> {
  const r = (await docker.getContainer(id).top()) as { Titles?: string[]; Processes?: string[][] };
  return { titles: r.Titles ?? [], processes: r.Processes ?? [] };
}

export async function inspectContainer(docker: Dockerode, id: string): Promise<Dockerode.ContainerInspectInfo> {
  return docker.getContainer(id).inspect();
}


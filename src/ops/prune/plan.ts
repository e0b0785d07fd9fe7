// Prune: a plan that lists exactly what will be removed (the preview and --dry-run are
// this plan), then removal of exactly those objects by id. Never calls the engine's own
// prune endpoints for containers, images, networks or volumes, so preview == result.
import type Dockerode from 'dockerode';
import type { ProjectConfig } from '../../config/schema.js';
import { summarizeDiskUsage, type RawDf } from '../diskUsage.js';

export const PRUNE_KINDS = ['containers', 'images', 'networks', 'build-cache', 'volumes'] as const;
export type PruneKind = (typeof PRUNE_KINDS)[number];

export interface PruneItem {
  kind: PruneKind;
  id: string;
  name: string;
  /** bytes freed (best estimate: writable layer, unique image size, volume size, cache size) */
  size: number;
  detail: string;
}

export interface KeptItem {
  kind: PruneKind;
  name: string;
  reason: string;
}

export interface PrunePlan {
  kinds: PruneKind[];
  items: PruneItem[];
  /** candidates berth refuses to remove, with the reason (volumes of projects, recent backups …) */
  kept: KeptItem[];
  reclaimable: number;
}

/** What the planner needs to know besides the engine's answers (all plain data). */
export interface PruneContext {
  kinds: readonly PruneKind[];
  /** images: also unused tagged images, not just dangling ones */
  allImages?: boolean;
  /** volumes named explicitly: only these are considered, and project/backup protection does not apply */
  volumes?: readonly string[];
  /** only objects carrying all of these labels ("key" or "key=value") */
  labels?: readonly string[];
  projects: readonly ProjectConfig[];
  protectVolumes: readonly string[];
  /** newest backup time per volume name */
  lastBackup: (volume: string) => Date | null;
  protectDays: number;
  now: Date;
}

/** The engine's state the planner reads (recorded in tests). */
export interface EngineSnapshot {
  df: RawDf;
  containers: Dockerode.ContainerInfo[];
  networks: Dockerode.NetworkInspectInfo[];
}

export async function snapshotEngine(docker: Dockerode): Promise<EngineSnapshot> {
  const [df, containers, networks] = await Promise.all([docker.df() as Promise<RawDf>, docker.listContainers({ all: true }), docker.listNetworks()]);
  return { df, containers, networks };
}

const STOPPED = new Set(['exited', 'created', 'dead']);
const BUILTIN_NETWORKS = new Set(['bridge', 'host', 'none', 'ingress', 'docker_gwbridge']);

function matchesLabels(labels: Record<string, string> | null | undefined, wanted: readonly string[] | undefined): boolean {
  if (!wanted?.length) return true;
  const l = labels ?? {};
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    return eq === -1 ? w in l : l[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

const cname = (c: { Names?: string[]; Id: string }) => (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** Pure: the plan from a snapshot of the engine and the context. */
export function planPrune(snap: EngineSnapshot, ctx: PruneContext): PrunePlan {
  const kinds = PRUNE_KINDS.filter((k) => ctx.kinds.includes(k));
  const du = summarizeDiskUsage(snap.df);
  const items: PruneItem[] = [];
  const kept: KeptItem[] = [];
  const sizeOf = new Map(du.containers.items.map((c) => [c.id, c.size]));

  // containers: every stopped one (created, exited, dead)
  const removedContainers = new Set<string>();
  if (kinds.includes('containers')) {
    for (const c of snap.containers) {
      if (!STOPPED.has(c.State) || !matchesLabels(c.Labels, ctx.labels)) continue;
      removedContainers.add(c.Id);
      items.push({ kind: 'containers', id: c.Id, name: cname(c), size: sizeOf.get(c.Id) ?? 0, detail: `${c.Image}, ${c.Status || c.State}` });
    }
  }
  const remaining = snap.containers.filter((c) => !removedContainers.has(c.Id));

  if (kinds.includes('images')) {
    const used = new Set(remaining.map((c) => c.ImageID));
    for (const i of du.images.items) {
      const raw = snap.df.Images?.find((x) => x.Id === i.id);
      if (!matchesLabels(raw?.Labels, ctx.labels)) continue;
      if (used.has(i.id)) continue;
      if (!i.dangling && !ctx.allImages) continue;
      items.push({ kind: 'images', id: i.id, name: i.tags.join(', ') || `<none> ${short(i.id)}`, size: i.unique, detail: i.dangling ? 'dangling' : 'unused' });
    }
  }

  if (kinds.includes('networks')) {
    const used = new Set<string>();
    for (const c of remaining) for (const n of Object.values(c.NetworkSettings?.Networks ?? {})) if (n.NetworkID) used.add(n.NetworkID);
    for (const n of snap.networks) {
      if (BUILTIN_NETWORKS.has(n.Name) || !matchesLabels(n.Labels, ctx.labels)) continue;
      if (used.has(n.Id)) continue;
      items.push({ kind: 'networks', id: n.Id, name: n.Name, size: 0, detail: n.Driver });
    }
  }

  if (kinds.includes('build-cache') && !ctx.labels?.length) {
    for (const b of du.buildCache.items) {
      if (b.inUse) continue;
      items.push({ kind: 'build-cache', id: b.id, name: short(b.id), size: b.shared ? 0 : b.size, detail: `${b.type}${b.description ? `, ${b.description.slice(0, 60)}` : ''}${b.shared ? ' (shared)' : ''}` });
    }
  }

  if (kinds.includes('volumes')) {
    const mountedBy = new Map<string, string[]>();
    for (const c of remaining) for (const m of c.Mounts ?? []) if (m.Type === 'volume' && m.Name) mountedBy.set(m.Name, [...(mountedBy.get(m.Name) ?? []), cname(c)]);
    const configuredNames = new Set(ctx.projects.flatMap((p) => p.containers));
    const explicit = ctx.volumes?.length ? new Set(ctx.volumes) : null;
    const rawVols = new Map((snap.df.Volumes ?? []).map((v) => [v.Name, v]));
    for (const name of explicit ?? []) if (!rawVols.has(name)) kept.push({ kind: 'volumes', name, reason: 'no such volume' });
    for (const v of du.volumes.items) {
      if (explicit && !explicit.has(v.name)) continue;
      if (!explicit && !matchesLabels(v.labels, ctx.labels)) continue;
      const users = mountedBy.get(v.name);
      if (users?.length) {
        kept.push({ kind: 'volumes', name: v.name, reason: `in use by ${users.join(', ')}` });
        continue;
      }
      if (!explicit) {
        const reason = protection(v.name, v.labels, ctx, snap, configuredNames);
        if (reason) {
          kept.push({ kind: 'volumes', name: v.name, reason });
          continue;
        }
      }
      items.push({ kind: 'volumes', id: v.name, name: v.name, size: v.size, detail: `${v.driver}${explicit ? ', named explicitly' : ''}` });
    }
  }
  return { kinds, items, kept, reclaimable: items.reduce((n, i) => n + i.size, 0) };
}

function protection(name: string, labels: Record<string, string>, ctx: PruneContext, snap: EngineSnapshot, configuredNames: Set<string>): string | null {
  const compose = labels['com.docker.compose.project'];
  if (compose) return `belongs to compose project ${compose}`;
  if (ctx.protectVolumes.includes(name)) return 'listed in [backup] protect_volumes';
  for (const p of ctx.projects) if (name.startsWith(`${p.name}_`) || name === p.name) return `named after configured project ${p.name}`;
  // mounted (in any state) by a configured project's container: that container would be in `remaining`; also
  // catch containers listed in the config that mount it under another name
  for (const c of snap.containers) {
    if (!configuredNames.has(cname(c))) continue;
    if ((c.Mounts ?? []).some((m) => m.Type === 'volume' && m.Name === name)) return `mounted by ${cname(c)} of a configured project`;
  }
  const last = ctx.lastBackup(name);
  if (last) {
    const ageDays = (ctx.now.getTime() - last.getTime()) / 86_400_000;
    if (ageDays < ctx.protectDays) return `backed up ${ageDays < 1 ? 'today' : `${Math.floor(ageDays)} day(s) ago`} (younger than [backup] protect_days = ${ctx.protectDays})`;
  }
  return null;
}

export interface PruneOutcome {
  removed: PruneItem[];
  failed: Array<{ item: PruneItem; error: string }>;
  reclaimed: number;
}

export interface PruneProgress {
  item: PruneItem;
  done: boolean;
  error?: string;
}

function errText(err: unknown): string {
  const e = err as { json?: { message?: string }; message?: string };
  return (e?.json?.message ?? e?.message ?? String(err)).split('\n')[0]!;
}

/**
 * Removes exactly the plan's items, in order (containers first so their images, networks
 * and volumes are free). `beforeVolume` runs before each volume is removed (backup); when
 * it throws, that volume is kept and reported as failed.
 */
export async function executePrune(
  docker: Dockerode,
  plan: PrunePlan,
  opts: { onProgress?: (p: PruneProgress) => void; beforeVolume?: (item: PruneItem) => Promise<void> } = {},
): Promise<PruneOutcome> {
  const out: PruneOutcome = { removed: [], failed: [], reclaimed: 0 };
  for (const item of plan.items) {
    try {
      if (item.kind === 'containers') await docker.getContainer(item.id).remove({ v: false });
      else if (item.kind === 'images') await removeImage(docker, item.id);
      else if (item.kind === 'networks') await docker.getNetwork(item.id).remove();
      else if (item.kind === 'build-cache') await pruneCacheRecord(docker, item.id);
      else {
        if (opts.beforeVolume) await opts.beforeVolume(item);
        await docker.getVolume(item.id).remove();
      }
      out.removed.push(item);
      out.reclaimed += item.size;
      opts.onProgress?.({ item, done: true });
    } catch (err) {
      const error = errText(err);
      out.failed.push({ item, error });
      opts.onProgress?.({ item, done: false, error });
    }
  }
  return out;
}

async function removeImage(docker: Dockerode, id: string): Promise<void> {
  try {
    await docker.getImage(id).remove({ force: false });
  } catch (err) {
    // an image with several tags is removed tag by tag (never with force)
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    const info = await docker.getImage(id).inspect();
    if ((info.RepoTags?.length ?? 0) < 2) throw err;
    for (const t of info.RepoTags ?? []) await docker.getImage(t).remove({ force: false });
  }
}

/** One build cache record, by id (BuildKit's prune filter), not the whole cache. */
function pruneCacheRecord(docker: Dockerode, id: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      { path: '/build/prune?', method: 'POST', options: { all: true, filters: { id: [id] } }, statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' } },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data)),
    );
  });
}

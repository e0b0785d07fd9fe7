// Disk usage like `docker system df -v`: images, containers, volumes and build cache with
// their sizes and what could be reclaimed. summarizeDiskUsage is pure (tested on a
// recorded /system/df answer); diskUsage asks the engine.
import type Dockerode from 'dockerode';

/** The parts of GET /system/df berth reads. */
export interface RawDf {
  LayersSize?: number;
  Images?: Array<{ Id: string; RepoTags?: string[] | null; RepoDigests?: string[] | null; Size: number; SharedSize: number; Containers: number; Created: number; Labels?: Record<string, string> | null }> | null;
  Containers?: Array<{ Id: string; Names?: string[]; Image: string; ImageID?: string; State: string; Status?: string; SizeRw?: number; SizeRootFs?: number; Labels?: Record<string, string> | null; Created?: number }> | null;
  Volumes?: Array<{ Name: string; Driver: string; Labels?: Record<string, string> | null; Mountpoint?: string; UsageData?: { Size: number; RefCount: number } | null; CreatedAt?: string }> | null;
  BuildCache?: Array<{ ID: string; Type: string; Description?: string; InUse: boolean; Shared: boolean; Size: number; CreatedAt?: string; LastUsedAt?: string | null; UsageCount?: number }> | null;
}

export interface DfImage {
  id: string;
  tags: string[];
  dangling: boolean;
  size: number;
  shared: number;
  unique: number;
  containers: number;
  created: number;
}
export interface DfContainer {
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  size: number;
  running: boolean;
}
export interface DfVolume {
  name: string;
  driver: string;
  size: number;
  refCount: number;
  labels: Record<string, string>;
}
export interface DfCache {
  id: string;
  type: string;
  description: string;
  size: number;
  inUse: boolean;
  shared: boolean;
  lastUsed: string | null;
}

export interface DfSection<T> {
  total: number;
  active: number;
  size: number;
  reclaimable: number;
  items: T[];
}

export interface DiskUsage {
  images: DfSection<DfImage>;
  containers: DfSection<DfContainer>;
  volumes: DfSection<DfVolume>;
  buildCache: DfSection<DfCache>;
}

const nonNeg = (n: number | undefined | null): number => (typeof n === 'number' && n > 0 ? n : 0);

/**
 * Pure. Reclaimable, per section:
 *  images      the unique size (size minus layers shared with other images) of images no
 *              container uses: what removing them frees for sure (docker's own figure also
 *              counts layers shared with images still in use, so it can be larger);
 *  containers  the writable layer of every container that is not running;
 *  volumes     the size of volumes no container mounts (-1 sizes count as 0);
 *  build cache records not in use and not shared.
 */
export function summarizeDiskUsage(raw: RawDf): DiskUsage {
  const images: DfImage[] = (raw.Images ?? []).map((i) => {
    const tags = (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    const shared = nonNeg(i.SharedSize);
    return { id: i.Id, tags, dangling: tags.length === 0, size: nonNeg(i.Size), shared, unique: Math.max(0, nonNeg(i.Size) - shared), containers: Math.max(0, i.Containers), created: i.Created };
  });
  const containers: DfContainer[] = (raw.Containers ?? []).map((c) => ({
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
    image: c.Image,
    state: c.State,
    status: c.Status ?? c.State,
    size: nonNeg(c.SizeRw),
    running: c.State === 'running' || c.State === 'paused' || c.State === 'restarting',
  }));
  const volumes: DfVolume[] = (raw.Volumes ?? []).map((v) => ({
    name: v.Name,
    driver: v.Driver,
    size: nonNeg(v.UsageData?.Size),
    refCount: Math.max(0, v.UsageData?.RefCount ?? 0),
    labels: v.Labels ?? {},
  }));
  const cache: DfCache[] = (raw.BuildCache ?? []).map((b) => ({
    id: b.ID,
    type: b.Type,
    description: b.Description ?? '',
    size: nonNeg(b.Size),
    inUse: b.InUse,
    shared: b.Shared,
    lastUsed: b.LastUsedAt ?? null,
  }));
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);
  const layers = raw.LayersSize ?? sum(images, (i) => i.unique) + 0;
  return {
    images: {
      total: images.length,
      active: images.filter((i) => i.containers > 0).length,
      size: nonNeg(layers),
      reclaimable: sum(images.filter((i) => i.containers === 0), (i) => i.unique),
      items: images,
    },
    containers: {
      total: containers.length,
      active: containers.filter((c) => c.running).length,
      size: sum(containers, (c) => c.size),
      reclaimable: sum(containers.filter((c) => !c.running), (c) => c.size),
      items: containers,
    },
    volumes: {
      total: volumes.length,
      active: volumes.filter((v) => v.refCount > 0).length,
      size: sum(volumes, (v) => v.size),
      reclaimable: sum(volumes.filter((v) => v.refCount === 0), (v) => v.size),
      items: volumes,
    },
    buildCache: {
      total: cache.length,
      active: cache.filter((b) => b.inUse).length,
      size: sum(cache, (b) => b.size),
      reclaimable: sum(cache.filter((b) => !b.inUse && !b.shared), (b) => b.size),
      items: cache,
    },
  };
}

export async function diskUsage(docker: Dockerode): Promise<DiskUsage> {
  return summarizeDiskUsage((await docker.df()) as RawDf);
}

function human(n: number): string {
  if (n < 1000) return `${n}B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${units[i]}`;
}

/**
 * Rows in columns, as docker prints them; wider than `width`, each row becomes a record
 * instead (its first cell, then "COLUMN value" pairs on an indented line), so a narrow
 * terminal wraps words, not columns.
 */
function table(rows: string[][], width = Infinity): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('   ').trimEnd());
  if (Math.max(...lines.map((l) => l.length)) <= width) return lines;
  const [head, ...body] = rows;
  if (!body.length) return [`(none)`];
  return body.flatMap((r) => [r[0]!, `  ${r.slice(1).map((cell, c) => `${head![c + 1]} ${cell}`).join(', ')}`]);
}

function pct(part: number, whole: number): string {
  return whole > 0 ? ` (${Math.round((part / whole) * 100)}%)` : '';
}

/** Text like `docker system df` (sizes in decimal units as docker prints them); -v adds the items. */
export function formatDiskUsage(du: DiskUsage, verbose = false, width = Infinity): string {
  const rows = [['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE']];
  const add = (name: string, s: DfSection<unknown>) => rows.push([name, String(s.total), String(s.active), human(s.size), human(s.reclaimable) + pct(s.reclaimable, s.size)]);
  add('Images', du.images);
  add('Containers', du.containers);
  add('Local Volumes', du.volumes);
  add('Build Cache', du.buildCache);
  const out = table(rows);
  if (verbose) {
    out.push('', 'Images space usage:', '');
    out.push(...table([['REPOSITORY:TAG', 'IMAGE ID', 'SIZE', 'SHARED SIZE', 'UNIQUE SIZE', 'CONTAINERS'], ...du.images.items.map((i) => [i.tags.join(',') || '<none>', i.id.replace(/^sha256:/, '').slice(0, 12), human(i.size), human(i.shared), human(i.unique), String(i.containers)])], width));
    out.push('', 'Containers space usage:', '');
    out.push(...table([['CONTAINER ID', 'IMAGE', 'SIZE', 'STATUS', 'NAMES'], ...du.containers.items.map((c) => [c.id.slice(0, 12), c.image, human(c.size), c.status, c.name])], width));
    out.push('', 'Local Volumes space usage:', '');
    out.push(...table([['VOLUME NAME', 'LINKS', 'SIZE'], ...du.volumes.items.map((v) => [v.name, String(v.refCount), human(v.size)])], width));
    out.push('', 'Build cache usage: ' + human(du.buildCache.size), '');
    out.push(...table([['CACHE ID', 'CACHE TYPE', 'SIZE', 'LAST USED', 'SHARED', 'IN USE'], ...du.buildCache.items.map((b) => [b.id.slice(0, 12), b.type, human(b.size), b.lastUsed ?? '-', String(b.shared), String(b.inUse)])], width));
  }
  return out.join('\n') + '\n';
}

export { human as decimalBytes };

// Engine plumbing for backup and restore: helper containers that mount a volume (created,
// never started), the archive API, and which containers use a volume. No output here.
import os from 'node:os';
import { buffer } from 'node:stream/consumers';
import type Dockerode from 'dockerode';
import tarLib from 'tar-stream';
import { UserError } from '../../config/errors.js';
import { pidAlive } from '../../lib/process.js';

export const HELPER_LABEL = 'berth.helper';
/** host:pid of the berth that created a helper, so a later berth can tell a leftover from one in use. */
export const HELPER_OWNER_LABEL = 'berth.helper.owner';

const helperOwner = () => `${os.hostname()}:${process.pid}`;

/**
 * Removes helper containers that a berth on this machine created and did not live to
 * remove (killed, or the engine went away mid-copy): they keep their volume "in use".
 * Helpers of a berth still running, or of another machine, are left alone. Returns the
 * names removed.
 */
export async function removeLeftoverHelpers(docker: Dockerode): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [HELPER_LABEL] } });
  const removed: string[] = [];
  for (const c of list) {
    const owner = c.Labels?.[HELPER_OWNER_LABEL] ?? '';
    const m = /^(.*):(\d+)$/.exec(owner);
    if (!m || m[1] !== os.hostname() || pidAlive(Number(m[2]))) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: false });
      removed.push((c.Names?.[0] ?? c.Id).replace(/^\//, ''));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  return removed;
}
/** Where a helper container mounts the volume: the archive's top folder is named after it. */
export const HELPER_PARENT = '/berth';
export const HELPER_ROOT = 'volume';

export type BackupSource = { kind: 'volume'; name: string } | { kind: 'bind'; path: string };

export function sourceName(s: BackupSource): string {
  return s.kind === 'volume' ? s.name : s.path;
}

export interface VolumeUser {
  id: string;
  name: string;
  image: string;
  running: boolean;
  labels: Record<string, string>;
  destination: string;
}

/** Containers (any state) that mount the volume or the host folder. */
export async function usersOf(docker: Dockerode, source: BackupSource): Promise<VolumeUser[]> {
  const list = await docker.listContainers({ all: true });
  const out: VolumeUser[] = [];
  for (const c of list) {
    if (c.Labels?.[HELPER_LABEL]) continue;
    for (const m of c.Mounts ?? []) {
      const hit = source.kind === 'volume' ? m.Type === 'volume' && m.Name === source.name : m.Type === 'bind' && m.Source === source.path;
      if (!hit) continue;
      out.push({
        id: c.Id,
        name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
        image: c.Image,
        running: c.State === 'running' || c.State === 'paused' || c.State === 'restarting',
        labels: c.Labels ?? {},
        destination: m.Destination,
      });
      break;
    }
  }
  return out;
}

/** An image that is already local, to create helper containers from (never pulled). */
export async function pickHelperImage(docker: Dockerode, preferred: readonly string[] = []): Promise<string> {
  for (const name of preferred) {
    try {
      await docker.getImage(name).inspect();
      return name;
    } catch {
      // not local (or gone): try the next
    }
  }
  const images = await docker.listImages();
  const usable = images.filter((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>')).sort((a, b) => a.Size - b.Size);
  const first = usable[0]?.RepoTags?.find((t) => t !== '<none>:<none>') ?? images[0]?.Id;
  if (!first) {
    throw new UserError('no local image to create a helper container from: pull or build any small image first (berth never pulls one)');
  }
  return first;
}

export interface Helper {
  container: Dockerode.Container;
  /** Path of the mounted volume inside the helper. */
  mountPath: string;
  remove(): Promise<void>;
}

/** A created, never started container that mounts the source at /berth/volume. */
export async function createHelper(
  docker: Dockerode,
  source: BackupSource,
  opts: { image: string; readOnly: boolean; labels?: Record<string, string>; purpose: string },
): Promise<Helper> {
  const mountPath = `${HELPER_PARENT}/${HELPER_ROOT}`;
  const mount =
    source.kind === 'volume'
      ? { Type: 'volume' as const, Source: source.name, Target: mountPath, ReadOnly: opts.readOnly, VolumeOptions: { NoCopy: true } }
      : { Type: 'bind' as const, Source: source.path, Target: mountPath, ReadOnly: opts.readOnly };
  const container = await docker.createContainer({
    Image: opts.image,
    Cmd: ['true'],
    Entrypoint: [],
    Labels: { ...(opts.labels ?? {}), [HELPER_LABEL]: opts.purpose, [HELPER_OWNER_LABEL]: helperOwner() },
    NetworkDisabled: true,
    HostConfig: { Mounts: [mount], NetworkMode: 'none' },
  } as Dockerode.ContainerCreateOptions);
  return {
    container,
    mountPath,
    async remove() {
      try {
        await container.remove({ force: true, v: false });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      }
    },
  };
}

export async function withHelper<T>(
  docker: Dockerode,
  source: BackupSource,
  opts: { image: string; readOnly: boolean; labels?: Record<string, string>; purpose: string },
  fn: (h: Helper) => Promise<T>,
): Promise<T> {
  const helper = await createHelper(docker, source, opts);
  try {
    return await fn(helper);
  } finally {
    await helper.remove();
  }
}

/** The volume's content as a tar stream (entries named volume/…). */
/**
 * The engine's tar of the mounted data: entries named `volume/…` (the mount's name), or with
 * `contents`, the folder's contents named `./…` (what `tar -C <mount> .` writes).
 */
export async function readArchive(helper: Helper, contents = false): Promise<NodeJS.ReadableStream> {
  return helper.container.getArchive({ path: contents ? `${helper.mountPath}/.` : helper.mountPath });
}

/** dockerode resolves a PUT archive with the response stream: drain it. */
export function drainResponse(res: unknown): void {
  if (res && typeof (res as NodeJS.ReadableStream).resume === 'function') (res as NodeJS.ReadableStream).resume();
}

/**
 * The engine writes `./` of a tar into the mount point without its mode and owner: they come
 * from a one-entry tar (made by tar-stream) naming the mount point itself.
 */
export async function applyRootEntry(helper: Helper, root: { m: number; u: number; g: number }): Promise<void> {
  const pack = tarLib.pack();
  pack.entry({ name: `${HELPER_ROOT}/`, type: 'directory', mode: root.m, uid: root.u, gid: root.g });
  pack.finalize();
  const tar = await buffer(pack);
  try {
    drainResponse(await helper.container.putArchive(tar, { path: HELPER_PARENT }));
  } catch (err) {
    throw new UserError(`writing into the volume failed: ${errorText(err)}`);
  }
}

/** How a copy treats running containers: stop them all, stop none, or (auto) those of databases. */
export type Consistency = 'auto' | 'stop' | 'live';

/**
 * The running users of some volumes (`usersPerVolume`: one list per volume), split into those
 * stopped for the copy and those copied live: all stopped with 'stop', none with 'live', and
 * with 'auto' every running user of a volume that a database uses.
 */
export function stopForCopy(usersPerVolume: ReadonlyArray<readonly VolumeUser[]>, consistency: Consistency): { running: VolumeUser[]; stop: VolumeUser[]; live: VolumeUser[] } {
  const byId = new Map<string, VolumeUser>();
  for (const users of usersPerVolume) for (const u of users) if (u.running) byId.set(u.id, u);
  const running = [...byId.values()];
  let stop: VolumeUser[] = [];
  if (consistency === 'stop') stop = running;
  else if (consistency === 'auto') {
    const ids = new Set(usersPerVolume.filter((users) => users.some((u) => u.running && databaseKind(u.image))).flatMap((users) => users.filter((u) => u.running).map((u) => u.id)));
    stop = running.filter((u) => ids.has(u.id));
  }
  return { running, stop, live: running.filter((u) => !stop.includes(u)) };
}

/** Known database images: stopped for the copy by default; some get a logical dump. */
export type DatabaseKind = 'postgres' | 'mysql' | 'mariadb' | 'mongo' | 'redis';

export function databaseKind(image: string): DatabaseKind | null {
  // registry/namespace/name:tag@digest -> name
  const noDigest = image.split('@')[0] ?? image;
  const last = noDigest.split('/').pop() ?? noDigest;
  const name = (last.split(':')[0] ?? last).toLowerCase();
  if (/^(postgres|postgresql|postgis|timescaledb|pgvector)/.test(name)) return 'postgres';
  if (/^mariadb/.test(name)) return 'mariadb';
  if (/^(mysql|percona)/.test(name)) return 'mysql';
  if (/^mongo/.test(name)) return 'mongo';
  if (/^(redis|valkey|keydb)/.test(name)) return 'redis';
  return null;
}

export function errorText(err: unknown): string {
  const e = err as { message?: string; json?: { message?: string }; statusCode?: number };
  return (e?.json?.message ?? e?.message ?? String(err)).split('\n')[0] ?? String(err);
}

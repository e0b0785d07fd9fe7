// Moving a project (its volumes and the images its containers use) or one volume from one
// engine to another, safely: the plan says what moves; images the target lacks travel as a
// `docker save` stream into `docker load`; each volume streams as the engine's tar of its
// contents from a helper container on the source into a new volume on the target (no
// temporary file), every file's sha256 taken on the way, then the target volume is read back
// and compared entry by entry (type, mode, owner, size, content, link). Containers using a
// database's data are stopped for the copy (as backup does) and started again; nothing on the
// source is deleted, and an existing volume on the target is never written into.
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { UserError } from '../../config/errors.js';
import type { ProjectConfig } from '../../config/schema.js';
import { containerName, projectMembers } from '../../project/members.js';
import { applyRootEntry, createHelper, drainResponse, errorText, stopForCopy, type Consistency, pickHelperImage, readArchive, usersOf, HELPER_PARENT, type VolumeUser } from '../backup/engine.js';
import { compareEntries, PayloadScanner } from '../backup/manifest.js';
import { TarReader } from '../backup/tar.js';

export type { Consistency } from '../backup/engine.js';

export interface MigrateImage {
  /** the name it is saved by (a tag when it has one, else its id) */
  ref: string;
  id: string;
  size: number;
  /** the target does not have it */
  missing: boolean;
}

export interface MigrateVolume {
  name: string;
  users: VolumeUser[];
  labels: Record<string, string>;
  driver: string;
}

export interface MigratePlan {
  target: string;
  kind: 'project' | 'volume';
  volumes: MigrateVolume[];
  stop: VolumeUser[];
  live: VolumeUser[];
  images: MigrateImage[];
  notes: string[];
}

export interface MigrateProgress {
  phase: 'image' | 'stop' | 'copy' | 'verify' | 'start' | 'done';
  message: string;
  bytes?: number;
  total?: number;
}

async function volumeInfo(docker: Dockerode, name: string): Promise<Dockerode.VolumeInspectInfo | null> {
  try {
    return await docker.getVolume(name).inspect();
  } catch {
    return null;
  }
}

async function hasImage(docker: Dockerode, id: string): Promise<boolean> {
  try {
    await docker.getImage(id).inspect();
    return true;
  } catch {
    return false;
  }
}

/** What would move from `from` to `to`: the volumes, the containers stopped for it, the images the target lacks. */
export async function planMigrate(from: Dockerode, to: Dockerode, target: string, opts: { projects?: readonly ProjectConfig[]; consistency?: Consistency } = {}): Promise<MigratePlan> {
  const m = /^(volume|project):(.+)$/.exec(target);
  const name = m ? m[2]! : target;
  const notes: string[] = [];
  const vol = m?.[1] === 'project' ? null : await volumeInfo(from, name);
  const members = m?.[1] === 'volume' ? null : await projectMembers(from, name, opts.projects ?? []);
  if (vol && members?.found) throw new UserError(`${name} is both a volume and a project on the source: say volume:${name} or project:${name}`);
  let kind: MigratePlan['kind'];
  let volumeNames: string[];
  let containers: Dockerode.ContainerInfo[] = [];
  if (vol) {
    kind = 'volume';
    volumeNames = [name];
  } else if (members?.found) {
    kind = 'project';
    volumeNames = members.volumes;
    containers = members.containers;
    for (const b of members.binds) notes.push(`bind mount ${b} stays on the source host (a host folder, not a volume): copy it yourself`);
  } else {
    throw new UserError(`${name}: no volume or project of that name on the source engine`);
  }
  const volumes: MigrateVolume[] = [];
  for (const v of volumeNames) {
    const info = v === name && vol ? vol : await volumeInfo(from, v);
    if (!info) continue;
    if (await volumeInfo(to, v)) throw new UserError(`volume ${v} already exists on the target: berth migrate never writes into an existing volume (remove it there, or move it aside, first)`);
    if (info.Driver !== 'local') notes.push(`volume ${v} uses the ${info.Driver} driver: it is created with the local driver on the target`);
    volumes.push({ name: v, users: await usersOf(from, { kind: 'volume', name: v }), labels: info.Labels ?? {}, driver: info.Driver });
  }
  if (kind === 'project' && !volumes.length) notes.push(`project ${name} has no volumes: only its images move`);
  // database users stopped for the copy by default, as backup does
  const { stop, live } = stopForCopy(volumes.map((v) => v.users), opts.consistency ?? 'auto');
  // the images the project's containers use, once each
  const images: MigrateImage[] = [];
  const seen = new Set<string>();
  for (const c of containers) {
    if (seen.has(c.ImageID)) continue;
    seen.add(c.ImageID);
    let ref = c.ImageID;
    let size = 0;
    try {
      const info = await from.getImage(c.ImageID).inspect();
      ref = info.RepoTags?.find((t) => t !== '<none>:<none>') ?? c.ImageID;
      size = info.Size;
    } catch {
      notes.push(`image of ${containerName(c)} (${c.Image}) is gone from the source: it cannot travel`);
      continue;
    }
    images.push({ ref, id: c.ImageID, size, missing: !(await hasImage(to, c.ImageID)) });
  }
  return { target: name, kind, volumes, stop, live, images, notes };
}

export function describeMigrate(plan: MigratePlan, fromName: string, toName: string): string[] {
  const lines = [`migrate ${plan.kind} ${plan.target} from ${fromName} to ${toName}:`];
  for (const i of plan.images) lines.push(i.missing ? `  image ${i.ref}: carried (docker save → docker load, ${Math.round(i.size / 1e6)} MB)` : `  image ${i.ref}: already there`);
  for (const v of plan.volumes) lines.push(`  volume ${v.name}: streamed into a new volume of that name, checked file by file${v.users.length ? ` (used by ${v.users.map((u) => u.name).join(', ')})` : ''}`);
  for (const u of plan.stop) lines.push(`  stop ${u.name} for the copy, start it again after`);
  for (const u of plan.live) lines.push(`  warning: ${u.name} keeps running: its data is copied live (use --stop for a consistent copy)`);
  for (const n of plan.notes) lines.push(`  note: ${n}`);
  lines.push('  nothing on the source is deleted; the containers are not created on the target (compose up there does that)');
  return lines;
}

export interface MigrateResult {
  images: string[];
  volumes: Array<{ name: string; files: number; bytes: number; entries: number }>;
}

/** Streams an image from one engine into the other (`docker save | docker load`). */
async function carryImage(from: Dockerode, to: Dockerode, ref: string): Promise<void> {
  const stream = (await from.getImage(ref).get()) as NodeJS.ReadableStream;
  const res = (await to.loadImage(stream as unknown as NodeJS.ReadableStream, { quiet: true })) as NodeJS.ReadableStream;
  // the load answers with JSON lines; an error is one of them
  let text = '';
  for await (const c of res as AsyncIterable<Buffer>) text += c.toString();
  const err = /"error"\s*:\s*"([^"]+)"/.exec(text);
  if (err) throw new UserError(`loading ${ref} into the target failed: ${err[1]}`);
}

/** One volume: stream its contents into a new volume on the target, then read it back and compare. */
async function moveVolume(from: Dockerode, to: Dockerode, v: MigrateVolume, images: { from: string; to: string }, labels: Record<string, string>, progress: (p: MigrateProgress) => void) {
  const src = await createHelper(from, { kind: 'volume', name: v.name }, { image: images.from, readOnly: true, labels, purpose: 'migrate' });
  let dst: Awaited<ReturnType<typeof createHelper>> | null = null;
  try {
    await to.createVolume({ Name: v.name, Labels: v.labels });
    dst = await createHelper(to, { kind: 'volume', name: v.name }, { image: images.to, readOnly: false, labels, purpose: 'migrate' });
    const scanner = new PayloadScanner();
    const reader = new TarReader(scanner.onEntry);
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    // the engine's tar of the mount (entries volume/…), extracted into the target's /berth
    const put = dst.container.putArchive(body, { path: HELPER_PARENT });
    put.catch(() => {});
    const source = await readArchive(src);
    let bytes = 0;
    let shown = 0;
    try {
      for await (const c of source as AsyncIterable<Buffer>) {
        await reader.write(c);
        bytes += c.length;
        if (Date.now() - shown >= 250) {
          shown = Date.now();
          progress({ phase: 'copy', message: `copying ${v.name}`, bytes });
        }
        if (!body.write(c)) await new Promise<void>((r) => body.once('drain', () => r()));
      }
      reader.end();
      body.end();
      drainResponse(await put);
    } catch (err) {
      body.destroy();
      throw new UserError(`copying volume ${v.name} failed: ${errorText(err)}`);
    }
    progress({ phase: 'copy', message: `copied ${v.name}`, bytes });
    const rootEntry = scanner.list.find((e) => e.p === '' && e.t === 'dir');
    if (rootEntry) await applyRootEntry(dst, rootEntry);
    // read back on the target and compare with what left the source
    progress({ phase: 'verify', message: `checking ${v.name} on the target` });
    const back = new PayloadScanner();
    const r2 = new TarReader(back.onEntry);
    for await (const c of (await readArchive(dst)) as AsyncIterable<Buffer>) await r2.write(c);
    r2.end();
    const cmp = compareEntries(scanner.list, back.list);
    if (!cmp.ok || cmp.extra.length) {
      const first = cmp.missing[0] ?? cmp.different[0] ?? { path: cmp.extra[0], problem: 'not on the source' };
      throw new UserError(`volume ${v.name} on the target differs from the source (${first.path || '.'}: ${first.problem}); the source is untouched, the target volume is left for you to look at`);
    }
    return { name: v.name, files: scanner.files, bytes: scanner.bytes, entries: scanner.list.length };
  } finally {
    await src.remove().catch(() => {});
    await dst?.remove().catch(() => {});
  }
}

export async function runMigrate(
  from: Dockerode,
  to: Dockerode,
  plan: MigratePlan,
  opts: { onProgress?: (p: MigrateProgress) => void; labels?: Record<string, string>; helperImage?: string } = {},
): Promise<MigrateResult> {
  const progress = opts.onProgress ?? (() => {});
  const labels = opts.labels ?? {};
  const carried: string[] = [];
  for (const i of plan.images.filter((x) => x.missing)) {
    progress({ phase: 'image', message: `carrying image ${i.ref} (${Math.round(i.size / 1e6)} MB)` });
    await carryImage(from, to, i.ref);
    carried.push(i.ref);
  }
  const results: MigrateResult['volumes'] = [];
  if (!plan.volumes.length) return { images: carried, volumes: results };
  // helper containers are created, never started: any local image will do on each side
  const fromImage = opts.helperImage ?? (await pickHelperImage(from));
  let toImage: string;
  try {
    toImage = await pickHelperImage(to, [...carried, fromImage]);
  } catch {
    // an empty target: the source's helper image travels too
    progress({ phase: 'image', message: `carrying image ${fromImage} (the target has none to create a helper container from)` });
    await carryImage(from, to, fromImage);
    carried.push(fromImage);
    toImage = fromImage;
  }
  const stopped: VolumeUser[] = [];
  try {
    for (const u of plan.stop) {
      progress({ phase: 'stop', message: `stopping ${u.name} for the copy` });
      await from.getContainer(u.id).stop();
      stopped.push(u);
    }
    for (const v of plan.volumes) results.push(await moveVolume(from, to, v, { from: fromImage, to: toImage }, labels, progress));
  } finally {
    for (const u of stopped) {
      progress({ phase: 'start', message: `starting ${u.name} again` });
      await from
        .getContainer(u.id)
        .start()
        .catch((e: unknown) => progress({ phase: 'start', message: `could not start ${u.name} again: ${errorText(e)}` }));
    }
  }
  progress({ phase: 'done', message: 'done' });
  return { images: carried, volumes: results };
}

// The archive file format on its own (no engine): a recorded Docker payload is wrapped,
// verified, and damaged in several ways.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveError, readManifest, verifyArchive, writeArchiveFile } from '../../../src/ops/backup/archive.js';
import { FORMAT, PayloadScanner, type Manifest } from '../../../src/ops/backup/manifest.js';
import { sha256, TarReader } from '../../../src/ops/backup/tar.js';
import { END_OF_ARCHIVE, fileHeader, paddingFor } from '../../helpers/tarBytes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const payload = fs.readFileSync(path.join(here, 'fixtures', 'docker-archive.tar'));
let dir: string;
let good: string;
let manifest: Manifest;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-archive-'));
  const spool = path.join(dir, 'payload');
  fs.writeFileSync(spool, payload);
  const scanner = new PayloadScanner();
  const r = new TarReader(scanner.onEntry);
  await r.write(payload);
  r.end();
  const s = scanner.summary();
  manifest = {
    format: FORMAT,
    source: { kind: 'volume', name: 'v' },
    volume: 'v',
    engine: { address: 'unix:///run/docker.sock', version: '20.10.24' },
    createdAt: '2026-01-02T03:04:05.000Z',
    consistency: 'idle',
    stoppedContainers: [],
    root: s.root,
    files: s.files,
    entries: s.entries,
    bytes: s.bytes,
    payload: { name: 'payload.tar', size: payload.length, sha256: sha256(payload) },
    dumps: [],
    entryList: s.entryList,
  };
  good = path.join(dir, 'good.tar.gz');
  await writeArchiveFile(good, manifest, [{ name: 'payload.tar', file: spool, size: payload.length, sha256: sha256(payload) }], 6);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function variant(name: string, edit: (raw: Buffer) => Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, zlib.gzipSync(edit(zlib.gunzipSync(fs.readFileSync(good)))));
  return file;
}

describe('berth archive files', () => {
  it('are created 0600 and verify', async () => {
    expect(fs.statSync(good).mode & 0o777).toBe(0o600);
    const v = await verifyArchive(good);
    expect(v.payloadSha256).toBe(sha256(payload));
    expect(v.files).toBe(3);
    expect((await readManifest(good)).entryList).toEqual(manifest.entryList);
  });

  it('refuse to overwrite an existing file', async () => {
    await expect(writeArchiveFile(good, manifest, [], 1)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('refuse a truncated gzip stream', async () => {
    const cut = path.join(dir, 'cut.tar.gz');
    const buf = fs.readFileSync(good);
    fs.writeFileSync(cut, buf.subarray(0, buf.length - 20));
    await expect(verifyArchive(cut)).rejects.toThrow(ArchiveError);
  });

  it('refuse changed file content inside the payload', async () => {
    const bad = variant('content.tar.gz', (raw) => {
      const at = raw.indexOf('hello\n');
      raw.write('HELLO\n', at, 'latin1');
      return raw;
    });
    await expect(verifyArchive(bad)).rejects.toThrow(/payload sha256 does not match/);
  });

  it('refuse a payload whose hash was fixed up in the manifest but whose file list was not', async () => {
    const changed = Buffer.from(payload);
    changed.write('HELLO\n', changed.indexOf('hello\n'), 'latin1');
    const m = { ...manifest, payload: { ...manifest.payload, sha256: sha256(changed) } };
    const spool = path.join(dir, 'changed-payload');
    fs.writeFileSync(spool, changed);
    const file = path.join(dir, 'fixed-up.tar.gz');
    await writeArchiveFile(file, m, [{ name: 'payload.tar', file: spool, size: changed.length, sha256: sha256(changed) }], 1);
    await expect(verifyArchive(file)).rejects.toThrow(/does not match the manifest's file list \(hard: content differs/);
  });

  it('refuse a manifest whose counts were edited', async () => {
    const bad = variant('counts.tar.gz', (raw) => {
      const at = raw.indexOf('"files":3');
      raw.write('"files":4', at, 'latin1');
      return raw;
    });
    await expect(verifyArchive(bad)).rejects.toThrow(/manifest's counts \(4 files/);
  });

  it('refuse an archive without a manifest first, or with a broken one', async () => {
    const noManifest = path.join(dir, 'nomanifest.tar.gz');
    fs.writeFileSync(noManifest, zlib.gzipSync(Buffer.concat([fileHeader('payload.tar', payload.length), payload, paddingFor(payload.length), END_OF_ARCHIVE])));
    await expect(verifyArchive(noManifest)).rejects.toThrow(/first member is payload.tar/);
    const notJson = variant('notjson.tar.gz', (raw) => {
      raw.write('X', 512, 'latin1');
      return raw;
    });
    await expect(verifyArchive(notJson)).rejects.toThrow(/manifest is not JSON/);
    const notGzip = path.join(dir, 'plain.tar.gz');
    fs.writeFileSync(notGzip, 'hello');
    await expect(verifyArchive(notGzip)).rejects.toThrow(/gzip/);
  });

  it('name a missing file in one line', async () => {
    await expect(verifyArchive(path.join(dir, 'nope.tar.gz'))).rejects.toThrow(/cannot read \(ENOENT\)/);
  });
});

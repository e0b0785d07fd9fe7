import fs from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import * as nodeTar from 'tar';
import tarStream from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { parseNumeric, parsePax, TarFormatError, TarReader, type TarHeader } from '../../../src/ops/backup/tar.js';
import { END_OF_ARCHIVE, fileHeader, paddingFor } from '../../helpers/tarBytes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// recorded from the engine's archive API (GET /containers/{id}/archive) of a volume
const recorded = fs.readFileSync(path.join(here, 'fixtures', 'docker-archive.tar'));
const LONG = 'd'.repeat(120);

async function read(buf: Buffer, chunk: number): Promise<Array<TarHeader & { data: string }>> {
  const out: Array<TarHeader & { data: string }> = [];
  const reader = new TarReader((h) => {
    const e = { ...h, data: '' };
    out.push(e);
    return { data: (c) => void (e.data += c.toString('latin1')) };
  });
  for (let i = 0; i < buf.length; i += chunk) await reader.write(buf.subarray(i, i + chunk));
  reader.end();
  return out;
}

describe('TarReader on a recorded Docker archive', () => {
  it('reads every entry with type, mode, owner, links and data', async () => {
    const entries = await read(recorded, 1 << 20);
    const by = Object.fromEntries(entries.map((e) => [e.path, e]));
    expect(entries[0]).toMatchObject({ path: 'volume/', type: 'dir' });
    expect(by['volume/hard']).toMatchObject({ type: 'file', size: 6, data: 'hello\n' });
    expect(by['volume/sub/a']).toMatchObject({ type: 'hardlink', linkname: 'volume/hard', data: '' });
    expect(by['volume/link']).toMatchObject({ type: 'symlink', linkname: 'sub/a' });
    expect(by['volume/sub/b']).toMatchObject({ type: 'file', size: 700, mode: 0o640, uid: 1000, gid: 2000, data: 'x'.repeat(700) });
    expect(by['volume/sub/empty/']).toMatchObject({ type: 'dir', mode: 0o1777 });
    expect(by['volume/fifo']).toMatchObject({ type: 'fifo' });
    // a path longer than 100 bytes (PAX or GNU header in the recording)
    const longName = `volume/${LONG}/file-with-a-long-path-name-that-needs-pax-or-gnu-headers-${LONG}.txt`;
    expect(by[longName]).toMatchObject({ type: 'file', data: 'deep\n' });
    expect(entries).toHaveLength(10);
  });

  it('gives the same result whatever the chunk size', async () => {
    const big = await read(recorded, 1 << 20);
    for (const size of [1, 7, 511, 512, 513, 4096]) expect(await read(recorded, size)).toEqual(big);
  });

  it('refuses a header whose checksum does not match (tampered header)', async () => {
    const bad = Buffer.from(recorded);
    const at = bad.indexOf('sub/b');
    bad[at + 4] = 'c'.charCodeAt(0);
    await expect(read(bad, 4096)).rejects.toThrow(TarFormatError);
    await expect(read(bad, 4096)).rejects.toThrow(/checksum/);
  });

  it('refuses a truncated archive (middle of an entry, or missing end blocks)', async () => {
    await expect(read(recorded.subarray(0, 1500), 512)).rejects.toThrow(/truncated/);
    // cut exactly after the last entry, before the two zero blocks
    let end = recorded.length;
    while (end > 0 && recorded.subarray(end - 512, end).every((b) => b === 0)) end -= 512;
    await expect(read(recorded.subarray(0, end), 512)).rejects.toThrow(/end-of-archive/);
  });
});

/** What tar-stream and node-tar make of a stream: the entries they read, or their error. */
async function libraries(buf: Buffer): Promise<{ tarStream: string; nodeTar: string }> {
  const ts = tarStream.extract();
  const tsNames: string[] = [];
  const tsDone = (async () => {
    for await (const e of ts) {
      tsNames.push(e.header.name);
      e.resume();
    }
  })().then(
    () => `ok ${tsNames.length}`,
    (e: Error) => `error ${e.message}`,
  );
  ts.end(buf);
  const ntNames: string[] = [];
  const nodeTarResult = await new Promise<string>((resolve) => {
    const p = new nodeTar.Parser({ strict: true, onReadEntry: (e) => (ntNames.push(e.path), e.resume()) });
    p.on('error', (e: Error) => resolve(`error ${e.message}`));
    p.on('end', () => resolve(`ok ${ntNames.length}`));
    p.end(buf);
  });
  return { tarStream: await tsDone, nodeTar: nodeTarResult };
}

describe('why the reader is not a library (the reason written in tar.ts)', () => {
  it('tar-stream and node-tar accept a tar cut at an entry boundary and data after the end marker; berth refuses both', async () => {
    let end = recorded.length;
    while (end > 0 && recorded.subarray(end - 512, end).every((b) => b === 0)) end -= 512;
    const cut = recorded.subarray(0, end);
    // the whole recording reads the same in all three
    expect(await libraries(recorded)).toEqual({ tarStream: 'ok 10', nodeTar: 'ok 10' });
    expect(await libraries(cut)).toEqual({ tarStream: 'ok 10', nodeTar: 'ok 10' });
    await expect(read(cut, 512)).rejects.toThrow(/end-of-archive/);
    const entry = (name: string, text: string) => Buffer.concat([fileHeader(name, text.length, { mode: 0o644 }), Buffer.from(text), paddingFor(text.length)]);
    const afterEnd = Buffer.concat([entry('a', 'hello'), Buffer.alloc(512), entry('b', 'world!'), END_OF_ARCHIVE]);
    expect((await libraries(afterEnd)).tarStream).toMatch(/^ok/);
    await expect(read(afterEnd, 512)).rejects.toThrow(/data after an empty tar block/);
  });
});

describe('tar writer and numbers', () => {
  it("reads what berth writes with tar-stream (a folder with its mode and owner, files with theirs)", async () => {
    const pack = tarStream.pack();
    pack.entry({ name: 'root/', type: 'directory', mode: 0o1750, uid: 1000, gid: 33 });
    pack.entry({ name: 'root/a', mode: 0o640, mtime: new Date(1700000000 * 1000) }, Buffer.from('hello'));
    pack.finalize();
    const entries = await read(await buffer(pack), 333);
    expect(entries.map((e) => [e.path, e.type, e.mode, e.uid, e.gid, e.data])).toEqual([
      ['root/', 'dir', 0o1750, 1000, 33, ''],
      ['root/a', 'file', 0o640, 0, 0, 'hello'],
    ]);
    expect(entries[1]!.mtime).toBe(1700000000);
  });

  it('round-trips hand-made plain entries', async () => {
    const a = Buffer.from('{"x":1}\n');
    const b = Buffer.alloc(1000, 7);
    const tar = Buffer.concat([fileHeader('manifest.json', a.length, { mtime: 1700000000 }), a, paddingFor(a.length), fileHeader('payload.tar', b.length), b, paddingFor(b.length), END_OF_ARCHIVE]);
    const entries = await read(tar, 100);
    expect(entries.map((e) => [e.path, e.type, e.size, e.mode])).toEqual([
      ['manifest.json', 'file', a.length, 0o600],
      ['payload.tar', 'file', 1000, 0o600],
    ]);
    expect(entries[0]!.mtime).toBe(1700000000);
    expect(entries[1]!.data).toBe(b.toString('latin1'));
  });

  it('writes and reads sizes beyond the octal limit in base-256', () => {
    const size = 9 * 1024 ** 3; // 9 GiB > 8 GiB octal limit
    const h = fileHeader('big', size);
    expect(h[124]! & 0x80).toBe(0x80);
    expect(parseNumeric(h, 124, 12)).toBe(size);
  });

  it('parses PAX records', () => {
    const rec = (k: string, v: string) => {
      const body = ` ${k}=${v}\n`;
      let len = body.length + 2;
      if (String(len).length + body.length !== len) len = String(len + 1).length + body.length;
      return `${len}${body}`;
    };
    expect(parsePax(Buffer.from(rec('path', 'a/b c') + rec('size', '12')))).toEqual({ path: 'a/b c', size: '12' });
    expect(() => parsePax(Buffer.from('99 path=x\n'))).toThrow(TarFormatError);
  });
});

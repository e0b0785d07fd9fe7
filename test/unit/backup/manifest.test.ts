import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareEntries, PayloadScanner, relativePath, type ManifestEntry } from '../../../src/ops/backup/manifest.js';
import { sha256, TarReader } from '../../../src/ops/backup/tar.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const recorded = fs.readFileSync(path.join(here, 'fixtures', 'docker-archive.tar'));

async function scan(buf: Buffer): Promise<PayloadScanner> {
  const s = new PayloadScanner();
  const r = new TarReader(s.onEntry);
  await r.write(buf);
  r.end();
  return s;
}

describe('PayloadScanner', () => {
  it('fingerprints the recorded archive relative to its top folder', async () => {
    const s = await scan(recorded);
    const sum = s.summary();
    expect(sum.root).toBe('volume');
    expect(sum.files).toBe(3); // hard, sub/b, the long one; sub/a is a hard link
    expect(sum.bytes).toBe(6 + 700 + 5);
    const by = Object.fromEntries(sum.entryList.map((e) => [e.p, e]));
    expect(by['']).toMatchObject({ t: 'dir' });
    expect(by['hard']).toEqual({ p: 'hard', t: 'file', m: 0o644, u: 0, g: 0, s: 6, h: sha256('hello\n') });
    expect(by['sub/a']).toMatchObject({ t: 'hardlink', l: 'hard' });
    expect(by['link']).toMatchObject({ t: 'symlink', l: 'sub/a' });
    expect(by['sub/b']).toMatchObject({ u: 1000, g: 2000, m: 0o640, h: sha256('x'.repeat(700)) });
  });

  it('relativePath strips the top folder and trailing slashes', () => {
    expect(relativePath('volume/')).toEqual({ root: 'volume', rel: '' });
    expect(relativePath('volume/a/b/')).toEqual({ root: 'volume', rel: 'a/b' });
    expect(relativePath('./x')).toEqual({ root: 'x', rel: '' });
  });
});

describe('compareEntries', () => {
  const base: ManifestEntry[] = [
    { p: '', t: 'dir', m: 0o755, u: 0, g: 0 },
    { p: 'f', t: 'file', m: 0o600, u: 1, g: 2, s: 3, h: 'aa' },
    { p: 'l', t: 'symlink', m: 0o777, u: 0, g: 0, l: 'f' },
  ];
  it('accepts an identical listing', () => {
    expect(compareEntries(base, base)).toMatchObject({ ok: true, checked: 3, filesChecked: 1, extra: [] });
  });
  it('names each kind of difference', () => {
    const actual: ManifestEntry[] = [
      { p: '', t: 'dir', m: 0o700, u: 0, g: 0 },
      { p: 'f', t: 'file', m: 0o644, u: 0, g: 0, s: 3, h: 'bb' },
      { p: 'x', t: 'file', m: 0o644, u: 0, g: 0, s: 1, h: 'cc' },
    ];
    const r = compareEntries(base, actual);
    expect(r.ok).toBe(false);
    expect(r.missing.map((m) => m.path)).toEqual(['l']);
    expect(r.different).toEqual([
      { path: '', problem: 'mode 700, expected 755' },
      { path: 'f', problem: 'mode 644, expected 600, owner 0:0, expected 1:2, content differs (sha256)' },
    ]);
    expect(r.extra).toEqual(['x']);
    expect(compareEntries(base, actual, { ignoreRoot: true }).different.map((d) => d.path)).toEqual(['f']);
  });
  it('notices a changed symlink target and size', () => {
    const r = compareEntries(base, [base[0]!, { ...base[1]!, s: 4 }, { ...base[2]!, l: 'g' }]);
    expect(r.different.map((d) => d.problem)).toEqual(['size 4, expected 3', 'link target g, expected f']);
  });
});

describe('unsafe payload paths', () => {
  it('are noted: other top folders, absolute paths, ".." components', async () => {
    const { fileHeader, paddingFor, END_OF_ARCHIVE } = await import('../../helpers/tarBytes.js');
    const entry = (name: string) => Buffer.concat([fileHeader(name, 1), Buffer.from('x'), paddingFor(1)]);
    const s = await scan(Buffer.concat([entry('volume/a'), entry('volume/../../etc/x'), entry('other/b'), END_OF_ARCHIVE]));
    expect(s.unsafe).toEqual(['volume/../../etc/x', 'other/b']);
  });
});

// mkdir -p that ends: Node's own recursive mkdir never returns for a folder under /proc.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MakeDirError, makeDirs } from '../../../src/lib/makeDirs.js';

describe('makeDirs', () => {
  it('creates missing parents with the mode, and leaves an existing folder alone', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-mkdirs-'));
    const deep = path.join(base, 'a', 'b', 'c');
    makeDirs(deep, 0o700);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(base, 'a')).mode & 0o777).toBe(0o700);
    makeDirs(deep, 0o700);
    fs.rmSync(base, { recursive: true });
  });

  it.runIf(fs.existsSync('/proc/self'))('fails at once with the code under /proc (where a recursive mkdir spins)', () => {
    let err: unknown;
    try {
      makeDirs('/proc/x/y');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MakeDirError);
    expect((err as MakeDirError).dir).toBe('/proc/x');
    expect((err as MakeDirError).code).toBe('ENOENT');
  });

  it('fails with ENOTDIR below a file', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-mkdirs-'));
    fs.writeFileSync(path.join(base, 'f'), '');
    expect(() => makeDirs(path.join(base, 'f', 'x'))).toThrow('(ENOTDIR)');
    fs.rmSync(base, { recursive: true });
  });
});

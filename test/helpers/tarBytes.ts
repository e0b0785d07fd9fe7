// Raw tar bytes for tests of the reader: ustar headers, padding and the end marker written
// by hand, so a test can build exactly the stream it means (odd sizes, flipped bytes, cut
// streams). berth itself writes tar with tar-stream (src/ops/backup/archive.ts, restore.ts).
import { BLOCK, headerChecksum } from '../../src/ops/backup/tar.js';

function octal(value: number, len: number): string {
  return value.toString(8).padStart(len - 1, '0') + '\0';
}

/** A ustar header for a plain file (or a folder: `dir`; names up to 100 bytes), size in base-256 when large. */
export function fileHeader(name: string, size: number, opts: { mode?: number; mtime?: number; uid?: number; gid?: number; dir?: boolean } = {}): Buffer {
  const block = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(opts.mode ?? 0o600, 8), 100, 8, 'ascii');
  block.write(octal(opts.uid ?? 0, 8), 108, 8, 'ascii');
  block.write(octal(opts.gid ?? 0, 8), 116, 8, 'ascii');
  if (size < 0o77777777777) {
    block.write(octal(size, 12), 124, 12, 'ascii');
  } else {
    let v = size;
    for (let i = 135; i > 124; i--) {
      block[i] = v % 256;
      v = Math.floor(v / 256);
    }
    block[124] = 0x80;
  }
  block.write(octal(Math.floor(opts.mtime ?? Date.now() / 1000), 12), 136, 12, 'ascii');
  block.write(opts.dir ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'ascii');
  block.fill(0x20, 148, 156);
  const sum = headerChecksum(block);
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

export function paddingFor(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK, 0);
}

export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2, 0);


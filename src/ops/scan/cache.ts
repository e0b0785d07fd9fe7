// Scan results kept by image id (the digest of the image's config: a rebuilt or re-pulled
// image has a new one) and by the scanner and its database version: a new database scans
// again, the same image under the same database is not scanned twice.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from '../../config/paths.js';
import type { Vuln } from './report.js';
import type { Scanner } from './scanner.js';

export interface CachedScan {
  imageId: string;
  scanner: string;
  db: string;
  scannedAt: number;
  vulns: Vuln[];
}

function fileFor(imageId: string, scanner: Scanner): string {
  const key = createHash('sha256').update(`${scanner.kind}\0${scanner.db ?? ''}\0${imageId}`).digest('hex').slice(0, 32);
  return path.join(cacheDir(), 'scans', `${scanner.kind}-${key}.json`);
}

export function readCachedScan(imageId: string, scanner: Scanner): CachedScan | null {
  if (!scanner.db) return null;
  try {
    const c = JSON.parse(fs.readFileSync(fileFor(imageId, scanner), 'utf8')) as CachedScan;
    return c.imageId === imageId && c.db === scanner.db && Array.isArray(c.vulns) ? c : null;
  } catch {
    return null;
  }
}

export function writeCachedScan(imageId: string, scanner: Scanner, vulns: Vuln[]): void {
  if (!scanner.db) return;
  const file = fileFor(imageId, scanner);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify({ imageId, scanner: scanner.kind, db: scanner.db, scannedAt: Date.now(), vulns } satisfies CachedScan));
    fs.renameSync(tmp, file);
  } catch {
    // a cache that cannot be written only costs a scan next time
  }
}

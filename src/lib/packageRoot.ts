// The folder berth is installed in (where package.json, themes/ and presets/ are), found by
// walking up from this module: the same from src/ (tests), dist/ (the bundle) or anywhere.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  if (cached) return cached;
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'berth') return (cached = dir);
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) throw new Error(`berth's package.json not found above ${from}`);
  }
}

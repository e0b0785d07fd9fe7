// Which .trivyignore applies: the first of the given folders (a project's, then the current
// one) that has one.
import fs from 'node:fs';
import path from 'node:path';
import { parseIgnoreFile, type IgnoreRule } from './report.js';

export function ignoreRules(dirs: ReadonlyArray<string | null | undefined>): { rules: IgnoreRule[]; file: string | null } {
  for (const d of dirs) {
    if (!d) continue;
    const f = path.join(d, '.trivyignore');
    try {
      return { rules: parseIgnoreFile(fs.readFileSync(f, 'utf8')), file: f };
    } catch {
      // none in this folder
    }
  }
  return { rules: [], file: null };
}

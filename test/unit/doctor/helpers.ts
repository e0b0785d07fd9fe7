// Shared helpers for the doctor's unit tests: run one rule over a fixture file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComposeFile, type PathSeg } from '../../../src/ops/compose/file.js';
import type { ComposeCtx, DockerfileCtx } from '../../../src/ops/doctor/context.js';
import { parseDockerfile } from '../../../src/ops/doctor/dockerfile.js';
import type { Finding, Rule } from '../../../src/ops/doctor/types.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/doctor');

export function composeCtx(file: string, env: Record<string, string> = {}): ComposeCtx {
  const abs = path.isAbsolute(file) ? file : path.join(FIXTURES, 'compose', file);
  const compose = ComposeFile.load(abs, env);
  const display = path.basename(abs);
  return {
    compose,
    display,
    home: '/home/tester',
    dockerfileFor: () => null,
    where: (segs: PathSeg[], which?: 'value' | 'key') => ({ file: display, ...compose.yaml.locate(segs, which) }),
  };
}

export function dockerfileCtx(file: string): DockerfileCtx {
  const abs = path.join(FIXTURES, 'dockerfile', file);
  return { parsed: parseDockerfile(fs.readFileSync(abs, 'utf8')), display: file };
}

export async function run<C>(rule: Rule<C>, ctx: C): Promise<Finding[]> {
  return rule.check(ctx);
}

/** "severity file:line[:col]" of each finding, for compact expectations. */
export function brief(findings: Finding[]): string[] {
  return findings.map((f) => {
    const w = f.where;
    const where = !w ? '-' : 'container' in w ? w.container : `${w.line}${w.column ? ':' + w.column : ''}`;
    return `${f.severity} ${where}`;
  });
}

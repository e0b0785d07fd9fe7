// What a project says about Dockerfile findings: `# hadolint ignore=` / `# berth ignore=`
// comments, .hadolint.yaml (ignored, override), and hadolint's own findings merged in
// through a stand-in that prints a report in hadolint's JSON format.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/ops/doctor/dockerfile.js';
import { applyDockerfilePolicy, loadHadolintConfig, NO_CONFIG } from '../../../src/ops/doctor/dockerfilePolicy.js';
import { staticChecks } from '../../../src/ops/doctor/run.js';
import { formatReport } from '../../../src/ops/doctor/format.js';
import { dockerfileRules } from '../../../src/ops/doctor/rules/dockerfile.js';
import type { Finding } from '../../../src/ops/doctor/types.js';
import { FIXTURES } from './helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-hadolint-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function ownFindings(text: string): Promise<{ parsed: ReturnType<typeof parseDockerfile>; findings: Finding[] }> {
  const parsed = parseDockerfile(text);
  const findings: Finding[] = [];
  for (const r of dockerfileRules) findings.push(...(await r.check({ parsed, display: 'Dockerfile' })));
  return { parsed, findings };
}

const APT = ['FROM debian:12.11-slim', 'RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*', 'USER 1000'];
const refs = (fs: Finding[]) => fs.map((f) => `${f.ref ?? f.id}@${(f.where as { line: number }).line}:${f.severity}`).sort();

describe('inline ignores', () => {
  it('# hadolint ignore= drops the named checks for the instruction below, by hadolint or berth id', async () => {
    const plain = await ownFindings(APT.join('\n'));
    expect(refs(applyDockerfilePolicy(plain.findings, plain.parsed, NO_CONFIG))).toEqual(['DL3008@2:info', 'DL3015@2:info']);
    const ignored = await ownFindings([APT[0], '# install what the agents need', '# hadolint ignore=DL3008,DL3015', APT[1], APT[2]].join('\n'));
    expect(applyDockerfilePolicy(ignored.findings, ignored.parsed, NO_CONFIG)).toEqual([]);
    const byId = await ownFindings([APT[0], '# berth ignore=dockerfile/apt-pin', APT[1], APT[2]].join('\n'));
    expect(refs(applyDockerfilePolicy(byId.findings, byId.parsed, NO_CONFIG))).toEqual(['DL3015@3:info']);
    // a blank line between the comment and the instruction ends the comment's reach
    const apart = await ownFindings([APT[0], '# hadolint ignore=DL3008', '', APT[1], APT[2]].join('\n'));
    expect(refs(applyDockerfilePolicy(apart.findings, apart.parsed, NO_CONFIG))).toContain('DL3008@4:info');
  });
});

describe('.hadolint.yaml', () => {
  it('ignored drops a check everywhere; override changes its severity (style reads as info)', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'cfg-'));
    fs.writeFileSync(path.join(dir, '.hadolint.yaml'), 'ignored:\n  - DL3015\noverride:\n  error:\n    - DL3008\n  style:\n    - DL3002\n');
    const { config, problem } = loadHadolintConfig([dir]);
    expect(problem).toBeUndefined();
    const own = await ownFindings(APT.join('\n'));
    expect(refs(applyDockerfilePolicy(own.findings, own.parsed, config))).toEqual(['DL3008@2:error']);
  });

  it('a file berth cannot read is one finding at its line and column, and is left out', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'bad-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), APT.join('\n'));
    fs.writeFileSync(path.join(dir, '.hadolint.yml'), 'ignored:\n  - DL3008\noverride:\n  loud:\n    - DL3015\n');
    const r = await staticChecks({ dir, path: '' });
    const bad = r.findings.filter((f) => f.id === 'dockerfile/hadolint-config');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toBe('override.loud: use error, warning, info or style, each with a list of rule ids (the file is ignored)');
    expect(bad[0]!.where).toEqual({ file: '.hadolint.yml', line: 4, column: 3 });
    // ignored as a whole: DL3008 is still reported
    expect(r.findings.some((f) => f.ref === 'DL3008')).toBe(true);
  });
});

describe('the real hadolint, through a stand-in speaking its JSON', () => {
  it("adds hadolint's findings berth does not have, drops the ones it reports itself, and says which linters ran", async () => {
    const bin = fs.mkdtempSync(path.join(tmp, 'bin-'));
    const report = path.join(FIXTURES, 'hadolint', 'report.json');
    fs.writeFileSync(path.join(bin, 'hadolint'), `#!/bin/sh\nif [ "$1" = --version ]; then echo "Haskell Dockerfile Linter 2.12.0"; exit 0; fi\ncat '${report}'\nexit 1\n`, { mode: 0o755 });
    const dir = fs.mkdtempSync(path.join(tmp, 'proj-'));
    fs.copyFileSync(path.join(FIXTURES, 'hadolint', 'Dockerfile'), path.join(dir, 'Dockerfile'));
    const r = await staticChecks({ dir, path: bin });
    expect(refs(r.findings.filter((f) => f.where && 'line' in f.where))).toEqual(['DL3008@2:info', 'DL3059@3:info']);
    const dl3059 = r.findings.find((f) => f.ref === 'DL3059')!;
    expect(dl3059).toMatchObject({ id: 'dockerfile/hadolint', message: 'Multiple consecutive `RUN` instructions. Consider consolidation.' });
    expect(dl3059.fix).toBe('See https://github.com/hadolint/hadolint/wiki/DL3059');
    expect(r.linters).toEqual({ shellcheck: null, hadolint: '2.12.0' });
    const text = formatReport({ ...r, containers: [] });
    expect(text).toContain('[dockerfile/hadolint DL3059]');
    expect(text).toContain('ShellCheck not installed, hadolint 2.12.0)');
  });

  it('a hadolint that prints no JSON is one warning, and berth goes on', async () => {
    const bin = fs.mkdtempSync(path.join(tmp, 'broken-'));
    fs.writeFileSync(path.join(bin, 'hadolint'), '#!/bin/sh\nif [ "$1" = --version ]; then echo 2.12.0; exit 0; fi\necho "hadolint: segmentation fault" >&2\nexit 139\n', { mode: 0o755 });
    const dir = fs.mkdtempSync(path.join(tmp, 'proj-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), APT.join('\n'));
    const r = await staticChecks({ dir, path: bin });
    expect(r.findings.filter((f) => f.id === 'dockerfile/hadolint').map((f) => f.message)).toEqual(['hadolint gave no JSON report (hadolint: segmentation fault)']);
    expect(r.findings.some((f) => f.ref === 'DL3008')).toBe(true);
  });
});

// ShellCheck over RUN commands with the real shellcheck (Debian's; the test runner installs
// it): findings land on the Dockerfile line they are about, also inside a multi-line RUN with
// a comment line in it, and inside a heredoc script; the exec form is not a shell script.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../src/ops/doctor/dockerfile.js';
import { runScripts, shellcheckDockerfile, shellcheckVersion } from '../../../src/ops/doctor/shellcheck.js';
import { findOnPath } from '../../../src/lib/findOnPath.js';
import { FIXTURES } from './helpers.js';

const file = path.join(FIXTURES, 'dockerfile', 'shellcheck.Dockerfile');
const parsed = parseDockerfile(fs.readFileSync(file, 'utf8'));

describe('RUN commands as shell scripts', () => {
  it('keeps lines and columns, leaves out comment lines, reads the heredoc and its shebang, skips the exec form', () => {
    const s = runScripts(parsed);
    expect(s).toHaveLength(2);
    expect(s[0]!.lines).toEqual([2, 4, 5, 6]);
    expect(s[0]!.text.split('\n')[0]).toBe('    set -eu; \\');
    expect(s[0]!.shell).toBe('sh');
    expect(s[1]).toMatchObject({ lines: [9, 10], shell: 'bash' });
  });
});

describe('shellcheck over a Dockerfile', () => {
  it('reports SC codes at the Dockerfile line and column they are about', async () => {
    const bin = await findOnPath('shellcheck', process.env.PATH);
    expect(bin, 'shellcheck is not installed (Debian package shellcheck; npm test installs it as root)').toBeTruthy();
    expect(await shellcheckVersion(bin!)).toMatch(/^\d+\.\d+/);
    const f = await shellcheckDockerfile(bin!, parsed, 'Dockerfile');
    const at = f.map((x) => `${x.ref} ${(x.where as { line: number }).line}:${(x.where as { column?: number }).column}`);
    // $TARGET unquoted, on the fifth line of the file (the third of the RUN's script: the comment line is not part of it)
    expect(at).toContain('SC2086 5:14');
    // in the heredoc: iterating over ls output, and the unquoted $f
    expect(at).toContain('SC2045 10:10');
    expect(at).toContain('SC2086 10:30');
    expect(f.every((x) => x.id === 'dockerfile/shellcheck' && /^RUN: /.test(x.message))).toBe(true);
    // nothing from the exec-form RUN on line 12
    expect(f.some((x) => (x.where as { line: number }).line === 12)).toBe(false);
  });
});

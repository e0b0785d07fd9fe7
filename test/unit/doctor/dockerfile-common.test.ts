// The hadolint-parity Dockerfile rules (src/ops/doctor/rules/dockerfileCommon.ts), each
// against a failing and a passing fixture (test/fixtures/doctor/dockerfile), with hadolint's
// rule id beside berth's.
import { describe, expect, it } from 'vitest';
import * as R from '../../../src/ops/doctor/rules/dockerfileCommon.js';
import type { Rule } from '../../../src/ops/doctor/types.js';
import type { DockerfileCtx } from '../../../src/ops/doctor/context.js';
import { brief, dockerfileCtx, run } from './helpers.js';

const cases: Array<{ rule: Rule<DockerfileCtx>; name: string; fail: string[]; refs: string[]; message?: RegExp }> = [
  { rule: R.dockerfileAptYes, name: 'apt-yes', fail: ['warning 2:1'], refs: ['DL3014'], message: /without -y/ },
  { rule: R.dockerfileAptRecommends, name: 'apt-no-recommends', fail: ['info 3'], refs: ['DL3015'], message: /--no-install-recommends/ },
  { rule: R.dockerfileAptPin, name: 'apt-pin', fail: ['info 3'], refs: ['DL3008'], message: /of curl, ca-certificates without versions/ },
  { rule: R.dockerfilePipCache, name: 'pip-no-cache', fail: ['warning 2:1', 'warning 4'], refs: ['DL3042', 'DL3042'], message: /^pip install without --no-cache-dir/ },
  { rule: R.dockerfileCdInRun, name: 'workdir-not-cd', fail: ['warning 3'], refs: ['DL3003'], message: /^cd \/app in RUN/ },
  { rule: R.dockerfileSudo, name: 'no-sudo', fail: ['error 3:1'], refs: ['DL3004'], message: /^sudo apt-get update/ },
  { rule: R.dockerfileMaintainer, name: 'no-maintainer', fail: ['error 2:1'], refs: ['DL4000'] },
  { rule: R.dockerfileJsonCmd, name: 'exec-form', fail: ['warning 2:1', 'warning 3:1'], refs: ['DL3025', 'DL3025'], message: /^ENTRYPOINT \/entry.sh: the shell form/ },
  { rule: R.dockerfileSingleCmd, name: 'single-cmd', fail: ['warning 2:1', 'warning 3:1'], refs: ['DL4003', 'DL4004'], message: /overridden by the CMD at line 5/ },
  { rule: R.dockerfilePipefail, name: 'pipefail', fail: ['warning 3'], refs: ['DL4006'] },
];

describe.each(cases)('dockerfile rule $name', ({ rule, name, fail, refs, message }) => {
  it(`flags ${name}.fail.Dockerfile at the right line, with hadolint's id`, async () => {
    const f = await run(rule, dockerfileCtx(`${name}.fail.Dockerfile`));
    expect(brief(f)).toEqual(fail);
    expect(f.map((x) => x.ref)).toEqual(refs);
    expect(f.every((x) => x.id === rule.id)).toBe(true);
    if (message) expect(f[0]!.message).toMatch(message);
  });
  it(`passes ${name}.pass.Dockerfile`, async () => {
    expect(await run(rule, dockerfileCtx(`${name}.pass.Dockerfile`))).toEqual([]);
  });
});

describe('simpleCommands', () => {
  it('splits at operators outside quotes and takes off assignments and sudo', () => {
    expect(R.simpleCommands('A=1 sudo -E apt-get update && echo "a && b" | tee x; (cd /y || exit 1)').map((c) => [c.sudo, ...c.words])).toEqual([
      [true, 'apt-get', 'update'],
      [false, 'echo', 'a && b'],
      [false, 'tee', 'x'],
      [false, 'cd', '/y'],
      [false, 'exit', '1'],
    ]);
  });
});

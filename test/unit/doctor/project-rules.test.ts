// Project rules: .env.example coverage and port conflicts across projects.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComposeFile, type PathSeg } from '../../../src/ops/compose/file.js';
import type { ProjectCtx } from '../../../src/ops/doctor/context.js';
import { composeVariables, projectAgentHooks, projectEnvExample, projectPortConflicts } from '../../../src/ops/doctor/rules/project.js';
import { staticChecks } from '../../../src/ops/doctor/run.js';
import { brief, FIXTURES, run } from './helpers.js';

const P = path.join(FIXTURES, 'project');

function projectCtx(dirName: string, others: string[] = []): ProjectCtx {
  const dir = path.join(P, dirName);
  const compose = ComposeFile.load(path.join(dir, 'compose.yaml'));
  return {
    name: dirName,
    dir,
    compose,
    display: 'compose.yaml',
    where: (segs: PathSeg[], which?: 'value' | 'key') => ({ file: 'compose.yaml', ...compose.yaml.locate(segs, which) }),
    others: others.map((o) => ({ name: o, compose: ComposeFile.load(path.join(P, o, 'compose.yaml')) })),
  };
}

describe('project/env-example', () => {
  it('finds every ${VAR} with its exact position, ignoring comments and $$', () => {
    const uses = composeVariables(projectCtx('env-example-fail').compose);
    expect(uses.map((u) => `${u.name}@${u.line}:${u.column}${u.hasDefault ? ' (default)' : ''}`)).toEqual([
      'APP_IMAGE@4:12 (default)',
      'DB_PASSWORD@6:36',
      'LOG_LEVEL@7:18 (default)',
      'APP_PORT@10:10',
    ]);
  });

  it('flags variables missing from .env.example (warning without a default, info with one)', async () => {
    const f = await run(projectEnvExample, projectCtx('env-example-fail'));
    expect(brief(f)).toEqual(['info 4:12', 'info 7:18', 'warning 10:10']);
    expect(f.map((x) => x.message)).toEqual([
      'APP_IMAGE is used (with a default) but not listed in .env.example',
      'LOG_LEVEL is used (with a default) but not listed in .env.example',
      'APP_PORT is used but not listed in .env.example',
    ]);
  });

  it('says when there is no .env.example at all', async () => {
    const f = await run(projectEnvExample, projectCtx('env-example-missing'));
    expect(f).toHaveLength(4);
    expect(f[1]!.message).toBe('DB_PASSWORD is used but there is no .env.example');
  });

  it('passes when every variable is listed (quotes, comments, export prefix)', async () => {
    expect(await run(projectEnvExample, projectCtx('env-example-pass'))).toEqual([]);
  });
});

describe('project/port-conflicts', () => {
  it('flags the same host port published twice in one project (short and long syntax)', async () => {
    const f = await run(projectPortConflicts, projectCtx('ports-alpha'));
    expect(brief(f)).toEqual(['error 10:9']);
    expect(f[0]!.message).toBe('host port 8080/tcp of service "admin" is also published by service "web" in this project');
  });

  it('flags a port another project publishes (after ${VAR:-default})', async () => {
    const f = await run(projectPortConflicts, projectCtx('ports-beta', ['ports-alpha']));
    expect(brief(f)).toEqual(['error 6:9']);
    expect(f[0]!.message).toContain('project "ports-alpha" (service "web")');
  });

  it('tells different host addresses, protocols and ranges apart; skips ephemeral ports', async () => {
    expect(await run(projectPortConflicts, projectCtx('ports-gamma', ['ports-alpha', 'ports-beta']))).toEqual([]);
  });

  it('runs through staticChecks with the other projects from the user config', async () => {
    const report = await staticChecks({
      dir: path.join(P, 'ports-beta'),
      name: 'beta',
      others: [
        { name: 'alpha', path: path.join(P, 'ports-alpha') },
        { name: 'no-path' },
        { name: 'gone', path: path.join(P, 'does-not-exist') },
      ],
    });
    const conflicts = report.findings.filter((x) => x.id === 'project/port-conflicts');
    expect(conflicts.map((c) => c.message)).toEqual(['host port 8080/tcp of service "api" is also published by project "alpha" (service "web")']);
  });
});

describe('project/agent-hooks', () => {
  it("names a Claude project without berth's state hooks, with the command that adds them", async () => {
    const f = await run(projectAgentHooks, projectCtx('hooks-fail'));
    expect(f.map((x) => [x.id, x.severity])).toEqual([['project/agent-hooks', 'info']]);
    expect(f[0]!.fix).toMatch(/^berth init --hooks --path .*hooks-fail/);
  });
  it('is quiet when the hooks are there, and for projects without Claude', async () => {
    expect(await run(projectAgentHooks, projectCtx('hooks-pass'))).toEqual([]);
    expect(await run(projectAgentHooks, projectCtx('ports-alpha'))).toEqual([]);
  });
});

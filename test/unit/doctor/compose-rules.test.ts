// Each compose rule against a failing and a passing fixture (test/fixtures/doctor/compose).
import { describe, expect, it } from 'vitest';
import * as R from '../../../src/ops/doctor/rules/compose.js';
import { brief, composeCtx, run } from './helpers.js';

describe('compose/valid', () => {
  it('reports invalid YAML as one finding with line:col, not a crash', async () => {
    const f = await run(R.composeValid, composeCtx('valid.fail.yaml'));
    expect(f).toHaveLength(1);
    expect(f[0]!.id).toBe('compose/valid');
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.message).toMatch(/^invalid YAML: /);
    expect(f[0]!.where).toMatchObject({ file: 'valid.fail.yaml', line: 6 });
  });

  it('reports a service without image or build and a service that is not a mapping', async () => {
    const f = await run(R.composeValid, composeCtx('valid-structure.fail.yaml'));
    expect(brief(f)).toEqual(['error 2:3', 'error 5:3']);
    expect(f[0]!.message).toBe('service "web" has neither image nor build');
    expect(f[1]!.message).toBe('service "worker" is not a mapping');
  });

  it('passes a valid file', async () => {
    expect(await run(R.composeValid, composeCtx('valid.pass.yaml'))).toEqual([]);
  });
});

describe('compose/image-pinned', () => {
  it('flags latest and missing tags (a registry port is not a tag)', async () => {
    const f = await run(R.composeImagePinned, composeCtx('image-pinned.fail.yaml'));
    expect(brief(f)).toEqual(['warning 3:12', 'warning 5:12', 'warning 7:12']);
    expect(f[0]!.message).toContain('nginx:latest');
    expect(f[1]!.message).toContain('redis without a tag');
    expect(f[2]!.message).toContain('registry.example.com:5000/team/proxy without a tag');
    expect(f[2]!.fix).toContain('registry.example.com:5000/team/proxy:<version>');
  });

  it('accepts tags, digests, build-only services, merge keys and pinned ${VAR:-default}', async () => {
    expect(await run(R.composeImagePinned, composeCtx('image-pinned.pass.yaml'))).toEqual([]);
  });

  it('follows the .env value of an image variable', async () => {
    const f = await run(R.composeImagePinned, composeCtx('image-pinned.pass.yaml', { TOOL_IMAGE: 'alpine:latest' }));
    expect(f.map((x) => x.message)).toEqual(['service "tool" uses alpine:latest: "latest" changes under you']);
  });
});

describe('compose/healthcheck', () => {
  it('warns on a missing health check and notes a disabled one', async () => {
    const f = await run(R.composeHealthcheck, composeCtx('healthcheck.fail.yaml'));
    expect(brief(f)).toEqual(['warning 2:3', 'info 6:5']);
  });
  it('passes a service with a health check', async () => {
    expect(await run(R.composeHealthcheck, composeCtx('healthcheck.pass.yaml'))).toEqual([]);
  });
});

describe('compose/resource-limits', () => {
  it('warns when neither mem_limit/cpus nor deploy limits are set', async () => {
    expect(brief(await run(R.composeResourceLimits, composeCtx('resource-limits.fail.yaml')))).toEqual(['warning 2:3']);
  });
  it('accepts mem_limit and deploy.resources.limits', async () => {
    expect(await run(R.composeResourceLimits, composeCtx('resource-limits.pass.yaml'))).toEqual([]);
  });
});

describe('compose/restart-policy', () => {
  it('warns on a missing policy and notes restart: "no"', async () => {
    expect(brief(await run(R.composeRestartPolicy, composeCtx('restart-policy.fail.yaml')))).toEqual(['warning 2:3', 'info 6:14']);
  });
  it('accepts restart and deploy.restart_policy', async () => {
    expect(await run(R.composeRestartPolicy, composeCtx('restart-policy.pass.yaml'))).toEqual([]);
  });
});

describe('compose/inline-secrets', () => {
  it('flags literal secrets in map and list environments', async () => {
    const f = await run(R.composeInlineSecrets, composeCtx('inline-secrets.fail.yaml'));
    expect(brief(f)).toEqual(['error 6:26', 'error 11:9', 'error 12:9']);
    expect(f.map((x) => x.message)).toEqual([
      'service "db" sets POSTGRES_PASSWORD to a literal value in the compose file',
      'service "api" sets GITHUB_TOKEN to a literal value in the compose file',
      'service "api" sets STRIPE_API_KEY to a literal value in the compose file',
    ]);
    expect(f[0]!.fix).toContain('${POSTGRES_PASSWORD}');
  });
  it('accepts ${VAR}, pass-through names, empty values, *_FILE and non-secret names', async () => {
    expect(await run(R.composeInlineSecrets, composeCtx('inline-secrets.pass.yaml'))).toEqual([]);
  });
});

describe('compose/privileged', () => {
  it('flags privileged: true', async () => {
    expect(brief(await run(R.composePrivileged, composeCtx('privileged.fail.yaml')))).toEqual(['error 4:17']);
  });
  it('accepts privileged: false with capabilities', async () => {
    expect(await run(R.composePrivileged, composeCtx('privileged.pass.yaml'))).toEqual([]);
  });
});

describe('compose/host-network', () => {
  it('flags network_mode: host', async () => {
    expect(brief(await run(R.composeHostNetwork, composeCtx('host-network.fail.yaml')))).toEqual(['warning 4:19']);
  });
  it('accepts a bridge network with published ports', async () => {
    expect(await run(R.composeHostNetwork, composeCtx('host-network.pass.yaml'))).toEqual([]);
  });
});

describe('compose/docker-socket', () => {
  it('flags the socket in short and long volume syntax', async () => {
    const f = await run(R.composeDockerSocket, composeCtx('docker-socket.fail.yaml'));
    expect(brief(f)).toEqual(['error 6:9', 'error 10:9']);
    expect(f[1]!.message).toContain('/run/docker.sock');
  });
  it('accepts ordinary mounts', async () => {
    expect(await run(R.composeDockerSocket, composeCtx('docker-socket.pass.yaml'))).toEqual([]);
  });
});

describe('compose/obsolete-version', () => {
  it('flags the top-level version key', async () => {
    expect(brief(await run(R.composeObsoleteVersion, composeCtx('obsolete-version.fail.yaml')))).toEqual(['warning 1:1']);
  });
  it('passes without it', async () => {
    expect(await run(R.composeObsoleteVersion, composeCtx('obsolete-version.pass.yaml'))).toEqual([]);
  });
});

describe('compose/log-rotation', () => {
  it('flags json-file logging without max-size (default driver too)', async () => {
    expect(brief(await run(R.composeLogRotation, composeCtx('log-rotation.fail.yaml')))).toEqual(['warning 2:3', 'warning 6:5']);
  });
  it('accepts max-size, the local driver and drivers that ship logs away', async () => {
    expect(await run(R.composeLogRotation, composeCtx('log-rotation.pass.yaml'))).toEqual([]);
  });
});

describe('compose/data-volume', () => {
  it('flags a database without a volume, on an anonymous volume or on tmpfs', async () => {
    const f = await run(R.composeDataVolume, composeCtx('data-volume.fail.yaml'));
    expect(brief(f)).toEqual(['error 2:3', 'warning 9:9', 'error 12:5']);
    expect(f[0]!.message).toContain('/var/lib/postgresql/data is not on a volume');
    expect(f[1]!.message).toContain('/data/db is on an anonymous volume');
    expect(f[2]!.message).toContain('/data is on tmpfs');
  });
  it('accepts named volumes, bind mounts, long syntax, PGDATA under a mount, and non-database images', async () => {
    expect(await run(R.composeDataVolume, composeCtx('data-volume.pass.yaml'))).toEqual([]);
  });
});

describe('image references', () => {
  it('splits name, tag and digest', () => {
    expect(R.parseImageRef('localhost:5000/a/b:1.2@sha256:abc')).toEqual({ name: 'localhost:5000/a/b', tag: '1.2', digest: 'sha256:abc' });
    expect(R.parseImageRef('localhost:5000/a/b')).toEqual({ name: 'localhost:5000/a/b', tag: null, digest: null });
    expect(R.imageBaseName('docker.io/library/postgres:16')).toBe('postgres');
  });
});

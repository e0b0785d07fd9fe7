// Each Dockerfile rule against a failing and a passing fixture (test/fixtures/doctor/dockerfile).
import { describe, expect, it } from 'vitest';
import * as R from '../../../src/ops/doctor/rules/dockerfile.js';
import { brief, dockerfileCtx, run } from './helpers.js';

describe('dockerfile/valid', () => {
  it('needs FROM first (ARG may come before it)', async () => {
    const f = await run(R.dockerfileValid, dockerfileCtx('valid.fail.Dockerfile'));
    expect(brief(f)).toEqual(['error 2:1']);
    expect(f[0]!.message).toBe('the first instruction is RUN, not FROM');
  });
  it('passes a file that starts with ARG then FROM', async () => {
    expect(await run(R.dockerfileValid, dockerfileCtx('base-pinned.pass.Dockerfile'))).toEqual([]);
  });
});

describe('dockerfile/base-pinned', () => {
  it('flags latest, a missing tag and an ARG without a default', async () => {
    const f = await run(R.dockerfileBasePinned, dockerfileCtx('base-pinned.fail.Dockerfile'));
    expect(brief(f)).toEqual(['warning 1:1', 'warning 4:1', 'warning 8:1']);
    expect(f[0]!.message).toContain('node:latest');
    expect(f[1]!.message).toBe('FROM debian has no tag (that means latest)');
    expect(f[2]!.message).toContain('has no default');
  });
  it('accepts a pinned ARG default, earlier stages, digests and scratch', async () => {
    expect(await run(R.dockerfileBasePinned, dockerfileCtx('base-pinned.pass.Dockerfile'))).toEqual([]);
  });
});

describe('dockerfile/apt-lists', () => {
  it('flags apt-get install without removing the lists in the same RUN', async () => {
    const f = await run(R.dockerfileAptLists, dockerfileCtx('apt-lists.fail.Dockerfile'));
    // The first RUN starts on line 2; its install is on line 3.
    expect(brief(f)).toEqual(['warning 3', 'warning 4:1']);
  });
  it('accepts cleaning in the same RUN (comments in between), a cache mount and a heredoc', async () => {
    expect(await run(R.dockerfileAptLists, dockerfileCtx('apt-lists.pass.Dockerfile'))).toEqual([]);
  });
});

describe('dockerfile/curl-pipe-sh', () => {
  it('flags curl|sh, wget|bash and sh -c "$(curl …)" of unversioned URLs', async () => {
    const f = await run(R.dockerfileCurlPipe, dockerfileCtx('curl-pipe-sh.fail.Dockerfile'));
    expect(brief(f)).toEqual(['warning 2:1', 'warning 4', 'warning 6:1']);
    expect(f[1]!.message).toMatch(/^wget output/);
  });
  it('accepts versioned install scripts and downloads that are not piped to a shell', async () => {
    expect(await run(R.dockerfileCurlPipe, dockerfileCtx('curl-pipe-sh.pass.Dockerfile'))).toEqual([]);
  });
});

describe('dockerfile/non-root-user', () => {
  it('flags USER root as the last USER', async () => {
    const f = await run(R.dockerfileNonRootUser, dockerfileCtx('non-root-user.fail.Dockerfile'));
    expect(brief(f)).toEqual(['warning 4:1']);
  });
  it('flags a final stage without USER even when an earlier stage had one', async () => {
    const f = await run(R.dockerfileNonRootUser, dockerfileCtx('non-root-user-missing.fail.Dockerfile'));
    expect(brief(f)).toEqual(['warning 5:1']);
    expect(f[0]!.message).toContain('no USER in the final stage');
  });
  it('follows a USER set through an ARG in the stage the final one builds on', async () => {
    expect(await run(R.dockerfileNonRootUser, dockerfileCtx('non-root-user.pass.Dockerfile'))).toEqual([]);
  });
});

describe('dockerfile/copy-over-add', () => {
  it('warns on ADD of local files and notes ADD of a URL or a tar', async () => {
    const f = await run(R.dockerfileCopyOverAdd, dockerfileCtx('copy-over-add.fail.Dockerfile'));
    expect(brief(f)).toEqual(['warning 2:1', 'info 3:1', 'info 4:1']);
    expect(f[0]!.fix).toBe('Use COPY --chown=1000:1000 package.json src/ /app/.');
  });
  it('passes COPY', async () => {
    expect(await run(R.dockerfileCopyOverAdd, dockerfileCtx('copy-over-add.pass.Dockerfile'))).toEqual([]);
  });
});

describe('dockerfile/env-secrets', () => {
  it('flags literal secrets in ARG and ENV (both forms) and ENV copies of a build arg', async () => {
    const f = await run(R.dockerfileEnvSecrets, dockerfileCtx('env-secrets.fail.Dockerfile'));
    expect(brief(f)).toEqual(['error 2:1', 'error 4', 'error 5:1', 'info 6:1', 'error 7:1']);
    expect(f.map((x) => x.message.split(' ').slice(0, 2).join(' '))).toEqual(['ARG NPM_TOKEN', 'ENV DB_PASSWORD', 'ENV GITHUB_TOKEN', 'ARG SENTRY_AUTH_TOKEN:', 'ENV SENTRY_AUTH_TOKEN=$SENTRY_AUTH_TOKEN']);
  });
  it('accepts empty values, *_FILE paths, public keys and build secrets', async () => {
    expect(await run(R.dockerfileEnvSecrets, dockerfileCtx('env-secrets.pass.Dockerfile'))).toEqual([]);
  });
});

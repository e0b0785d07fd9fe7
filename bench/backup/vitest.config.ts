import { defineConfig } from 'vitest/config';

// The backup throughput bench runs against the same private dockerd as the engine tests.
//   npx vitest run --config bench/backup/vitest.config.ts
export default defineConfig({
  test: {
    include: ['bench/backup/**/*.bench.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    globalSetup: ['test/harness/global-setup.ts'],
    setupFiles: ['test/harness/setup-engine.ts'],
  },
});

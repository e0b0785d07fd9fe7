import { defineConfig } from 'vitest/config';

// Four projects (run them all with `node test/run-tests.js`, which npm test calls):
//   unit    pure functions, no Docker engine           test/unit/**
//   ui      Ink components with ink-testing-library    test/ui/**
//   engine  against a real, private dockerd            test/engine/**
//   e2e     the real program in tmux                   test/e2e/**
// engine and e2e test files run one at a time in one worker (they share one engine and
// some restart it), after unit and ui (sequence.groupOrder), engine before e2e.
// `npx vitest run --project unit` needs no engine.

const engineProject = {
  fileParallelism: false,
  // fileParallelism of a project does not limit vitest's shared worker pool; singleFork does
  pool: 'forks' as const,
  poolOptions: { forks: { singleFork: true } },
  testTimeout: 60_000,
  hookTimeout: 120_000,
  teardownTimeout: 60_000,
  globalSetup: ['test/harness/global-setup.ts'],
  setupFiles: ['test/harness/setup-engine.ts'],
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'ui',
          include: ['test/ui/**/*.test.{ts,tsx}'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.{ts,tsx}'],
          ...engineProject,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.{ts,tsx}'],
          ...engineProject,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});

// setupFiles of the engine and e2e projects: after each test file that used the engine,
// remove what it left carrying the berth.test label, so the next file starts clean.
import { afterAll } from 'vitest';
import { cleanupTestObjects, engineWasRequested } from './engine.js';

afterAll(async () => {
  if (!engineWasRequested()) return;
  try {
    await cleanupTestObjects();
  } catch (error) {
    // a test that stopped the daemon on purpose must not fail here; say it instead
    console.warn(`berth test harness: cleanup after this file failed: ${error instanceof Error ? error.message : String(error)}`);
  }
});

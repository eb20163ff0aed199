import { defineConfig } from 'vitest/config';

import { SlowFirst } from './__tests__/support/slow-first.js';

// One project per test layer, so a run reports each layer's count on its own.
export default defineConfig({
  test: {
    setupFiles: ['__tests__/support/setup.ts'],
    // Most of the suite waits on loopback servers and child processes, not on the CPU: more files
    // than cores run at once, and the one that waits out real bounds starts first.
    maxWorkers: 4,
    sequence: { sequencer: SlowFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: ['__tests__/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['__tests__/integration/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: { name: 'in-process', include: ['__tests__/in-process/**/*.test.ts'], testTimeout: 30_000 },
      },
      // Generous: a run of the bundle waits out real bounds, and a loaded machine stretches its start.
      { extends: true, test: { name: 'e2e', include: ['__tests__/e2e/**/*.test.ts'], testTimeout: 150_000 } },
      { extends: true, test: { name: 'docs', include: ['__tests__/docs/**/*.test.ts'], testTimeout: 30_000 } },
    ],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Integration suites share one mediamtx container per file; two cores on CI machines.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    env: {
      // testcontainers on these machines: no reaper container, host network on 127.0.0.1.
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
    },
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Native builds and CPython runs are process-heavy; two cores on CI.
    maxWorkers: 2,
    fileParallelism: true,
  },
});

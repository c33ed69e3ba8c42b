import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault suite, one scenario file at a time (each starts a whole shop
 * and loads it; two at once would measure each other), every loop bounded in time.
 */
export default defineConfig({
  test: {
    include: ['tools/faults/test/**/*.test.ts'],
    globalSetup: ['tools/testing/src/global-setup.ts'],
    fileParallelism: false,
    // The verbose reporter shows each scenario's figures (test annotations) beside it.
    reporters: ['verbose'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});

import { defineConfig } from 'vitest/config';

/**
 * `npm run test:security`: the security suite, one file at a time (each starts a whole shop and
 * some load it hard), against the running processes through the gateway.
 */
export default defineConfig({
  test: {
    include: ['tools/security/test/**/*.test.ts'],
    globalSetup: ['tools/testing/src/global-setup.ts'],
    fileParallelism: false,
    reporters: ['verbose'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});

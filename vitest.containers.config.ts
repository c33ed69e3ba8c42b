import { defineConfig } from 'vitest/config';

/**
 * `npm run test:containers`: the shop as containers, built and run for real (a Docker engine,
 * and the base images of `npm run images:offline` or a registry). One file at a time: each brings
 * a whole compose project up.
 */
export default defineConfig({
  test: {
    include: ['tools/containers/test/**/*.test.ts'],
    fileParallelism: false,
    reporters: ['verbose'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});

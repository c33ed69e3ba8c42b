import { defineConfig } from 'vitest/config';

/**
 * `npm run test:containers`: the shop as containers, built and run for real (a Docker engine,
 * and the base images of `npm run images:offline` or a registry). Two projects side by side, each
 * one file at a time: `shop` brings a whole compose project up per file (two at once on two cores
 * would measure each other); `hosts` starts a few small containers of its own (the local
 * overlay's data stores, the admin host) and runs beside it.
 */
const shared = {
  fileParallelism: false,
  testTimeout: 300_000,
  hookTimeout: 900_000,
};
export default defineConfig({
  test: {
    reporters: ['verbose'],
    projects: [
      {
        test: {
          ...shared,
          name: 'shop',
          include: ['tools/containers/test/**/*.test.ts'],
          exclude: ['tools/containers/test/{local-overlay,admin-host}.test.ts'],
        },
      },
      {
        test: {
          ...shared,
          name: 'hosts',
          include: ['tools/containers/test/{local-overlay,admin-host}.test.ts'],
        },
      },
    ],
  },
});

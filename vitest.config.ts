import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{packages,services,tools,web}/*/test/**/*.test.ts'],
    globalSetup: ['tools/testing/src/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

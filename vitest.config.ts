import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{packages,services,tools,web}/*/test/**/*.test.ts'],
    // The fault and security suites have commands of their own (npm run test:faults, test:security).
    exclude: ['tools/faults/**', 'tools/security/**', '**/node_modules/**'],
    globalSetup: ['tools/testing/src/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});

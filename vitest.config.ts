import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{packages,services,tools,web}/*/test/**/*.test.ts'],
    // The fault, security and container suites have commands of their own (npm run test:faults,
    // test:security, test:containers).
    exclude: ['tools/faults/**', 'tools/security/**', 'tools/containers/**', '**/node_modules/**'],
    globalSetup: ['tools/testing/src/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // `npm test -- --coverage` (the GitHub ci workflow): the TypeScript the tests run in process.
    // Services and tools started as processes run their bundles, which this does not see.
    coverage: {
      provider: 'v8',
      include: ['{packages,services,tools,web}/*/src/**/*.{ts,tsx}'],
      reporter: ['text-summary', 'json-summary', 'html'],
    },
  },
});

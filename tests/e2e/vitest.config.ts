import { defineConfig } from 'vitest/config';

/** End-to-end tests: the demo site in headless Chromium, driven the way a person uses it. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});

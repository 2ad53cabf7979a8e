import { defineConfig } from 'vitest/config';

// The production copy (tests/prod): run after `npm run build`, one file, on its own.
export default defineConfig({
  test: {
    include: ['tests/prod/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 600_000,
  },
});

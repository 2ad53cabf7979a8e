/**
 * `npm run test:cluster`: CollectKit as separate processes — API nodes and a worker on one MariaDB
 * (TEST_MYSQL_URL; skipped without it) and one S3-protocol server. See tests/cluster/harness.ts.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/cluster/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // each file starts several node processes: one file at a time on a two-core machine
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});

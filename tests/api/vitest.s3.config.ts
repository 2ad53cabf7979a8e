/**
 * `npm run test:s3`: the suites that store files, run once more with every app's files in an
 * S3-compatible bucket (s3rver, a process per test file; see tests/api/harness.ts, TEST_STORAGE).
 */
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export const S3_SUITES = [
  'tests/api/storage.test.ts',
  'tests/api/attachments.test.ts',
  'tests/api/dispute-documents.test.ts',
  'tests/api/collab.test.ts',
  'tests/api/placements.test.ts',
  'tests/api/placement-batches.test.ts',
  'tests/api/upload-memory.test.ts',
  'tests/api/report-export-resume.test.ts',
  'tests/api/export-parts-orphans.test.ts',
];

// (not mergeConfig: it would add these files to the base include list instead of replacing it)
export default defineConfig({
  test: {
    ...base.test,
    include: S3_SUITES,
    env: { TEST_STORAGE: 's3' },
  },
});

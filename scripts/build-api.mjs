#!/usr/bin/env node
/**
 * Compiles the API (api/main.ts and everything it imports, migrations included) to one ES module,
 * dist/api/main.js, so production runs plain JavaScript with only production dependencies installed:
 *   npm ci && npm run build && npm prune --omit=dev && node dist/api/main.js serve
 * Packages stay imports (resolved from node_modules at run time); only our own code is bundled.
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['api/main.ts'],
  outfile: 'dist/api/main.js',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  banner: { js: '// CollectKit portal API, compiled by scripts/build-api.mjs. Run: node dist/api/main.js serve' },
});
console.log('dist/api/main.js built');

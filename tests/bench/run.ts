/**
 * `npm run bench`: runs every benchmark under tests/bench/<name>/*.bench.ts in turn (or only those
 * named: `npm run bench -- search`). Benchmarks print ratios against a baseline measured in the same
 * run; they never pass or fail on wall-clock time and are not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = 'tests/bench';
const only = process.argv.slice(2);
let failed = 0;
for (const dir of readdirSync(root).sort()) {
  const path = join(root, dir);
  if (!statSync(path).isDirectory() || dir.startsWith('.') || (only.length && !only.includes(dir))) continue;
  for (const file of readdirSync(path).filter((f) => f.endsWith('.bench.ts')).sort()) {
    console.log(`\n=== ${join(path, file)}`);
    const r = spawnSync('npx', ['tsx', join(path, file)], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
}
process.exit(failed ? 1 : 0);

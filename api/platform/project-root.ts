/**
 * The project's root folder (the one holding package.json, dist/ and demo-site/), found by walking up
 * from this module: the same answer whether the API runs from its TypeScript sources (api/platform/)
 * or from the compiled bundle (dist/api/).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}.`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

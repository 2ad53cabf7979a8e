/**
 * Sizes of the built widget bundle, min+gzip per file (each file is fetched on its own, so each is
 * compressed on its own), from rollup's output graph (dist/bundle-graph.json, written by
 * scripts/rollup-elements.ts):
 *
 * - entry: dist/collectkit.js alone, and with what it imports at once (the eager core);
 * - foundation: what a page with issue 2's elements (ck-portal, ck-login, ck-account-search,
 *   ck-account-pane) loads: the entry plus every chunk statically reachable from those elements;
 * - all: every chunk the entry can ever load (statically or through the autoloader).
 *
 *   npx tsx scripts/bundle-size.ts [dist]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const FOUNDATION = ['ck-portal', 'ck-login', 'ck-account-search', 'ck-account-pane'];
export const ENTRY = 'collectkit.js';

interface GraphChunk {
  entry: boolean;
  imports: string[];
  dynamicImports: string[];
  elements: string[];
}

export interface Size {
  files: string[];
  /** minified bytes */
  min: number;
  /** min+gzip bytes (gzip -9 of each file, summed) */
  gzip: number;
}

export interface BundleSizes {
  entry: Size;
  eager: Size;
  foundation: Size;
  /** `<ck-client-portal>` signed out: the entry, the shell and the sign-in form (areas load after sign-in) */
  clientPortal: Size;
  /** `<ck-agency-console>` signed out, likewise */
  agencyConsole: Size;
  all: Size;
}

export function bundleSizes(dist = 'dist', foundation = FOUNDATION): BundleSizes {
  const { chunks } = JSON.parse(readFileSync(join(dist, 'bundle-graph.json'), 'utf8')) as { chunks: Record<string, GraphChunk> };
  if (!chunks[ENTRY]) throw new Error(`${dist}/bundle-graph.json has no ${ENTRY}`);

  const reach = (from: string[], dynamic: boolean): string[] => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      const chunk = chunks[file];
      if (!chunk) throw new Error(`${dist}/bundle-graph.json: ${file} is imported but not listed`);
      seen.add(file);
      for (const dep of chunk.imports) visit(dep);
      if (dynamic) for (const dep of chunk.dynamicImports) visit(dep);
    };
    from.forEach(visit);
    return [...seen].sort();
  };
  // The chunk that defines a tag: not the elements/<tag>.js re-export modules (they define nothing).
  const definer = (tag: string): string => {
    const file = Object.keys(chunks).find((f) => chunks[f]!.elements.includes(tag));
    if (!file) throw new Error(`no chunk defines <${tag}>`);
    return file;
  };
  const size = (files: string[]): Size => {
    let min = 0;
    let gzip = 0;
    for (const file of files) {
      const bytes = readFileSync(join(dist, file));
      min += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { files, min, gzip };
  };

  return {
    entry: size([ENTRY]),
    eager: size(reach([ENTRY], false)),
    foundation: size(reach([ENTRY, ...foundation.map(definer)], false)),
    clientPortal: size(reach([ENTRY, definer('ck-client-portal')], false)),
    agencyConsole: size(reach([ENTRY, definer('ck-agency-console')], false)),
    all: size(reach([ENTRY], true)),
  };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** The benchmark's lines (kB = 1024 bytes, as this report has always used). */
export function describeBundle(dist = 'dist'): string {
  const s = bundleSizes(dist);
  return [
    `widget bundle ${dist}/ (min+gzip, each file gzipped on its own):`,
    `  entry ${ENTRY}: ${kB(s.entry.gzip)} (${kB(s.entry.min)} min); with the eager core it loads at once: ${kB(s.eager.gzip)} (${s.eager.files.length} files)`,
    `  what issue 2 ships (entry + chunks reachable from ${FOUNDATION.join(', ')}): ${kB(s.foundation.gzip)} (${kB(s.foundation.min)} min, ${s.foundation.files.length} files) — target < 40 kB`,
    `  <ck-client-portal> signed-out first paint (entry + shell + sign-in; each area loads when opened): ${kB(s.clientPortal.gzip)} (${kB(s.clientPortal.min)} min, ${s.clientPortal.files.length} files) — target ≤ 40 kB`,
    `  <ck-agency-console> signed-out first paint: ${kB(s.agencyConsole.gzip)} (${kB(s.agencyConsole.min)} min, ${s.agencyConsole.files.length} files)`,
    `  all chunks: ${kB(s.all.gzip)} (${kB(s.all.min)} min, ${s.all.files.length} files)`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(describeBundle(process.argv[2] ?? 'dist'));
}

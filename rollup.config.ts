/**
 * The drop-in widget bundle: widgets/index.ts → dist/collectkit.js, a small ES module entry, plus
 * code-split chunks (Lit bundled in). esbuild gets the tsconfig so the legacy decorators are
 * transformed; terser minifies. Target ES2022 keeps `#private` members native (ES2021 would turn
 * them into WeakMaps: +1 kB gzip).
 *
 * dist/
 *   collectkit.js            the one script tag: exports + the autoloader; short cache (not hashed)
 *   chunks/core-<hash>.js    what the entry loads at once: Lit, the API client, CkElement, ck-portal
 *   chunks/<name>-<hash>.js  each element (and code shared between them), imported on first use;
 *                            hashed, so served `immutable`, and an old entry never meets a new chunk
 *   elements/<tag>.js        one public module per element re-exporting its class (registers it)
 *   bundle-graph.json        which chunk imports which and defines what (tests/bench sizes it)
 *
 * Everything the entry imports statically goes into the one hashed core chunk rather than the
 * entry itself, so the lazy chunks import the core by a content-addressed URL: never a second copy
 * of Lit when an agency adds a query string to the script URL, and never a mismatch between a
 * cached chunk and a redeployed entry.
 */
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserPlugin from '@rollup/plugin-terser';
import { collectkitElements } from './scripts/rollup-elements.js';
import { lazyTagsOf, placeholderCss } from './widgets/internal/placeholders.js';

// The plugin's .d.ts is CommonJS-flavoured (under NodeNext its default export shows up as
// `.default`) while Node's ESM import gives the function itself; accept both.
type Terser = typeof terserPlugin.default;
const terser = ((terserPlugin as unknown as { default?: Terser }).default ?? terserPlugin) as Terser;

/** Ships the default theme and the placeholders' CSS beside the bundle (/widgets/themes/default.css, /widgets/collectkit.css). */
const theme: Plugin = {
  name: 'collectkit-theme',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'themes/default.css', source: readFileSync('widgets/themes/default.css', 'utf8') });
    // the elements' placeholders until their chunks load (served as /widgets/collectkit.css)
    this.emitFile({ type: 'asset', fileName: 'collectkit.css', source: placeholderCss(lazyTagsOf(readFileSync('widgets/lazy-elements.ts', 'utf8'))) });
  },
};

const ENTRY = 'widgets/index.ts';
/**
 * Modules nearly every element imports (the shared styles and formatting, @lit/task): in the core
 * rather than in chunks of their own, since a page with any element loads them anyway and each extra
 * file costs its own request and its own gzip dictionary.
 */
const SHARED_EVERYWHERE = ['/widgets/internal/styles.ts', '/widgets/internal/format.ts', '/@lit/task/task.js', '/@lit/task/index.js'];
/** modules the entry imports statically (found on the first manualChunks call, once the graph is complete) */
let eager: Set<string> | null = null;

/** Each build starts afresh (watch mode too): the eager set is recomputed, and since hashed names
 * change with every build the last build's chunks are cleared rather than piled up. */
const freshBuild: Plugin = {
  name: 'collectkit-fresh-build',
  buildStart() {
    eager = null;
  },
  renderStart() {
    for (const dir of ['dist/chunks', 'dist/elements']) rmSync(dir, { recursive: true, force: true });
  },
};

export default defineConfig({
  input: { collectkit: ENTRY },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash:8].js',
    // The entry's static imports (not the entry: its autoloader start stays in collectkit.js).
    manualChunks(id, { getModuleInfo }) {
      if (!eager) {
        eager = new Set();
        const visit = (m: string) => {
          if (eager!.has(m)) return;
          eager!.add(m);
          for (const dep of getModuleInfo(m)?.importedIds ?? []) visit(dep);
        };
        visit(resolve(ENTRY));
        eager.delete(resolve(ENTRY));
      }
      return eager.has(id) || SHARED_EVERYWHERE.some((m) => id.endsWith(m)) ? 'core' : undefined;
    },
  },
  plugins: [
    collectkitElements({ registry: './widgets/lazy-elements.ts', sources: 'widgets' }),
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ tsconfig: 'tsconfig.json', target: 'es2022', legalComments: 'none' }),
    theme,
    freshBuild,
    terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
  ],
});

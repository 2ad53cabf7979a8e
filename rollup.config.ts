/**
 * The drop-in widget bundle: widgets/index.ts → dist/collectkit.js, one minified ES module with Lit
 * bundled in. esbuild gets the tsconfig so the legacy decorators are transformed; terser minifies.
 * Target ES2022 keeps `#private` members native (ES2021 would turn them into WeakMaps: +1 kB gzip).
 */
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terserPlugin from '@rollup/plugin-terser';

// The plugin's .d.ts is CommonJS-flavoured (under NodeNext its default export shows up as
// `.default`) while Node's ESM import gives the function itself; accept both.
type Terser = typeof terserPlugin.default;
const terser = ((terserPlugin as unknown as { default?: Terser }).default ?? terserPlugin) as Terser;

/** Ships the default theme beside the bundle (served as /widgets/themes/default.css). */
const theme: Plugin = {
  name: 'collectkit-theme',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'themes/default.css', source: readFileSync('widgets/themes/default.css', 'utf8') });
  },
};

export default defineConfig({
  input: 'widgets/index.ts',
  output: {
    file: 'dist/collectkit.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    nodeResolve({ browser: true, exportConditions: ['production'] }),
    esbuild({ tsconfig: 'tsconfig.json', target: 'es2022', legalComments: 'none' }),
    theme,
    terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
  ],
});

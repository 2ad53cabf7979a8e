/**
 * The rollup plugin that knows CollectKit's elements (build-time only):
 *
 * - finds every element a module defines (`X.define('ck-…')`) and every `<ck-…>` its templates render;
 * - fails the build when a template renders an element its module does not statically import (the
 *   drop-in bundle loads our elements lazily and the page-level autoloader cannot see into shadow
 *   roots: a static import is what guarantees a child is defined before its parent renders), and
 *   when widgets/lazy-elements.ts misses an element, or maps a tag to a module that does not define it;
 * - emits one public module per element, `elements/<tag>.js`, that re-exports its module (the place
 *   for the named exports, e.g. `CkLogin`, now that the entry no longer loads every element);
 * - writes `bundle-graph.json`: each output chunk's static and dynamic imports and the elements it
 *   defines, so tests/bench can size "what a page with these elements loads" from the real output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OutputChunk, Plugin, ProgramNode } from 'rollup';

const PREFIX = '\0ck-element:';

interface Found {
  /** tags this module defines */
  defines: string[];
  /** tags its templates render */
  renders: string[];
  /** for the lazy registry: tag → import specifier of its loader */
  registry: Map<string, string>;
}

type Node = { type: string; [key: string]: unknown };

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
  } else if (node && typeof node === 'object' && typeof (node as Node).type === 'string') {
    visit(node as Node);
    for (const [key, value] of Object.entries(node)) if (key !== 'type' && value && typeof value === 'object') walk(value, visit);
  }
}

const isTag = (v: unknown): v is string => typeof v === 'string' && /^ck-[a-z0-9-]+$/.test(v);

function scan(ast: ProgramNode): Found {
  const found: Found = { defines: [], renders: [], registry: new Map() };
  walk(ast, (n) => {
    if (n.type === 'CallExpression') {
      const callee = n.callee as Node;
      const arg = (n.arguments as Node[])[0];
      const prop = callee.type === 'MemberExpression' ? (callee.property as Node) : null;
      if (prop?.type === 'Identifier' && prop.name === 'define' && arg?.type === 'Literal' && isTag(arg.value)) found.defines.push(arg.value);
    } else if (n.type === 'TemplateElement') {
      const raw = (n.value as { raw: string }).raw;
      for (const m of raw.matchAll(/<(ck-[a-z0-9-]+)/g)) found.renders.push(m[1]!);
    } else if (n.type === 'Property') {
      // `'ck-x': () => import('./x/x.js')` in the lazy registry
      const key = n.key as Node;
      let specifier: string | null = null;
      walk(n.value, (v) => {
        if (v.type === 'ImportExpression' && (v.source as Node).type === 'Literal') specifier = String((v.source as Node).value);
      });
      if (key.type === 'Literal' && isTag(key.value) && specifier) found.registry.set(key.value, specifier);
    }
  });
  return found;
}

export interface ElementsOptions {
  /** the module of `lazyElements` */
  registry: string;
  /** the folder of the element sources: an element defined there but reached by nothing is an error */
  sources: string;
}

/** `define('ck-…')` in the source files, graph or not: an element nobody imports is not in the graph. */
function definedInSources(dir: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = resolve(join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name));
    for (const m of readFileSync(file, 'utf8').matchAll(/\.define\(\s*['"](ck-[a-z0-9-]+)['"]\s*\)/g)) tags.set(m[1]!, file);
  }
  return tags;
}

export function collectkitElements(options: ElementsOptions): Plugin {
  const found = new Map<string, Found>();
  let registryId = '';

  return {
    name: 'collectkit-elements',

    async buildStart() {
      registryId = (await this.resolve(options.registry))?.id ?? '';
      if (!registryId) this.error(`cannot resolve the lazy registry ${options.registry}`);
    },

    resolveId(source) {
      return source.startsWith(PREFIX) ? source : null;
    },

    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      return `export * from ${JSON.stringify(id.slice(PREFIX.length).split('|')[1])};`;
    },

    moduleParsed(info) {
      if (info.id.startsWith('\0') || info.id.includes('/node_modules/') || !info.ast) return;
      const f = scan(info.ast);
      found.set(info.id, f);
      // Chunks can only be emitted while modules are still loading: here, not in buildEnd.
      for (const tag of f.defines) {
        this.emitFile({ type: 'chunk', id: `${PREFIX}${tag}|${info.id}`, fileName: `elements/${tag}.js`, preserveSignature: 'strict' });
      }
    },

    async buildEnd(error) {
      if (error) return;
      const definedBy = new Map<string, string>();
      for (const [id, f] of found) for (const tag of f.defines) definedBy.set(tag, id);

      // Everything the entries load statically (the eager core) is defined before any lazy chunk runs.
      const closure = (from: string, seen = new Set<string>()): Set<string> => {
        if (seen.has(from)) return seen;
        seen.add(from);
        for (const dep of this.getModuleInfo(from)?.importedIds ?? []) closure(dep, seen);
        return seen;
      };
      const eager = new Set<string>();
      for (const id of this.getModuleIds()) if (this.getModuleInfo(id)?.isEntry && !id.startsWith(PREFIX)) closure(id, eager);

      const problems: string[] = [];
      for (const [id, f] of found) {
        const deps = closure(id);
        for (const tag of new Set(f.renders)) {
          const definer = definedBy.get(tag);
          if (!definer) problems.push(`${id} renders <${tag}>, which no module defines`);
          else if (!deps.has(definer) && !eager.has(definer)) problems.push(`${id} renders <${tag}> but does not import ${definer}`);
        }
      }
      const registry = found.get(registryId)?.registry ?? new Map<string, string>();
      for (const [tag, definer] of definedBy) {
        const specifier = registry.get(tag);
        if (!specifier) {
          if (!eager.has(definer)) problems.push(`<${tag}> (${definer}) is missing from ${options.registry}`);
          continue;
        }
        const target = (await this.resolve(specifier, registryId))?.id;
        if (target !== definer) problems.push(`${options.registry} loads <${tag}> from ${specifier}, but ${definer} defines it`);
      }
      for (const tag of registry.keys()) if (!definedBy.has(tag)) problems.push(`${options.registry} lists <${tag}>, which no module defines`);
      for (const [tag, file] of definedInSources(options.sources)) {
        if (!definedBy.has(tag)) problems.push(`<${tag}> (${file}) is not reachable from the bundle: add it to ${options.registry}`);
      }
      if (problems.length) this.error(`CollectKit elements:\n  ${problems.join('\n  ')}`);
    },

    generateBundle(_options, bundle) {
      const chunks: Record<string, { entry: boolean; imports: string[]; dynamicImports: string[]; elements: string[] }> = {};
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const chunk = file as OutputChunk;
        chunks[chunk.fileName] = {
          entry: chunk.isEntry,
          imports: chunk.imports,
          dynamicImports: chunk.dynamicImports,
          elements: chunk.moduleIds.flatMap((id) => found.get(id)?.defines ?? []),
        };
      }
      this.emitFile({ type: 'asset', fileName: 'bundle-graph.json', source: `${JSON.stringify({ chunks }, null, 2)}\n` });
    },
  };
}

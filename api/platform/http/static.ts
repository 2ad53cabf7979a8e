/**
 * Serves a folder of static files under a URL prefix (the widget bundle, the demo site).
 * Paths are resolved inside the root; anything that escapes it is a 404.
 *
 * Caching: files whose path matches `immutable` (content-hashed names: the widget chunks) are
 * cached for a year without revalidation; every other file may be cached but is revalidated on
 * each use (Last-Modified → 304), so a redeploy is seen at once through the unhashed entry.
 */
import type Koa from 'koa';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface StaticOptions {
  /** allow any origin to load the files (module scripts from another origin need CORS) */
  cors?: boolean;
  /** paths (inside the root, starting with `/`) whose content never changes under that name */
  immutable?: RegExp;
}

const YEAR = 365 * 24 * 3600;

export function serveStatic(prefix: string, root: string, options: StaticOptions = {}): Koa.Middleware {
  const base = resolve(root);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !(ctx.path === prefix || ctx.path.startsWith(`${prefix}/`))) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path.slice(prefix.length)) || '/';
    } catch {
      return next(); // a malformed %-escape names no file: a 404, not a 500
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(base, rel));
    if (!file.startsWith(base + sep)) return next();
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return next();
    ctx.set('Cache-Control', options.immutable?.test(rel) ? `public, max-age=${YEAR}, immutable` : 'public, max-age=0, must-revalidate');
    ctx.set('X-Content-Type-Options', 'nosniff');
    // The bundle is loaded by <script type=module> (and its chunks by import()) from the agency's own origin: that needs CORS.
    if (options.cors) ctx.set('Access-Control-Allow-Origin', '*');
    // The type before the 304 too: the security headers decide by it (an HTML page's CSP).
    ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
    ctx.lastModified = info.mtime;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.length = info.size;
    // HEAD: no body at all (Koa ends the response with these headers). Setting `null` would make it a
    // 204 without Content-Type, and the security headers would not see an HTML page (no CSP).
    if (ctx.method !== 'HEAD') ctx.body = createReadStream(file);
  };
}

/** The content-hashed chunks rollup writes under dist/chunks/ (`[name]-[hash:8].js`, rollup.config.ts). */
export const HASHED_CHUNK = /^\/chunks\/[^/]+-[A-Za-z0-9_-]{8}\.js(\.map)?$/;

/** The widget bundle (dist/) at /widgets: loadable from any origin, hashed chunks cached for good. */
export function serveWidgets(root: string): Koa.Middleware {
  return serveStatic('/widgets', root, { cors: true, immutable: HASHED_CHUNK });
}

/**
 * Serves a folder of static files under a URL prefix (the widget bundle, the demo site).
 * Paths are resolved inside the root; anything that escapes it is a 404.
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

export function serveStatic(prefix: string, root: string, options: { cors?: boolean; maxAge?: number } = {}): Koa.Middleware {
  const base = resolve(root);
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !(ctx.path === prefix || ctx.path.startsWith(`${prefix}/`))) return next();
    let rel = decodeURIComponent(ctx.path.slice(prefix.length)) || '/';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(base, rel));
    if (!file.startsWith(base + sep)) return next();
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return next();
    ctx.type = TYPES[extname(file)] ?? 'application/octet-stream';
    ctx.length = info.size;
    ctx.set('Cache-Control', `public, max-age=${options.maxAge ?? 0}`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    // The bundle is loaded by <script type=module> from the agency's own origin: that needs CORS.
    if (options.cors) ctx.set('Access-Control-Allow-Origin', '*');
    ctx.body = ctx.method === 'HEAD' ? null : createReadStream(file);
  };
}

/**
 * Security headers. Every response: nosniff, no referrer, HSTS on https, a restrictive
 * Permissions-Policy. API responses (JSON) get a CSP that allows nothing at all. Our own HTML pages
 * (the demo site, the pay frame) get a page CSP: scripts only from this origin plus the exact
 * inline scripts we ship (by SHA-256), nothing from elsewhere, and `frame-ancestors` limited to the
 * registered origins — the agency's sites that may embed them. A route that sets its own CSP keeps it.
 */
import type Koa from 'koa';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * `frame-ancestors` from the registered origins: this origin plus each registered one. The
 * development default `CORS_ORIGINS=*` lets any page *call* the API, but never lets any page *frame*
 * ours (clickjacking of the pay frame and the demo pages): `*` adds nothing here.
 */
export function frameAncestors(origins: string[]): string {
  const valid = origins.filter((o) => /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(o));
  return ["'self'", ...valid].join(' ');
}

export function pageCsp(config: Config, inlineScriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes.map((h) => `'${h}'`).join(' ')}`.trim(),
    // Lit and the pages use inline style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors(config.corsOrigins)}`,
  ].join('; ');
}

/** The SHA-256 source expressions of every inline <script> in a folder's HTML pages. */
export function inlineScriptHashes(dir: string): string[] {
  const hashes = new Set<string>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.html'));
  } catch {
    return [];
  }
  for (const file of files) {
    const html = readFileSync(join(dir, file), 'utf8');
    for (const m of html.matchAll(/<script(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi)) {
      hashes.add(`sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}`);
    }
  }
  return [...hashes].sort();
}

export function securityHeaders(config: Config, options: { inlineScriptHashes: string[] }): Koa.Middleware {
  const page = pageCsp(config, options.inlineScriptHashes);
  const https = config.publicUrl.startsWith('https://');
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), payment=(self)');
    if (https) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    if (ctx.path.startsWith('/api/')) ctx.set('Cache-Control', 'no-store');
    try {
      await next();
    } finally {
      if (!ctx.response.get('Content-Security-Policy')) {
        if (ctx.response.is('html')) {
          ctx.set('Content-Security-Policy', page);
          ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
        } else if (ctx.path.startsWith('/api/')) {
          ctx.set('Content-Security-Policy', API_CSP);
        }
      }
    }
  };
}

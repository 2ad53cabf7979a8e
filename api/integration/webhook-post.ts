/**
 * One webhook HTTP request to an address checked beforehand (webhook-target.ts): the connection goes
 * to that address whatever DNS answers now (the host name still names the site for TLS and `Host`).
 * Redirects are not followed. Only a 2xx reply's first bytes are kept as an excerpt; of a refused or
 * failed delivery the log keeps the status or the network error only, so the log cannot be used to
 * read what an internal service answers.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './webhook-target.js';

export interface PostResult { statusCode: number | null; error: string | null; excerpt: string | null; durationMs: number }

const EXCERPT_BYTES = 500;

/** A `lookup` that answers the pinned address, in the one-address and the all-addresses form. */
export function pinnedLookup(target: ResolvedTarget): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
}

/** Never throws: a network error or the timeout is reported as `error`. */
export function postPinned(url: URL, target: ResolvedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...r, durationMs: elapsed() });
    };
    const fail = (err: unknown) => {
      const e = err as { name?: string; code?: string; message?: string };
      const error = signal.aborted ? `timeout after ${timeoutMs} ms` : (e.code ?? e.message ?? 'request failed');
      done({ statusCode: null, error: String(error).slice(0, 500), excerpt: null });
    };
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'POST',
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(target),
      // a fresh connection per delivery: a pooled socket would skip the pinned lookup
      agent: false,
      signal,
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        res.resume();
        res.on('error', () => undefined);
        done({ statusCode: status, error: null, excerpt: null });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        const text = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_BYTES);
        done({ statusCode: status, error: null, excerpt: text || null });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        // enough for the excerpt: stop reading a receiver that keeps talking
        if (size >= EXCERPT_BYTES) {
          finish();
          res.destroy();
        }
      });
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/**
 * A GET of a small document (an SSO client's JWKS) from an address checked beforehand, pinned like a
 * delivery; no redirects, at most `maxBytes` read. Rejects on a network error, the signal or a larger body.
 */
export function getPinned(url: URL, target: ResolvedTarget, opts: { headers: Record<string, string>; signal: AbortSignal; maxBytes: number }): Promise<{ statusCode: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: 'GET', headers: opts.headers, lookup: pinnedLookup(target), agent: false, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > opts.maxBytes) {
          res.destroy();
          reject(new Error(`response larger than ${opts.maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `Idempotency-Key` for routes declared with `idempotent: true` (see route.ts).
 *
 * The first request with a key inserts a `running` row (the unique index decides a race between two
 * first requests), runs, and stores its status and body. A replay with the same body gets the stored
 * response back with `Idempotent-Replayed: true`; with another body, or while the first still runs,
 * a 409. A request that fails releases its key so that the client may retry it — also when it failed
 * because the database went away: then the release itself fails, and is tried again in the
 * background until the database is back (releaseKey), instead of the key staying `running` and
 * answering the client's honest retry with a 409 for STALE_AFTER_MS.
 *
 * "The same body" is the parsed JSON body, or for a multipart form its fields and its file's size and
 * SHA-256 (`formFingerprint`); route.ts reads such a form before the key is looked up.
 */
import { said } from './http/debtor-lang.js';
import type Koa from 'koa';
import { createHash } from 'node:crypto';
import type { AppDeps, AppState } from './http/context.js';

import { now, toIso } from './db.js';
import { isUniqueViolation } from './unique-violation.js';
import { nowMs } from './clock.js';

/** A `running` row older than this belongs to a process that died mid-request: it may be taken over. */
const STALE_AFTER_MS = 5 * 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

type Ctx = Koa.ParameterizedContext<AppState>;

interface KeyRow {
  id: number;
  requestHash: string;
  state: 'running' | 'done';
  responseStatus: number | null;
  responseJson: string | null;
  createdAt: unknown;
}

/** Who may replay a key: set by the auth layer (`ctx.state.principal`), else the signed-in user. */
function scopeOf(ctx: Ctx): string {
  if (ctx.state.principal) return ctx.state.principal;
  if (ctx.state.caller) return `user:${ctx.state.caller.publicId}`;
  return `anonymous:${ctx.ip}`;
}

const hashBody = (body: unknown) => createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');

/**
 * The fingerprint of a multipart/form-data request: its text fields (sorted, so their order in the
 * form does not matter) and its file by name, size and SHA-256 as the upload pipeline measured it
 * while storing it — never the bytes themselves, and never the boundary, which differs on every
 * request. Prefixed so that no JSON body can hash the same.
 */
export function formFingerprint(form: { fields: Record<string, unknown>; file: { originalName: string; size: number; sha256: string } | null }): string {
  const fields = Object.keys(form.fields).sort().map((k) => [k, form.fields[k]]);
  const file = form.file ? { name: form.file.originalName, size: form.file.size, sha256: form.file.sha256 } : null;
  return createHash('sha256').update('multipart/form-data\n').update(JSON.stringify({ fields, file })).digest('hex');
}

/** Retries of a release that failed, spread over up to STALE_AFTER_MS (after that the key is stale anyway). */
const RELEASE_RETRY_MS = [500, 1000, 2000, 4000, 8000, 15_000, 30_000, 60_000, 60_000, 60_000, 60_000];

/** Deletes a `running` key row; when the database cannot be reached, keeps trying in the background. */
async function releaseKey(deps: AppDeps, where: Record<string, string>): Promise<void> {
  const attempt = (i: number): void => {
    deps.db('idempotency_keys').where({ ...where, state: 'running' }).delete().catch(() => {
      if (i >= RELEASE_RETRY_MS.length) return;
      setTimeout(() => attempt(i + 1), RELEASE_RETRY_MS[i]).unref();
    });
  };
  try {
    await deps.db('idempotency_keys').where({ ...where, state: 'running' }).delete();
  } catch {
    setTimeout(() => attempt(1), RELEASE_RETRY_MS[0]).unref();
  }
}

function replay(ctx: Ctx, row: KeyRow): void {
  ctx.status = row.responseStatus ?? 200;
  ctx.set('Idempotent-Replayed', 'true');
  if (row.responseJson !== null) ctx.body = JSON.parse(row.responseJson);
}

/**
 * Runs `execute` at most once per (scope, endpoint, key). `execute` sets ctx.status/ctx.body as a
 * normal route would; what it set is stored. `requestHash` is the request's fingerprint when the
 * body is not the parsed JSON body (a multipart form: `formFingerprint`).
 */
export async function withIdempotencyKey(deps: AppDeps, ctx: Ctx, execute: () => Promise<void>, requestHash?: string): Promise<void> {
  const key = ctx.get('Idempotency-Key');
  if (!key) return execute();
  if (!KEY_PATTERN.test(key)) {
    throw said(400, 'invalid_idempotency_key', 'idempotencyKeyInvalid', { max: 255 });
  }
  const identity = { scope: scopeOf(ctx).slice(0, 80), endpoint: `${ctx.method} ${ctx.path}`.slice(0, 255), idemKey: key };
  requestHash ??= hashBody((ctx.request as { body?: unknown }).body);
  const { db } = deps;

  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = (await db('idempotency_keys').where(identity).first()) as KeyRow | undefined;
    if (existing) {
      if (existing.requestHash !== requestHash) {
        throw said(409, 'idempotency_key_reused', 'idempotencyKeyReused');
      }
      if (existing.state === 'done') return replay(ctx, existing);
      if (nowMs() - Date.parse(toIso(existing.createdAt)!) < STALE_AFTER_MS) {
        throw said(409, 'idempotency_key_in_progress', 'idempotencyKeyInProgress');
      }
      await db('idempotency_keys').where({ id: existing.id, state: 'running' }).delete();
      continue;
    }
    try {
      await db('idempotency_keys').insert({ ...identity, requestHash, state: 'running', createdAt: now() });
    } catch (err) {
      if (isUniqueViolation(err)) continue; // another request won the race: read what it wrote
      throw err;
    }
    try {
      await execute();
    } catch (err) {
      await releaseKey(deps, identity);
      throw err;
    }
    if (ctx.status >= 400) {
      await releaseKey(deps, identity);
      return;
    }
    const body = ctx.body;
    const storable = body === undefined || body === null || (typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function');
    await db('idempotency_keys')
      .where(identity)
      .update({ state: 'done', responseStatus: ctx.status, responseJson: storable && body != null ? JSON.stringify(body) : null, completedAt: now() });
    return;
  }
  throw said(409, 'idempotency_key_in_progress', 'idempotencyKeyInProgress');
}

/**
 * Rate limits per IP (and per any other subject) for the doors attackers knock on: login, the MFA
 * step, password reset, SSO exchange, debtor identity checks. Fixed windows counted in the database,
 * so every API node sees the same count. Over the limit: 429 with Retry-After.
 *
 * Each step is one atomic statement (no read-then-write transaction): concurrent hits on one bucket
 * queue on the row lock instead of deadlocking (an INSERT IGNORE's shared lock followed by
 * SELECT … FOR UPDATE in two transactions is the classic MySQL deadlock).
 */
import type { Db } from '../db.js';
import { toIso } from '../db.js';
import { sha256Hex } from '../crypto.js';
import { tooManyRequests } from '../errors.js';
import { now as clockNow } from '../clock.js';

export interface RateRule {
  /** e.g. `auth:ip` */
  name: string;
  limit: number;
  windowMs: number;
}


/** Counts one hit for `subject` under `rule`; throws 429 when the window's limit is exceeded. */
export async function hitRateLimit(db: Db, rule: RateRule, subject: string, now: Date = clockNow()): Promise<void> {
  const bucket = sha256Hex(`${rule.name}:${subject}`);
  // One atomic upsert: a window that has run out starts again at 1, else the count goes up. (Insert-
  // or-ignore followed by SELECT … FOR UPDATE deadlocks on MySQL when two requests share a bucket:
  // both hold the shared lock the duplicate-key check takes, and both want the exclusive one.)
  // Assignments run left to right on MySQL, so `hits` is computed before the window moves.
  const cutoff = new Date(now.getTime() - rule.windowMs);
  const expired = ['rate_limits.window_started_at', cutoff] as const;
  await db('rate_limits')
    .insert({ bucket, windowStartedAt: now, hits: 1 })
    .onConflict('bucket')
    .merge({
      hits: db.raw('CASE WHEN ?? <= ? THEN 1 ELSE ?? + 1 END', [...expired, 'rate_limits.hits']),
      windowStartedAt: db.raw('CASE WHEN ?? <= ? THEN ? ELSE ?? END', [...expired, now, 'rate_limits.window_started_at']),
    });
  const row = (await db('rate_limits').where({ bucket }).first('hits', 'window_started_at')) as { windowStartedAt: unknown; hits: number };
  const state = { hits: Number(row.hits), resetAt: new Date(toIso(row.windowStartedAt)!).getTime() + rule.windowMs };
  if (state.hits > rule.limit) throw tooManyRequests(Math.max(1, Math.ceil((state.resetAt - now.getTime()) / 1000)));
}

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

export interface RateRule {
  /** e.g. `auth:ip` */
  name: string;
  limit: number;
  windowMs: number;
}

const isDuplicate = (err: unknown) => /unique|duplicate|ER_DUP_ENTRY/i.test(String((err as Error)?.message ?? err));

/** Counts one hit for `subject` under `rule`; throws 429 when the window's limit is exceeded. */
export async function hitRateLimit(db: Db, rule: RateRule, subject: string, now: Date = new Date()): Promise<void> {
  const bucket = sha256Hex(`${rule.name}:${subject}`);
  const windowOpenedAfter = new Date(now.getTime() - rule.windowMs);
  let state: { hits: number; resetAt: number } | null = null;
  for (let attempt = 0; attempt < 3 && !state; attempt++) {
    // 1. the current window: count the hit
    if (await db('rate_limits').where({ bucket }).where('window_started_at', '>', windowOpenedAfter).increment('hits', 1)) {
      const row = (await db('rate_limits').where({ bucket }).first('hits', 'window_started_at')) as { hits: number; windowStartedAt: unknown };
      state = { hits: row.hits, resetAt: new Date(toIso(row.windowStartedAt)!).getTime() + rule.windowMs };
      break;
    }
    // 2. a window that has run out: start a new one
    if (await db('rate_limits').where({ bucket }).where('window_started_at', '<=', windowOpenedAfter).update({ windowStartedAt: now, hits: 1 })) {
      state = { hits: 1, resetAt: now.getTime() + rule.windowMs };
      break;
    }
    // 3. no bucket yet (a concurrent first hit may win the insert: then count in its window)
    try {
      await db('rate_limits').insert({ bucket, windowStartedAt: now, hits: 1 });
      state = { hits: 1, resetAt: now.getTime() + rule.windowMs };
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
  }
  if (state && state.hits > rule.limit) throw tooManyRequests(Math.max(1, Math.ceil((state.resetAt - now.getTime()) / 1000)));
}

/**
 * Rate limits per IP (and per any other subject) for the doors attackers knock on: login, the MFA
 * step, password reset, SSO exchange, debtor identity checks. Fixed windows counted in the database,
 * so every API node sees the same count. Over the limit: 429 with Retry-After.
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

/** Counts one hit for `subject` under `rule`; throws 429 when the window's limit is exceeded. */
export async function hitRateLimit(db: Db, rule: RateRule, subject: string, now: Date = new Date()): Promise<void> {
  const bucket = sha256Hex(`${rule.name}:${subject}`);
  const state = await db.transaction(async (trx) => {
    await trx('rate_limits').insert({ bucket, windowStartedAt: now, hits: 0 }).onConflict('bucket').ignore();
    const row = (await trx('rate_limits').where({ bucket }).forUpdate().first()) as { windowStartedAt: unknown; hits: number };
    const started = new Date(toIso(row.windowStartedAt)!).getTime();
    if (now.getTime() - started >= rule.windowMs) {
      await trx('rate_limits').where({ bucket }).update({ windowStartedAt: now, hits: 1 });
      return { hits: 1, resetAt: now.getTime() + rule.windowMs };
    }
    await trx('rate_limits').where({ bucket }).increment('hits', 1);
    return { hits: row.hits + 1, resetAt: started + rule.windowMs };
  });
  if (state.hits > rule.limit) throw tooManyRequests(Math.max(1, Math.ceil((state.resetAt - now.getTime()) / 1000)));
}

/**
 * What a client's user may see of an account's compliance record (issue 17, item 3). The record is
 * built for the agency's reviewers, from raw audit rows; a client caller gets:
 * - only audit rows of actions the client sees elsewhere in the portal (consents, opt-outs, disputes,
 *   status changes, holds, payments, shared notes and messages) — never internal notes, payment-link
 *   creation, debtor sign-in attempts or anything else the allowlist does not name;
 * - no IP addresses and user agents (debtors' or staff's), and no agency staff identities: an agency
 *   user appears as `{type: 'agency', id: null}`, a debtor session as `{type: 'debtor', id: null}`.
 * An allowlist, not a blocklist: a new audit action stays internal until someone decides otherwise.
 */
import type { Trx } from '../platform/db.js';

const CLIENT_VISIBLE_ACTIONS = [
  /^esign\.(consented|withdrawn)$/,
  /^contact\.opted_(out|in)$/,
  /^dispute\.(opened|original_creditor_requested|resolved)$/,
  /^account\.(status_change|hold|release|recall|settled|contact_update|message_posted|note_added)$/,
  /^debtor\.contact_updated$/,
  /^payment\.succeeded$/,
  /^compliance\.exported$/,
];

/** keys inside before/after that identify a machine or a person behind the screen */
const REDACTED_KEYS = new Set(['ip', 'ipAddress', 'requestedIp', 'userAgent', 'userId', 'createdByUserId', 'actorId']);

interface AuditOut {
  at: string;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  ip: string | null;
  before: unknown;
  after: unknown;
}

const isInternal = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { visibility?: unknown }).visibility === 'internal';

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).filter(([k]) => !REDACTED_KEYS.has(k)).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

/** The audit rows a client caller may read, redacted. `clientUserIds`: public ids of client users (shown as they are). */
export function auditForClient(rows: AuditOut[], clientUserIds: ReadonlySet<string>): AuditOut[] {
  return rows
    .filter((a) => CLIENT_VISIBLE_ACTIONS.some((re) => re.test(a.action)) && !isInternal(a.before) && !isInternal(a.after))
    .map((a) => ({
      ...a,
      actor: a.actor.type === 'user' && a.actor.id && clientUserIds.has(a.actor.id)
        ? a.actor
        : a.actor.type === 'user' ? { type: 'agency', id: null } : { type: a.actor.type, id: null },
      ip: null,
      before: scrub(a.before),
      after: scrub(a.after),
    }));
}

/** Which of these actor ids are client users (the rest of the users are agency staff). */
export async function clientUserIdsAmong(trx: Trx, actorIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(actorIds)];
  if (!ids.length) return new Set();
  const rows = (await trx('users').whereIn('public_id', ids).where({ kind: 'client' }).pluck('public_id')) as string[];
  return new Set(rows);
}

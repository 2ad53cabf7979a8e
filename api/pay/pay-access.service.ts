/**
 * How a debtor reaches an account: a personalised payment link (the agency creates it; the token is
 * random, stored hashed, expires, and names one account), or the account number / SSN last 4 plus a
 * DOB and ZIP identity check (throttled). Either way the result is a debtor session for one account.
 */
import { isLang, type Lang } from '../../i18n/catalogue.js';
import { said, SaidError } from '../platform/http/debtor-lang.js';
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import type { Config } from '../config.js';
import { AppError, notFound } from '../platform/errors.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import { getPaySettings } from './pay.settings.js';
import { assertNotThrottled, clearThrottle, identityThrottleRules, recordThrottleFailure, type ThrottleRule } from './pay-throttle.js';
import { newDebtorSessionId, signDebtorSession } from './debtor-session.js';
import { sendPaymentLink } from './payment-notices.js';

export const maskEmail = (e: string) => e.replace(/^(.)([^@]*)(@.*)$/, (_, a: string, b: string, d: string) => `${a}${'*'.repeat(Math.min(b.length, 6))}${d}`);
export const maskPhone = (p: string) => `•••-•••-${p.slice(-4)}`;

/** Statuses in which a debtor may open and pay an account (not paid, settled, recalled, closed, …). */
export const PAYABLE_STATUSES = ['active', 'hold', 'disputed'];

export function payableAccounts(trx: Trx): Knex.QueryBuilder {
  return trx('accounts').where('accounts.review_status', 'accepted').whereIn('accounts.status', PAYABLE_STATUSES);
}

/**
 * The token goes in the fragment: browsers never send it to a server or in a Referer header. Without
 * an agency page of its own, links open the portal's pay page (`/pay`, served by every `serve`).
 */
/** The pay page with the link's language (`?lang=es`, kept by an agency page that has its own query) and the token in the fragment. */
function linkUrl(config: Config, payPageUrl: string, token: string, lang: Lang): string {
  const page = payPageUrl || `${config.publicUrl.replace(/\/$/, '')}/pay`;
  const withLang = lang === 'en' ? page : `${page}${page.includes('?') ? '&' : '?'}lang=${lang}`;
  return `${withLang}#link=${token}`;
}

export interface CreatedLink {
  id: string;
  url: string;
  token: string;
  expiresAt: string;
  account: { id: string };
  /** masked address the link was sent to, when `send` was asked and the debtor has one */
  sentTo: string | null;
}

export async function createPaymentLink(
  trx: Trx, caller: Caller, config: Config, accountPublicId: string, input: { expiresInDays?: number | undefined; send?: 'email' | 'sms' | undefined; lang?: Lang | undefined }, meta: RequestMeta, now: Date,
): Promise<CreatedLink> {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const account = (await payableAccounts(trx).where('accounts.id', accountId).first('accounts.client_id')) as { clientId: number } | undefined;
  if (!account) throw said(409, 'account_not_payable', 'accountNotPayable');
  const settings = await getPaySettings(trx);
  const days = input.expiresInDays ?? settings.linkTtlDays;
  const token = randomToken(32);
  const publicId = newId('plink');
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  // the language asked for, else the one the debtor chose before
  const recorded = (await trx('account_parties').where({ accountId, role: 'responsible' }).first('language')) as { language: string | null } | undefined;
  const lang: Lang = input.lang ?? (isLang(recorded?.language) ? recorded.language : 'en');
  await trx('payment_links').insert({
    publicId, accountId, tokenHash: sha256Hex(token), expiresAt, useCount: 0, createdByUserId: caller.userId, createdAt: now, language: lang,
  });
  // The token itself goes nowhere but the response: audit and events name the link by its id.
  await writeAudit(trx, { actor: meta.actor, action: 'payment_link.created', target: { type: 'account', id: accountPublicId }, ip: meta.ip, requestId: meta.requestId, after: { link: publicId, expiresAt: expiresAt.toISOString(), language: lang } });
  await appendEvent(trx, { type: 'payment_link.created', clientId: account.clientId, accountId, visibility: 'internal', payload: { link: publicId, account: accountPublicId, expiresAt: expiresAt.toISOString() }, actor: meta.actor });
  const url = linkUrl(config, settings.payPageUrl, token, lang);
  let sentTo: string | null = null;
  if (input.send) {
    const to = await sendPaymentLink(trx, accountId, url, input.send, publicId, config.secrets.dataKey, lang);
    if (!to) throw new AppError(409, 'no_contact', `The debtor has no ${input.send === 'email' ? 'email address' : 'mobile number'} on file.`);
    sentTo = input.send === 'email' ? maskEmail(to) : maskPhone(to);
  }
  return { id: publicId, url, token, expiresAt: expiresAt.toISOString(), account: { id: accountPublicId }, sentTo };
}

export interface OpenedSession {
  token: string;
  expiresAt: string;
  account: { id: string };
}

const LINK_INVALID = () => said(404, 'payment_link_invalid', 'paymentLinkInvalid');

export async function openSessionFromLink(trx: Trx, config: Config, linkToken: string, meta: RequestMeta, now: Date): Promise<OpenedSession> {
  const link = (await trx('payment_links').where({ tokenHash: sha256Hex(linkToken) }).first()) as
    | { id: number; publicId: string; accountId: number; expiresAt: unknown; revokedAt: unknown }
    | undefined;
  if (!link || link.revokedAt || new Date(toIso(link.expiresAt)!).getTime() <= now.getTime()) throw LINK_INVALID();
  const account = (await payableAccounts(trx).where('accounts.id', link.accountId).first('accounts.public_id')) as { publicId: string } | undefined;
  if (!account) throw LINK_INVALID();
  await trx('payment_links').where({ id: link.id }).increment('use_count', 1).update({ lastUsedAt: now });
  const sessionId = newDebtorSessionId();
  await writeAudit(trx, { actor: { type: 'debtor', id: sessionId }, action: 'debtor.session_opened', target: { type: 'account', id: account.publicId }, ip: meta.ip, requestId: meta.requestId, after: { via: 'link', link: link.publicId } });
  const signed = await signDebtorSession({ accountId: account.publicId, sessionId, via: 'link' }, config.secrets.jwtSecret, now);
  return { ...signed, account: { id: account.publicId } };
}

export interface IdentityInput {
  accountNumber?: string | undefined;
  ssnLast4?: string | undefined;
  dob: string;
  zip: string;
}

/** No account matched; carries the throttle rules so the caller can count the failure after the rollback. */
export class IdentityNotMatched extends SaidError {
  constructor(readonly throttleRules: ThrottleRule[], readonly by: 'account_number' | 'ssn_last4') {
    super(404, 'identity_not_matched', { key: 'identityNotMatched' });
  }
}

/**
 * Finds the accounts whose responsible party matches DOB and ZIP. By account number that is at most
 * one; by SSN last 4 there may be several (one per creditor): each gets its own one-account session.
 * A failure throws IdentityNotMatched; the route records it (recordIdentityFailure) in a transaction
 * of its own after this one ended — SQLite has one connection, so the two must not overlap.
 */
export async function openSessionsFromIdentity(
  trx: Trx, config: Config, input: IdentityInput, meta: RequestMeta, now: Date,
): Promise<{ sessions: (OpenedSession & { account: { id: string; creditor: string; agencyAccountNumber: string } })[] }> {
  const rules = identityThrottleRules(input, meta.ip, config.secrets.lookupKey);
  await assertNotThrottled(trx, rules, now);
  const q = payableAccounts(trx)
    .join('account_parties as p', function () {
      this.on('p.account_id', '=', 'accounts.id').andOnVal('p.role', '=', 'responsible');
    })
    .join('clients', 'clients.id', 'accounts.client_id')
    .where('p.dob', input.dob)
    .where('p.zip', 'like', `${input.zip}%`)
    .orderBy('accounts.id')
    .limit(10);
  if (input.accountNumber) {
    const n = input.accountNumber.trim();
    q.where((w) => w.where('accounts.agency_account_number', n.toUpperCase()).orWhere('accounts.client_account_number', n));
  } else {
    q.where('p.ssn_last4', input.ssnLast4!);
  }
  const rows = (await q.select('accounts.public_id', 'accounts.agency_account_number', 'clients.name as client_name')) as { publicId: string; agencyAccountNumber: string; clientName: string }[];
  if (!rows.length) {
    throw new IdentityNotMatched(rules, input.accountNumber ? 'account_number' : 'ssn_last4');
  }
  // The right details: this source's and the identity's counters start again (not the IP's).
  await clearThrottle(trx, rules.filter((r) => !r.key.startsWith('ip:')).map((r) => r.key));
  const sessions = [];
  for (const r of rows) {
    const sessionId = newDebtorSessionId();
    await writeAudit(trx, { actor: { type: 'debtor', id: sessionId }, action: 'debtor.session_opened', target: { type: 'account', id: r.publicId }, ip: meta.ip, requestId: meta.requestId, after: { via: 'identity', by: input.accountNumber ? 'account_number' : 'ssn_last4' } });
    const signed = await signDebtorSession({ accountId: r.publicId, sessionId, via: 'identity' }, config.secrets.jwtSecret, now);
    sessions.push({ ...signed, account: { id: r.publicId, creditor: r.clientName, agencyAccountNumber: r.agencyAccountNumber } });
  }
  return { sessions };
}

/** Counts a failed identity check; the route runs it in a transaction of its own so it survives the 404. */
export async function recordIdentityFailure(trx: Trx, failure: IdentityNotMatched, meta: RequestMeta, now: Date): Promise<void> {
  await recordThrottleFailure(trx, failure.throttleRules, now);
  await writeAudit(trx, { actor: { type: 'anonymous' }, action: 'debtor.identity_failed', ip: meta.ip, requestId: meta.requestId, after: { by: failure.by } });
}

/** The internal id of the account a debtor session names, if it is still payable; else 404. */
export async function debtorAccountId(trx: Trx, accountPublicId: string): Promise<{ id: number; clientId: number }> {
  const row = (await payableAccounts(trx).where('accounts.public_id', accountPublicId).first('accounts.id', 'accounts.client_id')) as { id: number; clientId: number } | undefined;
  if (!row) throw notFound('Account');
  return row;
}

/**
 * E-SIGN consent records. Consent is affirmative (the debtor ticks and submits, in the debtor flow),
 * names the statement version and its text hash, and is recorded with time, IP and user agent.
 * Withdrawal is possible at any time and takes effect at once: the outbox reads `activeConsent`
 * before every notice or receipt it would send to a debtor.
 */
import { said } from '../platform/http/debtor-lang.js';
import type { Trx } from '../platform/db.js';
import { now as clockNow, bool, toIso } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { notFound } from '../platform/errors.js';
import { writeAudit, type AuditActor } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { esignStatement } from './esign-statement.js';
import { normalizeAddress, type Channel } from './addresses.js';

export interface ConsentRow {
  id: number;
  publicId: string;
  accountId: number;
  partyId: number;
  statementVersion: string;
  statementHash: string;
  email: unknown;
  sms: unknown;
  emailAddress: string | null;
  phone: string | null;
  source: string;
  ip: string | null;
  userAgent: string | null;
  consentedAt: unknown;
  withdrawnAt: unknown;
  withdrawnVia: string | null;
  withdrawnIp: string | null;
}

export interface AuditMeta {
  actor: AuditActor;
  ip: string | null;
  requestId?: string | null;
  userAgent?: string | null;
}

export const consentOut = (r: ConsentRow) => ({
  id: r.publicId,
  statementVersion: r.statementVersion,
  statementHash: r.statementHash,
  channels: { email: bool(r.email), sms: bool(r.sms) },
  emailAddress: r.emailAddress,
  phone: r.phone,
  source: r.source,
  ip: r.ip,
  userAgent: r.userAgent,
  consentedAt: toIso(r.consentedAt)!,
  withdrawnAt: toIso(r.withdrawnAt),
  withdrawnVia: r.withdrawnVia,
});

/** The party's consent in force for a channel, or null. */
export async function activeConsent(trx: Trx, partyId: number, channel: Channel): Promise<ConsentRow | null> {
  const row = (await trx('esign_consents')
    .where({ partyId, [channel]: true })
    .whereNull('withdrawnAt')
    .orderBy('id', 'desc')
    .first()) as ConsentRow | undefined;
  return row ?? null;
}

async function accountClient(trx: Trx, accountId: number): Promise<number> {
  const row = (await trx('accounts').where({ id: accountId }).first('clientId')) as { clientId: number } | undefined;
  if (!row) throw notFound('Account');
  return row.clientId;
}

export interface ConsentInput {
  accountId: number;
  partyId: number;
  statementVersion: string;
  /** the language the statement was shown in (its hash is of that text) */
  lang?: 'en' | 'es';
  /** the affirmative act: must be literally true */
  agree: true;
  channels: { email: boolean; sms: boolean };
  emailAddress?: string | null;
  phone?: string | null;
}

/**
 * Records a consent. A new consent replaces the party's earlier one (it is marked withdrawn via
 * `superseded`), so at most one is in force and the history shows each change.
 */
export async function recordConsent(trx: Trx, input: ConsentInput, meta: AuditMeta, now: Date): Promise<ReturnType<typeof consentOut>> {
  // the text in the language the debtor read it in: its hash is recorded
  const statement = esignStatement(input.statementVersion, input.lang ?? 'en');
  if (!statement) throw said(400, 'unknown_statement_version', 'unknownStatementVersion');
  if (input.agree !== true) throw said(400, 'consent_not_affirmative', 'consentNotAffirmative');
  if (!input.channels.email && !input.channels.sms) throw said(400, 'no_channel', 'noChannel');
  if (input.channels.email && !input.emailAddress) throw said(400, 'email_required', 'emailRequired');
  if (input.channels.sms && !input.phone) throw said(400, 'phone_required', 'phoneRequired');
  const party = (await trx('account_parties').where({ id: input.partyId, accountId: input.accountId }).first('id')) as { id: number } | undefined;
  if (!party) throw notFound('Party');
  const clientId = await accountClient(trx, input.accountId);
  await trx('esign_consents').where({ partyId: input.partyId }).whereNull('withdrawnAt').update({ withdrawnAt: now, withdrawnVia: 'superseded', withdrawnIp: meta.ip });
  const publicId = newId('cns');
  await trx('esign_consents').insert({
    publicId, accountId: input.accountId, partyId: input.partyId, statementVersion: statement.version, statementHash: statement.hash,
    email: input.channels.email, sms: input.channels.sms,
    emailAddress: input.channels.email ? normalizeAddress('email', input.emailAddress!) : null,
    phone: input.channels.sms ? normalizeAddress('sms', input.phone!) : null,
    source: 'debtor', ip: meta.ip, userAgent: meta.userAgent?.slice(0, 255) ?? null, consentedAt: now,
  });
  const row = (await trx('esign_consents').where({ publicId }).first()) as ConsentRow;
  await writeAudit(trx, { actor: meta.actor, action: 'esign.consented', target: { type: 'esign_consent', id: publicId }, ip: meta.ip, requestId: meta.requestId, after: consentOut(row) });
  await appendEvent(trx, {
    type: 'esign.consented', clientId, accountId: input.accountId, visibility: 'internal',
    payload: { consentId: publicId, statementVersion: statement.version, channels: input.channels }, actor: meta.actor,
  });
  return consentOut(row);
}

/** Withdraws every consent in force for the party; returns how many. Takes effect at once. */
export async function withdrawConsent(
  trx: Trx, input: { accountId: number; partyId?: number | null; via: 'debtor' | 'agency' | 'link' }, meta: AuditMeta, now: Date,
): Promise<number> {
  const q = trx('esign_consents').where({ accountId: input.accountId }).whereNull('withdrawnAt');
  if (input.partyId) q.where({ partyId: input.partyId });
  const rows = (await q.clone().select()) as ConsentRow[];
  if (!rows.length) return 0;
  await trx('esign_consents').whereIn('id', rows.map((r) => r.id)).update({ withdrawnAt: now, withdrawnVia: input.via, withdrawnIp: meta.ip });
  const clientId = await accountClient(trx, input.accountId);
  for (const r of rows) {
    await writeAudit(trx, {
      actor: meta.actor, action: 'esign.withdrawn', target: { type: 'esign_consent', id: r.publicId }, ip: meta.ip, requestId: meta.requestId,
      before: { withdrawnAt: null }, after: { withdrawnAt: now.toISOString(), via: input.via },
    });
    await appendEvent(trx, {
      type: 'esign.withdrawn', clientId, accountId: input.accountId, visibility: 'internal',
      payload: { consentId: r.publicId, via: input.via }, actor: meta.actor,
    });
  }
  return rows.length;
}

export async function listConsents(trx: Trx, accountId: number) {
  const rows = (await trx('esign_consents').where({ accountId }).orderBy('id', 'asc').select()) as ConsentRow[];
  return rows.map(consentOut);
}

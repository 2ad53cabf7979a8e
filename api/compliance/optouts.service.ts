/**
 * Opt-outs per channel and address. Recording one takes effect at once: the outbox policy reads
 * this table before every debtor message. Opting back in (SMS "START") revokes it; nothing is deleted.
 */
import type { Trx } from '../platform/db.js';
import { now as clockNow } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { writeAudit, type AuditActor } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { normalizeAddress, type Channel } from './addresses.js';

export interface OptOutInput {
  channel: Channel;
  address: string;
  accountId?: number | null;
  source: 'email_link' | 'one_click' | 'sms_keyword' | 'agency' | 'debtor_flow';
  detail?: string | null;
  ip?: string | null;
  requestId?: string | null;
  actor: AuditActor;
}

export async function isOptedOut(trx: Trx, channel: Channel, address: string): Promise<boolean> {
  const row = await trx('contact_optouts').where({ channel, address: normalizeAddress(channel, address) }).whereNull('revokedAt').first('id');
  return Boolean(row);
}

async function accountClient(trx: Trx, accountId: number | null | undefined): Promise<number | null> {
  if (!accountId) return null;
  const row = (await trx('accounts').where({ id: accountId }).first('clientId')) as { clientId: number } | undefined;
  return row?.clientId ?? null;
}

/** Idempotent: a second opt-out of the same address keeps the first row and returns its id. */
export async function recordOptOut(trx: Trx, input: OptOutInput): Promise<{ id: string; created: boolean }> {
  const address = normalizeAddress(input.channel, input.address);
  const existing = (await trx('contact_optouts').where({ channel: input.channel, address }).whereNull('revokedAt').first('publicId')) as { publicId: string } | undefined;
  if (existing) return { id: existing.publicId, created: false };
  const publicId = newId('opt');
  await trx('contact_optouts').insert({
    publicId, channel: input.channel, address, accountId: input.accountId ?? null, source: input.source,
    detail: input.detail?.slice(0, 255) ?? null, ip: input.ip ?? null, createdAt: clockNow(),
  });
  // Messages already queued are stopped by the outbox policy when they come up; nothing to rewrite here.
  await writeAudit(trx, {
    actor: input.actor, action: 'contact.opted_out', target: { type: 'contact_optout', id: publicId }, ip: input.ip, requestId: input.requestId,
    after: { channel: input.channel, source: input.source, detail: input.detail ?? null },
  });
  if (input.accountId) {
    await appendEvent(trx, {
      type: 'contact.opted_out', clientId: await accountClient(trx, input.accountId), accountId: input.accountId, visibility: 'internal',
      payload: { optOutId: publicId, channel: input.channel, source: input.source }, actor: input.actor,
    });
  }
  return { id: publicId, created: true };
}

/** "START": the address may receive messages again (consent rules still apply). */
export async function revokeOptOut(trx: Trx, input: Omit<OptOutInput, 'source'>): Promise<number> {
  const address = normalizeAddress(input.channel, input.address);
  const rows = (await trx('contact_optouts').where({ channel: input.channel, address }).whereNull('revokedAt').select('publicId', 'accountId')) as { publicId: string; accountId: number | null }[];
  if (!rows.length) return 0;
  await trx('contact_optouts').whereIn('publicId', rows.map((r) => r.publicId)).update({ revokedAt: clockNow(), revokedDetail: input.detail?.slice(0, 255) ?? null });
  for (const r of rows) {
    await writeAudit(trx, {
      actor: input.actor, action: 'contact.opted_in', target: { type: 'contact_optout', id: r.publicId }, ip: input.ip, requestId: input.requestId,
      before: { revoked: false }, after: { revoked: true, detail: input.detail ?? null },
    });
  }
  return rows.length;
}

/**
 * Inbound texts from the SMS provider's webhook: the industry keywords (CTIA) STOP, STOPALL,
 * UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT opt the number out at once; START or UNSTOP opt it
 * back in. A debtor who reads our texts in Spanish may answer in Spanish: ALTO, PARAR, PARE, BASTA,
 * CANCELAR and BAJA opt out too, and ALTA or COMENZAR back in (accents and case ignored). The provider signs each call: `X-CollectKit-Signature: t=<unix seconds>,v1=<hex>` where v1 is
 * HMAC-SHA256(smsWebhookSecret, `${t}.${from}.${text}`); calls older than five minutes are refused.
 * (A provider with its own format gets a small adapter in front of this.)
 */
import { createHmac } from 'node:crypto';
import type { Trx } from '../platform/db.js';
import { safeEqual } from '../platform/crypto.js';
import { unauthorized } from '../platform/errors.js';
import type { RequestMeta } from '../platform/http/context.js';
import { recordOptOut, revokeOptOut } from './optouts.service.js';
import { normalizeAddress } from './addresses.js';

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'ALTO', 'PARAR', 'PARE', 'BASTA', 'CANCELAR', 'BAJA']);
const START_WORDS = new Set(['START', 'UNSTOP', 'ALTA', 'COMENZAR']);
const TOLERANCE_SECONDS = 300;

export function smsSignature(secret: string, t: number, from: string, text: string): string {
  return createHmac('sha256', secret).update(`${t}.${from}.${text}`).digest('hex');
}

export function verifySmsSignature(header: string, secret: string, from: string, text: string, now: Date): void {
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1 ?? '';
  const fresh = Number.isInteger(t) && Math.abs(now.getTime() / 1000 - t) <= TOLERANCE_SECONDS;
  if (!fresh || !safeEqual(v1, smsSignature(secret, t, from, text))) {
    throw unauthorized('The webhook signature is missing, wrong or too old.', 'bad_signature');
  }
}

/** The first word decides: "stop please" is a STOP, "Stop." too. */
export function keywordOf(text: string): 'stop' | 'start' | null {
  const word = text.trim().split(/\s+/)[0]?.normalize('NFD').replace(/[^a-z]/gi, '').toUpperCase() ?? '';
  if (STOP_WORDS.has(word)) return 'stop';
  if (START_WORDS.has(word)) return 'start';
  return null;
}

export async function handleInboundSms(trx: Trx, msg: { from: string; text: string }, meta: RequestMeta): Promise<{ action: 'opted_out' | 'opted_in' | 'ignored' }> {
  const keyword = keywordOf(msg.text);
  if (!keyword) return { action: 'ignored' };
  const phone = normalizeAddress('sms', msg.from);
  const actor = { type: 'debtor' as const, id: `sms:${phone.slice(-4)}` };
  const detail = msg.text.trim().slice(0, 40);
  if (keyword === 'start') {
    await revokeOptOut(trx, { channel: 'sms', address: phone, detail, ip: meta.ip, requestId: meta.requestId, actor });
    return { action: 'opted_in' };
  }
  // The account is kept for the record when the number belongs to exactly one.
  const accounts = (await trx('account_phones').where({ phone }).distinct('accountId').limit(2)) as { accountId: number }[];
  await recordOptOut(trx, {
    channel: 'sms', address: phone, accountId: accounts.length === 1 ? accounts[0]!.accountId : null, source: 'sms_keyword', detail,
    ip: meta.ip, requestId: meta.requestId, actor,
  });
  return { action: 'opted_out' };
}

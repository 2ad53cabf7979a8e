/**
 * The per-account compliance record for a review: E-SIGN consents, opt-outs of any of the account's
 * addresses, disputes and requests, the debtor messages the outbox sent, held or cancelled (and why),
 * and the audit rows of all of these. As JSON, or as one flat CSV (a row per record).
 * Payment agreements (issue 7's payment_agreements) join this record when that table lands.
 */
import type { Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import { listConsents } from './consents.service.js';
import { listDisputes } from './disputes.service.js';
import { normalizeAddress } from './addresses.js';
import { auditForClient, clientUserIdsAmong } from './export-redaction.js';

interface OptOutRow {
  publicId: string;
  channel: string;
  address: string;
  source: string;
  detail: string | null;
  accountId: number | null;
  createdAt: unknown;
  revokedAt: unknown;
}

interface AuditRow {
  occurredAt: unknown;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  beforeJson: string | null;
  afterJson: string | null;
}

async function partyAddresses(trx: Trx, accountId: number): Promise<{ emails: string[]; phones: string[] }> {
  const parties = (await trx('account_parties').where({ accountId }).select('emails', 'phones')) as { emails: string | null; phones: string | null }[];
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const p of parties) {
    for (const e of p.emails ? (JSON.parse(p.emails) as string[]) : []) emails.add(normalizeAddress('email', e));
    for (const ph of p.phones ? (JSON.parse(p.phones) as { number: string }[]) : []) phones.add(normalizeAddress('sms', ph.number));
  }
  return { emails: [...emails], phones: [...phones] };
}

/** `viewer`: 'client' for a client's user — client-visible rows only, IPs and staff redacted (export-redaction.ts). */
export async function complianceRecord(trx: Trx, accountId: number, now: Date, viewer: 'agency' | 'client' = 'agency') {
  const account = (await trx('accounts').where({ id: accountId }).first('publicId', 'agencyAccountNumber', 'status')) as { publicId: string; agencyAccountNumber: string; status: string };
  const { emails, phones } = await partyAddresses(trx, accountId);
  const [consents, disputes, optoutRows, messages] = await Promise.all([
    listConsents(trx, accountId),
    listDisputes(trx, accountId),
    trx('contact_optouts')
      .where((q) => {
        q.where({ accountId });
        if (emails.length) q.orWhere((w) => w.where({ channel: 'email' }).whereIn('address', emails));
        if (phones.length) q.orWhere((w) => w.where({ channel: 'sms' }).whereIn('address', phones));
      })
      .orderBy('id').select() as Promise<OptOutRow[]>,
    trx('outbox').where({ accountId }).orderBy('id')
      .select('publicId', 'channel', 'category', 'recipient', 'status', 'cancelReason', 'createdAt', 'sentAt', 'notBefore') as Promise<
      { publicId: string; channel: string; category: string; recipient: string; status: string; cancelReason: string | null; createdAt: unknown; sentAt: unknown; notBefore: unknown }[]
    >,
  ]);
  const optOuts = optoutRows.map((o) => ({
    id: o.publicId, channel: o.channel, address: o.address, source: o.source, detail: o.detail,
    createdAt: toIso(o.createdAt)!, revokedAt: toIso(o.revokedAt),
  }));
  const targets = [account.publicId, ...consents.map((c) => c.id), ...optOuts.map((o) => o.id)];
  const audit = ((await trx('audit_log').whereIn('targetId', targets).orderBy('id').select(
    'occurredAt', 'actorType', 'actorId', 'action', 'targetType', 'targetId', 'ip', 'beforeJson', 'afterJson',
  )) as AuditRow[]).map((a) => ({
    at: toIso(a.occurredAt)!, actor: { type: a.actorType, id: a.actorId }, action: a.action,
    target: a.targetType ? { type: a.targetType, id: a.targetId } : null, ip: a.ip,
    before: a.beforeJson ? (JSON.parse(a.beforeJson) as unknown) : null, after: a.afterJson ? (JSON.parse(a.afterJson) as unknown) : null,
  }));
  const forClient = viewer === 'client';
  return {
    account: { id: account.publicId, agencyAccountNumber: account.agencyAccountNumber, status: account.status },
    generatedAt: now.toISOString(),
    consents: forClient ? consents.map((c) => ({ ...c, ip: null, userAgent: null })) : consents,
    optOuts,
    disputes,
    messages: messages.map((m) => ({
      id: m.publicId, channel: m.channel, category: m.category, recipient: m.recipient, status: m.status, cancelReason: m.cancelReason,
      createdAt: toIso(m.createdAt)!, notBefore: toIso(m.notBefore), sentAt: toIso(m.sentAt),
    })),
    audit: forClient
      ? auditForClient(audit, await clientUserIdsAmong(trx, audit.filter((a) => a.actor.type === 'user' && a.actor.id).map((a) => a.actor.id!)))
      : audit,
  };
}

export type ComplianceRecord = Awaited<ReturnType<typeof complianceRecord>>;

/** A cell a spreadsheet shows as text: quoted, and never read as a formula (CSV injection). */
function cell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function complianceCsv(r: ComplianceRecord): string {
  const header = ['record', 'id', 'at', 'channel', 'address', 'status', 'actor', 'detail'];
  const rows: unknown[][] = [];
  for (const c of r.consents) {
    const channels = Object.entries(c.channels).filter(([, on]) => on).map(([k]) => k).join('+');
    rows.push(['esign_consent', c.id, c.consentedAt, channels, [c.emailAddress, c.phone].filter(Boolean).join(' '), c.withdrawnAt ? `withdrawn ${c.withdrawnAt} (${c.withdrawnVia})` : 'in force', c.ip, `statement ${c.statementVersion} sha256 ${c.statementHash}`]);
  }
  for (const o of r.optOuts) rows.push(['opt_out', o.id, o.createdAt, o.channel, o.address, o.revokedAt ? `revoked ${o.revokedAt}` : 'in force', o.source, o.detail]);
  for (const d of r.disputes) {
    rows.push([d.kind, d.id, d.createdAt, '', '', d.status, d.submittedVia, [d.scope, d.reasonCode, d.disputedAmountCents === null ? null : `${d.disputedAmountCents} cents`, d.reason, d.resolution].filter((x) => x !== null && x !== '').join('; ')]);
  }
  for (const m of r.messages) rows.push(['message', m.id, m.createdAt, m.channel, m.recipient, m.status, 'outbox', [m.category, m.cancelReason, m.sentAt ? `sent ${m.sentAt}` : null].filter(Boolean).join('; ')]);
  for (const a of r.audit) rows.push(['audit', a.target?.id ?? '', a.at, '', '', a.action, `${a.actor.type}:${a.actor.id ?? ''}`, { ip: a.ip, before: a.before, after: a.after }]);
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

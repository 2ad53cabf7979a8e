/**
 * Is an outbox message addressed to a debtor, and which party? A sender says so with `partyId`.
 * Without it, a message about an account is a debtor message unless it goes to a portal user's
 * email (a client notice): a sender that forgot `partyId`, or a receipt to an address the debtor typed
 * while paying, must not slip past consent, opt-out or the contact window. Then the party is the one
 * whose address it is, else the responsible party. Messages about no account (password resets) are
 * not debtor messages.
 */
import type { Trx } from '../platform/db.js';
import type { OutboxRow } from '../platform/outbox.js';
import { normalizeAddress } from './addresses.js';

export interface DebtorParty {
  id: number;
  accountId: number;
  state: string | null;
  zip: string | null;
  emails: string[];
  phones: string[];
  /** the language the debtor chose (their messages' opt-out lines follow it) */
  lang: 'en' | 'es';
}

interface PartyRow {
  id: number;
  accountId: number;
  state: string | null;
  zip: string | null;
  emails: string | null;
  phones: string | null;
  language: string | null;
}

const toParty = (r: PartyRow): DebtorParty => ({
  id: r.id,
  accountId: r.accountId,
  state: r.state,
  zip: r.zip,
  emails: (r.emails ? (JSON.parse(r.emails) as string[]) : []).map((e) => normalizeAddress('email', e)),
  phones: (r.phones ? (JSON.parse(r.phones) as { number: string }[]) : []).map((p) => normalizeAddress('sms', p.number)),
  lang: r.language === 'es' ? 'es' : 'en',
});

const PARTY_COLUMNS = ['id', 'accountId', 'state', 'zip', 'emails', 'phones', 'language'];

export type DebtorRecipient = { debtor: false } | { debtor: true; accountId: number | null; party: DebtorParty | null };

type RowFields = Pick<OutboxRow, 'channel' | 'recipient' | 'accountId' | 'partyId'>;

export async function debtorRecipientOf(trx: Trx, row: RowFields): Promise<DebtorRecipient> {
  if (row.partyId) {
    const p = (await trx('account_parties').where({ id: row.partyId }).first(PARTY_COLUMNS)) as PartyRow | undefined;
    return { debtor: true, accountId: p?.accountId ?? row.accountId, party: p ? toParty(p) : null };
  }
  if (!row.accountId) return { debtor: false };
  const address = normalizeAddress(row.channel, row.recipient);
  const parties = ((await trx('account_parties').where({ accountId: row.accountId }).select(PARTY_COLUMNS)) as (PartyRow & { role?: string })[]).map(toParty);
  const own = parties.find((p) => (row.channel === 'email' ? p.emails : p.phones).includes(address));
  if (own) return { debtor: true, accountId: row.accountId, party: own };
  if (row.channel === 'email') {
    const user = await trx('users').whereRaw('lower(email) = ?', [address]).first('id');
    if (user) return { debtor: false };
  }
  const responsible = (await trx('account_parties').where({ accountId: row.accountId, role: 'responsible' }).first(PARTY_COLUMNS)) as PartyRow | undefined;
  return { debtor: true, accountId: row.accountId, party: responsible ? toParty(responsible) : null };
}

/**
 * Contact updates. One request may change a party's address, phones and emails and the account's
 * contact preferences and special instructions; only the fields that really change are written,
 * and each change is kept in `contact_changes` (before/after per field) beside the audit row.
 * The phone search index (`account_phones`) is rebuilt from every party's phones in the same
 * transaction, so search by phone finds the new number at once.
 */
import type { Trx } from '../platform/db.js';
import { now as dbNow, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import { lockAccount, recordActivity } from '../accounts/account-write.js';
import type { ContactUpdateInput } from './contact.schema.js';

interface Preferences { preferredChannel: string | null; doNotCall: { days: string[]; from: string; to: string }[] }
const EMPTY_PREFS: Preferences = { preferredChannel: null, doNotCall: [] };
const parsePrefs = (json: string | null): Preferences => (json ? { ...EMPTY_PREFS, ...(JSON.parse(json) as Partial<Preferences>) } : { ...EMPTY_PREFS });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const FIELD_LABELS: Record<string, string> = {
  address: 'address', phones: 'phones', emails: 'emails', preferredChannel: 'preferred channel', doNotCall: 'do-not-call windows', specialInstructions: 'special instructions',
};

export async function updateContact(trx: Trx, caller: Caller, meta: RequestMeta, accountPublicId: string, input: ContactUpdateInput, now: Date = dbNow()) {
  const account = await lockAccount(trx, caller, accountPublicId);
  const acc = (await trx('accounts').where({ id: account.id }).first('contact_preferences', 'special_instructions')) as { contactPreferences: string | null; specialInstructions: string | null };
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const touchesParty = input.address !== undefined || input.phones !== undefined || input.emails !== undefined;
  if (touchesParty) {
    const party = (await trx('account_parties').where({ accountId: account.id, role: input.party }).first()) as
      | { id: number; address1: string | null; address2: string | null; city: string | null; state: string | null; zip: string | null; phones: string | null; emails: string | null }
      | undefined;
    if (!party) throw notFound(`The ${input.party.replace('_', ' ')} party`);
    const patch: Record<string, unknown> = {};
    if (input.address) {
      const before = { line1: party.address1, line2: party.address2, city: party.city, state: party.state, zip: party.zip };
      const after = { line1: input.address.line1, line2: input.address.line2 ?? null, city: input.address.city, state: input.address.state, zip: input.address.zip.replace('-', '') };
      if (!same(before, after)) {
        changes.address = { before, after };
        Object.assign(patch, { address1: after.line1, address2: after.line2, city: after.city, state: after.state, zip: after.zip });
      }
    }
    if (input.phones) {
      const before = party.phones ? JSON.parse(party.phones) : [];
      if (!same(before, input.phones)) { changes.phones = { before, after: input.phones }; patch.phones = JSON.stringify(input.phones); }
    }
    if (input.emails) {
      const before = party.emails ? JSON.parse(party.emails) : [];
      const after = input.emails.map((e) => e.toLowerCase());
      if (!same(before, after)) { changes.emails = { before, after }; patch.emails = JSON.stringify(after); }
    }
    if (Object.keys(patch).length) await trx('account_parties').where({ id: party.id }).update(patch);
    if (changes.phones) await rebuildPhoneIndex(trx, account.id);
  }
  const prefs = parsePrefs(acc.contactPreferences);
  const nextPrefs = { ...prefs };
  if (input.preferredChannel !== undefined && input.preferredChannel !== prefs.preferredChannel) {
    changes.preferredChannel = { before: prefs.preferredChannel, after: input.preferredChannel };
    nextPrefs.preferredChannel = input.preferredChannel;
  }
  if (input.doNotCall !== undefined && !same(input.doNotCall, prefs.doNotCall)) {
    changes.doNotCall = { before: prefs.doNotCall, after: input.doNotCall };
    nextPrefs.doNotCall = input.doNotCall;
  }
  const instructions = input.specialInstructions === '' ? null : input.specialInstructions;
  if (instructions !== undefined && instructions !== acc.specialInstructions) {
    changes.specialInstructions = { before: acc.specialInstructions, after: instructions };
  }
  const fields = Object.keys(changes);
  if (fields.length) {
    await trx('accounts').where({ id: account.id }).update({
      contactPreferences: JSON.stringify(nextPrefs),
      ...(changes.specialInstructions ? { specialInstructions: instructions } : {}),
      updatedAt: now,
    });
    const partyRole = touchesParty && fields.some((f) => ['address', 'phones', 'emails'].includes(f)) ? input.party : null;
    await trx('contact_changes').insert({
      publicId: newId('cch'), accountId: account.id, partyRole, changesJson: JSON.stringify(changes), reason: input.reason ?? null,
      changedByUserId: caller.userId, changedByName: caller.displayName, createdAt: now,
    });
    await recordActivity(trx, caller, {
      accountId: account.id, type: 'contact_update', visibility: 'client',
      body: `Contact information updated: ${fields.map((f) => FIELD_LABELS[f]).join(', ')}.${input.reason ? ` Reason: ${input.reason}` : ''}`,
    }, now);
    await writeAudit(trx, {
      actor: meta.actor, action: 'account.contact_update', target: { type: 'account', id: account.publicId }, ip: meta.ip, requestId: meta.requestId,
      before: Object.fromEntries(fields.map((f) => [f, changes[f]!.before])), after: Object.fromEntries(fields.map((f) => [f, changes[f]!.after])),
    });
    await appendEvent(trx, {
      type: 'account.contact_updated', clientId: account.clientId, accountId: account.id, visibility: 'client', actor: meta.actor,
      payload: { accountId: account.publicId, fields },
    });
  }
  return getContact(trx, caller, account.publicId);
}

async function rebuildPhoneIndex(trx: Trx, accountId: number): Promise<void> {
  const parties = (await trx('account_parties').where({ accountId }).select('phones')) as { phones: string | null }[];
  const numbers = new Set<string>();
  for (const p of parties) for (const ph of (p.phones ? JSON.parse(p.phones) : []) as { number: string }[]) numbers.add(ph.number.slice(-10));
  await trx('account_phones').where({ accountId }).delete();
  if (numbers.size) await trx('account_phones').insert([...numbers].map((phone) => ({ accountId, phone })));
}

export async function getContact(trx: Trx, caller: Caller, accountPublicId: string) {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const acc = (await trx('accounts').where({ id: accountId }).first('contact_preferences', 'special_instructions')) as { contactPreferences: string | null; specialInstructions: string | null };
  const rows = (await trx('contact_changes').where({ accountId }).orderBy('id', 'desc').limit(50).select()) as
    { publicId: string; partyRole: string | null; changesJson: string; reason: string | null; changedByName: string; createdAt: unknown }[];
  const prefs = parsePrefs(acc.contactPreferences);
  return {
    accountId: accountPublicId,
    preferences: { preferredChannel: prefs.preferredChannel as never, doNotCall: prefs.doNotCall as never },
    specialInstructions: acc.specialInstructions,
    history: rows.map((r) => ({ id: r.publicId, party: r.partyRole, changes: JSON.parse(r.changesJson), reason: r.reason, changedBy: r.changedByName, changedAt: toIso(r.createdAt)! })),
  };
}

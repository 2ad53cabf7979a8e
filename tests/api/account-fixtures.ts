/** Picking seeded accounts and making extra users for the account-action tests. */
import type { TestApi } from './harness.js';
import { createUser } from '../../api/users/users.service.js';

export interface PickedAccount { id: number; publicId: string; clientId: number; balanceCents: number; status: string }

/**
 * Distinct accepted accounts of one client (by code) with at least `minBalance` cents owed, in a fixed
 * order; each test takes its own so tests never share an account.
 */
export function accountPicker(api: TestApi, clientCode: string, status = 'active') {
  const used = new Set<number>();
  return async (minBalance = 10_000): Promise<PickedAccount> => {
    const rows = (await api.db('accounts')
      .join('clients', 'clients.id', 'accounts.client_id')
      .where({ 'clients.code': clientCode, 'accounts.review_status': 'accepted', 'accounts.status': status })
      .where('accounts.balance_cents', '>=', minBalance)
      // nothing paid yet, so no ledger rows: tests count the rows they post (the seed enters payments to date in the ledger)
      .where('accounts.paid_to_date_cents', 0)
      .orderBy('accounts.id')
      .select('accounts.id', 'accounts.public_id', 'accounts.client_id', 'accounts.balance_cents', 'accounts.status')) as { id: number; publicId: string; clientId: number; balanceCents: number | string; status: string }[];
    const row = rows.find((r) => !used.has(r.id));
    if (!row) throw new Error(`no unused ${status} account of ${clientCode} with ${minBalance} cents`);
    used.add(row.id);
    return { ...row, balanceCents: Number(row.balanceCents) };
  };
}

/** A signed-in user with the given role, linked to the given clients. */
export async function userToken(api: TestApi, username: string, roleKey: string, clientCodes: string[]): Promise<string> {
  const password = 'Test-User-Pass-2026!';
  await api.db.transaction((trx) => createUser(trx, {
    username, email: `${username}@example.test`, firstName: 'Test', lastName: username, roleKey, clientCodes, password, onboarded: true,
  }, api.config.scryptCost, { type: 'system', id: 'test' }));
  return api.login(username, password);
}

export async function balances(api: TestApi, accountId: number): Promise<Record<string, number>> {
  const rows = (await api.db('account_balances').where({ accountId }).select('component', 'current_cents')) as { component: string; currentCents: number | string }[];
  return Object.fromEntries(rows.map((r) => [r.component, Number(r.currentCents)]));
}

export async function accountRow(api: TestApi, id: number) {
  const r = await api.db('accounts').where({ id }).first();
  return { ...r, balanceCents: Number(r.balanceCents), paidToDateCents: Number(r.paidToDateCents) };
}

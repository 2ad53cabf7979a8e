/**
 * Single placements (F-PLACE 1) and the client's list of its placements (F-ACCT 5). A placed account
 * is `pending_review`: it exists, but `visibleAccounts` hides it from the client until the agency
 * accepts it (review.service.ts). Tenancy: placements are read through `visiblePlacements` only.
 */
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Db, Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { AppError, badRequest, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { openTask } from '../inbox/tasks.service.js';
import { resolveClientId } from '../accounts/accounts.scope.js';
import { normalizePlacement, redact } from './normalize.js';
import { existingNumbers, writePlacements } from './placement-writer.js';
import { isUniqueViolation } from '../platform/unique-violation.js';
import type { PlacementInputT, PlacementListQueryT } from './placements.schema.js';

export interface ClientRef { id: number; publicId: string; name: string }

/** The client a placement is for: the one named, or the caller's only client. */
export async function placementClient(trx: Trx, caller: Caller, clientPublicId: string | undefined): Promise<ClientRef> {
  let id: number;
  if (clientPublicId) id = await resolveClientId(trx, caller, clientPublicId);
  else if (caller.clientIds !== 'all' && caller.clientIds.length === 1) id = caller.clientIds[0]!;
  else throw badRequest('validation_failed', 'Choose the client this account is placed for.', [{ path: 'clientId', code: 'required', message: 'Choose the client.' }]);
  const row = (await trx('clients').where({ id }).first('id', 'public_id', 'name')) as ClientRef;
  return row;
}

/** What POST /placements would store and say, without storing anything (the client choice included). */
export async function previewPlacement(trx: Trx, caller: Caller, input: PlacementInputT, now: Date) {
  const r = normalizePlacement(input, now);
  const errors = [...r.errors];
  try {
    await placementClient(trx, caller, input.clientId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    errors.unshift(err.errors?.[0] ?? { path: 'clientId', code: 'not_found', message: 'Choose one of your clients.' });
  }
  return { valid: errors.length === 0, normalized: redact(r.value), changes: r.changes, errors };
}

export const duplicateError = (number: string) =>
  new AppError(409, 'duplicate_placement', `Account number ${number} has already been placed for this client.`, [
    { path: 'clientAccountNumber', code: 'duplicate', message: 'This account number has already been placed.' },
  ]);

export async function createPlacement(db: Db, config: Config, caller: Caller, meta: RequestMeta, input: PlacementInputT, now: Date) {
  const result = normalizePlacement(input, now);
  if (result.errors.length) throw badRequest('validation_failed', 'Some fields need fixing before the account can be placed.', result.errors);
  const value = result.value;
  try {
    return await db.transaction(async (trx) => {
      const client = await placementClient(trx, caller, input.clientId);
      if ((await existingNumbers(trx, client.id, [value.clientAccountNumber])).size) throw duplicateError(value.clientAccountNumber);
      const [written] = await writePlacements(trx, config, [{ value, rowNumber: null }], { clientId: client.id, userId: caller.userId, batchId: null, now });
      await writeAudit(trx, {
        ...meta, action: 'placement.create', target: { type: 'placement', id: written!.placementPublicId },
        after: { client: client.publicId, clientAccountNumber: value.clientAccountNumber, status: 'pending_review', changes: result.changes.length },
      });
      await appendEvent(trx, {
        type: 'placement.created', clientId: client.id, accountId: written!.accountId, visibility: 'client', actor: meta.actor,
        payload: { placementId: written!.placementPublicId, clientAccountNumber: value.clientAccountNumber },
      });
      const placement = await getPlacement(trx, caller, written!.placementPublicId);
      await openTask(trx, {
        clientId: client.id, accountId: written!.accountId, kind: 'placement_review', createdByUserId: caller.userId,
        title: `Review placement ${placement.debtorName} (${value.clientAccountNumber}) from ${client.name}`,
        sourceType: 'placement', sourceId: written!.placementPublicId,
      });
      return { placement, changes: result.changes };
    });
  } catch (err) {
    // Two requests placing the same number at once: the unique dedupe key lets exactly one win.
    if (isUniqueViolation(err)) throw duplicateError(value.clientAccountNumber);
    throw err;
  }
}

/** Placements of the clients the caller is linked to (every client for the agency). */
export function visiblePlacements(trx: Trx, caller: Caller): Knex.QueryBuilder {
  const q = trx('placements');
  if (caller.clientIds !== 'all') q.whereIn('placements.client_id', caller.clientIds.length ? [...caller.clientIds] : [-1]);
  return q;
}

const COLUMNS = [
  'placements.public_id', 'placements.status', 'placements.client_account_number', 'placements.comments', 'placements.created_at',
  'placements.row_number', 'placements.reviewed_at', 'placements.reject_reason',
  'clients.public_id as client_public_id', 'clients.name as client_name',
  'accounts.public_id as account_public_id', 'accounts.agency_account_number', 'accounts.debtor_name', 'accounts.account_type',
  'accounts.balance_cents', 'accounts.currency', 'users.first_name as placed_by_first', 'users.last_name as placed_by_last',
  'placement_batches.public_id as batch_public_id',
];

interface Row {
  publicId: string; status: 'pending_review' | 'accepted' | 'rejected'; clientAccountNumber: string; comments: string | null;
  createdAt: unknown; rowNumber: number | null; reviewedAt: unknown; rejectReason: string | null; clientPublicId: string;
  clientName: string; accountPublicId: string; agencyAccountNumber: string; debtorName: string; accountType: string;
  balanceCents: number | string; currency: string; placedByFirst: string | null; placedByLast: string | null; batchPublicId: string | null;
}

export function placementQuery(trx: Trx, caller: Caller): Knex.QueryBuilder {
  return visiblePlacements(trx, caller)
    .join('clients', 'clients.id', 'placements.client_id')
    .join('accounts', 'accounts.id', 'placements.account_id')
    .leftJoin('users', 'users.id', 'placements.placed_by_user_id')
    .leftJoin('placement_batches', 'placement_batches.id', 'placements.batch_id');
}

export function toPlacement(r: Row) {
  const accepted = r.status === 'accepted';
  return {
    id: r.publicId, status: r.status, client: { id: r.clientPublicId, name: r.clientName },
    clientAccountNumber: r.clientAccountNumber, debtorName: r.debtorName, accountType: r.accountType as never,
    balance: { amountCents: Number(r.balanceCents), currency: r.currency }, comments: r.comments,
    placedAt: toIso(r.createdAt)!, placedBy: r.placedByFirst ? `${r.placedByFirst} ${r.placedByLast ?? ''}`.trim() : null,
    batchId: r.batchPublicId, rowNumber: r.rowNumber === null ? null : Number(r.rowNumber),
    accountId: accepted ? r.accountPublicId : null, agencyAccountNumber: accepted ? r.agencyAccountNumber : null,
    reviewedAt: toIso(r.reviewedAt), rejectReason: r.rejectReason,
  };
}

export async function getPlacement(trx: Trx, caller: Caller, publicId: string) {
  const row = (await placementQuery(trx, caller).where('placements.public_id', publicId).first(COLUMNS)) as Row | undefined;
  if (!row) throw notFound('Placement');
  return toPlacement(row);
}

/** The account behind a placement still waiting for review, for attaching documents to it. */
export async function pendingPlacementAccount(trx: Trx, caller: Caller, publicId: string): Promise<{ accountId: number; accountPublicId: string }> {
  const row = (await visiblePlacements(trx, caller).join('accounts', 'accounts.id', 'placements.account_id')
    .where('placements.public_id', publicId).first('placements.status', 'accounts.id as account_id', 'accounts.public_id as account_public_id')) as
    { status: string; accountId: number; accountPublicId: string } | undefined;
  if (!row) throw notFound('Placement');
  if (row.status !== 'pending_review') throw new AppError(409, 'placement_already_reviewed', 'The agency has reviewed this placement: attach documents to the account instead.');
  return { accountId: Number(row.accountId), accountPublicId: row.accountPublicId };
}

export async function listPlacements(trx: Trx, caller: Caller, f: PlacementListQueryT, opts: { newestFirst: boolean } = { newestFirst: true }) {
  const q = placementQuery(trx, caller);
  if (f.status) q.where('placements.status', f.status);
  if (f.clientId) q.where('placements.client_id', await resolveClientId(trx, caller, f.clientId));
  if (f.batchId) q.where('placement_batches.public_id', f.batchId);
  if (f.source === 'form') q.whereNull('placements.batch_id');
  else if (f.source === 'spreadsheet') q.whereNotNull('placements.batch_id');
  const count = q.clone().clearSelect().count({ n: '*' });
  const dir = opts.newestFirst ? 'desc' : 'asc';
  q.select(COLUMNS).orderBy('placements.created_at', dir).orderBy('placements.id', dir).limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [rows, [{ n }]] = (await Promise.all([q, count])) as [Row[], { n: number | string }[]];
  return { data: rows.map(toPlacement), total: Number(n), page: f.page, pageSize: f.pageSize };
}

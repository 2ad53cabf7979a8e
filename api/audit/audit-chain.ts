/**
 * Sealing and verifying the audit hash chain (see the migration …_add_audit_chain).
 *
 * Sealing happens off the request path (a worker ticker, and before every verification), so
 * writing an audit row never waits for a global lock. Rows are sealed in id order; a row whose
 * transaction committed late simply takes the next chain position. Two sealers never interleave:
 * on MySQL a sealer first takes a named lock (one per database), so sealers on several nodes take
 * turns instead of both locking the chain head with FOR UPDATE — that pair deadlocked on the head's
 * index gap (InnoDB rolled one back, logged as a failed task). The unique chain position refuses a
 * second writer in any case.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../platform/db.js';
import { isMysql, toIso } from '../platform/db.js';

/** An audit_log row as read back (camelCase). */
export interface AuditRow {
  id: number | string;
  occurredAt: unknown;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
  chainSeq: number | string | null;
  prevHash: string | null;
  hash: string | null;
}

const GENESIS = '0'.repeat(64);

/** The content that is hashed: every recorded field, in a fixed order. */
function canonical(r: AuditRow): string {
  return JSON.stringify([
    Number(r.id), toIso(r.occurredAt), r.actorType, r.actorId, r.action, r.targetType, r.targetId, r.ip, r.requestId, r.beforeJson, r.afterJson,
  ]);
}

export const chainHash = (prevHash: string, row: AuditRow) => createHash('sha256').update(prevHash).update('\n').update(canonical(row)).digest('hex');

/** Named locks are server-wide: the database's name (hashed, to fit 64 characters) is part of it. */
const SEAL_LOCK = 'ck-audit-seal:';

/**
 * Seals up to `limit` unsealed rows; returns how many. `waitSeconds`: how long to wait for another
 * node's sealer (0 from the worker's ticker: that node is sealing, so this tick has nothing to do).
 */
export async function sealAudit(db: Db, limit = 1000, waitSeconds = 30): Promise<number> {
  if (!isMysql(db)) return sealUnlocked(db, limit);
  // The named lock lives on a connection of its own, held across the sealing transaction's commit.
  const conn = (await db.client.acquireConnection()) as Knex.Transaction;
  try {
    const [[row]] = (await db.raw('SELECT GET_LOCK(CONCAT(?, MD5(DATABASE())), ?) AS got', [SEAL_LOCK, waitSeconds]).connection(conn)) as [{ got: number | null }[]];
    if (Number(row?.got) !== 1) return 0;
    try {
      return await sealUnlocked(db, limit);
    } finally {
      await db.raw('SELECT RELEASE_LOCK(CONCAT(?, MD5(DATABASE())))', [SEAL_LOCK]).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}

async function sealUnlocked(db: Db, limit: number): Promise<number> {
  return db.transaction(async (trx) => {
    const headQuery = trx('audit_log').whereNotNull('chain_seq').orderBy('chain_seq', 'desc').first('chain_seq', 'hash');
    if (isMysql(trx)) headQuery.forUpdate();
    const head = (await headQuery) as { chainSeq: number | string; hash: string } | undefined;
    let seq = head ? Number(head.chainSeq) : 0;
    let prev = head?.hash ?? GENESIS;
    const pending = (await trx('audit_log').whereNull('chain_seq').orderBy('id').limit(limit).select()) as AuditRow[];
    for (const row of pending) {
      seq += 1;
      const hash = chainHash(prev, row);
      await trx('audit_log').where({ id: row.id }).whereNull('chain_seq').update({ chainSeq: seq, prevHash: prev, hash });
      prev = hash;
    }
    return pending.length;
  });
}

export interface VerifyResult {
  ok: boolean;
  /** sealed rows checked */
  checked: number;
  /** rows not yet sealed (written since the last seal) */
  pending: number;
  /** the first chain position that does not verify, and why */
  broken: { chainSeq: number; auditId: number; reason: string } | null;
}

/** Seals what is pending, then walks the whole chain recomputing every hash. */
export async function verifyAudit(db: Db): Promise<VerifyResult> {
  while ((await sealAudit(db)) > 0) {
    /* seal everything first */
  }
  let prev = GENESIS;
  let expectSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = (await db('audit_log').whereNotNull('chain_seq').where('chain_seq', '>=', expectSeq).orderBy('chain_seq').limit(2000).select()) as AuditRow[];
    if (!rows.length) break;
    for (const row of rows) {
      const seq = Number(row.chainSeq);
      const fail = (reason: string): VerifyResult => ({ ok: false, checked, pending: 0, broken: { chainSeq: seq, auditId: Number(row.id), reason } });
      if (seq !== expectSeq) return { ok: false, checked, pending: 0, broken: { chainSeq: expectSeq, auditId: Number(row.id), reason: `chain position ${expectSeq} is missing (a row was deleted)` } };
      if (row.prevHash !== prev) return fail('the link to the previous row does not match');
      if (chainHash(prev, row) !== row.hash) return fail('the row was changed after it was sealed');
      prev = row.hash!;
      expectSeq += 1;
      checked += 1;
    }
  }
  const [{ n }] = (await db('audit_log').whereNull('chain_seq').count({ n: '*' })) as { n: number | string }[];
  return { ok: true, checked, pending: Number(n), broken: null };
}

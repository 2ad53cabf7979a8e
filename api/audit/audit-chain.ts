/**
 * Sealing and verifying the audit hash chain (see the migrations …_add_audit_chain, …_key_id).
 *
 * Keyed (issue 17, item 8): a plain SHA-256 chain can be recomputed by anyone who can write the
 * database — rewrite row 50, redo the 353 hashes after it, and it verifies. Each link is now an
 * HMAC under a key kept outside the database (AUDIT_KEYS, config.ts), with the key's id on the row,
 * so keys can be rotated and old rows still verify with the retired key. Rows sealed before keying
 * (key_id null, plain SHA-256) verify as before, but only as a prefix: an unkeyed row after a keyed
 * one is a forgery. Deleting the newest rows leaves a shorter valid chain; a signed checkpoint of the
 * head (`admin audit-checkpoint`, kept elsewhere) makes that truncation detectable.
 *
 * Sealing happens off the request path (a worker ticker, and before every verification), so
 * writing an audit row never waits for a global lock. Rows are sealed in id order; a row whose
 * transaction committed late simply takes the next chain position. Two sealers never interleave:
 * on MySQL a sealer first takes a named lock (one per database), so sealers on several nodes take
 * turns instead of both locking the chain head with FOR UPDATE — that pair deadlocked on the head's
 * index gap (InnoDB rolled one back, logged as a failed task). The unique chain position refuses a
 * second writer in any case.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import { auditKeysOf } from '../config.js';
import { now } from '../platform/clock.js';
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
  keyId?: string | null;
}

const GENESIS = '0'.repeat(64);

/** The content that is hashed: every recorded field, in a fixed order. */
function canonical(r: AuditRow): string {
  return JSON.stringify([
    Number(r.id), toIso(r.occurredAt), r.actorType, r.actorId, r.action, r.targetType, r.targetId, r.ip, r.requestId, r.beforeJson, r.afterJson,
  ]);
}

/** The link of rows sealed before the chain was keyed (key_id null): plain SHA-256. */
export const chainHash = (prevHash: string, row: AuditRow) => createHash('sha256').update(prevHash).update('\n').update(canonical(row)).digest('hex');

/** A keyed link: HMAC-SHA256 under the key named on the row, over the chain position too. */
export const keyedChainHash = (key: string, keyId: string, seq: number, prevHash: string, row: AuditRow) =>
  createHmac('sha256', Buffer.from(key, 'base64')).update(`collectkit/audit/v2\n${keyId}\n${seq}\n${prevHash}\n`).update(canonical(row)).digest('hex');

const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Where the unkeyed prefix ends, written (MAC'd under the audit key) when the first row is sealed with
 * a key. Without it, recomputing every keyed row as unkeyed would pass for an old, never-keyed trail.
 * (Deleting it as well is caught by verification when keyed rows remain, and by a checkpoint always.)
 */
const ANCHOR = 'audit_chain_anchor';
interface Anchor { legacyUntil: number; legacyHead: string; keyId: string; mac: string }
const anchorMac = (key: string, legacyUntil: number, legacyHead: string) =>
  createHmac('sha256', Buffer.from(key, 'base64')).update(`collectkit/audit-anchor\n${legacyUntil}\n${legacyHead}`).digest('hex');
const makeAnchor = (k: { id: string; key: string }, legacyUntil: number, legacyHead: string): Anchor =>
  ({ legacyUntil, legacyHead, keyId: k.id, mac: anchorMac(k.key, legacyUntil, legacyHead) });

/** Named locks are server-wide: the database's name (hashed, to fit 64 characters) is part of it. */
const SEAL_LOCK = 'ck-audit-seal:';

/**
 * Seals up to `limit` unsealed rows; returns how many. `waitSeconds`: how long to wait for another
 * node's sealer (0 from the worker's ticker: that node is sealing, so this tick has nothing to do).
 */
export async function sealAudit(db: Db, config: Pick<Config, 'auditKeys' | 'secrets'>, limit = 1000, waitSeconds = 30): Promise<number> {
  if (!isMysql(db)) return sealUnlocked(db, config, limit);
  // The named lock lives on a connection of its own, held across the sealing transaction's commit.
  const conn = (await db.client.acquireConnection()) as Knex.Transaction;
  try {
    const [[row]] = (await db.raw('SELECT GET_LOCK(CONCAT(?, MD5(DATABASE())), ?) AS got', [SEAL_LOCK, waitSeconds]).connection(conn)) as [{ got: number | null }[]];
    if (Number(row?.got) !== 1) return 0;
    try {
      return await sealUnlocked(db, config, limit);
    } finally {
      await db.raw('SELECT RELEASE_LOCK(CONCAT(?, MD5(DATABASE())))', [SEAL_LOCK]).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}

async function sealUnlocked(db: Db, config: Pick<Config, 'auditKeys' | 'secrets'>, limit: number): Promise<number> {
  const current = auditKeysOf(config)[0]!;
  return db.transaction(async (trx) => {
    const headQuery = trx('audit_log').whereNotNull('chain_seq').orderBy('chain_seq', 'desc').first('chain_seq', 'hash');
    if (isMysql(trx)) headQuery.forUpdate();
    const head = (await headQuery) as { chainSeq: number | string; hash: string } | undefined;
    let seq = head ? Number(head.chainSeq) : 0;
    let prev = head?.hash ?? GENESIS;
    const pending = (await trx('audit_log').whereNull('chain_seq').orderBy('id').limit(limit).select()) as AuditRow[];
    if (pending.length && !(await trx('settings').where({ key: ANCHOR }).first('key'))) {
      // The first keyed seal: pin how long the unkeyed prefix is (0 on a new trail), under the key.
      await trx('settings').insert({ key: ANCHOR, valueJson: JSON.stringify(makeAnchor(current, seq, prev)), updatedAt: now() }).onConflict('key').ignore();
    }
    for (const row of pending) {
      seq += 1;
      const hash = keyedChainHash(current.key, current.id, seq, prev, row);
      await trx('audit_log').where({ id: row.id }).whereNull('chain_seq').update({ chainSeq: seq, prevHash: prev, hash, keyId: current.id });
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
  /** when a checkpoint was given: whether the chain still holds the head it names */
  checkpoint?: { chainSeq: number; ok: boolean; reason: string | null };
}

/** A signed statement of the chain's head at one moment, to keep outside the database. */
export interface AuditCheckpoint {
  kind: 'collectkit.audit-checkpoint';
  chainSeq: number;
  auditId: number;
  hash: string;
  at: string;
  keyId: string;
  /** HMAC-SHA256 under the key `keyId` over the fields above */
  signature: string;
}

const checkpointPayload = (c: Omit<AuditCheckpoint, 'signature'>) => JSON.stringify([c.kind, c.chainSeq, c.auditId, c.hash, c.at, c.keyId]);
const sign = (key: string, payload: string) => createHmac('sha256', Buffer.from(key, 'base64')).update(`collectkit/audit-checkpoint\n${payload}`).digest('hex');

/** Seals what is pending and signs the head (null for an empty trail). */
export async function auditCheckpoint(db: Db, config: Pick<Config, 'auditKeys' | 'secrets'>): Promise<AuditCheckpoint | null> {
  while ((await sealAudit(db, config)) > 0) {
    /* seal everything first */
  }
  const head = (await db('audit_log').whereNotNull('chain_seq').orderBy('chain_seq', 'desc').first('id', 'chain_seq', 'hash')) as { id: number | string; chainSeq: number | string; hash: string } | undefined;
  if (!head) return null;
  const key = auditKeysOf(config)[0]!;
  const unsigned = { kind: 'collectkit.audit-checkpoint' as const, chainSeq: Number(head.chainSeq), auditId: Number(head.id), hash: head.hash, at: now().toISOString(), keyId: key.id };
  return { ...unsigned, signature: sign(key.key, checkpointPayload(unsigned)) };
}

/** Seals what is pending, then walks the whole chain recomputing every link; with a checkpoint, also checks the head it names is still there. */
export async function verifyAudit(db: Db, config: Pick<Config, 'auditKeys' | 'secrets'>, checkpoint?: AuditCheckpoint): Promise<VerifyResult> {
  while ((await sealAudit(db, config)) > 0) {
    /* seal everything first */
  }
  const keys = new Map(auditKeysOf(config).map((k) => [k.id, k.key]));
  const anchorRow = (await db('settings').where({ key: ANCHOR }).first('value_json')) as { valueJson: string } | undefined;
  const anchor = anchorRow ? (JSON.parse(anchorRow.valueJson) as Anchor) : null;
  if (anchor) {
    const key = keys.get(anchor.keyId);
    const reason = !key
      ? `the record of where keyed sealing began is signed with audit key "${anchor.keyId}", which is not configured (AUDIT_KEYS: keep retired keys)`
      : !sameHex(anchorMac(key, Number(anchor.legacyUntil), String(anchor.legacyHead)), String(anchor.mac)) ? 'the record of where keyed sealing began was altered' : null;
    if (reason) return { ok: false, checked: 0, pending: 0, broken: { chainSeq: 1, auditId: 0, reason } };
  }
  /** unkeyed rows are accepted up to this position only */
  const legacyUntil = anchor ? Number(anchor.legacyUntil) : Number.POSITIVE_INFINITY;
  let prev = GENESIS;
  let expectSeq = 1;
  let checked = 0;
  let keyed = false;
  let result: VerifyResult | null = null;
  outer: for (;;) {
    const rows = (await db('audit_log').whereNotNull('chain_seq').where('chain_seq', '>=', expectSeq).orderBy('chain_seq').limit(2000).select()) as AuditRow[];
    if (!rows.length) break;
    for (const row of rows) {
      const seq = Number(row.chainSeq);
      const fail = (reason: string): VerifyResult => ({ ok: false, checked, pending: 0, broken: { chainSeq: seq, auditId: Number(row.id), reason } });
      if (seq !== expectSeq) {
        result = { ok: false, checked, pending: 0, broken: { chainSeq: expectSeq, auditId: Number(row.id), reason: `chain position ${expectSeq} is missing (a row was deleted)` } };
        break outer;
      }
      if (row.prevHash !== prev) {
        result = fail('the link to the previous row does not match');
        break outer;
      }
      let expected: string;
      if (row.keyId) {
        const key = keys.get(row.keyId);
        if (!key) {
          result = fail(`the row was sealed with audit key "${row.keyId}", which is not configured (AUDIT_KEYS)`);
          break outer;
        }
        keyed = true;
        expected = keyedChainHash(key, row.keyId, seq, prev, row);
      } else if (keyed || seq > legacyUntil) {
        result = fail('an unkeyed row follows keyed rows: the chain was recomputed without the key');
        break outer;
      } else {
        expected = chainHash(prev, row);
      }
      if (!row.hash || !sameHex(expected, row.hash)) {
        result = fail('the row was changed after it was sealed');
        break outer;
      }
      if (anchor && seq === legacyUntil && row.hash !== anchor.legacyHead) {
        result = fail('the unkeyed part of the chain no longer ends where keyed sealing began');
        break outer;
      }
      prev = row.hash;
      expectSeq += 1;
      checked += 1;
    }
  }
  if (!result && !anchor && keyed) result = { ok: false, checked, pending: 0, broken: { chainSeq: 1, auditId: 0, reason: 'the record of where keyed sealing began was deleted' } };
  if (!result) {
    const [{ n }] = (await db('audit_log').whereNull('chain_seq').count({ n: '*' })) as { n: number | string }[];
    result = { ok: true, checked, pending: Number(n), broken: null };
  }
  if (checkpoint) {
    const cp = await checkCheckpoint(db, keys, checkpoint, expectSeq - 1);
    result.checkpoint = cp;
    if (!cp.ok) result.ok = false;
  }
  return result;
}

async function checkCheckpoint(db: Db, keys: Map<string, string>, c: AuditCheckpoint, lastGoodSeq: number): Promise<{ chainSeq: number; ok: boolean; reason: string | null }> {
  const out = (ok: boolean, reason: string | null) => ({ chainSeq: Number(c.chainSeq), ok, reason });
  const key = keys.get(c.keyId);
  if (c.kind !== 'collectkit.audit-checkpoint' || !key) return out(false, `the checkpoint is not signed with a configured audit key ("${String(c.keyId)}")`);
  if (typeof c.signature !== 'string' || !sameHex(sign(key, checkpointPayload(c)), c.signature)) return out(false, 'the checkpoint\'s signature does not match: it was altered or not made by this portal');
  const row = (await db('audit_log').where({ chainSeq: c.chainSeq }).first('id', 'hash')) as { id: number | string; hash: string } | undefined;
  if (!row) return out(false, `the chain ends before position ${c.chainSeq}, which the checkpoint of ${c.at} names: rows were removed from its end`);
  if (row.hash !== c.hash || Number(row.id) !== Number(c.auditId)) return out(false, `chain position ${c.chainSeq} is not the row the checkpoint of ${c.at} names: the chain was rewritten`);
  if (lastGoodSeq < c.chainSeq) return out(false, `the chain does not verify up to position ${c.chainSeq}`);
  return out(true, null);
}

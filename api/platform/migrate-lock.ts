/**
 * Migrating when several nodes boot at once.
 *
 * knex guards a migration run with a row in `knex_migrations_lock`; a second runner fails at once
 * ("Migration table is already locked"), and a runner killed mid-way leaves the row set forever.
 * So every migration run here first takes a MySQL named lock on a connection of its own: whoever
 * holds it is the one migrator; the others wait for it (bounded, saying so), then find nothing left
 * to do and start. A named lock dies with its connection, so when we hold it and knex's row is still
 * set, the runner that set it is dead: that stale lock is reported, with the command that releases
 * it (`admin migrate-unlock`) — not released silently, because MySQL DDL is not transactional and a
 * half-run migration may need a look first.
 *
 * SQLite (one machine, usually one process) has no named locks: a set row is waited on, bounded.
 */
import type { Knex } from 'knex';
import type { Db } from './db.js';
import { isMysql } from './db.js';

/** Named locks are server-wide: the database's name (hashed, to fit 64 characters) is part of it. */
const NAMED_LOCK = 'ck-migrate:';
const LOCK_TABLE = 'knex_migrations_lock';

export interface MigrateWaitOptions {
  /** how long to wait for another node's migration before giving up (MIGRATE_WAIT_SECONDS) */
  waitMs: number;
  log?: (line: string) => void;
}

export class MigrationLockError extends Error {}

const STALE_ADVICE = 'If no migration is running (a migrator was killed), check the schema and release the lock with `admin migrate-unlock` (`node dist/api/main.js admin migrate-unlock`, or `npx tsx api/main.ts admin migrate-unlock` from a checkout).';

async function knexLockIsSet(db: Db): Promise<boolean> {
  if (!(await db.schema.hasTable(LOCK_TABLE))) return false;
  const row = (await db(LOCK_TABLE).first('is_locked')) as { isLocked: number | boolean } | undefined;
  return Boolean(row && Number(row.isLocked) === 1);
}

async function pending(db: Db): Promise<number> {
  const [, todo] = (await db.migrate.list()) as [unknown[], unknown[]];
  return todo.length;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs pending migrations, or waits for the node that is running them. Throws MigrationLockError
 * (a message for the operator) when the wait runs out or a dead migrator's lock is found.
 */
export async function migrateWithLock(db: Db, opts: MigrateWaitOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => console.log(l));
  if (!isMysql(db)) return migrateSqlite(db, opts, log);
  const started = performance.now();
  const conn = (await db.client.acquireConnection()) as Knex.Transaction;
  let said = false;
  try {
    for (;;) {
      const [[row]] = (await db.raw('SELECT GET_LOCK(CONCAT(?, MD5(DATABASE())), ?) AS got', [NAMED_LOCK, 5]).connection(conn)) as [{ got: number | null }[]];
      if (Number(row?.got) === 1) break;
      const waited = performance.now() - started;
      if (waited >= opts.waitMs) {
        throw new MigrationLockError(`Another node has been migrating the database for over ${Math.round(waited / 1000)} s; giving up (MIGRATE_WAIT_SECONDS). Start this node again once that migration has finished.`);
      }
      if (!said || Math.round(waited / 1000) % 30 < 5) log(`Waiting for the database migration another node is running (${Math.round(waited / 1000)} s of at most ${Math.round(opts.waitMs / 1000)} s)…`);
      said = true;
    }
    try {
      if (await knexLockIsSet(db)) {
        throw new MigrationLockError(`The migration lock is set but no migrator holds it: a migration was interrupted. ${STALE_ADVICE}`);
      }
      const todo = await pending(db);
      if (todo) log(`Migrating the database (${todo} pending)…`);
      else if (said) log('The other node finished the migration; starting.');
      await db.migrate.latest();
    } finally {
      await db.raw('SELECT RELEASE_LOCK(CONCAT(?, MD5(DATABASE())))', [NAMED_LOCK]).connection(conn);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}

async function migrateSqlite(db: Db, opts: MigrateWaitOptions, log: (l: string) => void): Promise<void> {
  const started = performance.now();
  let said = false;
  while (await knexLockIsSet(db)) {
    const waited = performance.now() - started;
    if (waited >= opts.waitMs) throw new MigrationLockError(`The migration lock has been set for over ${Math.round(waited / 1000)} s. ${STALE_ADVICE}`);
    if (!said) log(`Waiting for the database migration another process is running (at most ${Math.round(opts.waitMs / 1000)} s)…`);
    said = true;
    await sleep(500);
  }
  await db.migrate.latest();
}

/**
 * For `serve --no-migrate` (migrations run as a separate release step): waits, bounded, until no
 * migration is pending, then returns; never migrates itself.
 */
export async function waitForSchema(db: Db, opts: MigrateWaitOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const started = performance.now();
  let said = false;
  for (;;) {
    const todo = await pending(db);
    if (!todo) return;
    const waited = performance.now() - started;
    if (waited >= opts.waitMs) {
      throw new MigrationLockError(`${todo} database migration(s) are still pending after ${Math.round(waited / 1000)} s; run \`migrate\` (the release step), or start without --no-migrate.`);
    }
    if (!said) log(`--no-migrate: waiting for ${todo} pending migration(s) to be applied by the release step (at most ${Math.round(opts.waitMs / 1000)} s)…`);
    said = true;
    await sleep(1000);
  }
}

/**
 * `admin migrate-unlock`: clears knex's lock row. On MySQL it refuses while a live migrator holds
 * the named lock (that lock is not stale). Returns whether a lock was set.
 */
export async function releaseMigrationLock(db: Db): Promise<boolean> {
  if (!(await db.schema.hasTable(LOCK_TABLE))) return false;
  if (isMysql(db)) {
    const [[row]] = (await db.raw('SELECT IS_FREE_LOCK(CONCAT(?, MD5(DATABASE()))) AS free', [NAMED_LOCK])) as [{ free: number | null }[]];
    if (Number(row?.free) !== 1) throw new MigrationLockError('A migration is running right now (a live node holds the migration lock); not releasing it.');
  }
  const wasSet = await knexLockIsSet(db);
  await db.migrate.forceFreeMigrationsLock();
  return wasSet;
}

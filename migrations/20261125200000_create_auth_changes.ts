import type { Knex } from 'knex';

/**
 * A change log of everything a request's caller is read from (sessions, users, roles, user↔client
 * links, MFA factors), written by triggers so that no code path can change who someone is without
 * leaving a row. API processes cache callers for a moment and evict them from this log
 * (api/platform/auth/caller-cache.ts); a row with no user_id (a role changed) evicts everyone.
 * Triggers rather than application calls: a forgotten call would be a silent security hole.
 */
const WATCHED: { table: string; events: { op: 'INSERT' | 'UPDATE' | 'DELETE'; userId: string; when?: string; sqliteOf?: string }[] }[] = [
  {
    table: 'sessions',
    // A refresh rewrites the refresh hash and last-used time on every rotation; only the columns the
    // caller reads matter, so rotations do not evict anyone.
    events: [
      { op: 'UPDATE', userId: 'NEW.user_id', when: 'NOT (OLD.revoked_at <=> NEW.revoked_at) OR NOT (OLD.expires_at <=> NEW.expires_at)', sqliteOf: 'revoked_at, expires_at' },
      { op: 'DELETE', userId: 'OLD.user_id' },
    ],
  },
  { table: 'users', events: [{ op: 'UPDATE', userId: 'NEW.id' }, { op: 'DELETE', userId: 'OLD.id' }] },
  { table: 'roles', events: [{ op: 'UPDATE', userId: 'NULL' }, { op: 'DELETE', userId: 'NULL' }] },
  { table: 'user_clients', events: [{ op: 'INSERT', userId: 'NEW.user_id' }, { op: 'UPDATE', userId: 'NEW.user_id' }, { op: 'DELETE', userId: 'OLD.user_id' }] },
  { table: 'user_mfa', events: [{ op: 'INSERT', userId: 'NEW.user_id' }, { op: 'UPDATE', userId: 'NEW.user_id', when: 'NOT (OLD.confirmed_at <=> NEW.confirmed_at)', sqliteOf: 'confirmed_at' }, { op: 'DELETE', userId: 'OLD.user_id' }] },
];

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('auth_changes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').nullable();
  });
  const mysql = knex.client.config.client === 'mysql2';
  for (const { table, events } of WATCHED) {
    for (const e of events) {
      const name = `auth_changes_${table}_${e.op.toLowerCase()}`;
      const insert = `INSERT INTO auth_changes (user_id) VALUES (${e.userId})`;
      if (mysql) {
        const body = e.when ? `IF ${e.when} THEN ${insert}; END IF` : insert;
        await knex.raw(`CREATE TRIGGER ${name} AFTER ${e.op} ON ${table} FOR EACH ROW ${e.when ? `BEGIN ${body}; END` : body}`);
      } else {
        const on = e.sqliteOf ? `UPDATE OF ${e.sqliteOf}` : e.op;
        await knex.raw(`CREATE TRIGGER ${name} AFTER ${on} ON ${table} BEGIN ${insert}; END`);
      }
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const { table, events } of WATCHED) {
    for (const e of events) await knex.raw(`DROP TRIGGER IF EXISTS auth_changes_${table}_${e.op.toLowerCase()}`);
  }
  await knex.schema.dropTable('auth_changes');
}

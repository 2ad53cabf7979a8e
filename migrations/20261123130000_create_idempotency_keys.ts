import type { Knex } from 'knex';

/**
 * Idempotency keys: the first request with a key stores its response; a replay with the same body
 * gets that response back, with another body a 409. The unique index makes two concurrent first
 * requests race on the insert, so exactly one runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.bigIncrements('id');
    /** who may replay it: `user:usr_…`, `integration:key_…`, `debtor:…` */
    t.string('scope', 80).notNullable();
    /** method and route path, e.g. `POST /accounts/:id/payments` plus the concrete path */
    t.string('endpoint', 255).notNullable();
    t.string('idem_key', 255).notNullable();
    /** sha256 of the request body as received */
    t.string('request_hash', 64).notNullable();
    /** running | done */
    t.string('state', 16).notNullable();
    t.integer('response_status').nullable();
    t.text('response_json', 'mediumtext').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('completed_at', { precision: 3 }).nullable();
    t.unique(['scope', 'endpoint', 'idem_key']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}

import type { Knex } from 'knex';

/**
 * Fixed-window request counters (per IP, per account) shared by every API node. The bucket is a
 * SHA-256 of "rule:subject", so no IP address or username is stored in clear.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('bucket', 64).primary();
    t.datetime('window_started_at', { precision: 3 }).notNullable();
    t.integer('hits').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}

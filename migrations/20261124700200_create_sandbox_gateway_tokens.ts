import type { Knex } from 'knex';

/**
 * The built-in sandbox gateway's vault. Like a real gateway it keeps what a token stands for —
 * but as a behaviour (approve / decline reason), brand and last 4, never the number itself.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sandbox_gateway_tokens', (t) => {
    t.string('token', 64).primary();
    /** card | ach | wallet */
    t.string('kind', 8).notNullable();
    t.string('brand', 24).notNullable();
    t.string('last4', 4).notNullable();
    t.integer('exp_month').nullable();
    t.integer('exp_year').nullable();
    /** approve | a decline code (insufficient_funds, card_declined, …) | error */
    t.string('behavior', 32).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sandbox_gateway_tokens');
}

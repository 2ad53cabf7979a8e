import type { Knex } from 'knex';

/** The sandbox gateway's charges: one per idempotency key, as a real gateway guarantees. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sandbox_gateway_charges', (t) => {
    t.string('id', 40).primary();
    t.string('idempotency_key', 120).notNullable().unique();
    t.string('token', 64).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.string('currency', 3).notNullable();
    /** succeeded | declined | failed */
    t.string('status', 16).notNullable();
    t.string('decline_code', 32).nullable();
    t.bigInteger('refunded_cents').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sandbox_gateway_charges');
}

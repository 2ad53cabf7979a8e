import type { Knex } from 'knex';

/** Failed debtor identity checks, counted per caller IP and per identifier typed (account number, SSN last 4). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pay_throttle', (t) => {
    t.string('key', 191).primary();
    t.integer('failures').notNullable();
    t.datetime('window_started_at', { precision: 3 }).notNullable();
    t.datetime('locked_until', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('pay_throttle');
}

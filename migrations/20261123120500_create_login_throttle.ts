import type { Knex } from 'knex';

/** Failed-login counters keyed by the username as typed, so unknown and known names behave alike. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('key', 191).primary();
    t.integer('failures').notNullable();
    t.datetime('window_started_at', { precision: 3 }).notNullable();
    t.datetime('locked_until', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_throttle');
}

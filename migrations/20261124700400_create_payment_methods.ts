import type { Knex } from 'knex';

/** A debtor's payment methods as gateway tokens only: brand and last 4 for display, never a number. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_methods', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('gateway', 24).notNullable();
    t.string('gateway_token', 64).notNullable();
    /** card | ach | wallet */
    t.string('kind', 8).notNullable();
    t.string('brand', 24).notNullable();
    t.string('last4', 4).notNullable();
    t.integer('exp_month').nullable();
    t.integer('exp_year').nullable();
    /** the debtor chose to keep it for later payments (plan instalments always keep theirs) */
    t.boolean('saved').notNullable().defaultTo(false);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['account_id', 'gateway_token']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_methods');
}

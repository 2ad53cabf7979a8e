import type { Knex } from 'knex';

/** An accepted payment plan; its instalments are rows in `payments` (kind instalment, plan_public_id). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_plans', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    t.integer('offer_id').unsigned().nullable().references('offers.id');
    t.integer('payment_method_id').unsigned().notNullable().references('payment_methods.id');
    t.string('agreement_public_id', 40).notNullable();
    t.integer('instalment_count').notNullable();
    t.bigInteger('total_cents').notNullable();
    t.string('frequency', 16).notNullable();
    /** active | completed | cancelled */
    t.string('status', 16).notNullable();
    t.string('cancel_reason', 200).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('completed_at', { precision: 3 }).nullable();
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.index(['account_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_plans');
}

import type { Knex } from 'knex';

/**
 * Debtor payments (one-time, scheduled and plan instalments). A row is written as `pending` and
 * committed before the gateway is called, with a charge key that the gateway treats as its
 * idempotency key: a crash after the charge and before the final commit is finished on restart
 * by charging again with the same key, which returns the first charge instead of a second one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payments', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    /** one_time | scheduled | instalment | settlement */
    t.string('kind', 16).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.string('currency', 3).notNullable();
    /** scheduled | pending | succeeded | declined | failed | cancelled */
    t.string('status', 16).notNullable();
    t.integer('payment_method_id').unsigned().nullable().references('payment_methods.id');
    t.string('method_kind', 8).nullable();
    t.string('method_brand', 24).nullable();
    t.string('method_last4', 4).nullable();
    /** unique per payment; also the gateway's idempotency key */
    t.string('charge_key', 120).notNullable().unique();
    t.string('gateway_charge_id', 40).nullable();
    t.string('decline_code', 32).nullable();
    t.date('scheduled_for').nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('plan_public_id', 40).nullable();
    t.integer('instalment_number').nullable();
    t.string('agreement_public_id', 40).nullable();
    t.string('payer_email', 200).nullable();
    t.string('receipt_number', 24).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.datetime('completed_at', { precision: 3 }).nullable();
    t.index(['account_id', 'created_at']);
    t.index(['status', 'scheduled_for']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payments');
}

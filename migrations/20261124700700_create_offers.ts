import type { Knex } from 'knex';

/**
 * Offers made to a debtor ("virtual collection"): a settlement (pay a % of the balance by a date)
 * or a payment plan (the balance in instalments). They expire; reminders go out before they do.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('offers', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    /** settlement | plan */
    t.string('kind', 16).notNullable();
    /** settlement: the share of the balance, in basis points (6000 = 60 %) */
    t.integer('percent_bps').nullable();
    /** settlement: the amount that settles; plan: the total of the instalments */
    t.bigInteger('amount_cents').notNullable();
    /** the balance when the offer was made */
    t.bigInteger('balance_cents').notNullable();
    t.integer('instalment_count').nullable();
    /** weekly | biweekly | monthly */
    t.string('frequency', 16).nullable();
    /** settlement: the last day to pay */
    t.date('pay_by').nullable();
    t.date('expires_on').notNullable();
    /** open | accepted | expired | withdrawn */
    t.string('status', 16).notNullable();
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('accepted_at', { precision: 3 }).nullable();
    t.index(['account_id', 'status']);
    t.index(['status', 'expires_on']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('offers');
}

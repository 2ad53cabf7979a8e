import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    t.string('agency_account_number', 32).notNullable().unique();
    t.string('client_account_number', 64).notNullable();
    /** display form, "LAST, FIRST M" */
    t.string('debtor_name', 200).notNullable();
    /** search form: upper case, no punctuation, "LAST FIRST M" — a prefix index serves name search */
    t.string('debtor_name_key', 200).notNullable();
    /** medical | utility | commercial | rental | returned_check | other */
    t.string('account_type', 32).notNullable();
    t.string('status', 32).notNullable();
    /** accepted | pending_review | rejected: a client sees only accepted accounts in search */
    t.string('review_status', 16).notNullable();
    t.date('placed_on').notNullable();
    t.date('service_date').nullable();
    t.date('charge_off_date').nullable();
    t.datetime('last_activity_at', { precision: 3 }).nullable();
    t.bigInteger('balance_cents').notNullable();
    t.bigInteger('paid_to_date_cents').notNullable().defaultTo(0);
    t.string('currency', 3).notNullable().defaultTo('USD');
    t.string('ssn_last4', 4).nullable();
    t.string('routing_number', 9).nullable();
    t.string('check_number', 20).nullable();
    t.text('special_instructions').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['debtor_name_key'], 'idx_accounts_name');
    t.index(['client_id', 'debtor_name_key'], 'idx_accounts_client_name');
    t.index(['client_id', 'status', 'debtor_name_key'], 'idx_accounts_client_status_name');
    t.index(['client_account_number'], 'idx_accounts_client_number');
    t.index(['ssn_last4'], 'idx_accounts_ssn_last4');
    t.index(['routing_number', 'check_number'], 'idx_accounts_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('accounts');
}

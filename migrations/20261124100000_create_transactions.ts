import type { Knex } from 'knex';

/**
 * The ledger: one row per money movement on an account (a payment reported, a credit, a write-off,
 * a correction). Append-only: rows are never updated or deleted — a mistake is fixed by a new
 * correcting row — and the database refuses UPDATE and DELETE (triggers below), so not even a bug
 * elsewhere can rewrite history. Deltas are signed cents per balance component; `balance_after_cents`
 * is the account total after this row, so the ledger replays to the balance.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('transactions', (t) => {
    t.bigIncrements('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id');
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    /** payment | credit | write_off | correction */
    t.string('kind', 16).notNullable();
    /** the amount the caller entered, always positive; the direction is in the deltas */
    t.bigInteger('amount_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.bigInteger('principal_delta_cents').notNullable();
    t.bigInteger('interest_delta_cents').notNullable();
    t.bigInteger('fees_delta_cents').notNullable();
    t.bigInteger('costs_delta_cents').notNullable();
    t.bigInteger('balance_after_cents').notNullable();
    /** the day the money moved (payments) or the adjustment takes effect */
    t.date('effective_date').notNullable();
    /** payments: check | cash | card | ach | wire | other */
    t.string('method', 16).nullable();
    t.string('reference', 100).nullable();
    t.text('reason').nullable();
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['account_id', 'id']);
  });
  if (knex.client.config.client === 'mysql2') {
    for (const op of ['UPDATE', 'DELETE']) {
      await knex.raw(`CREATE TRIGGER transactions_no_${op.toLowerCase()} BEFORE ${op} ON transactions FOR EACH ROW
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'transactions is append-only'`);
    }
  } else {
    for (const op of ['UPDATE', 'DELETE']) {
      await knex.raw(`CREATE TRIGGER transactions_no_${op.toLowerCase()} BEFORE ${op} ON transactions
        BEGIN SELECT RAISE(ABORT, 'transactions is append-only'); END`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('transactions');
}

import type { Knex } from 'knex';

/**
 * A hold pauses collection until it is released or its until-date passes; the status before the hold
 * is kept so a release returns the account to where it was (active or disputed).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.date('hold_until').nullable();
    t.string('status_before_hold', 32).nullable();
    t.index(['status', 'hold_until'], 'idx_accounts_hold_until');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropIndex(['status', 'hold_until'], 'idx_accounts_hold_until');
    t.dropColumn('hold_until');
    t.dropColumn('status_before_hold');
  });
}

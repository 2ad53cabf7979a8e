import type { Knex } from 'knex';

/**
 * An account is flagged while the agency has something to look at on it (a client note, a message);
 * the flag is set with the inbox task and cleared when the last such task is closed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.datetime('flagged_at', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('flagged_at');
  });
}

import type { Knex } from 'knex';

/** The language a debtor last chose (issue 18, item 7): recorded on the party when they sign or pay in it; its emails and texts follow it. Null: English. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('account_parties', (t) => {
    t.string('language', 5).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('account_parties', (t) => {
    t.dropColumn('language');
  });
}

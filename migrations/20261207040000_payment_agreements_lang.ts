import type { Knex } from 'knex';

/** The language the debtor read and signed the agreement in (issue 18: recorded with the signature). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_agreements', (t) => {
    t.string('lang', 5).notNullable().defaultTo('en');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_agreements', (t) => {
    t.dropColumn('lang');
  });
}

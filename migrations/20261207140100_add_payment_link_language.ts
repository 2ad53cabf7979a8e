import type { Knex } from 'knex';

/** The language a payment link was made in (issue 18, item 7): its email or text and the pay page it opens. Null: English. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_links', (t) => {
    t.string('language', 5).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payment_links', (t) => {
    t.dropColumn('language');
  });
}

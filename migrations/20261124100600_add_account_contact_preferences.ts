import type { Knex } from 'knex';

/** How and when the debtor may be contacted: JSON `{ preferredChannel, doNotCall: [{ days, from, to }] }`. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.text('contact_preferences').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('contact_preferences');
  });
}

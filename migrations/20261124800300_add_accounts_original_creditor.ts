import type { Knex } from 'knex';

/**
 * The original creditor, for validation information (Regulation F §1006.34(c)(2)): placed with the
 * account when the client is not the original creditor (a debt buyer, a servicer); null means the
 * client is both the original and the current creditor.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.string('original_creditor', 200).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('accounts', (t) => {
    t.dropColumn('original_creditor');
  });
}

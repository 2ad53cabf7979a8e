import type { Knex } from 'knex';

/**
 * A dispute's supporting document is also an attachment of the account (so the agency and the client
 * see it with the others); `dispute_id` links it to its dispute, which keeps it for the compliance
 * record (it cannot be deleted like an ordinary attachment).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.integer('dispute_id').unsigned().nullable().references('disputes.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.dropForeign(['dispute_id']);
    t.dropColumn('dispute_id');
  });
}

import type { Knex } from 'knex';

/**
 * Attachments a debtor sends (a dispute's supporting document) have no portal user behind them:
 * `uploaded_by_user_id` becomes nullable and `uploaded_by_name` says who it was ("Debtor (online)").
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.integer('uploaded_by_user_id').unsigned().nullable().alter();
    t.string('uploaded_by_name', 100).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attachments', (t) => {
    t.dropColumn('uploaded_by_name');
    t.integer('uploaded_by_user_id').unsigned().notNullable().alter();
  });
}

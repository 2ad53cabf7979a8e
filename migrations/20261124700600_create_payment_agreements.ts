import type { Knex } from 'knex';

/**
 * Signed payment agreements (e-signature): the typed name, time, IP, agreement version and the
 * SHA-256 of the exact text shown, which is kept too so the signed words can be reproduced.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_agreements', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    /** one_time | scheduled | plan | settlement */
    t.string('kind', 16).notNullable();
    t.string('version', 32).notNullable();
    t.string('text_hash', 64).notNullable();
    t.text('text').notNullable();
    t.string('typed_name', 200).notNullable();
    t.string('ip', 64).nullable();
    t.string('user_agent', 255).nullable();
    t.datetime('signed_at', { precision: 3 }).notNullable();
    t.index(['account_id', 'signed_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_agreements');
}

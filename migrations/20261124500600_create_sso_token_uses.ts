import type { Knex } from 'knex';

/** Each embed token (client + jti) is exchanged once; rows are kept until the token has expired. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sso_token_uses', (t) => {
    t.integer('client_id').unsigned().notNullable().references('clients.id').onDelete('CASCADE');
    t.string('jti_hash', 64).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable().index();
    t.primary(['client_id', 'jti_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sso_token_uses');
}

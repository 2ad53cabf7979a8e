import type { Knex } from 'knex';

/** Single-use recovery codes, stored as SHA-256 (the codes are random, 50 bits each). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mfa_recovery_codes', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable();
    t.datetime('used_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['user_id', 'code_hash']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mfa_recovery_codes');
}

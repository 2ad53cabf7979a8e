import type { Knex } from 'knex';

/** One TOTP factor per user. The secret is encrypted at rest (AES-256-GCM, key from config). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_mfa', (t) => {
    t.integer('user_id').unsigned().primary().references('users.id').onDelete('CASCADE');
    t.string('secret_enc', 255).notNullable();
    /** null while enrolment is pending (the user has not yet proved a code) */
    t.datetime('confirmed_at', { precision: 3 }).nullable();
    /** the last 30-second time step accepted: a code is usable once */
    t.bigInteger('last_used_step').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_mfa');
}

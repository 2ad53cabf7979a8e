import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_parties', (t) => {
    t.increments('id');
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    /** responsible | spouse | second_location | patient */
    t.string('role', 24).notNullable();
    t.string('first_name', 100).notNullable();
    t.string('middle_name', 100).nullable();
    t.string('last_name', 100).notNullable();
    t.string('suffix', 8).nullable();
    t.date('dob').nullable();
    t.string('ssn_last4', 4).nullable();
    /** AES-256-GCM ciphertext (iv.tag.data, base64) — never returned by the API */
    t.string('ssn_encrypted', 120).nullable();
    /** HMAC-SHA256 of the SSN with the lookup key, for exact search without decrypting */
    t.string('ssn_hash', 64).nullable().index();
    t.string('address1', 200).nullable();
    t.string('address2', 100).nullable();
    t.string('city', 100).nullable();
    t.string('state', 2).nullable();
    t.string('zip', 10).nullable();
    /** JSON arrays: [{type:"mobile",number:"5035550142"}], ["a@b.example"] */
    t.text('phones').nullable();
    t.text('emails').nullable();
    t.string('employer', 200).nullable();
    t.index(['account_id', 'role']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('account_parties');
}

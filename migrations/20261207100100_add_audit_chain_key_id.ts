import type { Knex } from 'knex';

/**
 * The audit chain becomes keyed: each row sealed from now on carries an HMAC under a key kept outside
 * the database, and the id of that key (so keys can be rotated). Rows sealed before keep a null key
 * id and their plain SHA-256 links, and still verify — as a prefix of the chain only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.string('key_id', 16).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropColumn('key_id');
  });
}

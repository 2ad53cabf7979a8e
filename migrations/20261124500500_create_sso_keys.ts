import type { Knex } from 'knex';

/**
 * Public keys a client's backend signs SSO embed tokens with: a JWK stored here, or a JWKS URL the
 * portal fetches (the client rotates keys there). Never a private key, never a shared secret.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sso_keys', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('client_id').unsigned().notNullable().references('clients.id').onDelete('CASCADE');
    /** ES256 | RS256: a token must use exactly this algorithm */
    t.string('alg', 8).notNullable();
    t.string('kid', 100).nullable();
    t.text('public_jwk').nullable();
    t.string('jwks_url', 500).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.index(['client_id', 'revoked_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sso_keys');
}

import type { Knex } from 'knex';

/** MFA is enforceable per role: users of such a role must enrol before they can work. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('roles', (t) => {
    t.boolean('mfa_required').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  // SQLite drops a plain column natively (3.35+); knex's table-rebuild path would trip the users FK.
  if (knex.client.config.client === 'better-sqlite3') await knex.raw('alter table roles drop column mfa_required');
  else await knex.schema.alterTable('roles', (t) => t.dropColumn('mfa_required'));
}

import type { Knex } from 'knex';

/** MFA is enforceable per role: users of such a role must enrol before they can work. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('roles', (t) => {
    t.boolean('mfa_required').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('roles', (t) => {
    t.dropColumn('mfa_required');
  });
}

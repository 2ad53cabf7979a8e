import type { Knex } from 'knex';

/**
 * Databases seeded before integration keys existed: give the agency administrator role the new
 * `integration.manage` permission (new databases get it from DEFAULT_ROLES at seed time).
 */
const PERMISSION = 'integration.manage';

async function edit(knex: Knex, change: (perms: string[]) => string[]) {
  const roles = (await knex('roles').where({ key: 'agency_admin' }).select('id', 'permissions')) as { id: number; permissions: string }[];
  for (const role of roles) {
    await knex('roles').where({ id: role.id }).update({ permissions: JSON.stringify(change(JSON.parse(role.permissions) as string[])) });
  }
}

export async function up(knex: Knex): Promise<void> {
  await edit(knex, (p) => (p.includes(PERMISSION) ? p : [...p, PERMISSION]));
}

export async function down(knex: Knex): Promise<void> {
  await edit(knex, (p) => p.filter((x) => x !== PERMISSION));
}

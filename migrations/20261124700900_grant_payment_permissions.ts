import type { Knex } from 'knex';

/**
 * Databases seeded before debtor payments existed: give the agency roles the new `payments.links`
 * and `payments.offers` permissions (new databases get them from DEFAULT_ROLES at seed time).
 */
const PERMISSIONS = ['payments.links', 'payments.offers'];

async function edit(knex: Knex, change: (perms: string[]) => string[]) {
  const roles = (await knex('roles').whereIn('key', ['agency_admin', 'agency_staff']).select('id', 'permissions')) as { id: number; permissions: string }[];
  for (const role of roles) {
    await knex('roles').where({ id: role.id }).update({ permissions: JSON.stringify(change(JSON.parse(role.permissions) as string[])) });
  }
}

export async function up(knex: Knex): Promise<void> {
  await edit(knex, (p) => [...p, ...PERMISSIONS.filter((x) => !p.includes(x))]);
}

export async function down(knex: Knex): Promise<void> {
  await edit(knex, (p) => p.filter((x) => !PERMISSIONS.includes(x)));
}

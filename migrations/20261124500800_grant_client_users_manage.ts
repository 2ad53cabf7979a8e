import type { Knex } from 'knex';

/**
 * Databases seeded before user administration existed: give the client manager role the new
 * `client_users.manage` permission and the agency administrator role every new permission name
 * (new databases get them from DEFAULT_ROLES at seed time).
 */
const GRANTS: Record<string, string[]> = { client_manager: ['client_users.manage'], agency_admin: ['client_users.manage'] };

async function edit(knex: Knex, change: (perms: string[], add: string[]) => string[]) {
  for (const [key, add] of Object.entries(GRANTS)) {
    const roles = (await knex('roles').where({ key }).select('id', 'permissions')) as { id: number; permissions: string }[];
    for (const role of roles) {
      await knex('roles').where({ id: role.id }).update({ permissions: JSON.stringify(change(JSON.parse(role.permissions) as string[], add)) });
    }
  }
}

export async function up(knex: Knex): Promise<void> {
  await edit(knex, (p, add) => [...p, ...add.filter((a) => !p.includes(a))]);
}

export async function down(knex: Knex): Promise<void> {
  await edit(knex, (p, add) => p.filter((x) => !add.includes(x)));
}

import type { Knex } from 'knex';

/**
 * Databases seeded before the compliance records existed: give the roles that get them in
 * DEFAULT_ROLES the new `compliance.read` and `compliance.record` permissions (new databases get
 * them at seed time). Roles an agency made itself are left as they are.
 */
const GRANTS: Record<string, string[]> = {
  agency_admin: ['compliance.read', 'compliance.record'],
  agency_staff: ['compliance.read', 'compliance.record'],
  client_manager: ['compliance.read', 'compliance.record'],
};

async function edit(knex: Knex, change: (perms: string[], grant: string[]) => string[]) {
  const roles = (await knex('roles').whereIn('key', Object.keys(GRANTS)).select('id', 'key', 'permissions')) as { id: number; key: string; permissions: string }[];
  for (const role of roles) {
    const next = change(JSON.parse(role.permissions) as string[], GRANTS[role.key]!);
    await knex('roles').where({ id: role.id }).update({ permissions: JSON.stringify(next) });
  }
}

export async function up(knex: Knex): Promise<void> {
  await edit(knex, (p, grant) => [...p, ...grant.filter((g) => !p.includes(g))]);
}

export async function down(knex: Knex): Promise<void> {
  await edit(knex, (p, grant) => p.filter((x) => !grant.includes(x)));
}

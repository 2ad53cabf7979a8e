import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';
import { ALL_PERMISSIONS } from '../platform/permissions.js';

const name = z.string().trim().min(1).max(100);
const username = z.string().trim().min(3).max(100).regex(/^[A-Za-z0-9._@-]+$/, 'Use letters, digits and . _ @ - only.');
const publicId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), `A ${prefix}_… id.`);

export const UserIdParams = z.strictObject({ id: publicId('usr') });
export const RoleIdParams = z.strictObject({ id: publicId('role') });

export const UserListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  page: queryInt(1, 10_000).default(1),
  pageSize: queryInt(1, 100).default(25),
});

export const CreateUserBody = z.strictObject({
  username, email: z.email().max(254), firstName: name, lastName: name,
  roleId: publicId('role'),
  clientIds: z.array(publicId('cli')).max(200).default([]).describe('clients to link (client roles); empty for agency roles'),
});

export const UpdateUserBody = z.strictObject({
  username: username.optional(), email: z.email().max(254).optional(), firstName: name.optional(), lastName: name.optional(),
  roleId: publicId('role').optional(),
  clientIds: z.array(publicId('cli')).max(200).optional(),
});

export const AdminUser = z.object({
  id: z.string(), username: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(),
  kind: z.enum(['agency', 'client']), status: z.enum(['active', 'disabled']),
  role: z.object({ id: z.string(), key: z.string(), name: z.string() }),
  clients: z.array(z.object({ id: z.string(), name: z.string() })),
  mfaEnabled: z.boolean(), mustChangePassword: z.boolean(), lastLoginAt: z.string().nullable(), createdAt: z.string(),
});

export const UserListResponse = z.object({ data: z.array(AdminUser), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const CreatedUserResponse = z.object({
  user: AdminUser,
  issuedPassword: z.string().describe('shown once: hand it to the user, who must change it at first login'),
});
export const IssuedPasswordResponse = z.object({ issuedPassword: z.string() });

const permission = z.enum(ALL_PERMISSIONS as [string, ...string[]]);

export const Role = z.object({
  id: z.string(), key: z.string(), name: z.string(), scope: z.enum(['agency', 'client']),
  permissions: z.array(z.string()), mfaRequired: z.boolean(), userCount: z.number().int(),
});
export const RoleListResponse = z.object({ data: z.array(Role) });
export const CreateRoleBody = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/), name: z.string().trim().min(1).max(120), scope: z.enum(['agency', 'client']),
  permissions: z.array(permission).max(100), mfaRequired: z.boolean().optional(),
});
export const UpdateRoleBody = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(), permissions: z.array(permission).max(100).optional(), mfaRequired: z.boolean().optional(),
});

export const PasswordPolicyBody = z.strictObject({
  minLength: z.number().int().min(8).max(128),
  minCharacterClasses: z.number().int().min(1).max(4),
  historyCount: z.number().int().min(0).max(24),
  maxAgeDays: z.number().int().min(0).max(3650),
});

import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem, PasswordPolicyResponse } from '../auth/auth.schema.js';
import { describePolicy } from '../auth/password-policy.js';
import { getSetting, putSetting } from '../settings/settings.service.js';
import { writeAudit } from '../platform/audit.js';
import {
  AdminUser, CreateRoleBody, CreateUserBody, CreatedUserResponse, IssuedPasswordResponse, PasswordPolicyBody, Role, RoleIdParams,
  RoleListResponse, UpdateRoleBody, UpdateUserBody, UserIdParams, UserListQuery, UserListResponse,
} from './users-admin.schema.js';
import {
  adminCreateUser, adminResetMfa, adminUpdateUser, getManagedUser, issueNewPassword, listManagedUsers, setUserStatus,
} from './users-admin.service.js';
import { createRole, listRoles, updateRole } from './roles.service.js';

// Routes open to agency and client administrators name no single permission: the service checks
// users.manage or client_users.manage and applies the matching scope (users-admin.scope.ts).
export function usersAdminRoutes({ db, config }: AppDeps): AnyRoute[] {
  const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
  return [
    route({
      method: 'get', path: '/users', tag: 'users', auth: 'user',
      summary: 'Users I administer (agency: all; client administrator: my clients\' users), paged, searchable.',
      query: UserListQuery, responses: { 200: UserListResponse, ...errors },
      handler: ({ caller, query }) => listManagedUsers(db, caller, query),
    }),
    route({
      method: 'post', path: '/users', tag: 'users', auth: 'user',
      summary: 'Create a user with an issued password (shown once; changed at first login).',
      body: CreateUserBody, responses: { 201: CreatedUserResponse, ...errors, 409: Problem },
      handler: ({ caller, body, meta }) => db.transaction((trx) => adminCreateUser(trx, caller, body, config.scryptCost, meta)),
    }),
    route({
      method: 'get', path: '/users/:id', tag: 'users', auth: 'user',
      summary: 'One user I administer.', params: UserIdParams, responses: { 200: AdminUser, ...errors },
      handler: ({ caller, params }) => getManagedUser(db, caller, params.id),
    }),
    route({
      method: 'patch', path: '/users/:id', tag: 'users', auth: 'user',
      summary: 'Edit a user: name, username, email, role, linked clients.',
      params: UserIdParams, body: UpdateUserBody, responses: { 200: AdminUser, ...errors, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => adminUpdateUser(trx, caller, params.id, body, meta)),
    }),
    route({
      method: 'post', path: '/users/:id/disable', tag: 'users', auth: 'user',
      summary: 'Disable a user: every session ends at once.', params: UserIdParams, responses: { 200: AdminUser, ...errors },
      handler: ({ caller, params, meta }) => db.transaction((trx) => setUserStatus(trx, caller, params.id, 'disabled', meta)),
    }),
    route({
      method: 'post', path: '/users/:id/enable', tag: 'users', auth: 'user',
      summary: 'Enable a disabled user.', params: UserIdParams, responses: { 200: AdminUser, ...errors },
      handler: ({ caller, params, meta }) => db.transaction((trx) => setUserStatus(trx, caller, params.id, 'active', meta)),
    }),
    route({
      method: 'post', path: '/users/:id/issue-password', tag: 'users', auth: 'user',
      summary: 'Issue a new password (shown once; changed at next login); ends the user\'s sessions.',
      params: UserIdParams, responses: { 200: IssuedPasswordResponse, ...errors },
      handler: ({ caller, params, meta }) => db.transaction((trx) => issueNewPassword(trx, caller, params.id, config.scryptCost, meta)),
    }),
    route({
      method: 'post', path: '/users/:id/reset-mfa', tag: 'users', auth: 'user',
      summary: 'Remove a user\'s authenticator (lost phone); they enrol again.', params: UserIdParams, responses: { 200: AdminUser, ...errors },
      handler: ({ caller, params, meta }) => db.transaction((trx) => adminResetMfa(trx, caller, params.id, meta)),
    }),
    route({
      method: 'get', path: '/roles', tag: 'users', auth: 'user',
      summary: 'Roles (agency: all; client administrator: the roles I may hand out).', responses: { 200: RoleListResponse, 401: Problem, 403: Problem },
      handler: async ({ caller }) => ({ data: await listRoles(db, caller) }),
    }),
    route({
      method: 'post', path: '/roles', tag: 'users', auth: 'user', permission: 'users.manage',
      summary: 'Create a role (a named permission set).', body: CreateRoleBody, responses: { 201: Role, ...errors, 409: Problem },
      handler: ({ body, meta }) => db.transaction((trx) => createRole(trx, body, meta)),
    }),
    route({
      method: 'patch', path: '/roles/:id', tag: 'users', auth: 'user', permission: 'users.manage',
      summary: 'Edit a role: name, permissions, whether its users must use two-step sign-in.',
      params: RoleIdParams, body: UpdateRoleBody, responses: { 200: Role, ...errors },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => updateRole(trx, caller, params.id, body, meta)),
    }),
    route({
      method: 'put', path: '/auth/password-policy', tag: 'auth', auth: 'user', permission: 'agency.settings',
      summary: 'Set the password policy (length, character classes, reuse, expiry).',
      body: PasswordPolicyBody, responses: { 200: PasswordPolicyResponse, 400: Problem, 401: Problem, 403: Problem },
      handler: ({ body, meta }) => db.transaction(async (trx) => {
        const before = await getSetting(trx, 'password_policy');
        await putSetting(trx, 'password_policy', body);
        await writeAudit(trx, { actor: meta.actor, action: 'settings.password_policy', target: { type: 'setting', id: 'password_policy' }, ip: meta.ip, requestId: meta.requestId, before, after: body });
        return { ...body, rules: describePolicy(body) };
      }),
    }),
  ];
}

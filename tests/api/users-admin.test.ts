import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';

describe.each(DIALECTS)('user administration (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let cplManager: string; // demo.client: Cascade Power & Light
  let groupManager: string; // demo.group: St. Brigid + Lakeside
  const roles: Record<string, string> = {};
  const clients: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 10 });
    agency = await api.login('demo.agency');
    cplManager = await api.login('demo.client');
    groupManager = await api.login('demo.group');
    for (const r of (await api.request('/roles', { token: agency })).body.data) roles[r.key] = r.id;
    for (const c of await api.db('clients').select('code', 'public_id')) clients[c.code] = c.publicId;
  });
  afterAll(() => api.close());

  const create = (token: string, body: Record<string, unknown>) => api.request('/users', { token, body });
  const firstLogin = async (username: string, password: string) => (await api.request('/auth/login', { body: { username, password } })).body;

  it('an agency admin creates a client user with an issued password that must be changed at first login', async () => {
    const res = await create(agency, { username: 'New.Clerk', email: 'New.Clerk@cascadepower.example', firstName: 'New', lastName: 'Clerk', roleId: roles.client_viewer, clientIds: [clients.CPL] });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      id: ID('usr'), username: 'new.clerk', email: 'new.clerk@cascadepower.example', kind: 'client', status: 'active',
      role: { key: 'client_viewer' }, clients: [{ id: clients.CPL, name: 'Cascade Power & Light' }], mfaEnabled: false, mustChangePassword: true,
    });
    expect(res.body.issuedPassword.length).toBeGreaterThanOrEqual(16);
    const login = await firstLogin('new.clerk', res.body.issuedPassword);
    expect(login.user.onboarding).toMatchObject({ required: true, passwordChangeRequired: true, profileConfirmed: false });
    const audit = await api.db('audit_log').where({ action: 'user.create', targetId: res.body.user.id }).first();
    expect(audit.actorId).toBe((await api.request('/me', { token: agency })).body.id);
    expect(audit.ip).toBeTruthy();
    expect(JSON.stringify(audit)).not.toContain(res.body.issuedPassword);
    // a duplicate username is a 409, bad input a 400
    expect((await create(agency, { username: 'new.clerk', email: 'x@example.test', firstName: 'X', lastName: 'Y', roleId: roles.client_viewer, clientIds: [clients.CPL] })).status).toBe(409);
    expect((await create(agency, { username: 'x', email: 'nope', firstName: '', lastName: 'Y', roleId: 'role_bad', clientIds: [] })).status).toBe(400);
    expect((await create(agency, { username: 'no.client', email: 'x@example.test', firstName: 'X', lastName: 'Y', roleId: roles.client_viewer, clientIds: [] })).body.code).toBe('client_required');
  });

  it('a client administrator manages only users of their own clients; the rest is a 404', async () => {
    const mine = await create(cplManager, { username: 'cpl.viewer', email: 'viewer@cascadepower.example', firstName: 'Cas', lastName: 'Viewer', roleId: roles.client_viewer, clientIds: [clients.CPL] });
    expect(mine.status).toBe(201);
    // linking another client's account space is a 404, like a client that does not exist
    const foreign = await create(cplManager, { username: 'cpl.sneaky', email: 's@example.test', firstName: 'S', lastName: 'N', roleId: roles.client_viewer, clientIds: [clients.SBRH] });
    expect(foreign.status).toBe(404);
    // no privilege escalation: agency roles cannot be handed out
    const escalate = await create(cplManager, { username: 'cpl.boss', email: 'b@example.test', firstName: 'B', lastName: 'O', roleId: roles.agency_admin, clientIds: [] });
    expect(escalate.status).toBe(403);
    expect(escalate.body.code).toBe('role_not_assignable');
    const assignable = (await api.request('/roles', { token: cplManager })).body.data.map((r: { key: string }) => r.key).sort();
    expect(assignable).toEqual(['client_manager', 'client_viewer']);

    const list = await api.request('/users', { token: cplManager });
    expect(list.status).toBe(200);
    const names = list.body.data.map((u: { username: string }) => u.username);
    expect(names).toContain('cpl.viewer');
    expect(names).toContain('demo.client');
    expect(names).not.toContain('demo.group');
    expect(names).not.toContain('demo.agency');
    for (const u of list.body.data) for (const c of u.clients) expect(c.id).toBe(clients.CPL);

    const groupUser = (await api.request('/users?q=demo.group', { token: agency })).body.data[0];
    expect((await api.request(`/users/${groupUser.id}`, { token: cplManager })).status).toBe(404);
    expect((await api.request(`/users/${groupUser.id}/disable`, { method: 'POST', token: cplManager })).status).toBe(404);
    expect((await api.request(`/users/${groupUser.id}`, { method: 'PATCH', token: cplManager, body: { firstName: 'Hacked' } })).status).toBe(404);
    // and the other way round
    expect((await api.request(`/users/${mine.body.user.id}`, { token: groupManager })).status).toBe(404);
    expect((await api.request('/users', { token: groupManager })).body.data.map((u: { username: string }) => u.username)).not.toContain('cpl.viewer');
  });

  it('users without an administration permission get a 403', async () => {
    const created = await create(agency, { username: 'plain.viewer', email: 'pv@example.test', firstName: 'P', lastName: 'V', roleId: roles.client_viewer, clientIds: [clients.CPL] });
    await api.db('users').where({ username: 'plain.viewer' }).update({ mustChangePassword: false, profileConfirmedAt: new Date() });
    const viewer = await api.login('plain.viewer', created.body.issuedPassword);
    expect((await api.request('/users', { token: viewer })).status).toBe(403);
    expect((await api.request('/roles', { token: viewer })).status).toBe(403);
    expect((await create(viewer, { username: 'x.y', email: 'x@example.test', firstName: 'X', lastName: 'Y', roleId: roles.client_viewer, clientIds: [clients.CPL] })).status).toBe(403);
    expect((await api.request(`/roles/${roles.client_viewer}`, { method: 'PATCH', token: cplManager, body: { mfaRequired: true } })).status).toBe(403);
    expect((await api.request('/auth/password-policy', { method: 'PUT', token: cplManager, body: { minLength: 8, minCharacterClasses: 1, historyCount: 0, maxAgeDays: 0 } })).status).toBe(403);
  });

  it('disabling a user ends all their sessions at once; enabling lets them sign in again', async () => {
    const created = await create(agency, { username: 'to.disable', email: 'td@example.test', firstName: 'T', lastName: 'D', roleId: roles.client_manager, clientIds: [clients.CPL] });
    const password = created.body.issuedPassword;
    const s1 = (await firstLogin('to.disable', password));
    const s2 = (await firstLogin('to.disable', password));
    expect((await api.request('/me', { token: s1.accessToken })).status).toBe(200);
    const off = await api.request(`/users/${created.body.user.id}/disable`, { method: 'POST', token: cplManager });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('disabled');
    for (const s of [s1, s2]) {
      expect((await api.request('/me', { token: s.accessToken })).status).toBe(401);
      expect((await api.request('/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
    }
    const open = await api.db('sessions').join('users', 'users.id', 'sessions.user_id').where('users.username', 'to.disable').whereNull('sessions.revoked_at').count({ n: '*' });
    expect(Number(open[0]!.n)).toBe(0);
    expect((await api.request('/auth/login', { body: { username: 'to.disable', password } })).status).toBe(401);
    const audit = await api.db('audit_log').where({ action: 'user.disable', targetId: created.body.user.id }).first();
    expect(JSON.parse(audit.afterJson)).toEqual({ status: 'disabled', sessionsEnded: 2 });
    expect((await api.request(`/users/${created.body.user.id}/enable`, { method: 'POST', token: agency })).body.status).toBe('active');
    expect((await api.request('/auth/login', { body: { username: 'to.disable', password } })).status).toBe(200);
    // nobody disables themselves
    const me = (await api.request('/me', { token: agency })).body;
    expect((await api.request(`/users/${me.id}/disable`, { method: 'POST', token: agency })).body.code).toBe('cannot_change_self');
  });

  it('edits role and client links; issuing a new password ends sessions and forces a change', async () => {
    const created = await create(agency, { username: 'to.edit', email: 'te@example.test', firstName: 'T', lastName: 'E', roleId: roles.client_viewer, clientIds: [clients.SBRH] });
    const id = created.body.user.id;
    const edited = await api.request(`/users/${id}`, { method: 'PATCH', token: agency, body: { roleId: roles.client_manager, clientIds: [clients.SBRH, clients.LFC], lastName: 'Edited' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ lastName: 'Edited', role: { key: 'client_manager' } });
    expect(edited.body.clients.map((c: { name: string }) => c.name)).toEqual(['Lakeside Family Clinic', 'St. Brigid Regional Hospital']);
    // the group manager now sees and may edit them; the CPL manager may not
    expect((await api.request(`/users/${id}`, { token: groupManager })).status).toBe(200);
    expect((await api.request(`/users/${id}`, { token: cplManager })).status).toBe(404);
    const audit = await api.db('audit_log').where({ action: 'user.update', targetId: id }).first();
    expect(JSON.parse(audit.beforeJson).role).toBe('client_viewer');
    expect(JSON.parse(audit.afterJson).role).toBe('client_manager');

    const session = await firstLogin('to.edit', created.body.issuedPassword);
    const issued = await api.request(`/users/${id}/issue-password`, { method: 'POST', token: groupManager });
    expect(issued.status).toBe(200);
    expect(issued.body.issuedPassword).not.toBe(created.body.issuedPassword);
    expect((await api.request('/me', { token: session.accessToken })).status).toBe(401);
    const again = await firstLogin('to.edit', issued.body.issuedPassword);
    expect(again.user.onboarding.passwordChangeRequired).toBe(true);
  });

  it('roles: the agency creates and edits permission sets and can require MFA per role', async () => {
    const role = await api.request('/roles', { token: agency, body: { key: 'client_payments', name: 'Client payments clerk', scope: 'client', permissions: ['accounts.read', 'payments.report'] } });
    expect(role.status).toBe(201);
    expect(role.body).toMatchObject({ id: ID('role'), permissions: ['accounts.read', 'payments.report'], mfaRequired: false, userCount: 0 });
    expect((await api.request('/roles', { token: agency, body: { key: 'bad_one', name: 'Bad', scope: 'client', permissions: ['root.everything'] } })).status).toBe(400);
    const created = await create(agency, { username: 'pay.clerk', email: 'pc@example.test', firstName: 'P', lastName: 'C', roleId: role.body.id, clientIds: [clients.CPL] });
    await api.db('users').where({ username: 'pay.clerk' }).update({ mustChangePassword: false, profileConfirmedAt: new Date() });
    const token = await api.login('pay.clerk', created.body.issuedPassword);
    expect((await api.request('/accounts', { token })).status).toBe(200);
    const edited = await api.request(`/roles/${role.body.id}`, { method: 'PATCH', token: agency, body: { mfaRequired: true } });
    expect(edited.body).toMatchObject({ mfaRequired: true, userCount: 1 });
    // the same session is now held until the user enrols
    const blocked = await api.request('/accounts', { token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('onboarding_required');
    // an admin cannot remove user administration from their own role
    const selfLock = await api.request(`/roles/${roles.agency_admin}`, { method: 'PATCH', token: agency, body: { permissions: ['accounts.read'] } });
    expect(selfLock.body.code).toBe('cannot_change_self');
  });

  it('the agency sets the password policy, and it applies at once', async () => {
    const res = await api.request('/auth/password-policy', { method: 'PUT', token: agency, body: { minLength: 20, minCharacterClasses: 2, historyCount: 3, maxAgeDays: 90 } });
    expect(res.status).toBe(200);
    expect(res.body.rules).toContain('At least 20 characters.');
    expect((await api.request('/auth/password-policy')).body).toMatchObject({ minLength: 20, historyCount: 3, maxAgeDays: 90 });
    const change = await api.request('/auth/password', { token: groupManager, body: { currentPassword: 'Brigid-Group-2026!', newPassword: 'Short-But-Ok-1' } });
    expect(change.status).toBe(400);
    expect(change.body.code).toBe('password_policy');
    await api.request('/auth/password-policy', { method: 'PUT', token: agency, body: { minLength: 12, minCharacterClasses: 3, historyCount: 5, maxAgeDays: 0 } });
  });
});

import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { limitAuthByIp } from './auth-rate-limit.js';
import { getSetting } from '../settings/settings.service.js';
import { describePolicy } from './password-policy.js';
import { changePassword, login, logout, refresh } from './auth.service.js';
import { ChangePasswordBody, LoginBody, LoginResponse, PasswordPolicyResponse, Problem, RefreshBody, SessionResponse } from './auth.schema.js';

export function authRoutes(deps: AppDeps): AnyRoute[] {
  const { db, config } = deps;
  return [
    route({
      method: 'post', path: '/auth/login', tag: 'auth', auth: 'public',
      summary: 'Sign in with username and password; returns an access token and a single-use refresh token, or (two-step sign-in) a challenge for POST auth/mfa/verify.',
      body: LoginBody,
      responses: { 200: LoginResponse, 400: Problem, 401: Problem, 429: Problem },
      handler: async ({ body, meta }) => {
        await limitAuthByIp(deps, meta);
        return login(db, config, body.username, body.password, meta);
      },
    }),
    route({
      method: 'post', path: '/auth/refresh', tag: 'auth', auth: 'public',
      summary: 'Exchange a refresh token for a new access token and a new refresh token (rotation).',
      body: RefreshBody,
      responses: { 200: SessionResponse, 401: Problem },
      handler: ({ body, meta }) => refresh(db, config, body.refreshToken, meta),
    }),
    route({
      method: 'post', path: '/auth/logout', tag: 'auth', auth: 'onboarding',
      summary: 'End the current session at once.',
      responses: { 204: null, 401: Problem },
      handler: async ({ caller, meta }) => logout(db, caller.sessionId, caller.sessionPublicId, meta),
    }),
    route({
      method: 'get', path: '/auth/password-policy', tag: 'auth', auth: 'public',
      summary: 'The password policy, to show before the user types a new password.',
      responses: { 200: PasswordPolicyResponse },
      handler: async () => {
        const policy = await getSetting(db, 'password_policy');
        return { ...policy, rules: describePolicy(policy) };
      },
    }),
    route({
      method: 'post', path: '/auth/password', tag: 'auth', auth: 'onboarding',
      summary: 'Change my password (current + new), checked against the password policy; my other sessions end. Wrong current passwords count toward the sign-in lock (429).',
      body: ChangePasswordBody,
      responses: { 204: null, 400: Problem, 401: Problem, 429: Problem },
      handler: ({ caller, body, meta }) => changePassword(db, config, caller.userId, caller.sessionId, body.currentPassword, body.newPassword, meta),
    }),
  ];
}


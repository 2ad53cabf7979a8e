import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { limitAuthByIp } from './auth-rate-limit.js';
import { Problem } from './auth.schema.js';
import { getSetting, putSetting } from '../settings/settings.service.js';
import { writeAudit } from '../platform/audit.js';
import { forgotUsername, requestPasswordReset, resetPassword } from './password-reset.service.js';
import { now as clockNow } from '../platform/clock.js';

export const ForgotPasswordBody = z.strictObject({ email: z.string().trim().max(254).pipe(z.email()) });
export const ResetPasswordBody = z.strictObject({ token: z.string().min(20).max(200), newPassword: z.string().min(1).max(1024) });
export const ForgotPasswordResponse = z.object({ message: z.string() });
export const SupportContactResponse = z.object({ phone: z.string(), email: z.string(), hours: z.string(), message: z.string() });
export const SupportContactBody = z.strictObject({
  phone: z.string().trim().max(40),
  email: z.union([z.literal(''), z.email().max(254)]),
  hours: z.string().trim().max(200),
});

/**
 * "Forgot password" answers after the same minimum time whatever happened, so a response's timing
 * says nothing about whether the address has an account (the known path writes a token and a mail).
 */
export const FORGOT_PASSWORD_MIN_MS = 250;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function passwordResetRoutes(deps: AppDeps): AnyRoute[] {
  const { db, config } = deps;
  return [
    route({
      method: 'post', path: '/auth/forgot-password', tag: 'auth', auth: 'public',
      summary: 'Ask for a password reset link by email. The answer is the same whether or not the address exists.',
      body: ForgotPasswordBody,
      responses: { 202: ForgotPasswordResponse, 400: Problem, 429: Problem },
      handler: async ({ body, meta }) => {
        const started = performance.now();
        await limitAuthByIp(deps, meta);
        const answer = await db.transaction((trx) => requestPasswordReset(trx, config, body.email, meta, clockNow()));
        await sleep(Math.max(0, FORGOT_PASSWORD_MIN_MS - (performance.now() - started)));
        return answer;
      },
    }),
    route({
      method: 'post', path: '/auth/reset-password', tag: 'auth', auth: 'public',
      summary: 'Choose a new password with the token from the reset link; ends all of the user\'s sessions.',
      body: ResetPasswordBody,
      responses: { 204: null, 400: Problem, 429: Problem },
      handler: async ({ body, meta }) => (await limitAuthByIp(deps, meta), resetPassword(db, config, body.token, body.newPassword, meta, clockNow())),
    }),
    route({
      method: 'get', path: '/auth/forgot-username', tag: 'auth', auth: 'public',
      summary: 'How to reach client support for a forgotten username (the agency\'s phone, email and hours).',
      responses: { 200: SupportContactResponse },
      handler: () => forgotUsername(db),
    }),
    route({
      method: 'put', path: '/auth/support-contact', tag: 'auth', auth: 'user', permission: 'agency.settings',
      summary: 'Set the client support contact shown for a forgotten username and in reset mails.',
      body: SupportContactBody,
      responses: { 200: SupportContactResponse, 400: Problem, 401: Problem, 403: Problem },
      handler: ({ body, meta }) => db.transaction(async (trx) => {
        const before = await getSetting(trx, 'support_contact');
        await putSetting(trx, 'support_contact', body);
        await writeAudit(trx, { actor: meta.actor, action: 'settings.support_contact', target: { type: 'setting', id: 'support_contact' }, ip: meta.ip, requestId: meta.requestId, before, after: body });
        return forgotUsername(trx);
      }),
    }),
  ];
}

import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { MeResponse, Problem } from '../auth/auth.schema.js';
import { changeMyProfile, getMe } from './me.service.js';

const name = z.string().trim().min(1).max(100);

export const UpdateMeBody = z.strictObject({
  firstName: name.optional(),
  lastName: name.optional(),
  email: z.email().max(254).optional(),
  username: z.string().trim().min(3).max(100).regex(/^[A-Za-z0-9._@-]+$/, 'Use letters, digits and . _ @ - only.').optional(),
  confirmProfile: z.literal(true).optional().describe('first login: the user has reviewed and confirmed the profile'),
  currentPassword: z.string().min(1).max(1000).optional().describe('required to change the email (or mfaCode); wrong answers count toward the sign-in lock'),
  mfaCode: z.string().trim().regex(/^\d{6}$/).optional().describe('a fresh code from my authenticator, instead of currentPassword'),
});

export function meRoutes({ db, config }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/me', tag: 'me', auth: 'onboarding',
      summary: 'The signed-in user: profile, permissions, linked clients, onboarding state.',
      responses: { 200: MeResponse, 401: Problem },
      handler: ({ caller }) => getMe(db, caller.userId),
    }),
    route({
      method: 'patch', path: '/me', tag: 'me', auth: 'onboarding',
      summary: 'Edit my name, username or email; on first login, confirm the profile. A new email needs currentPassword (or mfaCode) and is announced to the old address.',
      body: UpdateMeBody,
      responses: { 200: MeResponse, 400: Problem, 401: Problem, 409: Problem, 429: Problem },
      handler: ({ caller, body, meta }) => changeMyProfile(db, config, caller.userId, body, meta),
    }),
  ];
}

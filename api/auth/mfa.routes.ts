import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { limitAuthByIp } from './auth-rate-limit.js';
import { Problem, SessionResponse } from './auth.schema.js';
import { MfaCodeBody, MfaDisableBody, MfaEnrolmentResponse, MfaStatusResponse, MfaVerifyBody, RecoveryCodesResponse } from './mfa.schema.js';
import { confirmEnrolment, disableMfa, getMfaStatus, regenerateRecoveryCodes, startEnrolment, verifyMfaChallenge } from './mfa.service.js';
import { now as clockNow } from '../platform/clock.js';

export function mfaRoutes(deps: AppDeps): AnyRoute[] {
  const { db, config } = deps;
  return [
    route({
      method: 'post', path: '/auth/mfa/verify', tag: 'auth', auth: 'public',
      summary: 'Second sign-in step: the challenge from auth/login plus a TOTP code or a recovery code; returns the session.',
      body: MfaVerifyBody,
      responses: { 200: SessionResponse, 400: Problem, 401: Problem, 429: Problem },
      handler: async ({ body, meta }) => (await limitAuthByIp(deps, meta), verifyMfaChallenge(db, config, body.challengeToken, 'code' in body ? { code: body.code } : { recoveryCode: body.recoveryCode }, meta, clockNow())),
    }),
    route({
      method: 'get', path: '/auth/mfa', tag: 'auth', auth: 'onboarding',
      summary: 'My two-step sign-in: on or off, recovery codes left, whether my role requires it.',
      responses: { 200: MfaStatusResponse, 401: Problem },
      handler: ({ caller }) => getMfaStatus(db, caller.userId),
    }),
    route({
      method: 'post', path: '/auth/mfa/enrol', tag: 'auth', auth: 'onboarding',
      summary: 'Start enrolling an authenticator app: a new secret and its QR code (pending until confirmed).',
      responses: { 200: MfaEnrolmentResponse, 401: Problem, 409: Problem },
      handler: ({ caller, meta }) => db.transaction((trx) => startEnrolment(trx, config, caller, meta, clockNow())),
    }),
    route({
      method: 'post', path: '/auth/mfa/enrol/confirm', tag: 'auth', auth: 'onboarding',
      summary: 'Confirm enrolment with a first code; returns the recovery codes (shown once).',
      body: MfaCodeBody,
      responses: { 200: RecoveryCodesResponse, 400: Problem, 401: Problem, 409: Problem },
      handler: ({ caller, body, meta }) => confirmEnrolment(db, config, caller, body.code, meta, clockNow()),
    }),
    route({
      method: 'post', path: '/auth/mfa/recovery-codes', tag: 'auth', auth: 'user',
      summary: 'Replace my recovery codes (the old ones stop working); needs a current code.',
      body: MfaCodeBody,
      responses: { 200: RecoveryCodesResponse, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      handler: ({ caller, body, meta }) => regenerateRecoveryCodes(db, config, caller, body.code, meta, clockNow()),
    }),
    route({
      method: 'post', path: '/auth/mfa/disable', tag: 'auth', auth: 'user',
      summary: 'Turn two-step sign-in off (needs my password; refused when my role requires it).',
      body: MfaDisableBody,
      responses: { 204: null, 400: Problem, 401: Problem, 403: Problem, 409: Problem },
      handler: ({ caller, body, meta }) => disableMfa(db, config, caller, body.password, meta),
    }),
  ];
}

/** The half-way point of an MFA login: the password was right, a code is still owed. */
import type { Trx } from '../platform/db.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';

export const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
/** wrong codes allowed on one challenge before it is spent (the username throttle also counts them) */
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;

export interface MfaChallenge {
  mfaRequired: true;
  /** hand back with the code to `POST auth/mfa/verify`; single use, 5 minutes */
  challengeToken: string;
  challengeExpiresAt: string;
  methods: ('totp' | 'recovery_code')[];
}

export async function hasConfirmedMfa(trx: Trx, userId: number): Promise<boolean> {
  return Boolean(await trx('user_mfa').where({ userId }).whereNotNull('confirmed_at').first('user_id'));
}

export async function createMfaChallenge(trx: Trx, userId: number, now: Date): Promise<MfaChallenge> {
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + MFA_CHALLENGE_TTL_MS);
  await trx('mfa_challenges').insert({ tokenHash: sha256Hex(token), userId, attempts: 0, createdAt: now, expiresAt });
  return { mfaRequired: true, challengeToken: token, challengeExpiresAt: expiresAt.toISOString(), methods: ['totp', 'recovery_code'] };
}

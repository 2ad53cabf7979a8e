import { z } from 'zod';

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(256),
});

export const RefreshBody = z.strictObject({ refreshToken: z.string().min(20).max(200) });

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(1024),
});

export const PasswordPolicyResponse = z.object({
  minLength: z.number().int(),
  minCharacterClasses: z.number().int(),
  historyCount: z.number().int(),
  maxAgeDays: z.number().int(),
  rules: z.array(z.string()).describe('The policy in words, to show before the user types.'),
});

export const MeResponse = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  kind: z.enum(['agency', 'client']),
  permissions: z.array(z.string()),
  clients: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
  onboarding: z.object({
    required: z.boolean(),
    profileConfirmed: z.boolean(),
    passwordChangeRequired: z.boolean(),
    mfaEnrolmentRequired: z.boolean().describe('the role requires two-step sign-in and the user has not enrolled yet'),
  }),
});

export const SessionResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('seconds until the access token expires'),
  refreshToken: z.string().describe('single use: each refresh returns a new one'),
  refreshExpiresAt: z.string(),
  user: MeResponse,
});

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional(),
  requestId: z.string(),
});

export const MfaChallengeResponse = z.object({
  mfaRequired: z.literal(true),
  challengeToken: z.string().describe('send with the code to POST auth/mfa/verify; single use, 5 minutes'),
  challengeExpiresAt: z.string(),
  methods: z.array(z.enum(['totp', 'recovery_code'])),
});

/** A session, or — for a user with two-step sign-in — the challenge for the second step. */
export const LoginResponse = z.union([SessionResponse, MfaChallengeResponse]);

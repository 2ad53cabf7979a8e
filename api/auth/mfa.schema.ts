import { z } from 'zod';

const totp = z.string().trim().regex(/^\d{3}\s?\d{3}$/, 'Enter the 6-digit code from your authenticator app.');

export const MfaCodeBody = z.strictObject({ code: totp });

export const MfaVerifyBody = z.union([
  z.strictObject({ challengeToken: z.string().min(20).max(200), code: totp }),
  z.strictObject({ challengeToken: z.string().min(20).max(200), recoveryCode: z.string().trim().min(10).max(20) }),
]);

export const MfaDisableBody = z.strictObject({ password: z.string().min(1).max(256) });

export const MfaStatusResponse = z.object({
  enabled: z.boolean(),
  pending: z.boolean().describe('enrolment started, first code not yet confirmed'),
  enabledAt: z.string().nullable(),
  recoveryCodesRemaining: z.number().int(),
  requiredByRole: z.boolean(),
});

export const MfaEnrolmentResponse = z.object({
  secret: z.string().describe('base32, for typing into an app that cannot scan'),
  otpauthUri: z.string(),
  qrCodeSvg: z.string().describe('the otpauth URI as an SVG QR code'),
});

export const RecoveryCodesResponse = z.object({
  recoveryCodes: z.array(z.string()).describe('shown once; each works once instead of a code'),
});

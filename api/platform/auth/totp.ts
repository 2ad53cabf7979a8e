/**
 * TOTP (RFC 6238) with otpauth: SHA-1, 6 digits, 30-second steps — what every authenticator app
 * understands. `matchTotp` returns the time step a code belongs to, so the caller can refuse a code
 * whose step was already used (a code is usable once, even inside its validity window).
 */
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

export const TOTP_PERIOD_SECONDS = 30;
/** one step either side: tolerates a phone clock off by up to ~30 s */
const WINDOW = 1;

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export function otpauthUri(secretBase32: string, label: string, issuer: string): string {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) }).toString();
}

export const qrCodeSvg = (uri: string): Promise<string> => QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });

export const timeStep = (now: Date): number => Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);

/** The time step the code was generated for, or null when it matches none in the window. */
export function matchTotp(secretBase32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = TOTP.validate({
    token: code, secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6,
    period: TOTP_PERIOD_SECONDS, timestamp: now.getTime(), window: WINDOW,
  });
  return delta === null ? null : timeStep(now) + delta;
}

/** The code for a time (tests and the CLI). */
export function totpCode(secretBase32: string, at: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}

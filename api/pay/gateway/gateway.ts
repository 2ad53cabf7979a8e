/**
 * One interface for payment gateways: tokenise, charge, refund, status. The built-in sandbox
 * implements it (sandbox-gateway.ts); a real processor would sit behind the same four calls.
 * Card and bank numbers enter only through `tokenize`, whose caller must not keep or log them.
 */
import type { FieldError } from '../../platform/errors.js';
import { SaidError } from '../../platform/http/debtor-lang.js';
import { hasKey, say, type Lang } from '../../../i18n/catalogue.js';

export type MethodKind = 'card' | 'ach' | 'wallet';

export type TokenizeInput =
  | { kind: 'card'; number: string; expMonth: number; expYear: number; cvc: string; postalCode?: string | undefined }
  | { kind: 'ach'; routingNumber: string; accountNumber: string; accountType: 'checking' | 'savings'; holderName: string }
  | { kind: 'wallet'; walletToken: string };

export interface CardDetailsUpdate {
  cvc?: string | undefined;
  expMonth?: number | undefined;
  expYear?: number | undefined;
}

export interface TokenizedMethod {
  token: string;
  kind: MethodKind;
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
}

export type ChargeStatus = 'succeeded' | 'declined' | 'failed';

export interface ChargeResult {
  id: string;
  status: ChargeStatus;
  amountCents: number;
  /** insufficient_funds, card_declined, expired_card, incorrect_cvc, account_closed, processing_error, … */
  declineCode: string | null;
  refundedCents: number;
}

export interface PaymentGateway {
  readonly name: string;
  tokenize(input: TokenizeInput, now: Date): Promise<TokenizedMethod>;
  /** The same idempotencyKey always returns the first charge made with it — never a second charge. */
  /**
   * Where the processor allows it: a new security code or expiry for a card token, so a debtor whose
   * card was declined for that reason types only that again, not the whole card. Optional.
   */
  updateCard?(token: string, input: CardDetailsUpdate, now: Date): Promise<TokenizedMethod>;
  charge(input: { token: string; amountCents: number; currency: string; idempotencyKey: string }, now: Date): Promise<ChargeResult>;
  refund(input: { chargeId: string; amountCents: number }, now: Date): Promise<ChargeResult>;
  status(chargeId: string): Promise<ChargeResult | null>;
}

/** The gateway refused the details at tokenisation (bad number, expired card, bad routing number). */
export class GatewayValidationError extends SaidError {
  constructor(errors: FieldError[]) {
    super(400, 'payment_method_invalid', { key: 'paymentMethodInvalid' }, errors.map(gatewayWords));
  }
}

/** A gateway's refusal by its code, from the catalogue (the card frame shows it in the debtor's language). */
function gatewayWords(e: FieldError): FieldError {
  const key = `gateway_${e.code}`;
  return hasKey('problems', key) ? { ...e, words: { key, params: { digits: /\d/.exec(e.message)?.[0] ?? '' } } } : e;
}

/** What a debtor reads for a decline code, in their language (the catalogue's `decline_<code>`, shared with the pay form). */
export function declineMessage(code: string | null, lang: Lang = 'en'): string | null {
  if (!code) return null;
  const key = `decline_${code}`;
  return hasKey('payForm', key) ? say(lang, 'payForm', key) : say(lang, 'problems', 'declineUnknown');
}

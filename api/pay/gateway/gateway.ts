/**
 * One interface for payment gateways: tokenise, charge, refund, status. The built-in sandbox
 * implements it (sandbox-gateway.ts); a real processor would sit behind the same four calls.
 * Card and bank numbers enter only through `tokenize`, whose caller must not keep or log them.
 */
import type { FieldError } from '../../platform/errors.js';
import { AppError } from '../../platform/errors.js';

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
export class GatewayValidationError extends AppError {
  constructor(errors: FieldError[]) {
    super(400, 'payment_method_invalid', 'The payment details are not valid.', errors);
  }
}

/** What a debtor reads for each decline code (English; the widget translates by code). */
export const DECLINE_MESSAGES: Record<string, string> = {
  card_declined: 'The card was declined by the bank.',
  insufficient_funds: 'The account has insufficient funds.',
  expired_card: 'The card has expired.',
  incorrect_cvc: 'The security code is incorrect.',
  processing_error: 'The payment could not be processed. Try again in a few minutes.',
  account_closed: 'The bank account is closed.',
  wallet_declined: 'The wallet payment was declined.',
};

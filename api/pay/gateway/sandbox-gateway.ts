/**
 * The built-in sandbox gateway. It behaves like a real one so the whole flow can be exercised:
 * card numbers must pass Luhn, brand/expiry/CVV rules; bank accounts need a valid ABA routing number;
 * certain test numbers decline with specific reasons; charges are idempotent by key. Its vault
 * (sandbox_gateway_tokens) keeps the behaviour, brand and last 4 of a token — never the number.
 *
 * Test cards (any future expiry, any valid CVV):
 *   4242 4242 4242 4242 visa, 5555 5555 5555 4444 mastercard, 3782 822463 10005 amex,
 *   6011 1111 1111 1117 discover — approve (any other Luhn-valid number also approves);
 *   4000 0000 0000 0002 card_declined, 4000 0000 0000 9995 insufficient_funds,
 *   4000 0000 0000 0069 expired_card, 4000 0000 0000 0127 incorrect_cvc,
 *   4000 0000 0000 0119 processing_error (a failure, not a decline);
 *   4000 0000 0000 0309 processing_error on its first charge only, then approves (a gateway hiccup:
 *   the same token tried again succeeds).
 * Test bank accounts: routing 110000000 or any checksum-valid number; account number ending
 *   0002 → insufficient_funds, 0003 → account_closed, others approve.
 * Wallet: walletToken `sandbox-wallet-approve` or `sandbox-wallet-decline`.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import type { FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { abaRoutingValid, cardBrand, cardExpired, cvcValid, digitsOnly, luhnValid, type CardBrand } from './checks.js';
import { GatewayValidationError, type CardDetailsUpdate, type ChargeResult, type PaymentGateway, type TokenizeInput, type TokenizedMethod } from './gateway.js';

const CARD_BEHAVIOR: Record<string, string> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
  '4000000000000119': 'processing_error',
  '4000000000000309': 'processing_error_once',
};
const ACH_BEHAVIOR: Record<string, string> = { '0002': 'insufficient_funds', '0003': 'account_closed' };
/** failures are the gateway's trouble, not the payer's: a retry may succeed */
const FAILURE_CODES = new Set(['processing_error']);

interface ChargeRow {
  id: string;
  idempotencyKey: string;
  token: string;
  amountCents: number | string;
  status: 'succeeded' | 'declined' | 'failed';
  declineCode: string | null;
  refundedCents: number | string;
}

const toResult = (r: ChargeRow): ChargeResult => ({
  id: r.id, status: r.status, amountCents: Number(r.amountCents), declineCode: r.declineCode, refundedCents: Number(r.refundedCents),
});

export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox';
  constructor(private readonly db: Db) {}

  async tokenize(input: TokenizeInput, now: Date): Promise<TokenizedMethod> {
    const errors: FieldError[] = [];
    let method: Omit<TokenizedMethod, 'token'> & { behavior: string };
    if (input.kind === 'card') {
      const number = digitsOnly(input.number);
      const brand = cardBrand(number);
      if (!luhnValid(number)) errors.push({ path: 'number', code: 'invalid_number', message: 'The card number is not valid.' });
      else if (brand === 'unknown') errors.push({ path: 'number', code: 'unsupported_brand', message: 'This card brand is not accepted.' });
      if (!(input.expMonth >= 1 && input.expMonth <= 12)) errors.push({ path: 'expMonth', code: 'invalid_expiry', message: 'The expiry month is not valid.' });
      else if (cardExpired(input.expMonth, input.expYear, now)) errors.push({ path: 'expYear', code: 'expired_card', message: 'The card has expired.' });
      if (!cvcValid(input.cvc, brand)) errors.push({ path: 'cvc', code: 'invalid_cvc', message: brand === 'amex' ? 'The security code has 4 digits.' : 'The security code has 3 digits.' });
      method = {
        kind: 'card', brand, last4: number.slice(-4), expMonth: input.expMonth, expYear: input.expYear < 100 ? 2000 + input.expYear : input.expYear,
        behavior: CARD_BEHAVIOR[number] ?? 'approve',
      };
    } else if (input.kind === 'ach') {
      const account = digitsOnly(input.accountNumber);
      if (!abaRoutingValid(input.routingNumber)) errors.push({ path: 'routingNumber', code: 'invalid_routing_number', message: 'The routing number is not valid.' });
      if (!/^\d{4,17}$/.test(account)) errors.push({ path: 'accountNumber', code: 'invalid_account_number', message: 'The account number has 4 to 17 digits.' });
      method = { kind: 'ach', brand: input.accountType, last4: account.slice(-4), expMonth: null, expYear: null, behavior: ACH_BEHAVIOR[account.slice(-4)] ?? 'approve' };
    } else {
      if (!/^sandbox-wallet-(approve|decline)$/.test(input.walletToken)) errors.push({ path: 'walletToken', code: 'invalid_wallet_token', message: 'The wallet did not authorise the payment.' });
      method = { kind: 'wallet', brand: 'sandbox_wallet', last4: '4242', expMonth: null, expYear: null, behavior: input.walletToken.endsWith('decline') ? 'wallet_declined' : 'approve' };
    }
    if (errors.length) throw new GatewayValidationError(errors);
    const token = `tok_sbx_${randomBytes(16).toString('hex')}`;
    await this.db('sandbox_gateway_tokens').insert({ token, ...method, createdAt: now });
    const { behavior: _behavior, ...out } = method;
    return { token, ...out };
  }

  /** A new security code or expiry for a card token: the declines they caused (incorrect_cvc, expired_card) are cleared. */
  async updateCard(token: string, input: CardDetailsUpdate, now: Date): Promise<TokenizedMethod> {
    const vault = (await this.db('sandbox_gateway_tokens').where({ token }).first()) as (Omit<TokenizedMethod, 'token'> & { behavior: string }) | undefined;
    if (!vault || vault.kind !== 'card') throw new GatewayValidationError([{ path: 'token', code: 'not_a_card', message: 'Only a card can be updated.' }]);
    const errors: FieldError[] = [];
    const change: Record<string, unknown> = {};
    if (input.cvc !== undefined) {
      if (!cvcValid(input.cvc, vault.brand as CardBrand)) errors.push({ path: 'cvc', code: 'invalid_cvc', message: vault.brand === 'amex' ? 'The security code has 4 digits.' : 'The security code has 3 digits.' });
      else if (vault.behavior === 'incorrect_cvc') change.behavior = 'approve';
    }
    if (input.expMonth !== undefined || input.expYear !== undefined) {
      const month = input.expMonth ?? 0;
      const year = (input.expYear ?? 0) < 100 ? 2000 + (input.expYear ?? 0) : input.expYear ?? 0;
      if (!(month >= 1 && month <= 12)) errors.push({ path: 'expMonth', code: 'invalid_expiry', message: 'The expiry month is not valid.' });
      else if (cardExpired(month, year, now)) errors.push({ path: 'expYear', code: 'expired_card', message: 'The card has expired.' });
      else Object.assign(change, { expMonth: month, expYear: year }, vault.behavior === 'expired_card' ? { behavior: 'approve' } : {});
    }
    if (errors.length) throw new GatewayValidationError(errors);
    if (Object.keys(change).length) await this.db('sandbox_gateway_tokens').where({ token }).update(change);
    const next = { ...vault, ...change } as typeof vault;
    return { token, kind: next.kind, brand: next.brand, last4: next.last4, expMonth: next.expMonth, expYear: next.expYear };
  }

  async charge(input: { token: string; amountCents: number; currency: string; idempotencyKey: string }, now: Date): Promise<ChargeResult> {
    const existing = (await this.db('sandbox_gateway_charges').where({ idempotencyKey: input.idempotencyKey }).first()) as ChargeRow | undefined;
    if (existing) return toResult(existing);
    const vault = (await this.db('sandbox_gateway_tokens').where({ token: input.token }).first('behavior')) as { behavior: string } | undefined;
    let behavior = vault?.behavior ?? 'card_declined';
    if (behavior === 'processing_error_once') {
      const before = await this.db('sandbox_gateway_charges').where({ token: input.token }).first('id');
      behavior = before ? 'approve' : 'processing_error';
    }
    const row: ChargeRow = {
      id: newId('ch'),
      idempotencyKey: input.idempotencyKey,
      token: input.token,
      amountCents: input.amountCents,
      status: behavior === 'approve' ? 'succeeded' : FAILURE_CODES.has(behavior) ? 'failed' : 'declined',
      declineCode: behavior === 'approve' ? null : behavior,
      refundedCents: 0,
    };
    // The unique key on idempotency_key makes two concurrent charges with one key a single charge.
    const inserted = await this.db('sandbox_gateway_charges').insert({ ...row, currency: input.currency, createdAt: now }).onConflict('idempotency_key').ignore();
    const stored = (await this.db('sandbox_gateway_charges').where({ idempotencyKey: input.idempotencyKey }).first()) as ChargeRow;
    void inserted;
    return toResult(stored);
  }

  async refund(input: { chargeId: string; amountCents: number }): Promise<ChargeResult> {
    const row = (await this.db('sandbox_gateway_charges').where({ id: input.chargeId }).first()) as ChargeRow | undefined;
    if (!row || row.status !== 'succeeded') throw new GatewayValidationError([{ path: 'chargeId', code: 'not_refundable', message: 'Only a succeeded charge can be refunded.' }]);
    const refunded = Math.min(Number(row.amountCents), Number(row.refundedCents) + input.amountCents);
    await this.db('sandbox_gateway_charges').where({ id: input.chargeId }).update({ refundedCents: refunded });
    return { ...toResult(row), refundedCents: refunded };
  }

  async status(chargeId: string): Promise<ChargeResult | null> {
    const row = (await this.db('sandbox_gateway_charges').where({ id: chargeId }).first()) as ChargeRow | undefined;
    return row ? toResult(row) : null;
  }
}

/** The configured gateway. Only the sandbox is built in; a real processor plugs in here. */
export function gatewayFor(deps: { db: Db }): PaymentGateway {
  return new SandboxGateway(deps.db);
}

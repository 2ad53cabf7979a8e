/** The sandbox gateway's checks, as a real gateway makes them (pure functions, no database). */
import { describe, expect, it } from 'vitest';
import { abaRoutingValid, cardBrand, cardExpired, cvcValid, luhnValid } from '../../api/pay/gateway/checks.js';
import { renderAgreement } from '../../api/pay/agreement.js';

describe('gateway checks', () => {
  it('Luhn accepts the test cards and rejects one changed digit', () => {
    for (const n of ['4242424242424242', '5555555555554444', '378282246310005', '6011111111111117', '4000000000000002']) expect(luhnValid(n)).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('42424242')).toBe(false);
    expect(luhnValid('4242a24242424242')).toBe(false);
  });

  it('knows the brands and their CVV length', () => {
    expect(cardBrand('4242424242424242')).toBe('visa');
    expect(cardBrand('5555555555554444')).toBe('mastercard');
    expect(cardBrand('2221000000000009')).toBe('mastercard');
    expect(cardBrand('378282246310005')).toBe('amex');
    expect(cardBrand('6011111111111117')).toBe('discover');
    expect(cardBrand('9999999999999995')).toBe('unknown');
    expect(cvcValid('123', 'visa')).toBe(true);
    expect(cvcValid('1234', 'visa')).toBe(false);
    expect(cvcValid('123', 'amex')).toBe(false);
    expect(cvcValid('1234', 'amex')).toBe(true);
  });

  it('a card is good through the end of its expiry month', () => {
    const now = new Date('2026-11-24T12:00:00Z');
    expect(cardExpired(11, 2026, now)).toBe(false);
    expect(cardExpired(10, 2026, now)).toBe(true);
    expect(cardExpired(1, 27, now)).toBe(false);
    expect(cardExpired(12, 25, now)).toBe(true);
  });

  it('ABA routing numbers carry a checksum', () => {
    for (const r of ['110000000', '021000021', '011000015', '122105278']) expect(abaRoutingValid(r)).toBe(true);
    expect(abaRoutingValid('021000022')).toBe(false);
    expect(abaRoutingValid('12345678')).toBe(false);
  });

  it('the agreement text for ACH carries the debit authorisation; the hash follows the words', () => {
    const base = { kind: 'one_time' as const, agencyName: 'Northwind Recovery', creditor: 'Cascade Power & Light', accountNumber: 'NR1000001', payerName: 'DOE, JANE', currency: 'USD', charges: [{ date: '2026-11-24', amountCents: 12345 }] };
    const card = renderAgreement({ ...base, method: { kind: 'card', brand: 'visa', last4: '4242' } });
    const ach = renderAgreement({ ...base, method: { kind: 'ach', brand: 'checking', last4: '6789' } });
    expect(card.text).toContain('$123.45');
    expect(card.text).not.toContain('ACH');
    expect(ach.text).toContain('electronic debit entries (ACH)');
    expect(ach.textHash).not.toBe(card.textHash);
    expect(ach.textHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

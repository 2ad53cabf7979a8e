/**
 * Validation information against ledger fixtures; dispute → hold → inbox task → client view →
 * confirmation email (only with consent, at a real SMTP peer); original-creditor requests; the
 * per-account compliance export as JSON and CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../api/jobs-registry.js';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { deliverOutbox } from '../../api/platform/outbox.js';
import { validationInformation } from '../../api/compliance/validation.service.js';
import { consent, makeDebtor, type Debtor } from './compliance-helpers.js';
import { applyPaymentToBalance } from '../../api/pay/apply-payment-to-balance.js';
import { fixAppClock } from './test-clock.js';

const NOON_PACIFIC = new Date('2026-11-24T20:00:00Z');
// The whole app lives on 24 Nov 2026 around noon Pacific (inside the contact window), whatever today is.
fixAppClock(NOON_PACIFIC);

describe.each(DIALECTS)('validation, disputes and the compliance record on %s', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  let agency: string;
  let client: string;
  let group: string;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 100, config: { smtpUrl: smtp.url } });
    // one after another: parallel logins can deadlock on MariaDB today (reported to the lead)
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    group = await api.login('demo.group');
  });
  afterAll(async () => {
    await api?.close();
    await smtp?.close();
  });
  const deliver = () => deliverOutbox({ config: api.config, db: api.db });

  /** Places the account with these balance components (its balance on placement) and the reference dates. */
  async function setLedger(d: Debtor, components: Record<string, number>, dates: { chargeOffDate: string | null; serviceDate: string | null }, originalCreditor: string | null = null) {
    await api.db('account_balances').where({ accountId: d.accountId }).delete();
    // every component has its row, as placements write them (a missing one reads as zero)
    const all = { principal: 0, interest: 0, fees: 0, costs: 0, ...components };
    await api.db('account_balances').insert(Object.entries(all).map(([component, cents]) => ({ accountId: d.accountId, component, originalCents: cents, currentCents: cents })));
    const balanceCents = Object.values(components).reduce((s, cents) => s + cents, 0);
    await api.db('accounts').where({ id: d.accountId }).update({ balanceCents, paidToDateCents: 0, originalCreditor, status: 'active', ...dates });
  }
  /** Ledger entries through the real ledger routes (issue 3), each with its effective date. */
  const payment = async (d: Debtor, amountCents: number, paidOn: string) =>
    expect((await api.request(`/accounts/${d.accountPublicId}/payments`, { token: agency, body: { amountCents, paidOn, method: 'check' } })).status).toBe(201);
  const correction = async (d: Debtor, component: string, deltaCents: number, effectiveOn: string) =>
    expect((await api.request(`/accounts/${d.accountPublicId}/adjustments`, { token: agency, body: { type: 'correction', component, deltaCents, reason: 'Ledger fixture', effectiveOn } })).status).toBe(201);
  const credit = async (d: Debtor, amountCents: number, effectiveOn: string) =>
    expect((await api.request(`/accounts/${d.accountPublicId}/adjustments`, { token: agency, body: { type: 'credit', amountCents, reason: 'Ledger fixture', effectiveOn } })).status).toBe(201);
  /** The identity the validation notice shows the debtor. */
  const addsUp = (v: Awaited<ReturnType<typeof validationInformation>>) => {
    const c = v.changesSinceItemization;
    return v.itemization.balanceCents + c.interestCents + c.feesCents - c.paymentsCents - c.creditsCents === v.currentAmountCents;
  };

  describe('validation information', () => {
    it('itemizes interest, fees, payments (reported and online) and credits after the itemization date from the ledger', async () => {
      const d = await makeDebtor(api, 10, { state: 'OR', zip: '97201' });
      await setLedger(d, { principal: 100_000, interest: 5_000, fees: 0, costs: 1_000 }, { chargeOffDate: '2026-03-31', serviceDate: '2025-12-01' });
      // on or before the itemization date: part of the itemization balance, not changes
      await payment(d, 3_000, '2026-02-15'); // costs −1,000, interest −2,000
      await correction(d, 'interest', 1_500, '2026-03-31');
      // after it
      await correction(d, 'interest', 2_500, '2026-05-01');
      await correction(d, 'fees', 2_500, '2026-06-01');
      await payment(d, 10_000, '2026-07-01');
      await credit(d, 6_000, '2026-08-01');
      await correction(d, 'principal', -1_000, '2026-09-01');
      // the debtor pays 50.00 online (issue 7): a ledger payment effective today
      await api.db.transaction((trx) => applyPaymentToBalance(trx, d.accountId, 5_000, new Date('2026-11-20T18:00:00Z'), { methodKind: 'card', reference: 'pay_fixture' }));
      expect(await api.db('transactions').where({ accountId: d.accountId }).count({ n: '*' })).toEqual([{ n: 8 }]);

      const res = await api.request(`/accounts/${d.accountPublicId}/validation`, { token: client });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accountId: d.accountPublicId,
        accountNumber: expect.any(String),
        agencyAccountNumber: expect.stringMatching(/^NR\d+$/),
        currency: 'USD',
        currentCreditor: 'Cascade Power & Light',
        originalCreditor: 'Cascade Power & Light',
        // placed 106,000; −3,000 paid and +1,500 interest on or before 3/31
        itemization: { date: '2026-03-31', reference: 'charge_off', balanceCents: 104_500 },
        // payments 10,000 reported + 5,000 online; credits 6,000 credit + 1,000 principal correction
        changesSinceItemization: { interestCents: 2_500, feesCents: 2_500, paymentsCents: 15_000, creditsCents: 7_000 },
        currentAmountCents: 87_500,
      });
      expect(addsUp(res.body)).toBe(true);
      // the current amount is the account's balance, which the ledger moved
      expect(await api.db('accounts').where({ id: d.accountId }).first('balanceCents')).toEqual({ balanceCents: 87_500 });
    });

    it('names the original creditor and picks the reference date the account has', async () => {
      const bought = await makeDebtor(api, 11, { state: 'OR', zip: '97201' });
      await setLedger(bought, { principal: 50_000, interest: 0 }, { chargeOffDate: null, serviceDate: '2025-10-15' }, 'Acme Bank, N.A.');
      await correction(bought, 'interest', 1_234, '2026-01-31');
      const v = await validationInformation(api.db, bought.accountId);
      expect(v).toMatchObject({
        currentCreditor: 'Cascade Power & Light', originalCreditor: 'Acme Bank, N.A.',
        itemization: { date: '2025-10-15', reference: 'transaction', balanceCents: 50_000 },
        changesSinceItemization: { interestCents: 1_234, feesCents: 0, paymentsCents: 0, creditsCents: 0 },
        currentAmountCents: 51_234,
      });
      const placed = await makeDebtor(api, 12, { state: 'OR', zip: '97201' });
      await setLedger(placed, { principal: 20_000 }, { chargeOffDate: null, serviceDate: null });
      await api.db('accounts').where({ id: placed.accountId }).update({ placedOn: '2026-06-01' });
      await payment(placed, 20_000, '2026-06-02');
      const p = await validationInformation(api.db, placed.accountId);
      expect(p.itemization).toEqual({ date: '2026-06-01', reference: 'placement', balanceCents: 20_000 });
      expect(p.changesSinceItemization).toEqual({ interestCents: 0, feesCents: 0, paymentsCents: 20_000, creditsCents: 0 });
      expect(p.currentAmountCents).toBe(0);
    });

    it('entries before the itemization date are not changes; a write-off after it is a credit', async () => {
      const d = await makeDebtor(api, 17, { state: 'OR', zip: '97201' });
      await setLedger(d, { principal: 40_000, fees: 2_000 }, { chargeOffDate: '2026-09-30', serviceDate: null });
      await payment(d, 2_500, '2026-04-01'); // fees −2,000, principal −500
      await correction(d, 'interest', 800, '2026-09-29');
      await credit(d, 1_000, '2026-09-30');
      let v = await validationInformation(api.db, d.accountId);
      expect(v.itemization.balanceCents).toBe(42_000 - 2_500 + 800 - 1_000);
      expect(v.changesSinceItemization).toEqual({ interestCents: 0, feesCents: 0, paymentsCents: 0, creditsCents: 0 });
      expect(v.currentAmountCents).toBe(v.itemization.balanceCents);
      expect((await api.request(`/accounts/${d.accountPublicId}/adjustments`, { token: agency, body: { type: 'write_off', reason: 'Uncollectable', effectiveOn: '2026-10-01' } })).status).toBe(201);
      v = await validationInformation(api.db, d.accountId);
      expect(v.itemization.balanceCents).toBe(39_300);
      expect(v.changesSinceItemization).toEqual({ interestCents: 0, feesCents: 0, paymentsCents: 0, creditsCents: 39_300 });
      expect(v.currentAmountCents).toBe(0);
      expect(addsUp(v)).toBe(true);
    });

    it('adds up on every seeded account; tenancy: another client is a 404', async () => {
      const accounts = (await api.db('accounts').select('id', 'balanceCents')) as { id: number; balanceCents: number }[];
      for (const a of accounts) {
        const v = await validationInformation(api.db, a.id);
        const c = v.changesSinceItemization;
        expect(addsUp(v)).toBe(true);
        expect(Math.min(v.itemization.balanceCents, c.interestCents, c.feesCents, c.paymentsCents, c.creditsCents)).toBeGreaterThanOrEqual(0);
      }
      const other = await makeDebtor(api, 0, { state: 'OR', zip: '97201' }, 'SBRH');
      expect((await api.request(`/accounts/${other.accountPublicId}/validation`, { token: client })).status).toBe(404);
      expect((await api.request(`/accounts/${other.accountPublicId}/validation`, { token: group })).status).toBe(200);
    });
  });

  describe('disputes', () => {
    it('dispute → hold at once → inbox task → the client sees it → confirmation emailed with consent', async () => {
      const d = await makeDebtor(api, 13, { state: 'OR', zip: '97201' });
      await setLedger(d, { principal: 30_000 }, { chargeOffDate: '2026-01-31', serviceDate: null });
      await consent(api, d, { email: true, sms: false });
      const body = { kind: 'dispute', scope: 'part', disputedAmountCents: 10_000, reasonCode: 'wrong_amount', reason: 'I paid $100 in March.' };
      const headers = { 'Idempotency-Key': `dispute-${dialect}-1` };
      const res = await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: agency, body, headers });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: ID('dsp'), kind: 'dispute', scope: 'part', disputedAmountCents: 10_000, reasonCode: 'wrong_amount', reason: 'I paid $100 in March.',
        status: 'open', submittedVia: 'agency', createdAt: expect.any(String), resolvedAt: null, resolution: null, document: null, accountStatus: 'disputed',
        confirmation: { reference: res.body.id, message: expect.stringContaining('stopped collecting') },
      });
      const replay = await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: agency, body, headers });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(res.body);
      expect(await api.db('disputes').where({ accountId: d.accountId }).count({ n: '*' })).toEqual([{ n: 1 }]);

      expect(await api.db('accounts').where({ id: d.accountId }).first('status')).toEqual({ status: 'disputed' });
      const task = await api.db('tasks').where({ sourceType: 'dispute', sourceId: res.body.id }).first('kind', 'status', 'clientId', 'accountId', 'title');
      expect(task).toMatchObject({ kind: 'dispute', status: 'open', clientId: d.clientId, accountId: d.accountId, title: expect.stringContaining('Dispute on NR') });
      const event = await api.db('events').where({ type: 'dispute.opened', accountId: d.accountId }).first('visibility', 'payloadJson');
      expect(event.visibility).toBe('client');
      expect(JSON.parse(event.payloadJson)).toMatchObject({ disputeId: res.body.id, accountStatus: 'disputed' });
      const audit = await api.db('audit_log').where({ action: 'dispute.opened', targetId: d.accountPublicId }).first('beforeJson', 'afterJson', 'actorType');
      expect(JSON.parse(audit.beforeJson)).toEqual({ status: 'active' });
      expect(JSON.parse(audit.afterJson)).toMatchObject({ status: 'disputed', disputeId: res.body.id });

      // the client sees it on the account
      const pane = await api.request(`/accounts/${d.accountPublicId}`, { token: client });
      expect(pane.body.status).toBe('disputed');
      expect(pane.body.recentActivity[0]).toMatchObject({ type: 'dispute', visibility: 'client', body: expect.stringContaining('The debtor disputed $100.00 of the debt: the amount is wrong.') });
      const list = await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: client });
      expect(list.body.data).toHaveLength(1);
      expect((await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: group })).status).toBe(404);

      // the confirmation reaches the debtor (consent on file), with the opt-out
      await deliver();
      const mails = await smtp.waitFor(1);
      const mail = mails.find((m) => (m.to as { text: string }).text === d.email)!;
      expect(mail.subject).toBe('We received your dispute');
      expect(mail.text).toContain(`reference ${res.body.id}`);
      expect(mail.text).toContain('To stop receiving these emails');

      // resolving restores the status the dispute interrupted
      const resolved = await api.request(`/agency/disputes/${res.body.id}/resolve`, { token: agency, body: { resolution: 'Verification mailed on 11/25.' } });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ status: 'resolved', accountStatus: 'active', resolution: 'Verification mailed on 11/25.' });
      expect((await api.request(`/agency/disputes/${res.body.id}/resolve`, { token: agency, body: { resolution: 'again' } })).status).toBe(409);
    });

    it('without consent the confirmation is not emailed (cancelled in the outbox), but the dispute stands', async () => {
      const d = await makeDebtor(api, 14, { state: 'OR', zip: '97201' });
      await setLedger(d, { principal: 30_000 }, { chargeOffDate: '2026-01-31', serviceDate: null });
      const res = await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: agency, body: { kind: 'dispute', scope: 'all', reasonCode: 'not_mine' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ disputedAmountCents: 30_000, accountStatus: 'disputed' });
      await deliver();
      const row = await api.db('outbox').where({ dedupeKey: `dispute-confirmation:${res.body.id}` }).first('status', 'cancelReason', 'recipient');
      expect(row).toMatchObject({ status: 'cancelled', recipient: d.email, cancelReason: expect.stringMatching(/^no_esign_consent/) });
      expect(smtp.messages.filter((m) => (m.to as { text: string }).text === d.email)).toHaveLength(0);
    });

    it('original-creditor request: hold, one open at a time; bad input and permissions', async () => {
      const d = await makeDebtor(api, 15, { state: 'OR', zip: '97201' });
      await setLedger(d, { principal: 30_000 }, { chargeOffDate: '2026-01-31', serviceDate: null });
      const url = `/accounts/${d.accountPublicId}/disputes`;
      const oc = await api.request(url, { token: agency, body: { kind: 'original_creditor_request', reason: '=HYPERLINK("http://x.example")' } });
      expect(oc.status).toBe(201);
      expect(oc.body).toMatchObject({ kind: 'original_creditor_request', scope: null, accountStatus: 'hold' });
      expect(await api.db('tasks').where({ sourceId: oc.body.id }).first('kind')).toEqual({ kind: 'original_creditor_request' });
      expect((await api.request(url, { token: agency, body: { kind: 'original_creditor_request' } })).status).toBe(409);

      expect((await api.request(url, { token: agency, body: { kind: 'dispute', scope: 'part', reasonCode: 'other' } })).status).toBe(400);
      expect((await api.request(url, { token: agency, body: { kind: 'dispute', scope: 'part', disputedAmountCents: 30_001, reasonCode: 'wrong_amount' } })).status).toBe(400);
      expect((await api.request(url, { token: agency, body: { kind: 'dispute', scope: 'all', reasonCode: 'other' } })).body.code).toBe('validation_failed');
      expect((await api.request(url, { token: agency, body: { kind: 'dispute', scope: 'all', reasonCode: 'not_mine', extra: 1 } })).status).toBe(400);
      expect((await api.request(`/agency/disputes/${oc.body.id}/resolve`, { token: client, body: { resolution: 'Done.' } })).status).toBe(403);
      expect((await api.request('/agency/disputes/dsp_unknown00000000000000000/resolve', { token: agency, body: { resolution: 'Done.' } })).status).toBe(404);
      expect(await api.db('disputes').where({ accountId: d.accountId }).count({ n: '*' })).toEqual([{ n: 1 }]);

      // a dispute on top of the request: disputed; answering both restores the status from before the first
      const dispute = await api.request(url, { token: agency, body: { kind: 'dispute', scope: 'all', reasonCode: 'not_owed' } });
      expect(dispute.body.accountStatus).toBe('disputed');
      const r1 = await api.request(`/agency/disputes/${oc.body.id}/resolve`, { token: agency, body: { resolution: 'Original creditor named in letter.' } });
      expect(r1.body.accountStatus).toBe('disputed');
      const r2 = await api.request(`/agency/disputes/${dispute.body.id}/resolve`, { token: agency, body: { resolution: 'Verification mailed.' } });
      expect(r2.body.accountStatus).toBe('active');
    });
  });

  describe('compliance export', () => {
    it('exports consents, opt-outs, disputes, messages and their audit rows as JSON and CSV', async () => {
      const d = await makeDebtor(api, 16, { state: 'OR', zip: '97201' });
      await setLedger(d, { principal: 30_000 }, { chargeOffDate: '2026-01-31', serviceDate: null });
      await consent(api, d, { email: true, sms: true });
      await api.request(`/accounts/${d.accountPublicId}/opt-outs`, { token: agency, body: { channel: 'sms', address: d.phone, note: 'Asked on the phone: no texts.' } });
      const oc = await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: agency, body: { kind: 'original_creditor_request', reason: '=HYPERLINK("http://x.example")' } });
      await deliver();

      // a client manager may read the record of its own accounts; a client of another client gets a 404
      expect((await api.request(`/accounts/${d.accountPublicId}/compliance-export`, { token: client })).status).toBe(200);
      expect((await api.request(`/accounts/${d.accountPublicId}/compliance-export`, { token: group })).status).toBe(404);
      const json = await api.request(`/accounts/${d.accountPublicId}/compliance-export`, { token: agency });
      expect(json.status).toBe(200);
      expect(json.body.account).toEqual({ id: d.accountPublicId, agencyAccountNumber: expect.any(String), status: 'hold' });
      expect(json.body.consents).toEqual([expect.objectContaining({ channels: { email: true, sms: true }, statementVersion: '2026-11-v1', ip: '203.0.113.9', withdrawnAt: null })]);
      expect(json.body.optOuts).toEqual([expect.objectContaining({ channel: 'sms', address: d.phone, source: 'agency' })]);
      expect(json.body.disputes).toEqual([expect.objectContaining({ id: oc.body.id, kind: 'original_creditor_request' })]);
      expect(json.body.messages).toEqual([expect.objectContaining({ category: 'dispute_confirmation', status: 'sent', recipient: d.email })]);
      expect(json.body.audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['esign.consented', 'contact.opted_out', 'dispute.original_creditor_requested']));

      const csv = await api.request(`/accounts/${d.accountPublicId}/compliance-export?format=csv`, { token: agency });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="compliance-NR\d+\.csv"$/);
      const lines = csv.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe('record,id,at,channel,address,status,actor,detail');
      expect(lines.filter((l) => l.startsWith('esign_consent,'))).toHaveLength(1);
      expect(lines.find((l) => l.startsWith('opt_out,'))).toContain(`,sms,${d.phone},in force,agency,`);
      // the debtor's text can never run as a spreadsheet formula
      expect(lines.find((l) => l.startsWith('original_creditor_request,'))).toContain(`"'=HYPERLINK(""http://x.example"")"`);
      expect(await api.db('audit_log').where({ action: 'compliance.exported', targetId: d.accountPublicId }).count({ n: '*' })).toEqual([{ n: 3 }]);
      expect((await api.request(`/accounts/${d.accountPublicId}/compliance-export?format=xml`, { token: agency })).status).toBe(400);
    });
  });
});

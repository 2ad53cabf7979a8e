/**
 * The debtor's compliance routes under /pay, authorised by the pay flow's real debtor session (a
 * payment link opened by the debtor): E-SIGN consent recorded and honoured by the outbox at a real
 * SMTP peer, withdrawal, validation information, an online dispute, opt-out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../api/jobs-registry.js';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { deliverOutbox } from '../../api/platform/outbox.js';
import { validationInformation } from '../../api/compliance/validation.service.js';
import { emailTo, makeDebtor, outboxRow } from './compliance-helpers.js';
import { linkSession } from './pay-helpers.js';
import { fixAppClock } from './test-clock.js';

// The whole app lives on 24 Nov 2026 at 12:00 Pacific (inside the contact window), whatever today is.
const noon = new Date('2026-11-24T20:00:00Z'); // 12:00 Pacific
fixAppClock(noon);

describe.each(DIALECTS)('debtor compliance routes on %s', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  let agency: string;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 30, config: { smtpUrl: smtp.url } });
    agency = await api.login('demo.agency');
  });
  afterAll(async () => {
    await api?.close();
    await smtp?.close();
  });

  /** The debtor opens a payment link: a real debtor session for that one account. */
  const sessionFor = (accountPublicId: string) => linkSession(api, agency, accountPublicId);
  const call = async (token: string | null, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await api.request(path, { ...(token ? { token } : {}), ...(body === undefined ? {} : { body }), headers: { 'User-Agent': 'debtor-browser/1.0', ...headers } });
    return { status: res.status, body: res.body as Record<string, any>, headers: res.headers };
  };

  it('consent: statement, affirmative consent recorded with time/IP/version, mail flows; withdrawal stops it', async () => {
    const d = await makeDebtor(api, 0, { state: 'OR', zip: '97201' });
    expect((await call(null, '/pay/esign')).status).toBe(401);
    expect((await call(agency, '/pay/esign')).status).toBe(401); // a portal user's token is not a debtor session
    const debtor = await sessionFor(d.accountPublicId);
    const state = await call(debtor, '/pay/esign');
    expect(state.status).toBe(200);
    expect(state.body.consent).toBeNull();
    expect(state.body.statement.text).toContain('on paper');
    const version = state.body.statement.version as string;

    expect((await call(debtor, '/pay/esign/consent', { statementVersion: 'old', agree: true, channels: { email: true, sms: false }, email: d.email })).body.code).toBe('unknown_statement_version');
    expect((await call(debtor, '/pay/esign/consent', { statementVersion: version, agree: false, channels: { email: true, sms: false }, email: d.email })).status).toBe(400);
    expect((await call(debtor, '/pay/esign/consent', { statementVersion: version, agree: true, channels: { email: true, sms: false } })).body.code).toBe('email_required');
    const given = await call(debtor, '/pay/esign/consent', { statementVersion: version, agree: true, channels: { email: true, sms: false }, email: d.email.toUpperCase() });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({
      id: ID('cns'), statementVersion: version, statementHash: state.body.statement.hash, channels: { email: true, sms: false },
      emailAddress: d.email, ip: expect.stringContaining('127.0.0.1'), userAgent: 'debtor-browser/1.0', withdrawnAt: null,
    });
    expect((await call(debtor, '/pay/esign')).body.consent.id).toBe(given.body.id);
    const audit = await api.db('audit_log').where({ action: 'esign.consented', targetId: given.body.id }).first('actorType', 'actorId');
    expect(audit).toEqual({ actorType: 'debtor', actorId: expect.stringMatching(/^dss_/) });

    const sent = await emailTo(api, d, `pay-consented-${dialect}`, noon);
    await deliverOutbox({ config: api.config, db: api.db });
    expect((await outboxRow(api, sent)).status).toBe('sent');
    await smtp.waitFor(1);

    expect((await call(debtor, '/pay/esign/withdraw', {})).body).toEqual({ withdrawn: 1 });
    const blocked = await emailTo(api, d, `pay-withdrawn-${dialect}`, noon);
    await deliverOutbox({ config: api.config, db: api.db });
    expect((await outboxRow(api, blocked)).status).toBe('cancelled');
    expect(smtp.messages.filter((m) => m.subject === `pay-withdrawn-${dialect}`)).toHaveLength(0);
  });

  it('validation information and an online dispute: hold at once, inbox task, confirmation shown', async () => {
    const d = await makeDebtor(api, 1, { state: 'OR', zip: '97201' });
    await api.db('accounts').where({ id: d.accountId }).update({ status: 'active' });
    const debtor = await sessionFor(d.accountPublicId);
    const v = await call(debtor, '/pay/validation');
    expect(v.status).toBe(200);
    expect(v.body).toEqual(await validationInformation(api.db, d.accountId));

    const body = { kind: 'dispute', scope: 'all', reasonCode: 'not_mine', reason: 'I never lived at this address.' };
    const dispute = await call(debtor, '/pay/disputes', body, { 'Idempotency-Key': `pay-dispute-${dialect}` });
    expect(dispute.status).toBe(201);
    // a double submit with the same key opens one dispute
    const again = await call(debtor, '/pay/disputes', body, { 'Idempotency-Key': `pay-dispute-${dialect}` });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(dispute.body.id);
    expect(await api.db('disputes').where({ accountId: d.accountId }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(dispute.body).toMatchObject({ submittedVia: 'debtor', accountStatus: 'disputed', confirmation: { reference: dispute.body.id } });
    expect(await api.db('tasks').where({ sourceId: dispute.body.id }).first('kind', 'status')).toEqual({ kind: 'dispute', status: 'open' });
    expect(await api.db('activity').where({ accountId: d.accountId, type: 'dispute' }).first('actorName', 'visibility')).toEqual({ actorName: 'Debtor (online)', visibility: 'client' });
    // no consent: the confirmation is on screen only
    await deliverOutbox({ config: api.config, db: api.db });
    expect(await api.db('outbox').where({ dedupeKey: `dispute-confirmation:${dispute.body.id}` }).first('status')).toEqual({ status: 'cancelled' });
    expect((await call('not-a-session', '/pay/validation')).status).toBe(401);
  });

  it('opt-out from the debtor flow covers the addresses on file', async () => {
    const d = await makeDebtor(api, 2, { state: 'OR', zip: '97201' });
    const debtor = await sessionFor(d.accountPublicId);
    expect((await call(debtor, '/pay/opt-outs', { channel: 'sms' })).body).toEqual({ optedOut: 1 });
    expect(await api.db('contact_optouts').where({ channel: 'sms', address: d.phone }).first('source', 'accountId')).toEqual({ source: 'debtor_flow', accountId: d.accountId });
    expect((await call(debtor, '/pay/opt-outs', { channel: 'fax' })).status).toBe(400);
  });
});

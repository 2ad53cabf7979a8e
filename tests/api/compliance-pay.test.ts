/**
 * The debtor's compliance routes under /pay. Until the debtor session of issue 7 is on main, the
 * routes are mounted here with a test resolver that names the account in a header (the one thing
 * issue 7's session check supplies); everything behind it — consent records, the outbox, disputes,
 * the inbox task — is the real code on a real database and SMTP peer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Koa from 'koa';
import Router from '@koa/router';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import '../../api/jobs-registry.js';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import type { AppState } from '../../api/platform/http/context.js';
import { requestIdMiddleware } from '../../api/platform/http/request-id.js';
import { problemMiddleware } from '../../api/platform/http/problem.js';
import { jsonBodyMiddleware } from '../../api/platform/http/body.js';
import { mountRoutes } from '../../api/platform/http/route.js';
import { unauthorized } from '../../api/platform/errors.js';
import { deliverOutbox } from '../../api/platform/outbox.js';
import { payComplianceRoutes, type DebtorResolver } from '../../api/compliance/pay-compliance.routes.js';
import { validationInformation } from '../../api/compliance/validation.service.js';
import { emailTo, makeDebtor, outboxRow } from './compliance-helpers.js';

/** Stands in for issue 7's debtor session check: the account named by the session. */
const testDebtor: DebtorResolver = async (_deps, ctx) => {
  const account = ctx.get('X-Test-Debtor-Account');
  if (!account) throw unauthorized('No debtor session.', 'debtor_session_required');
  return { accountPublicId: account, sessionId: 'dss_test' };
};

describe.each(DIALECTS)('debtor compliance routes on %s', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 30, config: { smtpUrl: smtp.url } });
    const app = new Koa<AppState>();
    const router = new Router<AppState>({ prefix: '/api/v1' });
    mountRoutes(router, { config: api.config, db: api.db }, payComplianceRoutes({ config: api.config, db: api.db }, testDebtor));
    app.use(requestIdMiddleware()).use(problemMiddleware()).use(jsonBodyMiddleware()).use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await api?.close();
    await smtp?.close();
  });

  const call = async (account: string | null, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(account ? { 'X-Test-Debtor-Account': account } : {}), 'Content-Type': 'application/json', 'User-Agent': 'debtor-browser/1.0' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const noon = new Date('2026-11-24T20:00:00Z'); // 12:00 Pacific

  it('consent: statement, affirmative consent recorded with time/IP/version, mail flows; withdrawal stops it', async () => {
    const d = await makeDebtor(api, 0, { state: 'OR', zip: '97201' });
    expect((await call(null, '/pay/esign')).status).toBe(401);
    const state = await call(d.accountPublicId, '/pay/esign');
    expect(state.status).toBe(200);
    expect(state.body.consent).toBeNull();
    expect(state.body.statement.text).toContain('on paper');
    const version = state.body.statement.version as string;

    expect((await call(d.accountPublicId, '/pay/esign/consent', { statementVersion: 'old', agree: true, channels: { email: true, sms: false }, email: d.email })).body.code).toBe('unknown_statement_version');
    expect((await call(d.accountPublicId, '/pay/esign/consent', { statementVersion: version, agree: false, channels: { email: true, sms: false }, email: d.email })).status).toBe(400);
    expect((await call(d.accountPublicId, '/pay/esign/consent', { statementVersion: version, agree: true, channels: { email: true, sms: false } })).body.code).toBe('email_required');
    const given = await call(d.accountPublicId, '/pay/esign/consent', { statementVersion: version, agree: true, channels: { email: true, sms: false }, email: d.email.toUpperCase() });
    expect(given.status).toBe(201);
    expect(given.body).toMatchObject({
      id: ID('cns'), statementVersion: version, statementHash: state.body.statement.hash, channels: { email: true, sms: false },
      emailAddress: d.email, ip: expect.stringContaining('127.0.0.1'), userAgent: 'debtor-browser/1.0', withdrawnAt: null,
    });
    expect((await call(d.accountPublicId, '/pay/esign')).body.consent.id).toBe(given.body.id);
    const audit = await api.db('audit_log').where({ action: 'esign.consented', targetId: given.body.id }).first('actorType', 'actorId');
    expect(audit).toEqual({ actorType: 'debtor', actorId: 'dss_test' });

    const sent = await emailTo(api, d, `pay-consented-${dialect}`, noon);
    await deliverOutbox({ config: api.config, db: api.db }, { now: noon });
    expect((await outboxRow(api, sent)).status).toBe('sent');
    await smtp.waitFor(1);

    expect((await call(d.accountPublicId, '/pay/esign/withdraw', {})).body).toEqual({ withdrawn: 1 });
    const blocked = await emailTo(api, d, `pay-withdrawn-${dialect}`, noon);
    await deliverOutbox({ config: api.config, db: api.db }, { now: noon });
    expect((await outboxRow(api, blocked)).status).toBe('cancelled');
    expect(smtp.messages.filter((m) => m.subject === `pay-withdrawn-${dialect}`)).toHaveLength(0);
  });

  it('validation information and an online dispute: hold at once, inbox task, confirmation shown', async () => {
    const d = await makeDebtor(api, 1, { state: 'OR', zip: '97201' });
    await api.db('accounts').where({ id: d.accountId }).update({ status: 'active' });
    const v = await call(d.accountPublicId, '/pay/validation');
    expect(v.status).toBe(200);
    expect(v.body).toEqual(await validationInformation(api.db, d.accountId));

    const dispute = await call(d.accountPublicId, '/pay/disputes', { kind: 'dispute', scope: 'all', reasonCode: 'not_mine', reason: 'I never lived at this address.' });
    expect(dispute.status).toBe(201);
    expect(dispute.body).toMatchObject({ submittedVia: 'debtor', accountStatus: 'disputed', confirmation: { reference: dispute.body.id } });
    expect(await api.db('tasks').where({ sourceId: dispute.body.id }).first('kind', 'status')).toEqual({ kind: 'dispute', status: 'open' });
    expect(await api.db('activity').where({ accountId: d.accountId, type: 'dispute' }).first('actorName', 'visibility')).toEqual({ actorName: 'Debtor (online)', visibility: 'client' });
    // no consent: the confirmation is on screen only
    await deliverOutbox({ config: api.config, db: api.db }, { now: noon });
    expect(await api.db('outbox').where({ dedupeKey: `dispute-confirmation:${dispute.body.id}` }).first('status')).toEqual({ status: 'cancelled' });
    expect((await call('acct_unknown00000000000000000', '/pay/validation')).status).toBe(404);
  });

  it('opt-out from the debtor flow covers the addresses on file', async () => {
    const d = await makeDebtor(api, 2, { state: 'OR', zip: '97201' });
    expect((await call(d.accountPublicId, '/pay/opt-outs', { channel: 'sms' })).body).toEqual({ optedOut: 1 });
    expect(await api.db('contact_optouts').where({ channel: 'sms', address: d.phone }).first('source', 'accountId')).toEqual({ source: 'debtor_flow', accountId: d.accountId });
    expect((await call(d.accountPublicId, '/pay/opt-outs', { channel: 'fax' })).status).toBe(400);
  });
});

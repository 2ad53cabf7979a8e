/**
 * Contact rules in the outbox (issue 9): no debtor email/SMS without E-SIGN consent, none after
 * withdrawal or opt-out (checked at a real SMTP peer and in sms_log), an opt-out on every message,
 * STOP by SMS, and the 8 am–9 pm window at the debtor's address with a fixed clock in several zones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../api/jobs-registry.js';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import type { ParsedMail } from 'mailparser';
import { deliverOutbox, enqueueEmail } from '../../api/platform/outbox.js';
import { toIso } from '../../api/platform/db.js';
import { smsSignature } from '../../api/compliance/sms-inbound.js';
import { isInsideWindow, nextWindowOpening } from '../../api/compliance/contact-window.js';
import { ALL_US_ZONES, zonesForAddress } from '../../api/compliance/us-time-zones.js';
import { consent, emailTo, makeDebtor, outboxRow, smsTo } from './compliance-helpers.js';
import { recordOptOut } from '../../api/compliance/optouts.service.js';
import { atInstant } from './test-clock.js';

const at = (iso: string) => new Date(iso);
/** The raw value of a header as sent (mailparser turns List-* headers into objects). */
const rawHeader = (mail: ParsedMail, name: string) => {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line ? line.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, '').trim() : undefined;
};

describe('contact window (fixed clock, several zones)', () => {
  it('maps addresses to zones, splitting states by ZIP', () => {
    expect(zonesForAddress('OR', '97201')).toEqual(['America/Los_Angeles']);
    expect(zonesForAddress('NY', '10001')).toEqual(['America/New_York']);
    expect(zonesForAddress('TX', '79901')).toEqual(['America/Denver']); // El Paso
    expect(zonesForAddress('TX', '75201')).toEqual(['America/Chicago']); // Dallas
    expect(zonesForAddress('TX', null)).toEqual(['America/Chicago', 'America/Denver']);
    expect(zonesForAddress('FL', '32501')).toEqual(['America/Chicago']); // Pensacola
    expect(zonesForAddress('FL', '33101')).toEqual(['America/New_York']); // Miami
    expect(zonesForAddress('AZ', '85001')).toEqual(['America/Phoenix']);
    expect(zonesForAddress(null, '97201')).toEqual([...ALL_US_ZONES]);
    expect(zonesForAddress('ZZ', null)).toEqual([...ALL_US_ZONES]);
  });

  it('opens at 8 am and closes at 9 pm local time, with daylight saving time', () => {
    const ny = ['America/New_York'];
    expect(isInsideWindow(at('2026-11-24T12:59:59Z'), ny)).toBe(false); // 7:59 EST
    expect(isInsideWindow(at('2026-11-24T13:00:00Z'), ny)).toBe(true); // 8:00 EST
    expect(isInsideWindow(at('2026-11-25T01:59:59Z'), ny)).toBe(true); // 20:59 EST
    expect(isInsideWindow(at('2026-11-25T02:00:00Z'), ny)).toBe(false); // 21:00 EST
    expect(isInsideWindow(at('2026-07-01T12:30:00Z'), ny)).toBe(true); // 8:30 EDT (7:30 in winter)
    expect(isInsideWindow(at('2026-07-01T12:30:00Z'), ['America/Phoenix'])).toBe(false); // 5:30 MST, no DST
    expect(nextWindowOpening(at('2026-11-24T12:30:00Z'), ny)).toEqual(at('2026-11-24T13:00:00Z'));
    expect(nextWindowOpening(at('2026-11-25T03:15:00Z'), ny)).toEqual(at('2026-11-25T13:00:00Z'));
    expect(nextWindowOpening(at('2026-11-24T15:00:00Z'), ['America/Los_Angeles'])).toEqual(at('2026-11-24T16:00:00Z'));
    expect(nextWindowOpening(at('2026-11-24T14:10:00Z'), ['America/Chicago', 'America/Denver'])).toEqual(at('2026-11-24T15:00:00Z'));
  });

  it('with an unknown zone, allows only what is inside the window in every US zone', () => {
    // 20:00Z: 3 pm in New York but 6 am in Guam → wait for 22:00Z (5 pm ET, 8 am Guam, noon Honolulu)
    expect(isInsideWindow(at('2026-11-24T20:00:00Z'), ALL_US_ZONES)).toBe(false);
    expect(nextWindowOpening(at('2026-11-24T20:00:00Z'), ALL_US_ZONES)).toEqual(at('2026-11-24T22:00:00Z'));
    // and closes when it is 9 pm in Puerto Rico (UTC−4, no daylight saving time)
    expect(isInsideWindow(at('2026-11-25T00:59:00Z'), ALL_US_ZONES)).toBe(true);
    expect(isInsideWindow(at('2026-11-25T01:00:00Z'), ALL_US_ZONES)).toBe(false);
  });
});

describe.each(DIALECTS)('contact rules in the outbox on %s', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 40, config: { smtpUrl: smtp.url, publicUrl: 'http://portal.test' } });
  });
  afterAll(async () => {
    await api?.close();
    await smtp?.close();
  });
  const deps = () => ({ config: api.config, db: api.db });
  const deliver = (now: Date) => atInstant(now, () => deliverOutbox(deps()));
  const received = (subject: string) => smtp.messages.filter((m) => m.subject === subject);

  it('sends no notice before consent and none after withdrawal; sends with consent, carrying the opt-out', async () => {
    const d = await makeDebtor(api, 0, { state: 'OR', zip: '97201' });
    const noon = at('2026-11-24T20:00:00Z'); // 12:00 Pacific
    const before = await emailTo(api, d, `before-consent-${dialect}`, noon);
    await deliver(noon);
    expect(await outboxRow(api, before)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringMatching(/^no_esign_consent/) });

    await consent(api, d, { email: true, sms: false });
    const after = await emailTo(api, d, `after-consent-${dialect}`, noon);
    await deliver(noon);
    expect((await outboxRow(api, after)).status).toBe('sent');
    const [mail] = await smtp.waitFor(1).then(() => received(`after-consent-${dialect}`));
    expect(mail).toBeDefined();
    expect(received(`before-consent-${dialect}`)).toHaveLength(0);
    const listUnsubscribe = rawHeader(mail!, 'List-Unsubscribe');
    expect(listUnsubscribe).toMatch(/^<http:\/\/portal\.test\/api\/v1\/pay\/unsubscribe\?token=[^>]+>$/);
    expect(rawHeader(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail!.text).toContain('To stop receiving these emails, open this link: http://portal.test/api/v1/pay/unsubscribe?token=');
    expect(mail!.html).toContain('unsubscribe here</a>');

    // the agency records a withdrawal received by phone: the next notice is not sent
    const token = await api.login('demo.agency');
    const w = await api.request(`/accounts/${d.accountPublicId}/esign-consents/withdraw`, { token, body: { note: 'Debtor called and withdrew consent.' } });
    expect(w.status).toBe(200);
    expect(w.body).toEqual({ withdrawn: 1 });
    const afterWithdrawal = await emailTo(api, d, `after-withdrawal-${dialect}`, noon);
    await deliver(noon);
    expect(await outboxRow(api, afterWithdrawal)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringMatching(/^no_esign_consent/) });
    expect(received(`after-withdrawal-${dialect}`)).toHaveLength(0);
    const audit = await api.db('audit_log').whereIn('action', ['esign.consented', 'esign.withdrawn']).orderBy('id').select('action', 'actorType', 'ip');
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['esign.consented', 'esign.withdrawn']);
  });

  it('honours the unsubscribe link at once (GET by a person, POST one-click by a mail client)', async () => {
    const d = await makeDebtor(api, 1, { state: 'NY', zip: '10001' });
    await consent(api, d);
    const t = at('2026-11-24T17:00:00Z'); // noon Eastern
    await emailTo(api, d, `with-link-${dialect}`, t);
    await deliver(t);
    const [mail] = await smtp.waitFor(2).then(() => received(`with-link-${dialect}`));
    const url = new URL(/<([^>]+)>/.exec(rawHeader(mail!, 'List-Unsubscribe')!)![1]!);
    // the link names the message, never the address (URLs end up in access logs)
    expect(url.search).not.toContain(encodeURIComponent(d.email));
    expect(Buffer.from(url.searchParams.get('token')!.split('.')[0]!, 'utf8').toString()).toMatch(/^msg_/);

    const page = await api.request(`${url.pathname.replace('/api/v1', '')}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('You are unsubscribed');
    const next = await emailTo(api, d, `after-unsubscribe-${dialect}`, t);
    await deliver(t);
    expect(await outboxRow(api, next)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringMatching(/^opted_out/) });
    expect(received(`after-unsubscribe-${dialect}`)).toHaveLength(0);

    // RFC 8058 one-click: a form post; repeating it is harmless
    const oneClick = await api.request(`/pay/unsubscribe${url.search}`, { method: 'POST', rawBody: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(oneClick.status).toBe(200);
    expect(oneClick.body).toEqual({ optedOut: true, channel: 'email' });
    const rows = await api.db('contact_optouts').where({ address: d.email }).select('channel', 'source', 'accountId');
    expect(rows).toEqual([{ channel: 'email', source: 'email_link', accountId: d.accountId }]);

    // a tampered token is refused; forms stay refused elsewhere
    const bad = await api.request(`/pay/unsubscribe?token=${encodeURIComponent(url.searchParams.get('token')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))}`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_unsubscribe_link');
    const form = await api.request('/auth/login', { method: 'POST', rawBody: 'username=a', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('texts carry "Reply STOP"; a signed STOP opts the number out at once, START back in', async () => {
    const d = await makeDebtor(api, 2, { state: 'TX', zip: '75201' });
    await consent(api, d);
    const t = at('2026-11-24T18:00:00Z'); // noon Central
    const first = await smsTo(api, d, `Your plan payment is due ${dialect}.`, t);
    await deliver(t);
    const sent = (await api.db('sms_log').where({ outboxPublicId: first }).first()) as { body: string; recipient: string };
    expect(sent.body).toBe(`Your plan payment is due ${dialect}.\nReply STOP to opt out.`);

    const inbound = (text: string, signature?: string) => {
      const ts = Math.floor(Date.now() / 1000);
      const from = `+1${d.phone}`;
      return api.request('/pay/sms/inbound', {
        body: { from, to: '+15035550100', text },
        headers: { 'X-CollectKit-Signature': signature ?? `t=${ts},v1=${smsSignature(api.config.smsWebhookSecret, ts, from, text)}` },
      });
    };
    expect((await inbound('STOP', 't=1,v1=00')).status).toBe(401);
    expect((await inbound('hello')).body).toEqual({ action: 'ignored' });
    const stop = await inbound('Stop please');
    expect(stop.status).toBe(200);
    expect(stop.body).toEqual({ action: 'opted_out' });
    const blocked = await smsTo(api, d, 'blocked', t);
    await deliver(t);
    expect(await outboxRow(api, blocked)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringMatching(/^opted_out/) });
    expect(await api.db('sms_log').where({ outboxPublicId: blocked }).first()).toBeUndefined();

    expect((await inbound('START')).body).toEqual({ action: 'opted_in' });
    // a sender that already wrote the STOP line does not get a second one
    const own = await smsTo(api, d, 'Pay online: https://pay.example/x Reply STOP to opt out.', t);
    await deliver(t);
    expect(await api.db('sms_log').where({ outboxPublicId: own }).first('body')).toEqual({ body: 'Pay online: https://pay.example/x Reply STOP to opt out.' });
    const again = await smsTo(api, d, 'again', t);
    await deliver(t);
    expect((await outboxRow(api, again)).status).toBe('sent');
    const optouts = await api.db('contact_optouts').where({ channel: 'sms', address: d.phone }).select('source', 'detail', 'accountId', 'revokedAt');
    expect(optouts).toHaveLength(1);
    expect(optouts[0]).toMatchObject({ source: 'sms_keyword', detail: 'Stop please', accountId: d.accountId });
    expect(optouts[0].revokedAt).not.toBeNull();
  });

  it('holds debtor messages outside 8 am–9 pm at the address and sends them when the window opens', async () => {
    const pacific = await makeDebtor(api, 3, { state: 'OR', zip: '97201' });
    const elPaso = await makeDebtor(api, 4, { state: 'TX', zip: '79901' });
    const unknown = await makeDebtor(api, 5, { state: null, zip: null });
    for (const d of [pacific, elPaso, unknown]) await consent(api, d);
    const early = at('2026-11-24T14:30:00Z'); // 6:30 Pacific, 7:30 Mountain, 8:30 Eastern
    const ids = {
      pacific: await emailTo(api, pacific, `window-pacific-${dialect}`, early),
      elPaso: await emailTo(api, elPaso, `window-elpaso-${dialect}`, early),
      unknown: await emailTo(api, unknown, `window-unknown-${dialect}`, early),
    };
    const first = await deliver(early);
    expect(first.held).toBe(3);
    const notBefore = async (id: string) => toIso((await outboxRow(api, id)).notBefore);
    expect(await notBefore(ids.elPaso)).toBe('2026-11-24T15:00:00.000Z'); // 8:00 Mountain
    expect(await notBefore(ids.pacific)).toBe('2026-11-24T16:00:00.000Z'); // 8:00 Pacific
    expect(await notBefore(ids.unknown)).toBe('2026-11-24T22:00:00.000Z'); // 8:00 Guam (5 pm Eastern)
    expect((await outboxRow(api, ids.pacific)).attempts).toBe(0); // a hold is not a failed attempt

    expect((await deliver(at('2026-11-24T15:00:00Z'))).sent).toBe(1);
    expect((await deliver(at('2026-11-24T16:00:00Z'))).sent).toBe(1);
    expect((await deliver(at('2026-11-24T21:59:00Z'))).sent).toBe(0);
    expect((await deliver(at('2026-11-24T22:00:00Z'))).sent).toBe(1);
    await smtp.waitFor(5);
    for (const s of ['pacific', 'elpaso', 'unknown']) expect(received(`window-${s}-${dialect}`)).toHaveLength(1);

    // late evening: 21:30 Pacific → next morning 8:00 Pacific
    const late = await emailTo(api, pacific, `window-late-${dialect}`, at('2026-11-25T05:30:00Z'));
    await deliver(at('2026-11-25T05:30:00Z'));
    expect(await notBefore(late)).toBe('2026-11-25T16:00:00.000Z');
  });

  it('a payment link needs no E-SIGN consent but still respects opt-outs and the window', async () => {
    const d = await makeDebtor(api, 8, { state: 'OR', zip: '97201' });
    const link = (at: Date) => api.db.transaction((trx) => enqueueEmail(trx, { to: d.email, subject: `pay-link-${dialect}`, text: 'Pay online', category: 'pay.link', accountId: d.accountId, partyId: d.partyId, notBefore: at }));
    const night = await link(at('2026-11-24T12:00:00Z')); // 4 am Pacific
    await deliver(at('2026-11-24T12:00:00Z'));
    expect(toIso((await outboxRow(api, night)).notBefore)).toBe('2026-11-24T16:00:00.000Z');
    await deliver(at('2026-11-24T16:00:00Z'));
    expect((await outboxRow(api, night)).status).toBe('sent');
    await api.db.transaction((trx) => recordOptOut(trx, { channel: 'email', address: d.email, accountId: d.accountId, source: 'agency', actor: { type: 'system' } }));
    const after = await link(at('2026-11-24T20:00:00Z'));
    await deliver(at('2026-11-24T20:00:00Z'));
    expect(await outboxRow(api, after)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringMatching(/^opted_out/) });
  });

  it('leaves messages to portal users alone (no consent needed, any hour)', async () => {
    const d = await makeDebtor(api, 6, { state: 'OR', zip: '97201' });
    const night = at('2026-11-24T11:00:00Z'); // 3 am Pacific
    const reset = await api.db.transaction((trx) => enqueueEmail(trx, { to: 'dana.whitfield@cascadepower.example', subject: `reset-${dialect}`, text: 'reset link', category: 'password_reset', notBefore: night }));
    // about an account, but to the client user: a client notice, not a debtor message
    const clientNotice = await api.db.transaction((trx) => enqueueEmail(trx, { to: 'Dana.Whitfield@cascadepower.example', subject: `client-notice-${dialect}`, text: 'A dispute was opened.', category: 'client_notice', accountId: d.accountId, notBefore: night }));
    // about an account, to an address the debtor typed elsewhere (no partyId): still a debtor message
    const typed = await api.db.transaction((trx) => enqueueEmail(trx, { to: `typed-${dialect}@mail.example`, subject: `typed-${dialect}`, text: 'receipt', category: 'receipt', accountId: d.accountId, notBefore: night }));
    await deliver(night);
    expect((await outboxRow(api, reset)).status).toBe('sent');
    expect((await outboxRow(api, clientNotice)).status).toBe('sent');
    expect(await outboxRow(api, typed)).toMatchObject({ status: 'cancelled', cancelReason: expect.stringMatching(/^no_esign_consent/) });
    const [notice] = await smtp.waitFor(8).then(() => received(`client-notice-${dialect}`));
    expect(rawHeader(notice!, 'List-Unsubscribe')).toBeUndefined();
  });

  it('agency opt-out route: permission and tenancy', async () => {
    const d = await makeDebtor(api, 7, { state: 'OR', zip: '97201' });
    const other = await makeDebtor(api, 0, { state: 'OR', zip: '97201' }, 'SBRH');
    const agency = await api.login('demo.agency');
    const client = await api.login('demo.client');
    const body = { channel: 'email', address: d.email.toUpperCase(), note: 'Asked by phone to stop emails.' };
    const viewer = await api.db.transaction(async (trx) => {
      const { createUser } = await import('../../api/users/users.service.js');
      await createUser(trx, { username: `viewer.${dialect}`, email: `viewer.${dialect}@cascadepower.example`, firstName: 'Vi', lastName: 'Ewer', roleKey: 'client_viewer', clientCodes: ['CPL'], password: 'Viewer-Pass-2026!', onboarded: true }, api.config.scryptCost, { type: 'system', id: 'test' });
    }).then(() => api.login(`viewer.${dialect}`, 'Viewer-Pass-2026!'));
    expect((await api.request(`/accounts/${d.accountPublicId}/opt-outs`, { token: viewer, body })).status).toBe(403);
    expect((await api.request(`/accounts/${other.accountPublicId}/opt-outs`, { token: client, body })).status).toBe(404);
    expect((await api.request(`/accounts/acct_doesnotexist0000000000000/opt-outs`, { token: agency, body })).status).toBe(404);
    const ok = await api.request(`/accounts/${d.accountPublicId}/opt-outs`, { token: agency, body });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ created: true });
    const again = await api.request(`/accounts/${d.accountPublicId}/opt-outs`, { token: agency, body });
    expect(again.body).toEqual({ id: ok.body.id, created: false });
    expect(await api.db('contact_optouts').where({ publicId: ok.body.id }).first('address')).toEqual({ address: d.email });
    expect(await api.db('audit_log').where({ action: 'contact.opted_out', targetId: ok.body.id }).first('actorType')).toEqual({ actorType: 'user' });
    // a client manager of the other client may record there; the agency sees every client
    const group = await api.login('demo.group');
    expect((await api.request(`/accounts/${other.accountPublicId}/esign-consents/withdraw`, { token: group, body: { note: 'x' } })).body).toEqual({ withdrawn: 0 });
    expect((await api.request(`/accounts/${other.accountPublicId}/esign-consents/withdraw`, { token: agency, body: { note: 'x' } })).body).toEqual({ withdrawn: 0 });
  });
});

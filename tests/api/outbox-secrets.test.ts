/**
 * Issue 18 item 9: payment-link and password-reset tokens never rest readable in the database —
 * not in the outbox while a message waits (sealed with the data key), not in any table after it
 * was sent (the sealed box is dropped; the SMS log keeps the text without the link) — while the
 * mail at a real SMTP peer and the text handed to the SMS provider carry the working link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { giveConsent, inContactWindow, linkSession } from './pay-helpers.js';
import '../../api/jobs-registry.js';
import { deliverOutbox, registerSmsProvider } from '../../api/platform/outbox.js';
import { isMysql } from '../../api/platform/db.js';
import { createUser } from '../../api/users/users.service.js';
import { atInstant } from './test-clock.js';

/** Texts as the SMS network receives them (the provider boundary), and what the provider may store. */
const network: { to: string; body: string; bodyAtRest: string }[] = [];
registerSmsProvider('capture-network', { async send(_deps, m) { network.push(m); return { messageId: `net-${m.outboxId}` }; } });

describe.each(DIALECTS)('secrets in sent messages (%s)', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 40, config: { smtpUrl: smtp.url } });
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });

  /** Every row of every table, as text. */
  async function everyTable(): Promise<Map<string, string>> {
    const names = isMysql(api.db)
      ? ((await api.db.raw('select table_name as name from information_schema.tables where table_schema = database()'))[0] as { name: string }[]).map((r) => r.name ?? (r as unknown as { NAME: string }).NAME)
      : ((await api.db.raw("select name from sqlite_master where type = 'table'")) as { name: string }[]).map((r) => r.name);
    const out = new Map<string, string>();
    for (const name of names) out.set(name, JSON.stringify(await api.db(name).select()));
    return out;
  }
  async function tablesHolding(secret: string): Promise<string[]> {
    return [...(await everyTable())].filter(([, text]) => text.includes(secret)).map(([name]) => name);
  }

  it('a payment link by email and by SMS, and a password reset: readable in the messages received, in no table before or after sending', async () => {
    const agency = await api.login('demo.agency');
    const target = (await api.db('accounts').join('account_parties as p', 'p.account_id', 'accounts.id')
      .where({ 'accounts.status': 'active', 'accounts.review_status': 'accepted', 'p.role': 'responsible' })
      .whereNot('p.emails', '[]').where('p.phones', 'like', '%mobile%').first('accounts.public_id', 'p.emails', 'p.phones')) as { publicId: string; emails: string; phones: string };
    const email = (JSON.parse(target.emails) as string[])[0]!;
    const mobile = (JSON.parse(target.phones) as { type: string; number: string }[]).find((p) => p.type === 'mobile')!.number;
    await giveConsent(api, await linkSession(api, agency, target.publicId), { email, phone: mobile });

    const byMail = await api.request(`/agency/accounts/${target.publicId}/payment-links`, { token: agency, body: { send: 'email' } });
    const byText = await api.request(`/agency/accounts/${target.publicId}/payment-links`, { token: agency, body: { send: 'sms' } });
    expect([byMail.status, byText.status]).toEqual([201, 201]);
    await api.db.transaction((trx) => createUser(trx, { username: 'secret.reset', email: 'secret.reset@example.test', firstName: 'Sam', lastName: 'Secret', roleKey: 'client_manager', clientCodes: ['CPL'], password: 'Correct-Horse-Battery-9', onboarded: true }, api.config.scryptCost, { type: 'system' }));
    expect((await api.request('/auth/forgot-password', { body: { email: 'secret.reset@example.test' } })).status).toBe(202);

    // waiting in the outbox: sealed, no table holds a link token
    expect(await tablesHolding(byMail.body.token)).toEqual([]);
    expect(await tablesHolding(byText.body.token)).toEqual([]);

    const before = smtp.messages.length;
    await atInstant(inContactWindow(), () => deliverOutbox({ db: api.db, config: api.config }));
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    const linkMail = mails.find((m) => m.subject?.startsWith('Your payment link'))!;
    expect(linkMail.text).toContain(byMail.body.url);
    expect(linkMail.html).toContain(byMail.body.url);
    const resetMail = mails.find((m) => m.subject === 'Reset your portal password')!;
    const resetToken = decodeURIComponent(/#reset-password=([^\s]+)/.exec(resetMail.text!)![1]!);
    expect(resetToken.length).toBeGreaterThanOrEqual(40);
    // the SMS provider (the `log` one by default) stored the text without the link
    const logged = (await api.db('sms_log').orderBy('id', 'desc').first()) as { body: string };
    expect(logged.body).toContain('[link removed after sending]');

    // sent: in no table at all, and the outbox rows say where the link was
    for (const secret of [byMail.body.token, byText.body.token, resetToken]) expect(await tablesHolding(secret)).toEqual([]);
    const sent = await api.db('outbox').whereIn('category', ['pay.link', 'auth.password_reset']).select('status', 'body_text', 'body_html');
    expect(sent.map((r: { status: string }) => r.status)).toEqual(['sent', 'sent', 'sent']);
    for (const r of sent as { bodyText: string; bodyHtml: string | null }[]) {
      expect(r.bodyText).toContain('[link removed after sending]');
      expect(r.bodyText).not.toContain('ck-secret');
    }
    // the links still work: the token was only ever in the messages
    expect((await api.request('/pay/session/link', { body: { linkToken: byMail.body.token } })).status).toBe(201);
  });

  it('the text handed to the SMS network carries the link; what the provider may keep does not', async () => {
    const agency = await api.login('demo.agency');
    const target = (await api.db('accounts').join('account_parties as p', 'p.account_id', 'accounts.id')
      .where({ 'accounts.status': 'active', 'accounts.review_status': 'accepted', 'p.role': 'responsible' })
      .where('p.phones', 'like', '%mobile%').orderBy('accounts.id', 'desc').first('accounts.public_id', 'p.phones')) as { publicId: string; phones: string };
    const mobile = (JSON.parse(target.phones) as { type: string; number: string }[]).find((p) => p.type === 'mobile')!.number;
    await giveConsent(api, await linkSession(api, agency, target.publicId), { phone: mobile });
    const link = await api.request(`/agency/accounts/${target.publicId}/payment-links`, { token: agency, body: { send: 'sms' } });
    expect(link.status).toBe(201);
    await atInstant(inContactWindow(), () => deliverOutbox({ db: api.db, config: { ...api.config, smsProvider: 'capture-network' } }));
    const text = network.find((m) => m.body.includes(link.body.token))!;
    expect(text.body).toContain(link.body.url);
    expect(text.bodyAtRest).not.toContain(link.body.token);
    expect(await tablesHolding(link.body.token)).toEqual([]);
  });
});

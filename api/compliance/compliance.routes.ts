/**
 * Compliance routes. Public, under /pay: the signed unsubscribe link (GET from a person, POST from
 * a mail client's one-click), the SMS provider's inbound webhook, the E-SIGN statement. Agency side:
 * opt-outs and consent withdrawals received by phone or mail.
 * The debtor's own consent/dispute routes need the debtor session of the pay flow (issue 7).
 */
import { say, wordsOf } from '../../i18n/catalogue.js';
import { requestLang } from '../platform/http/debtor-lang.js';
import type { AppDeps } from '../platform/http/context.js';
import { route, type AnyRoute } from '../platform/http/route.js';
import { acceptFormBody } from '../platform/http/body.js';
import { badRequest } from '../platform/errors.js';
import { Problem } from '../auth/auth.schema.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import {
  AccountIdParams, EsignStatementOut, InboundSmsBody, InboundSmsResult, OneClickBody, OptOutBody, OptOutResult, UnsubscribeQuery,
  UnsubscribeResult, WithdrawConsentBody, WithdrawConsentResult, ValidationInformation, NewDisputeBody, DisputeCreated, DisputeList,
  DisputeParams, ResolveDisputeBody, DisputeResolved, ExportQuery, ComplianceExport, NewDisputeForm,
} from './compliance.schema.js';
import { readDisputeRequest } from './dispute-request.js';
import { validationInformation } from './validation.service.js';
import { listDisputes, openDispute, resolveDispute } from './disputes.service.js';
import { complianceCsv, complianceRecord } from './export.service.js';
import { writeAudit } from '../platform/audit.js';
import { verifyUnsubscribeToken } from './unsubscribe-token.js';
import { recordOptOut } from './optouts.service.js';
import { handleInboundSms, verifySmsSignature } from './sms-inbound.js';
import { esignStatement } from './esign-statement.js';
import { withdrawConsent } from './consents.service.js';
import { now as clockNow } from '../platform/clock.js';

const UNSUBSCRIBE_PATH = '/pay/unsubscribe';
acceptFormBody(`/api/v1${UNSUBSCRIBE_PATH}`);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function complianceRoutes(deps: AppDeps): AnyRoute[] {
  const { db, config } = deps;
  /** The email message the link came in, or a 400 for a link not made here. */
  const messageOf = async (token: string): Promise<{ recipient: string; accountId: number | null; channel: 'email' | 'sms' }> => {
    const messageId = verifyUnsubscribeToken(token, config.secrets.jwtSecret);
    const row = messageId ? ((await db('outbox').where({ publicId: messageId }).first('recipient', 'accountId', 'channel')) as { recipient: string; accountId: number | null; channel: 'email' | 'sms' } | undefined) : undefined;
    if (!row) throw badRequest('invalid_unsubscribe_link', 'This unsubscribe link is not valid. Reply STOP to a text or call us to opt out.');
    return row;
  };
  const optOut = (message: { recipient: string; accountId: number | null; channel: 'email' | 'sms' }, source: 'email_link' | 'one_click', meta: { ip: string | null; requestId: string }) =>
    db.transaction(async (trx) => {
      const account = message.accountId ? ((await trx('accounts').where({ id: message.accountId }).first('publicId')) as { publicId: string } | undefined) : undefined;
      return recordOptOut(trx, {
        channel: message.channel, address: message.recipient, accountId: message.accountId, source,
        ip: meta.ip, requestId: meta.requestId, actor: { type: 'debtor', id: account?.publicId ?? null },
      });
    });

  return [
    route({
      method: 'get', path: UNSUBSCRIBE_PATH, tag: 'compliance', auth: 'public', produces: 'text/html',
      summary: 'The unsubscribe link in a debtor email: opts the address out of email at once and shows a confirmation page.',
      query: UnsubscribeQuery,
      responses: { 200: null, 400: Problem },
      handler: async ({ query, meta, ctx }) => {
        const message = await messageOf(query.token);
        await optOut(message, 'email_link', meta);
        ctx.type = 'text/html; charset=utf-8';
        // in the language of the browser that opened the link (the pages module of the catalogue)
        const lang = requestLang(ctx) ?? 'en';
        const w = wordsOf(lang, 'pages');
        ctx.body = `<!doctype html><html lang="${lang}"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(w.unsubscribedTitle)}</title>`
          + `<main><h1>${escapeHtml(w.unsubscribedHeading)}</h1><p>${escapeHtml(say(lang, 'pages', 'unsubscribedBody', { recipient: message.recipient }))}</p></main></html>`;
      },
    }),
    route({
      method: 'post', path: UNSUBSCRIBE_PATH, tag: 'compliance', auth: 'public',
      summary: 'RFC 8058 one-click unsubscribe (List-Unsubscribe-Post): opts the address out of email at once.',
      query: UnsubscribeQuery, body: OneClickBody,
      responses: { 200: UnsubscribeResult, 400: Problem },
      handler: async ({ query, meta }) => {
        const message = await messageOf(query.token);
        await optOut(message, 'one_click', meta);
        return { optedOut: true as const, channel: message.channel };
      },
    }),
    route({
      method: 'post', path: '/pay/sms/inbound', tag: 'compliance', auth: 'public',
      summary: 'Inbound text webhook of the SMS provider (signed): STOP and the other opt-out keywords opt the number out at once; START opts it back in.',
      body: InboundSmsBody,
      responses: { 200: InboundSmsResult, 400: Problem, 401: Problem },
      handler: async ({ body, meta, ctx }) => {
        verifySmsSignature(ctx.get('X-CollectKit-Signature'), config.smsWebhookSecret, body.from, body.text, clockNow());
        return db.transaction((trx) => handleInboundSms(trx, body, meta));
      },
    }),
    route({
      method: 'get', path: '/pay/esign/statement', tag: 'compliance', auth: 'public',
      summary: 'The current E-SIGN consent statement (paper right, scope, withdrawal, updating addresses, what is needed to open documents).',
      responses: { 200: EsignStatementOut },
      handler: async ({ ctx }) => {
        const s = esignStatement(undefined, requestLang(ctx) ?? 'en')!;
        return { version: s.version, title: s.title, text: s.text, hash: s.hash };
      },
    }),
    route({
      method: 'post', path: '/accounts/:id/opt-outs', tag: 'compliance', auth: 'user', permission: 'compliance.record',
      summary: 'Record an opt-out the debtor gave by phone or mail (email address or mobile number); effective at once.',
      params: AccountIdParams, body: OptOutBody,
      responses: { 201: OptOutResult, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction(async (trx) => {
        const accountId = await resolveAccountId(trx, caller, params.id);
        return recordOptOut(trx, { channel: body.channel, address: body.address, accountId, source: 'agency', detail: body.note, ip: meta.ip, requestId: meta.requestId, actor: meta.actor });
      }),
    }),
    route({
      method: 'post', path: '/accounts/:id/esign-consents/withdraw', tag: 'compliance', auth: 'user', permission: 'compliance.record',
      summary: 'Record that the debtor withdrew consent to electronic delivery (by phone or mail); effective at once.',
      params: AccountIdParams, body: WithdrawConsentBody,
      responses: { 200: WithdrawConsentResult, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, meta }) => db.transaction(async (trx) => {
        const accountId = await resolveAccountId(trx, caller, params.id);
        return { withdrawn: await withdrawConsent(trx, { accountId, via: 'agency' }, meta, clockNow()) };
      }),
    }),
    route({
      method: 'get', path: '/accounts/:id/validation', tag: 'compliance', auth: 'user', permission: 'accounts.read',
      summary: 'Validation information computed from the ledger: current and original creditor, itemization date and balance, changes since (interest, fees, payments, credits), current amount.',
      params: AccountIdParams,
      responses: { 200: ValidationInformation, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, params }) => validationInformation(db, await resolveAccountId(db, caller, params.id)),
    }),
    route({
      method: 'get', path: '/accounts/:id/disputes', tag: 'compliance', auth: 'user', permission: 'accounts.read',
      summary: 'Disputes and original-creditor requests on an account, oldest first.',
      params: AccountIdParams,
      responses: { 200: DisputeList, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, params }) => ({ data: await listDisputes(db, await resolveAccountId(db, caller, params.id)) }),
    }),
    route({
      method: 'post', path: '/accounts/:id/disputes', tag: 'compliance', auth: 'user', permission: 'compliance.record', idempotent: true,
      summary: 'Record a dispute or original-creditor request the debtor made by phone or mail: the account goes on hold at once, the agency inbox gets a task, the client sees it, a confirmation is emailed (with consent). '
        + 'JSON, or multipart/form-data with a supporting document in `file` (the attachment rules; it becomes an attachment of the account).',
      params: AccountIdParams, body: NewDisputeBody, multipart: NewDisputeForm,
      responses: { 201: DisputeCreated, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem },
      // 404 before a single byte is stored (an Idempotency-Key has the form read before the handler)
      checkAccess: async ({ caller, params }) => {
        await resolveAccountId(db, caller, params.id);
      },
      handler: async ({ caller, params, body, meta, ctx }) => {
        const request = await readDisputeRequest(ctx, config, body);
        try {
          return await db.transaction(async (trx) => {
            const accountId = await resolveAccountId(trx, caller, params.id);
            return openDispute(trx, { ...request.body, accountId, via: caller.kind, enteredByUserId: caller.userId, actorName: caller.displayName, document: request.document }, meta, clockNow());
          });
        } catch (err) {
          await request.discard();
          throw err;
        }
      },
    }),
    route({
      // Answering a dispute is the agency's work (it verifies the debt), hence agency/* and the inbox permission.
      method: 'post', path: '/agency/disputes/:disputeId/resolve', tag: 'compliance', auth: 'user', permission: 'agency.inbox',
      summary: 'The agency responded (verification or the original creditor sent): the dispute closes and the account returns to its earlier status.',
      params: DisputeParams, body: ResolveDisputeBody,
      responses: { 200: DisputeResolved, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) =>
        resolveDispute(trx, params.disputeId, body.resolution, caller.displayName, caller.userId, meta, clockNow())),
    }),
    route({
      method: 'get', path: '/accounts/:id/compliance-export', tag: 'compliance', auth: 'user', permission: 'compliance.read',
      summary: 'The compliance record of one account (consents, opt-outs, disputes, debtor messages, their audit rows) as JSON or CSV. Client users get client-visible audit rows only, without IP addresses or agency staff identities.',
      params: AccountIdParams, query: ExportQuery,
      responses: { 200: ComplianceExport, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, params, query, meta, ctx }) => {
        const record = await db.transaction(async (trx) => {
          const accountId = await resolveAccountId(trx, caller, params.id);
          const r = await complianceRecord(trx, accountId, clockNow(), caller.kind);
          // Reading a debtor's whole record is itself worth a row in the trail.
          await writeAudit(trx, { actor: meta.actor, action: 'compliance.exported', target: { type: 'account', id: r.account.id }, ip: meta.ip, requestId: meta.requestId, after: { format: query.format } });
          return r;
        });
        if (query.format === 'json') return record;
        ctx.type = 'text/csv; charset=utf-8';
        ctx.set('Content-Disposition', `attachment; filename="compliance-${record.account.agencyAccountNumber}.csv"`);
        ctx.body = complianceCsv(record);
        return undefined;
      },
    }),
  ];
}

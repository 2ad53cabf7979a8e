/**
 * Debtor-side routes under /pay (public: the debtor session token authorises them, see
 * debtor-session.ts) and the agency-side routes that create payment links and edit pay settings.
 */
import { problemTitle, requestLang, said } from '../platform/http/debtor-lang.js';
import { say } from '../../i18n/catalogue.js';
import { declineMessage } from './gateway/gateway.js';
import type { AppDeps } from '../platform/http/context.js';
import { route, type AnyRoute } from '../platform/http/route.js';

import { Problem } from '../auth/auth.schema.js';
import { writeAudit } from '../platform/audit.js';
import {
  AccountIdParams, DebtorSessionOut, IdentitySessionBody, IdentitySessionsOut, LinkSessionBody, MethodBody, MethodOut, PayAccountOut,
  CancelPlanBody, ContactBody, ContactOut, OfferAcceptBody, OfferAcceptOut, OfferBody, OfferIdParams, OfferOut, OfferPreviewBody, OfferPreviewOut, PlanOut, PlanParams,
  PaySettingsBody, PaySettingsOut, PaymentBody, PaymentIdParams, PaymentLinkBody, PaymentLinkOut, PaymentOut, PaymentPreviewBody, PaymentPreviewOut, ReceiptEmailOut, CardDetailsBody, MethodIdParams,
} from './pay.schema.js';
import { IdentityNotMatched, createPaymentLink, openSessionFromLink, openSessionsFromIdentity, recordIdentityFailure } from './pay-access.service.js';
import { requireDebtor } from './debtor-session.js';
import { getPayAccount } from './pay-account.service.js';
import { addPaymentMethod, cancelScheduledPayment, getDebtorPayment, makePayment, previewPayment, type PaymentOut as PaymentOutT } from './payments.service.js';
import { getPaySettings, putPaySettings } from './pay.settings.js';
import { acceptOffer, cancelPlan, createOffer, debtorPlan, previewOffer } from './offers.service.js';
import { debtorAccountId } from './pay-access.service.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import { renderPayFrame } from './pay-frame.js';
import { updateDebtorContact } from './pay-contact.service.js';
import { now as clockNow } from '../platform/clock.js';
import { receiptEmailStatus, requestReceiptEmail } from './receipt-email.service.js';
import { updateCardDetails } from './method-details.service.js';

const P = { 400: Problem, 401: Problem, 404: Problem, 409: Problem, 429: Problem };

/** The key also becomes the payment's charge key (see payments.service), so it must fit that column. */
function idempotencyKey(raw: string): string | undefined {
  if (!raw) return undefined;
  if (!/^[\x21-\x7e]{1,90}$/.test(raw)) throw said(400, 'invalid_idempotency_key', 'idempotencyKeyInvalid', { max: 90 });
  return raw;
}

/**
 * A charge declined in front of the debtor: 402 problem+json carrying the payment, so the form can
 * say why and ask for another method (or, after a gateway failure, offer the same one again).
 */
function declined(ctx: Parameters<typeof requireDebtor>[1], payment: PaymentOutT, requestId: string, extra: Record<string, unknown> = {}): void {
  ctx.status = 402;
  ctx.type = 'application/problem+json';
  const lang = requestLang(ctx) ?? 'en';
  const reason = declineMessage(payment.declineCode, lang) ?? say(lang, 'problems', 'declineUnknown');
  ctx.body = {
    type: 'https://collectkit.dev/problems/payment-declined', title: problemTitle(402, lang), status: 402, code: 'payment_declined',
    // the whole sentence in the debtor's language: "El pago fue rechazado: …"
    detail: say(lang, 'problems', 'paymentDeclined', { reason: reason.charAt(0).toLowerCase() + reason.slice(1) }), errors: [{ path: 'paymentMethodId', code: payment.declineCode, message: reason }],
    // a gateway failure is not the card's fault: the same method may be tried again
    retrySameMethod: payment.status === 'failed',
    payment, ...extra, requestId,
  };
}

/** Debtor routes scope idempotency keys to the account of the session. */
const debtorPrincipal = async (deps: AppDeps, ctx: Parameters<typeof requireDebtor>[1]) => `debtor:${(await requireDebtor(deps, ctx)).accountId}`;

export function payRoutes(deps: AppDeps): AnyRoute[] {
  const { db, config } = deps;
  return [
    route({
      method: 'get', path: '/pay/frame', tag: 'pay', auth: 'public', produces: 'text/html',
      summary: 'The card/bank details frame: the pay form embeds it; numbers typed here go only to POST pay/methods.',
      responses: { 200: null },
      handler: async ({ ctx }) => {
        const { html, csp } = renderPayFrame(config.corsOrigins, requestLang(ctx) ?? 'en');
        ctx.set('Content-Security-Policy', csp);
        ctx.set('Cache-Control', 'no-store');
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = html;
        return undefined;
      },
    }),
    route({
      method: 'post', path: '/agency/accounts/:id/payment-links', tag: 'pay', auth: 'user', permission: 'payments.links',
      summary: 'Create a personalised payment link for one account (the token is shown once; only its hash is kept).',
      params: AccountIdParams, body: PaymentLinkBody,
      responses: { 201: PaymentLinkOut, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => createPaymentLink(trx, caller, config, params.id, body, meta, clockNow())),
    }),
    route({
      method: 'get', path: '/agency/pay-settings', tag: 'pay', auth: 'user', permission: 'agency.settings',
      summary: 'The debtor-payment settings: offers, skipping, scheduling, contact review, retries, reminders.',
      responses: { 200: PaySettingsOut, 401: Problem, 403: Problem },
      handler: () => getPaySettings(db),
    }),
    route({
      method: 'put', path: '/agency/pay-settings', tag: 'pay', auth: 'user', permission: 'agency.settings',
      summary: 'Change debtor-payment settings (fields not given keep their value).',
      body: PaySettingsBody,
      responses: { 200: PaySettingsOut, 400: Problem, 401: Problem, 403: Problem },
      handler: ({ body, meta }) => db.transaction(async (trx) => {
        const before = await getPaySettings(trx);
        const after = await putPaySettings(trx, body);
        await writeAudit(trx, { actor: meta.actor, action: 'settings.pay_updated', target: { type: 'settings', id: 'pay' }, ip: meta.ip, requestId: meta.requestId, before, after });
        return after;
      }),
    }),
    route({
      method: 'post', path: '/pay/session/link', tag: 'pay', auth: 'public',
      summary: 'Open a debtor session from a personalised payment link: nothing else is asked.',
      body: LinkSessionBody,
      responses: { 201: DebtorSessionOut, 400: Problem, 404: Problem },
      handler: ({ body, meta }) => db.transaction((trx) => openSessionFromLink(trx, config, body.linkToken, meta, clockNow())),
    }),
    route({
      method: 'post', path: '/pay/session/identity', tag: 'pay', auth: 'public',
      summary: 'Open debtor sessions by account number (or SSN last 4) plus date of birth and ZIP; failures are throttled.',
      body: IdentitySessionBody,
      responses: { 201: IdentitySessionsOut, ...P },
      handler: async ({ body, meta }) => {
        const now = clockNow();
        try {
          return await db.transaction((trx) => openSessionsFromIdentity(trx, config, body, meta, now));
        } catch (err) {
          if (err instanceof IdentityNotMatched) await db.transaction((trx) => recordIdentityFailure(trx, err, meta, now));
          throw err;
        }
      },
    }),
    route({
      method: 'get', path: '/pay/account', tag: 'pay', auth: 'public',
      summary: "The debtor session's account: creditor, balance, what can be paid, options, saved methods, payments.",
      responses: { 200: PayAccountOut, 401: Problem, 404: Problem },
      handler: async ({ ctx }) => getPayAccount(db, await requireDebtor(deps, ctx), clockNow()),
    }),
    route({
      method: 'post', path: '/pay/methods', tag: 'pay', auth: 'public',
      summary: 'Tokenise card, bank or wallet details with the gateway (called by the pay frame); only the token, brand and last 4 are kept.',
      body: MethodBody,
      responses: { 201: MethodOut, ...P },
      handler: async ({ ctx, body, meta }) => addPaymentMethod(deps, await requireDebtor(deps, ctx), body, meta, clockNow()),
    }),
    route({
      method: 'post', path: '/pay/methods/:id/details', tag: 'pay', auth: 'public',
      summary: 'A new security code or expiry for a card declined for it (called by the pay frame): the card is not typed again where the gateway allows it.',
      params: MethodIdParams, body: CardDetailsBody,
      responses: { 200: MethodOut, ...P },
      handler: async ({ ctx, params, body, meta }) => updateCardDetails(deps, await requireDebtor(deps, ctx), params.id, body, meta, clockNow()),
    }),
    route({
      method: 'post', path: '/pay/payments/preview', tag: 'pay', auth: 'public',
      summary: 'Check a payment without making it and return the agreement text to sign (the review step).',
      body: PaymentPreviewBody,
      responses: { 200: PaymentPreviewOut, ...P },
      handler: async ({ ctx, body }) => {
        const session = await requireDebtor(deps, ctx);
        // A read-only transaction: the balance is locked while the checks run, then released.
        return db.transaction((trx) => previewPayment(trx, session, body, clockNow()));
      },
    }),
    route({
      method: 'post', path: '/pay/payments', tag: 'pay', auth: 'public',
      summary: 'Pay now or on a future date, signing the agreement. Send an Idempotency-Key: a retried request never charges twice.',
      body: PaymentBody, idempotent: true, principal: debtorPrincipal,
      responses: { 201: PaymentOut, 200: PaymentOut, 402: Problem, ...P },
      handler: async ({ ctx, body, meta }) => {
        const session = await requireDebtor(deps, ctx);
        const { payment, replayed } = await makePayment(deps, session, body, idempotencyKey(ctx.get('Idempotency-Key')), meta, clockNow());
        if (replayed) ctx.set('Idempotent-Replayed', 'true');
        if (payment.status === 'declined' || payment.status === 'failed') {
          declined(ctx, payment, meta.requestId);
          return undefined;
        }
        ctx.status = replayed ? 200 : 201;
        ctx.body = payment;
        return undefined;
      },
    }),
    route({
      method: 'post', path: '/pay/payments/:id/cancel', tag: 'pay', auth: 'public',
      summary: 'The debtor cancels a payment they scheduled for a later date (plan instalments: cancel the plan).',
      params: PaymentIdParams,
      responses: { 200: PaymentOut, ...P },
      handler: async ({ ctx, params, meta }) => {
        const session = await requireDebtor(deps, ctx);
        return db.transaction((trx) => cancelScheduledPayment(trx, session, params.id, meta, clockNow()));
      },
    }),
    route({
      method: 'get', path: '/pay/payments/:id/receipt-email', tag: 'pay', auth: 'public',
      summary: 'When the receipt email of a payment goes (the 8 am–9 pm window at the debtor\'s address may hold it) or went.',
      params: PaymentIdParams,
      responses: { 200: ReceiptEmailOut, 401: Problem, 404: Problem },
      handler: async ({ ctx, params }) => receiptEmailStatus(db, await requireDebtor(deps, ctx), params.id, clockNow()),
    }),
    route({
      method: 'post', path: '/pay/payments/:id/receipt-email', tag: 'pay', auth: 'public',
      summary: 'The debtor asks for the receipt email now: a held one goes at once, a sent one is sent again (at most three times).',
      params: PaymentIdParams,
      responses: { 200: ReceiptEmailOut, ...P },
      handler: async ({ ctx, params, meta }) => {
        const session = await requireDebtor(deps, ctx);
        return db.transaction((trx) => requestReceiptEmail(trx, session, params.id, meta, clockNow()));
      },
    }),
    route({
      method: 'get', path: '/pay/payments/:id', tag: 'pay', auth: 'public',
      summary: 'One payment of the debtor session (the receipt).',
      params: PaymentIdParams,
      responses: { 200: PaymentOut, 401: Problem, 404: Problem },
      handler: async ({ ctx, params }) => getDebtorPayment(db, await requireDebtor(deps, ctx), params.id),
    }),
      route({
      method: 'post', path: '/agency/accounts/:id/offers', tag: 'pay', auth: 'user', permission: 'payments.offers',
      summary: 'Make a settlement offer (% of the balance by a date) or a payment-plan offer (instalments) to the debtor.',
      params: AccountIdParams, body: OfferBody,
      responses: { 201: OfferOut, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => createOffer(trx, caller, params.id, body, meta, clockNow())),
    }),
    route({
      method: 'post', path: '/agency/accounts/:id/plans/:planId/cancel', tag: 'pay', auth: 'user', permission: 'payments.offers',
      summary: "Cancel an account's payment plan: the remaining instalments stop and the debtor is notified.",
      params: PlanParams, body: CancelPlanBody,
      responses: { 200: PlanOut, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction(async (trx) => {
        const accountId = await resolveAccountId(trx, caller, params.id);
        return cancelPlan(trx, accountId, params.planId, { actor: meta.actor, reason: body.reason ?? 'Cancelled by the agency.' }, meta, clockNow());
      }),
    }),
    route({
      method: 'post', path: '/pay/offers/:id/preview', tag: 'pay', auth: 'public',
      summary: 'The schedule and the agreement text of an offer with the chosen method and start date (the review step).',
      params: OfferIdParams, body: OfferPreviewBody,
      responses: { 200: OfferPreviewOut, ...P },
      handler: async ({ ctx, params, body }) => {
        const session = await requireDebtor(deps, ctx);
        return db.transaction((trx) => previewOffer(trx, session, params.id, body, clockNow()));
      },
    }),
    route({
      method: 'post', path: '/pay/offers/:id/accept', tag: 'pay', auth: 'public',
      summary: 'Accept an offer by signing its agreement; a payment due today is charged at once, the rest by the scheduler.',
      params: OfferIdParams, body: OfferAcceptBody, idempotent: true, principal: debtorPrincipal,
      responses: { 201: OfferAcceptOut, 402: Problem, ...P },
      handler: async ({ ctx, params, body, meta }) => {
        const accepted = await acceptOffer(deps, await requireDebtor(deps, ctx), params.id, body, meta, clockNow());
        const first = accepted.payments[0];
        // the payment due today was declined: nothing was agreed, the offer is open for another method
        if (first && (first.status === 'declined' || first.status === 'failed')) {
          declined(ctx, first, meta.requestId, { offer: accepted.offer, planId: accepted.planId, payments: accepted.payments });
          return undefined;
        }
        ctx.status = 201;
        ctx.body = accepted;
        return undefined;
      },
    }),
    route({
      method: 'get', path: '/pay/plans/:id', tag: 'pay', auth: 'public',
      summary: 'A payment plan of the debtor session with each instalment: paid, pending or declined.',
      params: OfferIdParams,
      responses: { 200: PlanOut, 401: Problem, 404: Problem },
      handler: async ({ ctx, params }) => debtorPlan(db, await requireDebtor(deps, ctx), params.id),
    }),
    route({
      method: 'post', path: '/pay/plans/:id/cancel', tag: 'pay', auth: 'public',
      summary: 'The debtor cancels their payment plan: remaining instalments stop; a cancellation notice is sent.',
      params: OfferIdParams, body: CancelPlanBody,
      responses: { 200: PlanOut, ...P },
      handler: async ({ ctx, params, body, meta }) => {
        const session = await requireDebtor(deps, ctx);
        return db.transaction(async (trx) => {
          const { id } = await debtorAccountId(trx, session.accountId);
          return cancelPlan(trx, id, params.id, { actor: { type: 'debtor', id: session.sessionId }, reason: body.reason ?? 'Cancelled by the debtor.' }, meta, clockNow());
        });
      },
    }),
      route({
      method: 'post', path: '/pay/contact', tag: 'pay', auth: 'public',
      summary: 'The contact-review step: the debtor adds an email or mobile number; the agency gets an inbox task to confirm it.',
      body: ContactBody,
      responses: { 200: ContactOut, ...P },
      handler: async ({ ctx, body, meta }) => {
        const session = await requireDebtor(deps, ctx);
        return db.transaction((trx) => updateDebtorContact(trx, session, body, meta, clockNow()));
      },
    }),
  ];
}

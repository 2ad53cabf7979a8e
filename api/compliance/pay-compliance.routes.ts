/**
 * The debtor's side of compliance, under /pay: validation information, E-SIGN consent (read,
 * give, withdraw), disputes and original-creditor requests, opt-outs. The debtor session of the pay
 * flow (pay/debtor-session.ts) authorises them and names the one account; `resolveDebtor` is that
 * session check, handed in by app.ts (tests may hand in another).
 */
import { requestLang } from '../platform/http/debtor-lang.js';
import type Koa from 'koa';
import { z } from 'zod';
import type { AppDeps, AppState } from '../platform/http/context.js';
import { route, type AnyRoute } from '../platform/http/route.js';
import { notFound } from '../platform/errors.js';
import { Problem } from '../auth/auth.schema.js';
import type { Trx } from '../platform/db.js';
import { Consent, DisputeCreated, EsignStatementOut, NewDisputeBody, NewDisputeForm, ValidationInformation } from './compliance.schema.js';
import { readDisputeRequest } from './dispute-request.js';
import { validationInformation } from './validation.service.js';
import { openDispute } from './disputes.service.js';
import { activeConsent, consentOut, recordConsent, withdrawConsent, type ConsentRow } from './consents.service.js';
import { esignStatement } from './esign-statement.js';
import { recordOptOut } from './optouts.service.js';
import { now as clockNow } from '../platform/clock.js';

/** Who the debtor session says is calling: the account (public id) and a session id for audit rows. */
export interface DebtorAccess {
  accountPublicId: string;
  sessionId: string;
}
export type DebtorResolver = (deps: AppDeps, ctx: Koa.ParameterizedContext<AppState>) => Promise<DebtorAccess>;

const GiveConsentBody = z.strictObject({
  statementVersion: z.string().min(1).max(32),
  agree: z.literal(true).describe('the affirmative act: the debtor ticked "I agree"'),
  channels: z.strictObject({ email: z.boolean(), sms: z.boolean() }),
  email: z.email().max(320).optional(),
  phone: z.string().trim().regex(/^\+?[\d\s().-]{10,20}$/, 'Enter a 10-digit mobile number.').optional(),
});
const EsignState = z.object({ statement: EsignStatementOut, consent: Consent.nullable() });
const DebtorOptOutBody = z.strictObject({ channel: z.enum(['email', 'sms']) });

async function debtorAccount(trx: Trx, access: DebtorAccess): Promise<{ accountId: number; partyId: number; emails: string[]; phones: string[] }> {
  const row = (await trx('accounts')
    .join('account_parties', 'account_parties.account_id', 'accounts.id')
    .where('accounts.public_id', access.accountPublicId)
    .where('account_parties.role', 'responsible')
    .first('accounts.id as account_id', 'account_parties.id as party_id', 'account_parties.emails', 'account_parties.phones')) as
    | { accountId: number; partyId: number; emails: string | null; phones: string | null }
    | undefined;
  if (!row) throw notFound('Account');
  return {
    accountId: row.accountId,
    partyId: row.partyId,
    emails: row.emails ? (JSON.parse(row.emails) as string[]) : [],
    phones: row.phones ? (JSON.parse(row.phones) as { number: string }[]).map((p) => p.number) : [],
  };
}

export function payComplianceRoutes(deps: AppDeps, resolveDebtor: DebtorResolver): AnyRoute[] {
  const { db } = deps;
  /** Idempotency keys are scoped to the debtor's account, as the pay routes do. */
  const principal = async (d: AppDeps, ctx: Koa.ParameterizedContext<AppState>) => `debtor:${(await resolveDebtor(d, ctx)).accountPublicId}`;
  /** The debtor as the audit trail names them. */
  const debtorMeta = (access: DebtorAccess, meta: { ip: string | null; requestId: string; userAgent: string | null }) => ({
    actor: { type: 'debtor' as const, id: access.sessionId }, ip: meta.ip, requestId: meta.requestId, userAgent: meta.userAgent,
  });
  return [
    route({
      method: 'get', path: '/pay/validation', tag: 'pay', auth: 'public',
      summary: "Validation information for the debtor's account: creditors, itemization date and balance, changes since, current amount.",
      responses: { 200: ValidationInformation, 401: Problem, 404: Problem },
      handler: async ({ ctx }) => {
        const access = await resolveDebtor(deps, ctx);
        return validationInformation(db, (await debtorAccount(db, access)).accountId);
      },
    }),
    route({
      method: 'get', path: '/pay/esign', tag: 'pay', auth: 'public',
      summary: 'The E-SIGN statement to show and the consent in force for the debtor, if any.',
      responses: { 200: EsignState, 401: Problem, 404: Problem },
      handler: async ({ ctx }) => {
        const access = await resolveDebtor(deps, ctx);
        const { partyId } = await debtorAccount(db, access);
        const s = esignStatement(undefined, requestLang(ctx) ?? 'en')!;
        const current = (await activeConsent(db, partyId, 'email')) ?? (await activeConsent(db, partyId, 'sms'));
        return { statement: { version: s.version, title: s.title, text: s.text, hash: s.hash }, consent: current ? consentOut(current as ConsentRow) : null };
      },
    }),
    route({
      method: 'post', path: '/pay/esign/consent', tag: 'pay', auth: 'public', idempotent: true, principal,
      summary: 'Give consent to electronic delivery (affirmative, recorded with time, IP and statement version).',
      body: GiveConsentBody,
      responses: { 201: Consent, 400: Problem, 401: Problem, 404: Problem },
      handler: async ({ ctx, body, meta }) => {
        const access = await resolveDebtor(deps, ctx);
        return db.transaction(async (trx) => {
          const { accountId, partyId } = await debtorAccount(trx, access);
          return recordConsent(trx, {
            accountId, partyId, statementVersion: body.statementVersion, lang: requestLang(ctx) ?? 'en', agree: body.agree, channels: body.channels, emailAddress: body.email ?? null, phone: body.phone ?? null,
          }, debtorMeta(access, meta), clockNow());
        });
      },
    }),
    route({
      method: 'post', path: '/pay/esign/withdraw', tag: 'pay', auth: 'public',
      summary: 'Withdraw consent to electronic delivery; takes effect at once (documents come on paper).',
      responses: { 200: z.object({ withdrawn: z.number().int() }), 401: Problem, 404: Problem },
      handler: async ({ ctx, meta }) => {
        const access = await resolveDebtor(deps, ctx);
        return db.transaction(async (trx) => {
          const { accountId, partyId } = await debtorAccount(trx, access);
          return { withdrawn: await withdrawConsent(trx, { accountId, partyId, via: 'debtor' }, debtorMeta(access, meta), clockNow()) };
        });
      },
    }),
    route({
      method: 'post', path: '/pay/opt-outs', tag: 'pay', auth: 'public',
      summary: "Stop emails or texts to the debtor's addresses on file; takes effect at once.",
      body: DebtorOptOutBody,
      responses: { 200: z.object({ optedOut: z.number().int() }), 400: Problem, 401: Problem, 404: Problem },
      handler: async ({ ctx, body, meta }) => {
        const access = await resolveDebtor(deps, ctx);
        return db.transaction(async (trx) => {
          const account = await debtorAccount(trx, access);
          const addresses = body.channel === 'email' ? account.emails : account.phones;
          for (const address of addresses) {
            await recordOptOut(trx, { channel: body.channel, address, accountId: account.accountId, source: 'debtor_flow', ip: meta.ip, requestId: meta.requestId, actor: debtorMeta(access, meta).actor });
          }
          return { optedOut: addresses.length };
        });
      },
    }),
    route({
      // A double submit (or a retried request) with the same Idempotency-Key opens one dispute.
      method: 'post', path: '/pay/disputes', tag: 'pay', auth: 'public', idempotent: true,
      summary: 'Dispute all or part of the debt, or ask for the original creditor: the account goes on hold at once; the confirmation is returned (and emailed with consent). '
        + 'JSON, or multipart/form-data with the same fields and a supporting document in `file` (the attachment rules: 413 over the size limit, 415 for types not accepted); the document becomes an attachment of the account.',
      body: NewDisputeBody,
      multipart: NewDisputeForm,
      responses: { 201: DisputeCreated, 400: Problem, 401: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem },
      // the session (401) and the account (404) before a single byte is stored: the principal runs
      // before an Idempotency-Key has the form read (route.ts)
      principal: async (d, ctx) => {
        const access = await resolveDebtor(d, ctx);
        await debtorAccount(db, access);
        return `debtor:${access.accountPublicId}`;
      },
      handler: async ({ ctx, body, meta }) => {
        const access = await resolveDebtor(deps, ctx);
        const request = await readDisputeRequest(ctx, deps.config, body);
        try {
          return await db.transaction(async (trx) => {
            const { accountId, partyId } = await debtorAccount(trx, access);
            return openDispute(trx, { ...request.body, accountId, partyId, via: 'debtor', actorName: 'Debtor (online)', document: request.document, lang: requestLang(ctx) ?? 'en' }, debtorMeta(access, meta), clockNow());
          });
        } catch (err) {
          // nothing of the dispute was written: the stored document goes too
          await request.discard();
          throw err;
        }
      },
    }),
  ];
}

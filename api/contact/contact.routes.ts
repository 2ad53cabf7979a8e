import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { ownAccount } from '../accounts/account-write.js';
import { Problem } from '../auth/auth.schema.js';
import { AccountIdParams } from '../accounts/accounts.schema.js';
import { ContactUpdateBody, ContactView } from './contact.schema.js';
import { getContact, updateContact } from './contact.service.js';
import { now as clockNow } from '../platform/clock.js';

export function contactRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/accounts/:id/contact', tag: 'contact', auth: 'user', permission: 'accounts.read',
      summary: 'Contact preferences (preferred channel, do-not-call windows), special instructions and the history of contact changes.',
      params: AccountIdParams, responses: { 200: ContactView, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => getContact(db, caller, params.id),
    }),
    route({
      method: 'post', path: '/accounts/:id/contact', tag: 'contact', auth: 'user', permission: 'accounts.update', idempotent: true,
      summary: 'Update a party\'s address, phones or emails, the do-not-call windows, preferred channel or special instructions; the change is kept in the history.',
      params: AccountIdParams, checkAccess: ownAccount(db), body: ContactUpdateBody, responses: { 200: ContactView, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => updateContact(trx, caller, meta, params.id, body, clockNow())),
    }),
  ];
}

import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { ownAccount } from '../accounts/account-write.js';
import { Problem } from '../auth/auth.schema.js';
import { AccountIdParams } from '../accounts/accounts.schema.js';
import { Note, NoteBody } from './notes.schema.js';
import { addNote } from './notes.service.js';
import { now as clockNow } from '../platform/clock.js';

export function noteRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'post', path: '/accounts/:id/notes', tag: 'notes', auth: 'user', permission: 'notes.write', idempotent: true,
      summary: 'Add a note. A client note is posted at once, flags the account and opens a follow-up task in the agency inbox; agency notes are internal unless visibility is client.',
      params: AccountIdParams, checkAccess: ownAccount(db), body: NoteBody,
      responses: { 201: Note, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => addNote(trx, caller, meta, params.id, body, clockNow())),
    }),
  ];
}

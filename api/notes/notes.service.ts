/**
 * Adding notes. A client user's note is posted to the timeline at once (client-visible), flags the
 * account and opens a follow-up task in the agency inbox — in one transaction with its audit row
 * and events. An agency user's note is internal unless marked client-visible; an internal note
 * produces only internal events, which no client route or stream ever reads.
 */
import type { Trx } from '../platform/db.js';
import { now as dbNow } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { badRequest } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { openTask } from '../inbox/tasks.service.js';
import { lockAccount, recordActivity } from '../accounts/account-write.js';
import { flagAccount } from '../accounts/account-flag.js';
import type { NoteInput } from './notes.schema.js';

const excerpt = (text: string, n = 80) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export async function addNote(trx: Trx, caller: Caller, meta: RequestMeta, accountPublicId: string, input: NoteInput, now: Date = dbNow()) {
  if (caller.kind === 'client' && input.visibility === 'internal') {
    throw badRequest('validation_failed', 'Client notes are always shared with the agency.', [{ path: 'visibility', code: 'invalid_value', message: 'Only agency users can write internal notes.' }]);
  }
  const visibility = caller.kind === 'client' ? 'client' : (input.visibility ?? 'internal');
  const account = await lockAccount(trx, caller, accountPublicId);
  const noteId = await recordActivity(trx, caller, { accountId: account.id, type: 'note', visibility, body: input.body }, now);
  let taskId: string | null = null;
  if (caller.kind === 'client') {
    await flagAccount(trx, account.id, now);
    taskId = await openTask(trx, {
      clientId: account.clientId, accountId: account.id, kind: 'client_note', title: `Client note on ${account.debtorName}: ${excerpt(input.body)}`,
      detail: input.body, sourceType: 'note', sourceId: noteId, createdByUserId: caller.userId,
    });
  }
  await writeAudit(trx, {
    actor: meta.actor, action: 'account.note_added', target: { type: 'account', id: account.publicId }, ip: meta.ip, requestId: meta.requestId,
    after: { noteId, visibility, body: input.body, taskId },
  });
  await appendEvent(trx, {
    type: 'account.note_added', clientId: account.clientId, accountId: account.id, visibility, actor: meta.actor,
    payload: { accountId: account.publicId, noteId, visibility, authorName: caller.displayName },
  });
  const flagged = Boolean((await trx('accounts').where({ id: account.id }).first('flagged_at'))?.flaggedAt);
  return {
    id: noteId, accountId: account.publicId, visibility, body: input.body, authorName: caller.displayName, createdAt: now.toISOString(),
    flagged, taskId: caller.kind === 'agency' ? taskId : null,
  };
}

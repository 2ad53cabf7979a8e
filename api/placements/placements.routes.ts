import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import {
  PlacementCreated, PlacementIdParams, PlacementInput, PlacementList, PlacementListQuery, PlacementPreview, Placement, ReviewDecision, ReviewResult,
} from './placements.schema.js';
import { createPlacement, getPlacement, listPlacements, pendingPlacementAccount, previewPlacement } from './placements.service.js';
import { Attachment, AttachmentUploadForm } from '../attachments/attachments.schema.js';
import { recordAttachment } from '../attachments/attachments.service.js';
import { checkFormFields, receiveUpload } from '../platform/uploads/receive.js';
import { checkName } from '../platform/uploads/names.js';
import { reviewPlacements } from './review.service.js';
import { now as clockNow } from '../platform/clock.js';

export function placementRoutes({ db, config }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'post', path: '/placements', tag: 'placements', auth: 'user', permission: 'accounts.place', idempotent: true,
      summary: 'Place one account (the new-account form). The input is normalised for the collection system and the response lists every change; what cannot be fixed is a field-level 400. The account waits in the agency review queue (pending_review). Honours Idempotency-Key.',
      body: PlacementInput,
      responses: { 201: PlacementCreated, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, meta, body }) => createPlacement(db, config, caller, meta, body, clockNow()),
    }),
    route({
      method: 'post', path: '/placements/preview', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: 'Dry run of POST /placements: the normalised values, the changes and the field errors, nothing stored (the form shows these before submit).',
      body: PlacementInput,
      responses: { 200: PlacementPreview, 400: Problem, 401: Problem, 403: Problem },
      handler: ({ caller, body }) => previewPlacement(db, caller, body, clockNow()),
    }),
    route({
      method: 'get', path: '/placements', tag: 'placements', auth: 'user', permission: 'accounts.read',
      summary: "The caller's clients' placements with their review status, newest first.",
      query: PlacementListQuery,
      responses: { 200: PlacementList, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, query }) => listPlacements(db, caller, query),
    }),
    route({
      method: 'get', path: '/placements/:id', tag: 'placements', auth: 'user', permission: 'accounts.read',
      summary: 'One placement and its review status.',
      params: PlacementIdParams,
      responses: { 200: Placement, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => getPlacement(db, caller, params.id),
    }),
    route({
      method: 'post', path: '/placements/:id/documents', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: "Attach a document to a placement awaiting review (multipart: `name`, `file`); the same rules as account attachments. It becomes the account's attachment.",
      params: PlacementIdParams,
      multipart: AttachmentUploadForm,
      responses: { 201: Attachment, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem },
      handler: async ({ caller, params, meta, ctx }) => {
        // 404/409 before a single byte is stored
        const { accountId, accountPublicId } = await pendingPlacementAccount(db, caller, params.id);
        const upload = await receiveUpload(ctx, config);
        try {
          checkFormFields(upload.fields, ['name']);
          const name = checkName(upload.fields.name, { field: 'name', label: 'document name', allowPathCharacters: true });
          return await recordAttachment(db, caller, meta, accountPublicId, name, upload.file, accountId);
        } catch (err) {
          await upload.discard();
          throw err;
        }
      },
    }),
    route({
      method: 'get', path: '/agency/placements', tag: 'agency', auth: 'user', permission: 'agency.review',
      summary: 'The agency review queue: pending placements by default, oldest first.',
      query: PlacementListQuery,
      responses: { 200: PlacementList, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, query }) => listPlacements(db, caller, { ...query, status: query.status ?? 'pending_review' }, { newestFirst: false }),
    }),
    route({
      method: 'post', path: '/agency/placements/review', tag: 'agency', auth: 'user', permission: 'agency.review', idempotent: true,
      summary: 'Accept or reject (with a reason) one or many pending placements, all or nothing. Accepted accounts enter the client search.',
      body: ReviewDecision,
      responses: { 200: ReviewResult, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, meta, body }) => reviewPlacements(db, caller, meta, body, clockNow()),
    }),
  ];
}

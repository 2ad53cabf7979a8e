/**
 * A dispute arrives as JSON, or — when the debtor (or staff) attach a supporting document — as
 * multipart/form-data with the same fields as text and the document in `file`. The multipart form is
 * read by the shared upload pipeline (platform/uploads/receive.ts: same size limit, byte-sniffed
 * type, 413/415) and validated with the JSON body's schema, so both shapes obey one set of rules.
 *
 * The stored document is the caller's to discard when the dispute is not recorded (`discard`).
 */
import { said } from '../platform/http/debtor-lang.js';
import type Koa from 'koa';
import type { z } from 'zod';
import type { Config } from '../config.js';

import { zodToFieldErrors } from '../platform/http/problem.js';
import { checkFormFields, receiveForm, type ReceivedFile } from '../platform/uploads/receive.js';
import { NewDisputeBody } from './compliance.schema.js';

export type DisputeBody = z.output<typeof NewDisputeBody>;

export interface DisputeRequest {
  body: DisputeBody;
  document: ReceivedFile | null;
  discard: () => Promise<void>;
}

const FIELDS = ['kind', 'scope', 'disputedAmountCents', 'reasonCode', 'reason'];

/** Form fields are text: the amount is converted when it is a whole number, else left for the schema to refuse. */
function fromForm(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === '') continue; // an empty input is an absent field
    out[k] = k === 'disputedAmountCents' && typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  }
  return out;
}

/** `jsonBody`: what the route already parsed when the request was JSON. */
export async function readDisputeRequest(ctx: Koa.Context | Koa.ParameterizedContext<never>, config: Config, jsonBody: DisputeBody | undefined): Promise<DisputeRequest> {
  if (!ctx.is('multipart/form-data')) return { body: jsonBody!, document: null, discard: async () => {} };
  const form = await receiveForm(ctx, config);
  try {
    checkFormFields(form.fields, FIELDS);
    const parsed = NewDisputeBody.safeParse(fromForm(form.fields));
    if (!parsed.success) throw said(400, 'validation_failed', 'disputeFormInvalid', {}, zodToFieldErrors(parsed.error, ''));
    return { body: parsed.data, document: form.file, discard: form.discard };
  } catch (err) {
    await form.discard();
    throw err;
  }
}

/**
 * The pay form's small client: the debtor session token in memory only (never in storage), JSON
 * bodies (or a FormData for an upload), problem+json errors as ApiError, and Idempotency-Key on the requests that move money.
 */
import type { z } from 'zod';
import type {
  DebtorSessionOut, IdentitySessionsOut, MethodOut, OfferAcceptOut, OfferOut, OfferPreviewOut, PayAccountOut, PaymentOut, PaymentPreviewOut,
} from '../../api/pay/pay.schema.js';
import { ApiError, toProblem, type Problem } from '../internal/api-client.js';

export type DebtorSession = z.output<typeof DebtorSessionOut>;
export type IdentitySessions = z.output<typeof IdentitySessionsOut>;
export type PayAccount = z.output<typeof PayAccountOut>;
export type PayMethod = z.output<typeof MethodOut>;
export type Offer = z.output<typeof OfferOut>;
export type Payment = z.output<typeof PaymentOut>;
export type PaymentPreview = z.output<typeof PaymentPreviewOut>;
export type OfferPreview = z.output<typeof OfferPreviewOut>;
export type OfferAccepted = z.output<typeof OfferAcceptOut>;

/** A declined payment's problem carries the payment too. */
export type DeclineProblem = Problem & { payment?: Payment };

export class PayApi {
  token: string | null = null;
  /** the debtor's language: sent as Accept-Language, so problems and documents come back in it */
  lang = 'en';
  constructor(readonly base: string) {}

  get apiRoot(): string {
    return `${this.base.replace(/\/+$/, '')}/api/v1`;
  }

  /** `body`: sent as JSON, or as multipart/form-data when it is a FormData (a dispute's document). */
  async request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.lang };
    const form = body instanceof FormData;
    // the browser sets the multipart Content-Type with its boundary
    if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    let response: Response;
    try {
      response = await fetch(`${this.apiRoot}${path}`, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body), credentials: 'omit' });
    } catch (error) {
      throw new ApiError(toProblem(error));
    }
    const json = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) {
      const problem = json && typeof (json as Problem).detail === 'string' ? (json as Problem) : toProblem(null);
      throw new ApiError(problem);
    }
    return json as T;
  }
}

/** A fresh key per attempt to pay; the same key when the very same request is retried. */
export const newIdempotencyKey = () => `ckpay-${crypto.randomUUID()}`;

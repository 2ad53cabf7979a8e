/**
 * A small fetch client for the CollectKit API, shared by every element talking to one API base.
 *
 * - The access token lives in memory only and travels as `Authorization: Bearer`.
 * - The single-use refresh token lives in memory and in the host page's own `sessionStorage`
 *   (key `collectkit:<apiBase>`), so a reload keeps the session and nothing needs third-party cookies.
 * - A 401 for a missing/expired access token triggers one refresh (`POST auth/refresh`) and one retry;
 *   concurrent callers share that refresh, since each refresh token can be used only once.
 * - Failures throw `ApiError` carrying the RFC 9457 problem body.
 * - A GET that cannot reach the API (network failure, or 502/503/504 from a proxy or a node whose
 *   database is away) is retried quietly with exponential back-off (`retryDelaysMs`: 1, 2, 4, 8,
 *   16, 30 s), then fails. Meanwhile `connection` says so (`connection-change` fires on changes), so a
 *   shell can show "Can't reach the server — retrying in 4 s" with a `retryNow()` button. Other
 *   methods are never retried (they may not be idempotent).
 * - Session changes are announced with a `session-change` event on the client.
 */
import type { z } from 'zod';
import type { Me } from '../../api/me/me.service.js';
import type { MfaChallengeResponse, PasswordPolicyResponse, SessionResponse } from '../../api/auth/auth.schema.js';
import type {
  AccountDetail, AccountSearchResponse, AccountSummary, ActivityListResponse,
} from '../../api/accounts/accounts.schema.js';

export type User = Me;
export type SessionGrant = z.output<typeof SessionResponse>;
/** How to reach client support (`GET auth/forgot-username`). */
export interface SupportContact {
  phone: string;
  email: string;
  hours: string;
  message: string;
}
/** The password was right; a second step (`verifyMfa`) is still owed. */
export type MfaChallenge = z.output<typeof MfaChallengeResponse>;
export type PasswordPolicy = z.output<typeof PasswordPolicyResponse>;
export type Account = z.output<typeof AccountDetail>;
export type AccountRow = z.output<typeof AccountSummary>;
export type AccountPage = z.output<typeof AccountSearchResponse>;
export type ActivityPage = z.output<typeof ActivityListResponse>;
export type ActivityEntry = ActivityPage['data'][number];

/** One field's problem, as the API reports it (`path` is dotted: `newPassword`, `query.ssnLast4`). */
export interface FieldProblem {
  path: string;
  message: string;
  code: string;
}

/** RFC 9457 problem details, as every CollectKit error response carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldProblem[];
  requestId: string;
}

/** A failed API call (or a network failure, status 0) with the problem body. */
export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  get code(): string {
    return this.problem.code;
  }

  /** Field errors keyed by the last segment of their path (`query.ssnLast4` → `ssnLast4`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const key = e.path.split('.').pop() ?? '';
      out[key] ??= e.message;
    }
    return out;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface UploadOptions {
  /** bytes sent so far and the total (0 when unknown) */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** The file name of a Content-Disposition header: `filename*` (UTF-8) first, else `filename`. */
export function filenameOf(header: string | null): string {
  if (!header) return 'download';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? 'download';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** extra request headers, e.g. `Idempotency-Key` */
  headers?: Record<string, string>;
}

const STORAGE_PREFIX = 'collectkit:';

/** Answers worth retrying a GET for: the API or its database is away for a moment. */
const UNAVAILABLE = new Set([502, 503, 504]);

/** Whether the API can be reached, as the last requests found (`connection-change` announces changes). */
export type Connection =
  | { state: 'online' }
  /** a GET waits to be retried: the soonest retry is at `retryAt` (ms since the epoch) */
  | { state: 'retrying'; retryAt: number; attempt: number }
  /** the retries were used up; the next request that gets through makes it `online` again */
  | { state: 'offline' };

interface Waiter {
  at: number;
  attempt: number;
  wake: () => void;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage can be disabled (sandboxed frames, strict privacy settings)
  }
}

/** Turns a thrown value into a problem body for display (network failures, aborts, bugs). */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  return {
    type: 'about:blank', title: 'Network error', status: 0, code: 'network_error', requestId: '',
    detail: 'The portal could not be reached. Check your connection and try again.',
  };
}

export class ApiClient extends EventTarget {
  /** the API origin (and path prefix, if any) without a trailing slash */
  readonly base: string;
  #accessToken: string | null = null;
  #refreshToken: string | null = null;
  #user: User | null = null;
  #refreshing: Promise<boolean> | null = null;
  #restoring: Promise<User | null> | null = null;
  #waiters = new Set<Waiter>();
  #offline = false;

  /** Pauses between the attempts of a GET that cannot reach the API (its attempts: one more than these). */
  retryDelaysMs: number[] = [1000, 2000, 4000, 8000, 16000, 30000];

  constructor(base: string) {
    super();
    this.base = base.replace(/\/+$/, '');
    this.#refreshToken = storage()?.getItem(this.#storageKey) ?? null;
  }

  get #storageKey(): string {
    return `${STORAGE_PREFIX}${this.base}`;
  }

  /** The signed-in user, or null. */
  get user(): User | null {
    return this.#user;
  }

  /** Whether a stored session may be restored with `restore()`. */
  get hasStoredSession(): boolean {
    return this.#refreshToken !== null;
  }

  /** Whether the API answers (see `retryDelaysMs`). */
  get connection(): Connection {
    const soonest = [...this.#waiters].sort((a, b) => a.at - b.at)[0];
    return soonest ? { state: 'retrying', retryAt: soonest.at, attempt: soonest.attempt } : { state: this.#offline ? 'offline' : 'online' };
  }

  /** Retries every waiting GET now instead of at the end of its back-off. */
  retryNow(): void {
    for (const w of [...this.#waiters]) w.wake();
  }

  #changed(offline = this.#offline): void {
    this.#offline = offline;
    this.dispatchEvent(new Event('connection-change'));
  }

  /** `#send`, and for a GET the quiet retries (with back-off) while the API cannot be reached. */
  async #sendRetrying(method: string, path: string, options: RequestOptions): Promise<Response> {
    const { signal } = options;
    for (let attempt = 0; ; attempt++) {
      const last = method !== 'GET' || attempt >= this.retryDelaysMs.length;
      let response: Response | null = null;
      try {
        response = await this.#send(method, path, options);
      } catch (error) {
        if (!(error instanceof ApiError) || last) {
          if (error instanceof ApiError) this.#changed(true);
          throw error; // an abort, or the last attempt
        }
      }
      if (response && !UNAVAILABLE.has(response.status)) {
        if (this.#offline) this.#changed(false);
        return response;
      }
      if (last && response) {
        this.#changed(true);
        return response;
      }
      // wait, shown as a pending retry, until the pause ends, `retryNow()`, or an abort
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = {
          at: Date.now() + this.retryDelaysMs[attempt]!, attempt: attempt + 1,
          wake: () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', waiter.wake);
            this.#waiters.delete(waiter);
            this.#changed();
            if (signal?.aborted) reject(signal.reason);
            else resolve();
          },
        };
        const timer = setTimeout(waiter.wake, this.retryDelaysMs[attempt]);
        signal?.addEventListener('abort', waiter.wake);
        this.#waiters.add(waiter);
        this.#changed();
      });
    }
  }

  /** Sends a request below `/api/v1` and returns the parsed JSON body (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.#sendRetrying(method, path, options);
    if (response.status === 401 && this.#refreshToken && !path.startsWith('/auth/refresh')) {
      const problem = await this.#problemOf(response.clone());
      if (problem.code === 'unauthorized' && (await this.#refresh())) {
        return this.#parse<T>(await this.#sendRetrying(method, path, options));
      }
    }
    return this.#parse<T>(response);
  }

  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { query, signal });
  }

  /**
   * Like `request`, for a file the API produces (an attachment, a report export): the bytes as a Blob
   * and the name from Content-Disposition. Tokens travel in the header, never in URLs.
   */
  async download(method: string, path: string, options: RequestOptions = {}): Promise<{ blob: Blob; fileName: string }> {
    const withAccept = { ...options, headers: { Accept: '*/*', ...options.headers } };
    let response = await this.#send(method, path, withAccept);
    if (response.status === 401 && this.#refreshToken && (await this.#refresh())) response = await this.#send(method, path, withAccept);
    if (!response.ok) throw new ApiError(await this.#problemOf(response));
    return { blob: await response.blob(), fileName: filenameOf(response.headers.get('Content-Disposition')) };
  }

  /**
   * Signs in; on success the session is kept and `session-change` fires. A user with two-step
   * sign-in gets the challenge instead: finish with `verifyMfa`.
   */
  async login(username: string, password: string): Promise<User | MfaChallenge> {
    const grant = await this.request<SessionGrant | MfaChallenge>('POST', '/auth/login', { body: { username, password } });
    if ('mfaRequired' in grant) return grant;
    this.#setSession(grant);
    return grant.user;
  }

  /** The second sign-in step: a code from the authenticator app, or a recovery code. */
  async verifyMfa(challenge: MfaChallenge, proof: { code: string } | { recoveryCode: string }): Promise<User> {
    const grant = await this.request<SessionGrant>('POST', '/auth/mfa/verify', { body: { challengeToken: challenge.challengeToken, ...proof } });
    this.#setSession(grant);
    return grant.user;
  }

  /** SSO for intranets: exchanges a token signed by the client's backend for a session. */
  async exchangeEmbedToken(token: string): Promise<User> {
    const grant = await this.request<SessionGrant>('POST', '/auth/embed', { body: { token } });
    this.#setSession(grant);
    return grant.user;
  }

  /** Ends the session on the server and forgets it here; a session the server already ended is no error. */
  async logout(): Promise<void> {
    try {
      if (this.#accessToken) await this.request<void>('POST', '/auth/logout');
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    } finally {
      this.#clear();
    }
  }

  /** Resumes a session kept in sessionStorage (after a reload); resolves to the user or null. */
  restore(): Promise<User | null> {
    if (this.#user) return Promise.resolve(this.#user);
    if (!this.#refreshToken) return Promise.resolve(null);
    this.#restoring ??= this.#refresh().then((ok) => (ok ? this.#user : null)).finally(() => {
      this.#restoring = null;
    });
    return this.#restoring;
  }

  /** Reads `GET /me` again (after a profile or password change) and announces the new user. */
  async reloadUser(): Promise<User> {
    const user = await this.get<User>('/me');
    this.#user = user;
    this.#announce();
    return user;
  }

  /**
   * Opens a streaming GET (server-sent events) with the session's token in the header, refreshing
   * an expired token once; resolves to the open response, whose body the caller reads.
   */
  async openStream(path: string, query?: Query, signal?: AbortSignal): Promise<Response> {
    const options: RequestOptions = { query, signal, headers: { Accept: 'text/event-stream' } };
    let response = await this.#send('GET', path, options);
    if (response.status === 401 && this.#refreshToken && (await this.#refresh())) response = await this.#send('GET', path, options);
    if (!response.ok) throw new ApiError(await this.#problemOf(response));
    return response;
  }

  async #send(method: string, path: string, { query, body, signal, headers: extra }: RequestOptions): Promise<Response> {
    const url = new URL(`${this.base}/api/v1${path}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.#accessToken) headers.Authorization = `Bearer ${this.#accessToken}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    try {
      return await fetch(url, { method, headers, body: payload, signal, credentials: 'omit' });
    } catch (error) {
      if (signal?.aborted) throw error; // let @lit/task see the AbortError
      throw new ApiError(toProblem(error));
    }
  }

  async #problemOf(response: Response): Promise<Problem> {
    try {
      const body = (await response.json()) as Partial<Problem>;
      if (body && typeof body.detail === 'string') return body as Problem;
    } catch {
      // not JSON: fall through to a generic problem
    }
    return {
      type: 'about:blank', title: response.statusText || 'Error', status: response.status, code: 'http_error',
      detail: `The portal answered ${response.status}.`, requestId: response.headers.get('X-Request-Id') ?? '',
    };
  }

  async #parse<T>(response: Response): Promise<T> {
    if (!response.ok) throw new ApiError(await this.#problemOf(response));
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** One refresh at a time: a refresh token is single use, so parallel 401s must share it. */
  #refresh(): Promise<boolean> {
    this.#refreshing ??= (async () => {
      const refreshToken = this.#refreshToken;
      if (!refreshToken) return false;
      try {
        const grant = await this.#parse<SessionGrant>(await this.#send('POST', '/auth/refresh', { body: { refreshToken } }));
        this.#setSession(grant);
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) this.#clear();
        return false;
      }
    })().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /**
   * Sends a multipart form (uploads) with XMLHttpRequest — fetch cannot report upload progress — and
   * calls `onProgress(loaded, total)` as the bytes go out. Abort with `signal` (rejects with an
   * AbortError). Same session rules as `request`: one refresh and one retry after an expired token.
   */
  async upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
    let response = await this.#sendForm(path, form, options);
    if (response.status === 401 && this.#refreshToken) {
      const problem = await this.#problemOf(response.clone());
      if (problem.code === 'unauthorized' && (await this.#refresh())) response = await this.#sendForm(path, form, options);
    }
    return this.#parse<T>(response);
  }

  #sendForm(path: string, form: FormData, { onProgress, signal }: UploadOptions): Promise<Response> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new DOMException('The upload was cancelled.', 'AbortError'));
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${this.base}/api/v1${path}`);
      xhr.setRequestHeader('Accept', 'application/json');
      if (this.#accessToken) xhr.setRequestHeader('Authorization', `Bearer ${this.#accessToken}`);
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : 0);
      const onAbort = () => xhr.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.onload = () => {
        signal?.removeEventListener('abort', onAbort);
        const body = xhr.status === 204 ? null : xhr.responseText;
        resolve(new Response(body, { status: xhr.status, headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' } }));
      };
      xhr.onerror = () => reject(new ApiError(toProblem(new Error('network'))));
      xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
      xhr.send(form);
    });
  }

  #setSession(grant: SessionGrant): void {
    this.#accessToken = grant.accessToken;
    this.#refreshToken = grant.refreshToken;
    this.#user = grant.user;
    storage()?.setItem(this.#storageKey, grant.refreshToken);
    this.#announce();
  }

  #clear(): void {
    const had = this.#user !== null || this.#accessToken !== null;
    this.#accessToken = null;
    this.#refreshToken = null;
    this.#user = null;
    storage()?.removeItem(this.#storageKey);
    if (had) this.#announce();
  }

  #announce(): void {
    this.dispatchEvent(new CustomEvent('session-change', { detail: this.#user }));
  }
}

const clients = new Map<string, ApiClient>();

/** The shared client of an API base: every element on the page talking to it shares one session. */
export function clientFor(base: string): ApiClient {
  const key = base.replace(/\/+$/, '');
  let client = clients.get(key);
  if (!client) {
    client = new ApiClient(key);
    clients.set(key, client);
  }
  return client;
}

/**
 * The API base when none is configured: the loading script tag's `data-api`, else the page's origin.
 * (`document.currentScript` is null for modules, so the tag is found by its `data-api` attribute.)
 */
export function defaultApiBase(): string {
  const tag = document.querySelector<HTMLScriptElement>('script[data-api]');
  return tag?.dataset.api || location.origin;
}

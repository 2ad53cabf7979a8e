/**
 * Application errors. Everything a route or service throws on purpose is an AppError; the error
 * middleware renders it as RFC 9457 problem+json. Anything else is an unexpected 500.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `parties.0.ssn`; empty for the whole body. */
  path: string;
  message: string;
  code: string;
  /** the catalogue message behind `message`, for a debtor route to answer in the debtor's language (never serialised) */
  words?: { key: string; params?: Record<string, string | number> | undefined } | undefined;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, errors?: FieldError[]) =>
  new AppError(400, code, message, errors);
export const unauthorized = (message = 'Authentication is required.', code = 'unauthorized') =>
  new AppError(401, code, message);
export const forbidden = (message = 'You do not have permission to do this.', code = 'forbidden') =>
  new AppError(403, code, message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'too_many_requests', 'Too many attempts. Try again later.', undefined, {
    'Retry-After': String(retryAfterSeconds),
  });

export const PROBLEM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

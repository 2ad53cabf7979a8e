/**
 * Requests Node's HTTP parser refuses before Koa sees them (headers or URL over 16 KB, malformed
 * request lines) would be answered with a bare status and no body. This answers them as every other
 * error: problem+json with a request id, the API's CSP, and the connection closed.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { PROBLEM_TITLES } from '../errors.js';

const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The request line or headers are larger than 16 KB (a very long URL?).'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request was not received in time.'],
};

export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, detail] = ANSWERS[err.code ?? ''] ?? [400, 'malformed_request', 'The HTTP request could not be parsed.'];
    const title = status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : (PROBLEM_TITLES[status] ?? 'Error');
    const requestId = `req_${randomBytes(10).toString('hex')}`;
    const body = JSON.stringify({ type: `https://collectkit.dev/problems/${code.replace(/_/g, '-')}`, title, status, detail, code, requestId });
    socket.end([
      `HTTP/1.1 ${status} ${title}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      `X-Request-Id: ${requestId}`,
      'X-Content-Type-Options: nosniff',
      "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      'Cache-Control: no-store',
      'Connection: close',
      '',
      body,
    ].join('\r\n'));
  });
}

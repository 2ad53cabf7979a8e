/**
 * A 200 MB upload and download with the process's memory staying flat: the bytes are streamed from
 * the socket through multer and the inspector to disk, and back, never held whole. The server runs in
 * this process, so this process's RSS is the server's. Storage does not depend on the database, so
 * this runs once (SQLite) rather than per dialect — on local disk, and with TEST_STORAGE=s3
 * (`npm run test:s3`) through the S3 backend into s3rver (parts of 5 MiB, two in flight).
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './harness.js';

const SIZE = 200 * 1024 * 1024;
const CHUNK = 64 * 1024;
const MB = 1024 * 1024;

function sampleMemory() {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  return { growth: () => (peak - baseline) / MB, stop: () => clearInterval(timer) };
}

describe('uploading 200 MB keeps memory flat', () => {
  let api: TestApi;
  let token: string;
  let account: string;
  beforeAll(async () => {
    api = await startTestApi('sqlite', { accounts: 20, config: { uploads: { maxBytes: 256 * MB } } });
    token = await api.login('demo.agency');
    account = (await api.db('accounts').where({ reviewStatus: 'accepted' }).first('public_id')).publicId;
  });
  afterAll(() => api.close());

  it('streams 200 MB in and out with RSS growing far less than the file', { timeout: 180_000 }, async () => {
    const boundary = 'ck-memory-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nLarge export\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    // one reusable chunk of text lines; the hash is computed as it is sent
    const line = Buffer.from('0123456789 collectkit streamed upload test line ....................\n');
    const chunk = Buffer.alloc(CHUNK);
    for (let i = 0; i < CHUNK; i += line.length) line.copy(chunk, i, 0, Math.min(line.length, CHUNK - i));
    const hash = createHash('sha256');
    async function* body() {
      yield head;
      for (let sent = 0; sent < SIZE; sent += CHUNK) {
        hash.update(chunk);
        yield chunk;
      }
      yield tail;
    }

    const memory = sampleMemory();
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${api.url}/api/v1/accounts/${account}/attachments`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': String(head.length + SIZE + tail.length),
        },
      }, (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (d: string) => (text += d));
        r.on('end', () => resolve({ status: r.statusCode!, text }));
      });
      req.on('error', reject);
      Readable.from(body()).pipe(req);
    });
    const uploadGrowth = memory.growth();
    memory.stop();
    expect(res.status, res.text).toBe(201);
    const created = JSON.parse(res.text);
    expect(created.sizeBytes).toBe(SIZE);
    expect(created.sha256).toBe(hash.digest('hex'));
    expect(uploadGrowth).toBeLessThan(80);

    const down = sampleMemory();
    const dl = await fetch(`${api.url}/api/v1/accounts/${account}/attachments/${created.id}/content`, { headers: { Authorization: `Bearer ${token}` } });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-length')).toBe(String(SIZE));
    const back = createHash('sha256');
    let received = 0;
    for await (const part of dl.body as unknown as AsyncIterable<Uint8Array>) {
      back.update(part);
      received += part.length;
    }
    const downloadGrowth = down.growth();
    down.stop();
    expect(received).toBe(SIZE);
    expect(back.digest('hex')).toBe(created.sha256);
    expect(downloadGrowth).toBeLessThan(80);
  });
});

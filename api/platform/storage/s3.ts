/**
 * The S3-compatible backend (AWS S3, MinIO, Ceph RGW, Cloudflare R2 …) for deployments with several
 * API nodes: every node reads and writes the same bucket, so a file uploaded through one node is
 * served by any other.
 *
 * - Upload is streamed with `@aws-sdk/lib-storage`: parts of PART_SIZE, at most QUEUE_SIZE in flight,
 *   so memory stays flat whatever the file's size; a file smaller than one part is a single PUT.
 * - Never a half-written object: S3 makes an object visible only when its single PUT or its
 *   CompleteMultipartUpload succeeds, and a failed multipart upload is aborted (its parts removed).
 *   A process killed mid-upload leaves an incomplete multipart upload, which is invisible; a bucket
 *   lifecycle rule (AbortIncompleteMultipartUpload) clears those — see README, Running it for real.
 * - Checksums only when the operation requires them: the SDK's default (CRC trailers in aws-chunked
 *   bodies) is not understood by every S3-compatible server.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { checkKey, generateKey, measuring, StoredObjectNotFound, watchSource, type FileStore } from './store.js';

export interface S3Settings {
  bucket: string;
  /** folder-like prefix inside the bucket, without leading or trailing slash ('' for none) */
  prefix: string;
  /** e.g. http://127.0.0.1:9000 for MinIO; empty for AWS S3 */
  endpoint?: string;
  region: string;
  /** both empty: the SDK's default credential chain (AWS_* env, instance or task role) */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO, Ceph, s3rver) */
  forcePathStyle: boolean;
}

/**
 * S3's smallest part. Measured with tests/api/upload-memory.test.ts on s3rver (200 MB upload, RSS
 * growth): 5 MiB × 2 in flight ≈ 30–40 MB; 8 MiB parts ≈ 90 MB (lib-storage concatenates each part
 * and keeps the remainder's buffer alive until the next one), so bigger parts cost memory, not speed.
 */
export const PART_SIZE = 5 * 1024 * 1024;
export const QUEUE_SIZE = 2;

/** `s3://bucket/some/prefix` → bucket and prefix. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/.exec(url);
  if (!m) throw new Error(`STORAGE_URL ${JSON.stringify(url)} is not s3://bucket or s3://bucket/prefix (bucket names: lower-case letters, digits, dots and hyphens).`);
  return { bucket: m[1]!, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, '') };
}

export function s3Client(s: S3Settings): S3Client {
  // Downloads hold a socket for as long as the browser reads; the SDK's default of 50 sockets would
  // make the 51st concurrent download (and every upload) wait.
  const agent = { keepAlive: true, maxSockets: 256 };
  return new S3Client({
    region: s.region,
    endpoint: s.endpoint || undefined,
    forcePathStyle: s.forcePathStyle,
    credentials: s.accessKeyId && s.secretAccessKey ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } : undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 10_000, httpAgent: new HttpAgent(agent), httpsAgent: new HttpsAgent(agent) },
  });
}

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket');
};

export function s3Store(settings: S3Settings, client: S3Client = s3Client(settings)): FileStore {
  const Bucket = settings.bucket;
  const objectKey = (key: string) => (settings.prefix ? `${settings.prefix}/${checkKey(key)}` : checkKey(key));

  return {
    async put(source, reservedKey) {
      const key = reservedKey === undefined ? generateKey() : checkKey(reservedKey);
      const watch = watchSource(source);
      const measure = measuring();
      const upload = new Upload({
        client,
        params: { Bucket, Key: objectKey(key), Body: measure.stream, ContentType: 'application/octet-stream' },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      // A failing source destroys the measuring stream, which fails (and aborts) the upload.
      const piping = pipeline(source, measure.stream);
      piping.catch(() => {});
      try {
        await upload.done();
        await piping;
        return { key, ...measure.result() };
      } catch (err) {
        // The upload failed on its side (bucket gone, network): stop reading the source too.
        measure.stream.destroy();
        // The source's own error wins over what the upload reports for it (an abort may fail too).
        throw watch.error() ?? err;
      } finally {
        watch.stop();
      }
    },

    async get(key, range) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
        return out.Body as Readable;
      } catch (err) {
        if (isNotFound(err)) throw new StoredObjectNotFound(key);
        throw err;
      }
    },

    async stat(key) {
      let Key: string;
      try {
        Key = objectKey(key);
      } catch {
        return null;
      }
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
        return { size: Number(head.ContentLength ?? 0) };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },

    async delete(key) {
      // S3 answers 204 whether or not the object existed: idempotent as the contract wants.
      await client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) }));
    },
  };
}

/**
 * A real S3-protocol server for tests: s3rver in a child process on a random loopback port, storing
 * in a temp dir. `storage(prefix)` is the app config that points a CollectKit store at it; `keys()`
 * lists the objects under a prefix through the S3 API; `pendingUploads()` the multipart uploads
 * begun and neither completed nor aborted (read from s3rver's directory: it has no ListMultipartUploads).
 * Known s3rver quirk: a range ending at byte 0 (`bytes=0-0`) returns the whole object (real S3 does not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { StorageConfig } from '../../api/config.js';

export interface S3Peer {
  endpoint: string;
  bucket: string;
  /** config for a store under `s3://bucket/prefix` */
  storage(prefix: string): StorageConfig;
  /** the same as environment variables (for `serve` processes) */
  env(prefix: string): Record<string, string>;
  keys(prefix: string): Promise<string[]>;
  pendingUploads(prefix: string): string[];
  close(): Promise<void>;
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startS3Peer(bucket = 'ck-test'): Promise<S3Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-s3-'));
  const child: ChildProcess = spawn(process.execPath, [new URL('./s3-peer-main.mjs', import.meta.url).pathname, dir, bucket], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}) before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // a peer nobody closed (the shared one of a test file) ends with the test process
  const kill = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', kill);
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
  const strip = (prefix: string, key: string) => key.slice(prefix.length + 1);

  return {
    endpoint,
    bucket,
    storage: (prefix) => ({ url: `s3://${bucket}/${prefix}`, s3Endpoint: endpoint, s3Region: 'us-east-1', s3AccessKeyId: CREDENTIALS.accessKeyId, s3SecretAccessKey: CREDENTIALS.secretAccessKey, s3ForcePathStyle: true }),
    env: (prefix) => ({ STORAGE_URL: `s3://${bucket}/${prefix}`, S3_ENDPOINT: endpoint, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, S3_FORCE_PATH_STYLE: '1' }),
    async keys(prefix) {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
        for (const o of page.Contents ?? []) out.push(strip(prefix, o.Key!));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort();
    },
    pendingUploads(prefix) {
      const root = join(dir, bucket, '._S3rver_uploads');
      let ids: string[] = [];
      try {
        ids = readdirSync(root);
      } catch {
        return [];
      }
      return ids
        .map((id) => { try { return readFileSync(join(root, id, 'key'), 'utf8'); } catch { return ''; } })
        .filter((k) => k.startsWith(`${prefix}/`))
        .map((k) => strip(prefix, k))
        .sort();
    },
    async close() {
      process.off('exit', kill);
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

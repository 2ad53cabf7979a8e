/**
 * An S3-protocol server (s3rver) in a process of its own, for tests: `node s3-peer-main.mjs <dir> <bucket>`.
 * Listens on a random loopback port and prints `listening <port>`; exits when its parent closes
 * stdin (the test process ended, however it ended).
 *
 * s3rver lacks AbortMultipartUpload (it answers 405). Real S3 removes an aborted upload's parts, and
 * the storage tests check that a failed upload leaves none, so it is added here the way S3 does it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import S3rver from 's3rver';

const [dir, bucket] = process.argv.slice(2);
const server = new S3rver({ directory: dir, address: '127.0.0.1', port: 0, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
server.middleware.unshift(async (ctx, next) => {
  const uploadId = ctx.query.uploadId;
  if (ctx.method !== 'DELETE' || typeof uploadId !== 'string') return next();
  if (!/^[0-9a-f]{32}$/.test(uploadId)) {
    ctx.status = 404;
    return;
  }
  const [, b] = ctx.path.split('/');
  await rm(join(dir, b, '._S3rver_uploads', uploadId), { recursive: true, force: true });
  ctx.status = 204;
});
const { port } = await server.run();
process.stdout.write(`listening ${port}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));

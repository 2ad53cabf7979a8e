/**
 * Files across nodes (issue 20, items 1 and 2): two API nodes and a worker, separate processes with
 * separate DATA_DIRs, one MariaDB database and one S3-protocol bucket. What one node stores, every
 * node serves; a placement uploaded through one node and started through another is run by the worker.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_MYSQL, nodeClient, startCluster, waitFor, type Cluster, type NodeClient } from './harness.js';
import { goodRow, toCsv } from '../api/fixtures/placement-sheets.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

describe.skipIf(!HAS_MYSQL)('files and placements across nodes', () => {
  let cluster: Cluster;
  let a: NodeClient;
  let b: NodeClient;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    cluster = await startCluster({ apiNodes: 2, workers: 1 });
    [a, b] = cluster.nodes.map(nodeClient) as [NodeClient, NodeClient];
    tokenA = await a.login('demo.client');
    tokenB = await b.login('demo.client');
  });
  afterAll(() => cluster?.close());

  it('an attachment uploaded through node A downloads from node B, byte for byte, and B audits the download', async () => {
    const account = (await cluster.database.db('accounts').join('clients', 'clients.id', 'accounts.client_id').where({ 'clients.code': 'CPL', review_status: 'accepted' }).first('accounts.public_id')).public_id as string;
    const bytes = Buffer.concat([PDF, Buffer.from(`% ${'x'.repeat(6 * 1024 * 1024)}\n`)]); // over one upload part
    const up = await a.upload(`/accounts/${account}/attachments`, tokenA, { bytes, filename: 'statement.pdf' }, { name: 'Statement' });
    expect(up.status).toBe(201);
    const dl = await b.download(`/accounts/${account}/attachments/${up.body.id}/content`, tokenB);
    expect(dl.status).toBe(200);
    expect(dl.bytes.length).toBe(bytes.length);
    expect(sha(dl.bytes)).toBe(sha(bytes));
    const part = await fetch(`${cluster.nodes[1]!.url}/api/v1/accounts/${account}/attachments/${up.body.id}/content`, { headers: { Authorization: `Bearer ${tokenB}`, Range: 'bytes=0-7' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('%PDF-1.4');
    const audits = await cluster.database.db('audit_log').where({ action: 'attachment.download', target_id: up.body.id });
    expect(audits).toHaveLength(2);
    // the bytes are in the bucket, on no node's disk
    const key = (await cluster.database.db('attachments').where({ public_id: up.body.id }).first('storage_key')).storage_key as string;
    expect(await cluster.s3.keys(cluster.prefix)).toContain(key);
    for (const n of [...cluster.nodes, ...cluster.workers]) expect(existsSync(join(n.dataDir, 'files'))).toBe(false);
  });

  it('a Collaboration Center file added on A gets a new version on B; both nodes serve both versions', async () => {
    const v1 = Buffer.from('Rate card 2026, first draft.\n');
    const v2 = Buffer.from('Rate card 2026, as signed.\n');
    const added = await a.upload('/collab/files', tokenA, { bytes: v1, filename: 'rate-card.txt' });
    expect(added.status).toBe(201);
    const id = added.body.id as string;
    const next = await b.upload(`/collab/files/${id}/versions`, tokenB, { bytes: v2, filename: 'rate-card-signed.txt' });
    expect(next.status).toBe(201);
    expect(next.body.currentVersion).toBe(2);
    for (const node of [a, b]) {
      expect((await node.download(`/collab/files/${id}/content`, tokenA)).bytes.equals(v2)).toBe(true);
      expect((await node.download(`/collab/files/${id}/content?version=1`, tokenA)).bytes.equals(v1)).toBe(true);
    }
  });

  it('a placement spreadsheet uploaded on A and started on B is placed by the worker; its file then leaves the bucket', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => goodRow(i + 1, 'NODES'));
    const up = await a.upload('/placements/batches', tokenA, { bytes: Buffer.from(toCsv(rows)), filename: 'cluster.csv' });
    expect(up.status).toBe(201);
    const storedName = (await cluster.database.db('placement_batches').where({ public_id: up.body.id }).first('stored_name')).stored_name as string;
    expect(await cluster.s3.keys(cluster.prefix)).toContain(storedName);
    const started = await b.request(`/placements/batches/${up.body.id}/start`, { token: tokenB, body: { mapping: up.body.suggestedMapping, mode: 'place' } });
    expect(started.status).toBe(202);
    const done = await waitFor('the batch to finish', async () => {
      const batch = (await a.request(`/placements/batches/${up.body.id}`, { token: tokenA })).body;
      return ['completed', 'failed'].includes(batch.status) ? batch : null;
    }, 120_000, 500);
    expect(done).toMatchObject({ status: 'completed', rowsTotal: 120, rowsDone: 120, rowsPlaced: 120, failure: null });
    expect(Number((await cluster.database.db('placements').where('client_account_number', 'like', 'NODES-%').count({ n: '*' }))[0]!.n)).toBe(120);
    expect(await cluster.s3.keys(cluster.prefix)).not.toContain(storedName);
    for (const n of [...cluster.nodes, ...cluster.workers]) expect(existsSync(join(n.dataDir, 'uploads'))).toBe(false);
  });
});

/**
 * Failures across nodes (issue 20, items 8 and 9): two API nodes and two worker nodes, separate
 * processes, on a MariaDB server of this test's own (private-mariadb.ts; the machine's shared one is
 * never restarted) and the S3-protocol bucket.
 * - A worker killed (SIGKILL) in the middle of a placement: the other worker takes the job over once
 *   the dead one's lease runs out (30 s, the default) and finishes the batch, no row placed twice.
 * - The database restarted: while it is down every node answers 503 with Retry-After (never 500),
 *   and once it is back both nodes answer again and the worker runs new jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_MYSQL, nodeClient, startCluster, waitFor, type Cluster, type NodeClient } from './harness.js';
import { HAS_MARIADBD, startPrivateMariadb, type PrivateMariadb } from './private-mariadb.js';
import { goodRow, toCsv } from '../api/fixtures/placement-sheets.js';

describe.skipIf(!HAS_MYSQL || !HAS_MARIADBD)('failures across nodes: a killed worker, a database restart', () => {
  let mariadb: PrivateMariadb;
  let cluster: Cluster;
  let a: NodeClient;
  let b: NodeClient;

  beforeAll(async () => {
    mariadb = await startPrivateMariadb();
    cluster = await startCluster({ apiNodes: 2, workers: 2, mysqlServerUrl: mariadb.url });
    [a, b] = cluster.nodes.map(nodeClient) as [NodeClient, NodeClient];
  });
  afterAll(async () => {
    await cluster?.close();
    await mariadb?.close();
  });

  const batchRow = (publicId: string) => cluster.database.db('placement_batches').where({ public_id: publicId }).first();

  /** Uploads `rows` through A and starts them through B; returns the batch id. */
  async function placeThroughTwoNodes(token: string, rows: ReturnType<typeof goodRow>[], name: string): Promise<string> {
    const up = await a.upload('/placements/batches', token, { bytes: Buffer.from(toCsv(rows)), filename: name });
    expect(up.status).toBe(201);
    const started = await b.request(`/placements/batches/${up.body.id}/start`, { token, body: { mapping: up.body.suggestedMapping, mode: 'place' } });
    expect(started.status).toBe(202);
    return up.body.id as string;
  }

  it('a worker killed mid-placement: the other worker takes the job over within 60 s and completes the batch', async () => {
    const token = await a.login('demo.client');
    const n = 12_000;
    const id = await placeThroughTwoNodes(token, Array.from({ length: n }, (_, i) => goodRow(i + 1, 'KILLED')), 'killed.csv');
    // the worker running it: its lease names the process (host:pid:…)
    const running = await waitFor('a worker to be placing the batch', async () => {
      const job = await cluster.database.db('jobs').where('dedupe_key', 'like', `placement.batch:${id}:%`).where({ status: 'running' }).first();
      const batch = await batchRow(id);
      return job && Number(batch.rows_done) >= 1000 ? job : null;
    }, 120_000, 50);
    const victim = cluster.workers.find((w) => String(running.locked_by).split(':')[1] === String(w.process.pid))!;
    const survivor = cluster.workers.find((w) => w !== victim)!;
    expect(victim).toBeDefined();
    await victim.kill();
    const killedAt = performance.now();
    const before = await batchRow(id);
    expect(before.status).toBe('running');
    expect(Number(before.rows_done)).toBeLessThan(n);

    const taken = await waitFor('the other worker to take the job over', async () => {
      const job = await cluster.database.db('jobs').where({ id: running.id }).first();
      return String(job.locked_by ?? '').split(':')[1] === String(survivor.process.pid) || job.status === 'done' ? job : null;
    }, 90_000, 100);
    const takeoverMs = performance.now() - killedAt;
    console.log(`placement job taken over ${(takeoverMs / 1000).toFixed(1)} s after its worker was killed (at row ${before.rows_done} of ${n})`);
    expect(takeoverMs).toBeLessThan(60_000);
    expect(Number(taken.attempts)).toBe(Number(running.attempts) + 1);

    const done = await waitFor('the batch to finish', async () => {
      const batch = await batchRow(id);
      return ['completed', 'failed'].includes(batch.status) ? batch : null;
    }, 150_000, 500);
    expect(done).toMatchObject({ status: 'completed', rows_done: n, rows_duplicate: 0, failure: null });
    // (the fixture's row 9000 has an SSN serial of 0000: invalid, reported, not placed)
    expect(Number(done.rows_placed) + Number(done.rows_invalid)).toBe(n);
    expect(Number(done.rows_invalid)).toBe(1);
    const all = await cluster.database.db('placements').where('client_account_number', 'like', 'KILLED-%').count({ c: '*' }).countDistinct({ d: 'row_number' });
    expect([Number(all[0]!.c), Number(all[0]!.d)]).toEqual([Number(done.rows_placed), Number(done.rows_placed)]);
  }, 300_000);

  it('a MariaDB restart: 503 with Retry-After on every node while it is down (never a 500), then both nodes and the worker recover', async () => {
    const agency = await a.login('demo.agency');
    const agencyB = await b.login('demo.agency');
    const account = (await cluster.database.db('accounts').where({ review_status: 'accepted' }).orderBy('id').first('public_id')).public_id as string;
    expect((await a.request(`/accounts/${account}`, { token: agency })).status).toBe(200);

    await mariadb.stop();
    try {
      for (const [node, token] of [[a, agency], [b, agencyB]] as const) {
        const answers = [
          await node.request(`/accounts/${account}`, { token }),
          await node.request('/accounts?name=a', { token }),
          await node.request(`/accounts/${account}/notes`, { token, body: { body: 'Written while the database restarts.' } }),
          await node.request('/auth/login', { body: { username: 'demo.agency', password: 'wrong password' } }),
        ];
        for (const res of answers) {
          expect(res.status, res.text).toBe(503);
          expect(res.headers.get('retry-after')).toBe('5');
          expect(res.body).toMatchObject({ status: 503, code: 'database_unavailable' });
        }
        expect((await node.request('/health')).status).toBe(503);
      }
    } finally {
      await mariadb.start();
    }

    for (const [node, token] of [[a, agency], [b, agencyB]] as const) {
      await waitFor('the node to answer again', async () => (await node.request(`/accounts/${account}`, { token })).status === 200, 60_000, 500);
      expect((await node.request('/health')).status).toBe(200);
    }
    // the worker that is left runs what is started after the restart
    const token = await a.login('demo.client');
    const id = await placeThroughTwoNodes(token, Array.from({ length: 50 }, (_, i) => goodRow(i + 1, 'RESTART')), 'after-restart.csv');
    const done = await waitFor('the batch placed after the restart', async () => {
      const batch = await batchRow(id);
      return ['completed', 'failed'].includes(batch.status) ? batch : null;
    }, 60_000, 250);
    expect(done).toMatchObject({ status: 'completed', rows_placed: 50 });
    for (const n of [...cluster.nodes, ...cluster.workers.filter((w) => w.process.exitCode === null && w.process.signalCode === null)]) {
      expect(n.output()).not.toMatch(/unhandled error|uncaught/i); // what a 500 logs (problem.ts)
    }
  }, 240_000);
});

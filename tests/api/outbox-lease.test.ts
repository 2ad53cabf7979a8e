/**
 * The outbox across nodes, on SQLite and MariaDB: a queued message is claimed under a short lease
 * renewed by a heartbeat while it is handed to SMTP (as the job runner's jobs are, claim.ts), so
 * - a send slower than the lease keeps its claim: a second worker claiming all the while sends nothing
 *   (before, a fixed 2-minute lease let another node send a slow message again);
 * - the messages of a worker killed mid-batch are sent by another within about one lease (before:
 *   two minutes).
 * Real SMTP peers (smtp-peer.ts): a slow relay that answers DATA seconds late, and the test's own.
 * The killed worker is a process of its own (fixtures/outbox-worker.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { deliverOutbox, enqueueEmail } from '../../api/platform/outbox.js';
import { toIso } from '../../api/platform/db.js';
import { sleep, until } from './until.js';


describe.each(DIALECTS)('outbox leases on %s', (dialect) => {
  const LEASE_MS = 1500;
  let api: TestApi;
  let peer: SmtpPeer;
  /** a worker's settings: the test's SMTP peer (or another), a 1.5 s lease */
  const deps = (smtpUrl = peer.url) => ({ db: api.db, config: { ...api.config, smtpUrl, jobs: { leaseMs: LEASE_MS } } });
  const message = (subject: string) => api.db('outbox').where({ subject }).first();
  const arrived = (subject: string) => peer.messages.filter((m) => m.subject === subject).length;
  const enqueue = (subject: string) => api.db.transaction((trx) => enqueueEmail(trx, { to: 'ops-lease@example.com', subject, text: `Body of ${subject}`, category: 'test' }));

  beforeAll(async () => {
    peer = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 5, config: { smtpUrl: peer.url } });
    // what the seed queued is not these tests' business: out of the way
    await api.db('outbox').update({ status: 'cancelled' });
  });
  afterAll(async () => {
    await api?.close();
    await peer?.close();
  });

  it('a send slower than the lease keeps its claim by the heartbeat: a second worker claiming all the while sends nothing', async () => {
    const slow = await startSmtpPeer({ delayMs: 4 * LEASE_MS });
    const subject = `slow relay ${dialect}`;
    try {
      await enqueue(subject);
      const sending = deliverOutbox(deps(slow.url), { workerId: 'node-1' });
      await until('the slow relay to hold the message', () => slow.answering === 1, 10_000);
      let stealing = true;
      const thief = (async () => {
        let sent = 0;
        while (stealing) {
          sent += (await deliverOutbox(deps(), { workerId: 'node-2' })).sent;
          await sleep(100);
        }
        return sent;
      })();
      const leases: number[] = [];
      for (let i = 0; i < 8; i++) {
        const row = await message(subject);
        if (row.status !== 'sending') break;
        expect(row.lockedBy).toBe('node-1');
        const lockedUntil = Date.parse(toIso(row.lockedUntil)!);
        leases.push(lockedUntil);
        // never more than one lease ahead (the fixed lease was 2 minutes)
        expect(lockedUntil - Date.now()).toBeLessThanOrEqual(LEASE_MS + 200);
        await sleep(500);
      }
      expect(leases.length).toBeGreaterThanOrEqual(6); // the send outlived several leases
      expect(leases.at(-1)!).toBeGreaterThan(leases[0]! + 1000); // renewed
      expect(await sending).toEqual({ sent: 1, failed: 0, held: 0, cancelled: 0 });
      await sleep(3 * LEASE_MS); // the thief goes on a while after the send
      stealing = false;
      expect(await thief).toBe(0);
      expect(slow.messages.filter((m) => m.subject === subject)).toHaveLength(1);
      expect(arrived(subject)).toBe(0);
      expect(await message(subject)).toMatchObject({ status: 'sent', attempts: 1, lockedBy: null, lockedUntil: null });
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('a worker killed mid-batch: another sends its messages about one lease after it died, each once', async () => {
    // node-1's relay takes a message and never answers: node-1 is mid-batch when it is killed
    const blackHole = await startSmtpPeer({ delayMs: 600_000 });
    const subjects = [1, 2, 3].map((i) => `batch ${i} ${dialect}`);
    for (const s of subjects) await enqueue(s);
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/outbox-worker.ts', import.meta.url).pathname], {
      env: {
        ...process.env, CK_DATABASE_URL: api.config.databaseUrl, CK_DATA_DIR: api.config.dataDir, CK_STORAGE: JSON.stringify(api.config.storage ?? null),
        CK_SMTP_URL: blackHole.url, CK_LEASE_MS: String(LEASE_MS), CK_WORKER_ID: 'node-1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    const kill = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    };
    try {
      await until(`node-1 to be sending (output: ${output})`, () => blackHole.answering === 1, 60_000);
      const rows = await Promise.all(subjects.map(message));
      expect(rows.map((r) => [r.status, r.lockedBy])).toEqual(subjects.map(() => ['sending', 'node-1']));
      await sleep(LEASE_MS); // a beat or more of the heartbeat on the message at the relay
      await kill();
      const killedAt = performance.now();
      await until('node-2 to send all three', async () => {
        await deliverOutbox(deps(), { workerId: 'node-2' });
        return subjects.every((s) => arrived(s) >= 1);
      }, 20_000, 100);
      const takeoverMs = performance.now() - killedAt;
      console.log(`[${dialect}] outbox batch taken over ${takeoverMs.toFixed(0)} ms after its worker was killed (lease ${LEASE_MS} ms)`);
      expect(takeoverMs).toBeLessThan(LEASE_MS + 3000);
      expect(subjects.map(arrived)).toEqual([1, 1, 1]);
      for (const s of subjects) expect(await message(s)).toMatchObject({ status: 'sent', lockedBy: null, lockedUntil: null });
    } finally {
      await kill();
      await blackHole.close();
    }
  }, 120_000);
});

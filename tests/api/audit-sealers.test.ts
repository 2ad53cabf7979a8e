/**
 * Two nodes' audit sealers on one MariaDB database (issue 20, item 9): while rows are written
 * concurrently, both nodes' worker tickers seal at the same time. They used to deadlock on the chain
 * head (both locking it with FOR UPDATE; InnoDB rolled one back, logged as a failed task); now they
 * take turns through a named lock, no tick fails, and the chain verifies.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../api/platform/db.js';
import { writeAudit } from '../../api/platform/audit.js';
import { sealAudit, verifyAudit } from '../../api/audit/audit-chain.js';
import { testConfig } from '../../api/config.js';

/** Both nodes share the audit key, as nodes of one deployment do. */
const config = testConfig();
import { createMigratedMysqlDatabase } from './mysql-template.js';

const MYSQL = process.env.TEST_MYSQL_URL;

describe.runIf(MYSQL)('audit sealers on two nodes (MariaDB)', () => {
  const name = `ck_seal_${process.pid}_${randomBytes(3).toString('hex')}`;
  let nodeA: Db;
  let nodeB: Db;
  beforeAll(async () => {
    await createMigratedMysqlDatabase(MYSQL!, name);
    const url = Object.assign(new URL(MYSQL!), { pathname: `/${name}` }).toString();
    nodeA = createDb(url, mkdtempSync(join(tmpdir(), 'ck-seal-')));
    nodeB = createDb(url, mkdtempSync(join(tmpdir(), 'ck-seal-')));
  });
  afterAll(async () => {
    await nodeA?.destroy();
    await nodeB?.destroy();
    const k = knexFactory({ client: 'mysql2', connection: MYSQL! });
    await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await k.destroy();
  });

  it('seal concurrently with writers without a deadlock, and the chain verifies', async () => {
    const failures: string[] = [];
    let writing = true;
    const writer = async (db: Db, n: number) => {
      for (let i = 0; i < n; i++) {
        await db.transaction((trx) => writeAudit(trx, { actor: { type: 'system', id: null }, action: 'test.concurrent', after: { i } }));
      }
    };
    // Each node's ticker: seal as the worker does (no waiting for the other), over and over.
    const sealer = async (db: Db) => {
      while (writing) {
        try {
          await sealAudit(db, config, 50, 0);
        } catch (err) {
          failures.push((err as Error).message.slice(-120));
        }
      }
    };
    const sealers = [sealer(nodeA), sealer(nodeB)];
    await Promise.all([writer(nodeA, 400), writer(nodeB, 400), writer(nodeA, 400), writer(nodeB, 400)]);
    writing = false;
    await Promise.all(sealers);
    expect(failures).toEqual([]);
    const result = await verifyAudit(nodeA, config);
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThanOrEqual(1600);
  }, 120_000);
});

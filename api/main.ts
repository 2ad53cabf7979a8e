/**
 * The command line: `serve [--demo]`, `migrate`, `seed [--accounts N]`,
 * `admin create-user --username … --email … --first … --last … --role … [--clients A,B]`.
 * `npm start` = `serve --demo`: migrate, seed the demo agency when the database is empty,
 * serve the API, the widget bundle and the demo site, and print the URL and the demo logins.
 */
import { parseArgs } from 'node:util';
import type { Server } from 'node:http';
import { loadConfig, type Config } from './config.js';
import { secureFilesAtRest } from './platform/files-at-rest.js';
import { createDb, type Db } from './platform/db.js';
import { NodeSettingsError, checkNodeFingerprint, requireSharedSettings } from './platform/node-fingerprint.js';
import { MigrationLockError, migrateWithLock, releaseMigrationLock, waitForSchema } from './platform/migrate-lock.js';
import { createApp } from './app.js';
import { DEMO_USERS, seed } from './seed/seed.js';
import { createUser, issuePassword } from './users/users.service.js';
import { ensureDefaultRoles } from './users/roles.service.js';
import { startWorker } from './platform/jobs.js';
import { closePdf } from './platform/pdf.js';
import { startupWarnings } from './platform/startup-warnings.js';
import './jobs-registry.js';
import { readFileSync } from 'node:fs';
import { auditCheckpoint, verifyAudit, type AuditCheckpoint } from './audit/audit-chain.js';
import { verifyLedger } from './ledger/ledger-verify.js';

function usage(): never {
  console.error(`usage: tsx api/main.ts <command>
  serve [--demo] [--no-migrate]  start the API (--demo: seed if empty, serve the demo site; --no-migrate:
                                 wait for migrations run as a release step instead of running them)
  migrate                        run database migrations (waits for one another node is running)
  seed [--accounts N]            seed the demo agency into an empty database (default 5000 accounts)
  admin create-user --username U --email E --first F --last L --role ROLE [--clients CODE,CODE]
  admin audit-verify [--checkpoint FILE]
                                 seal and verify the audit trail's keyed hash chain (exit 1 when broken);
                                 with a checkpoint, also that the head it names is still there (truncation)
  admin audit-checkpoint         seal, then print a signed checkpoint of the chain head (JSON) to keep elsewhere
  admin ledger-verify            check every account's balance components against its ledger (exit 1 on a mismatch)
  admin migrate-unlock           release the migration lock a killed migrator left behind`);
  process.exit(2);
}

/** Migrations, several nodes booting at once: one migrates, the others wait for it (migrate-lock.ts). */
const migrate = (config: Config, db: Db) => migrateWithLock(db, { waitMs: config.migrateWaitMs ?? 300_000 });

async function serve(config: Config, db: Db, demo: boolean, runMigrations: boolean): Promise<Server> {
  if (runMigrations) await migrate(config, db);
  else await waitForSchema(db, { waitMs: config.migrateWaitMs ?? 300_000 });
  // Every node on this database must hold the same keys (and, when shared, PUBLIC_URL).
  await checkNodeFingerprint(db, config, { comparePublicUrl: Boolean(config.databaseUrl) && !demo });
  if (demo && !(await db('clients').first('id'))) {
    console.log('Seeding the demo agency (5,000 accounts)…');
    await seed(db, config, { accounts: 5000 });
  }
  const app = createApp({ config, db }, { serveDemoSite: demo });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  console.log(`CollectKit portal API listening on ${config.publicUrl}/api/v1 (${db.client.config.client})`);
  for (const warning of startupWarnings(config, { demo })) console.warn(warning);
  if (demo) {
    console.log(`Demo site: ${config.publicUrl}/  ·  widget bundle: ${config.publicUrl}/widgets/collectkit.js`);
    console.log('Demo logins:');
    for (const u of DEMO_USERS) console.log(`  ${u.username.padEnd(12)} ${u.password.padEnd(22)} ${u.shows}`);
  }
  // Jobs, schedules and the outbox; several API nodes may each run one (claims keep them apart).
  const worker = config.runWorker ? startWorker({ config, db }) : null;
  const stop = () => {
    server.close();
    void (async () => {
      await worker?.stop();
      await closePdf();
      await db.destroy();
      process.exit(0);
    })();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  // Before anything is written (secrets, the SQLite file, uploads): owner-only files.
  process.umask(0o077);
  const { values } = parseArgs({
    args: ['create-user', 'audit-verify', 'audit-checkpoint', 'ledger-verify', 'migrate-unlock'].includes(rest[0] ?? '') ? rest.slice(1) : rest,
    options: {
      demo: { type: 'boolean' }, 'no-migrate': { type: 'boolean' }, accounts: { type: 'string' }, username: { type: 'string' }, email: { type: 'string' },
      first: { type: 'string' }, last: { type: 'string' }, role: { type: 'string' }, clients: { type: 'string' }, checkpoint: { type: 'string' },
    },
    strict: true,
  });
  // A node on a shared database never falls back to secrets of its own (node-fingerprint.ts).
  if (command === 'serve' && !values.demo && process.env.DATABASE_URL) requireSharedSettings(process.env);
  const config = loadConfig();
  secureFilesAtRest(config.dataDir);
  const db = createDb(config.databaseUrl, config.dataDir);
  switch (command) {
    case 'serve':
      await serve(config, db, Boolean(values.demo), !values['no-migrate']);
      return;
    case 'migrate':
      await migrate(config, db);
      console.log('Migrations are up to date.');
      break;
    case 'seed': {
      await migrate(config, db);
      const accounts = Number(values.accounts ?? 5000);
      if (!Number.isInteger(accounts) || accounts < 0) usage();
      const started = performance.now();
      await seed(db, config, { accounts, log: (l) => console.log(l) });
      console.log(`Seeded ${accounts} accounts in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
      break;
    }
    case 'admin': {
      if (rest[0] === 'migrate-unlock') {
        const wasSet = await releaseMigrationLock(db);
        console.log(wasSet ? 'Released the migration lock. Run `migrate` (or start a node) to finish the migrations.' : 'The migration lock was not set.');
        break;
      }
      if (rest[0] === 'audit-checkpoint') {
        await migrate(config, db);
        const checkpoint = await auditCheckpoint(db, config);
        await db.destroy();
        if (!checkpoint) {
          console.error('The audit trail is empty: nothing to checkpoint.');
          process.exit(1);
        }
        console.log(JSON.stringify(checkpoint, null, 2));
        return;
      }
      if (rest[0] === 'audit-verify') {
        await migrate(config, db);
        const checkpoint = values.checkpoint ? (JSON.parse(readFileSync(values.checkpoint, 'utf8')) as AuditCheckpoint) : undefined;
        const result = await verifyAudit(db, config, checkpoint);
        await db.destroy();
        if (result.ok) {
          const cp = result.checkpoint ? ` The head of the checkpoint (position ${result.checkpoint.chainSeq}) is in place.` : '';
          console.log(`Audit trail verified: ${result.checked} rows, hash chain intact.${cp}`);
          return;
        }
        if (result.broken) console.error(`Audit trail BROKEN at chain position ${result.broken.chainSeq} (audit row ${result.broken.auditId}): ${result.broken.reason}.`);
        if (result.checkpoint && !result.checkpoint.ok) console.error(`Audit trail does not match the checkpoint: ${result.checkpoint.reason}.`);
        process.exit(1);
      }
      if (rest[0] === 'ledger-verify') {
        await migrate(config, db);
        const result = await verifyLedger(db);
        await db.destroy();
        if (result.ok) {
          console.log(`Ledger verified: ${result.accounts} accounts, ${result.transactions} ledger rows; every balance equals placement + ledger.`);
          return;
        }
        console.error(`Ledger MISMATCH on ${result.mismatchCount} of ${result.accounts} accounts:`);
        for (const m of result.mismatches) console.error(`  ${m.agencyAccountNumber} (${m.account}): ${m.problem}`);
        process.exit(1);
      }
      if (rest[0] !== 'create-user' || !values.username || !values.email || !values.first || !values.last || !values.role) usage();
      await migrate(config, db);
      const password = issuePassword();
      const user = await db.transaction(async (trx) => {
        const added = await ensureDefaultRoles(trx);
        if (added.length) console.log(`Created the default roles: ${added.join(', ')}.`);
        return createUser(trx, {
          username: values.username!, email: values.email!, firstName: values.first!, lastName: values.last!, roleKey: values.role!,
          clientCodes: values.clients ? values.clients.split(',').map((s) => s.trim()) : [], password,
        }, config.scryptCost, { type: 'system', id: 'cli' });
      });
      console.log(`Created ${values.username} (${user.publicId}). Issued password: ${password}`);
      console.log('They must confirm their profile and change this password at first login.');
      break;
    }
    default:
      usage();
  }
  await db.destroy();
}

main().catch((err: unknown) => {
  if (err instanceof MigrationLockError || err instanceof NodeSettingsError) console.error(`Not started: ${err.message}`);
  else console.error((err as Error).message ?? err);
  process.exit(1);
});

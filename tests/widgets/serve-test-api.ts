/**
 * The real CollectKit API for the widget tests: a temp SQLite database, migrated and seeded with
 * the demo agency (300 accounts), plus users who still have to onboard. Started by
 * web-test-runner.config.mjs as a child process; prints one line `CK_TEST_API <url> <short-token-url> <flaky-url>` when ready and
 * exits when its parent goes away (stdin closes) or on SIGTERM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { testConfig } from '../../api/config.js';
import { createDb, migrateLatest } from '../../api/platform/db.js';
import { createApp } from '../../api/app.js';
import { seed } from '../../api/seed/seed.js';
import { createUser } from '../../api/users/users.service.js';
import { seedDemoSnapshot } from '../../api/seed/report-snapshots.js';
import { closePdf } from '../../api/platform/pdf.js';
import '../../api/jobs-registry.js';
import { startWorker } from '../../api/platform/jobs.js';
import { newId } from '../../api/platform/ids.js';
import { sha256Hex } from '../../api/platform/crypto.js';
import { now, nowMs } from '../../api/platform/clock.js';

// The test API keeps the real clock: the browser beside it (TOTP codes, SSO tokens it signs, dates it
// offers) reads the real one too, and the two must agree.

/** Users who must confirm their profile and change this issued password at first login. */
export const ONBOARDING_PASSWORD = 'Issued-Pass-2026!';
export const ONBOARDING_USERS = ['new.user1', 'new.user2', 'new.user3'];
/** Users of a role that requires two-step sign-in (not yet enrolled); profile and password done. */
export const MFA_PASSWORD = 'Mfa-Widget-Pass-2026!';
export const MFA_USERS = ['mfa.user1', 'mfa.user2'];
/** A user with a pending reset link whose token the tests know (the API tests cover how links are mailed). */
export const RESET_USER = { username: 'reset.user', password: 'Old-Reset-Pass-2026!', token: 'widget-test-reset-token-0123456789abcdef' };

/** Matches helpers.ts: an agency staff user. */
export const STAFF_USER = { username: 'staff.user', password: 'Staff-Widget-Pass-2026!' };

const dataDir = mkdtempSync(join(tmpdir(), 'collectkit-wtr-'));
// webhooks may go to loopback: the console's tests register this very API as a receiver
const config = testConfig({ dataDir, port: 0, host: '127.0.0.1', webhookAllowPrivate: true });
const db = createDb('', dataDir);
await migrateLatest(db);
await seed(db, config, { accounts: 300 });
await db.transaction(async (trx) => {
  for (const [i, username] of ONBOARDING_USERS.entries()) {
    await createUser(trx, {
      username, email: `${username}@cascadepower.example`, firstName: 'Nia', lastName: `Newcomer${i + 1}`,
      roleKey: 'client_manager', clientCodes: ['CPL'], password: ONBOARDING_PASSWORD, onboarded: false,
    }, config.scryptCost, { type: 'system', id: 'widget-tests' });
  }
  await trx('roles').insert({
    publicId: newId('role'), key: 'client_secure', name: 'Client (two-step sign-in)', scope: 'client',
    permissions: JSON.stringify(['accounts.read']), mfaRequired: true, createdAt: new Date(),
  });
  for (const [i, username] of MFA_USERS.entries()) {
    await createUser(trx, {
      username, email: `${username}@cascadepower.example`, firstName: 'Sam', lastName: `Secure${i + 1}`,
      roleKey: 'client_secure', clientCodes: ['CPL'], password: MFA_PASSWORD, onboarded: true,
    }, config.scryptCost, { type: 'system', id: 'widget-tests' });
  }
  // agency staff (inbox, offers, reports) without integration.manage or reports.schedule
  await createUser(trx, {
    username: STAFF_USER.username, email: 'sam.staff@northwind-recovery.example', firstName: 'Sam', lastName: 'Staff',
    roleKey: 'agency_staff', clientCodes: [], password: STAFF_USER.password, onboarded: true,
  }, config.scryptCost, { type: 'system', id: 'widget-tests' });
  const reset = await createUser(trx, {
    username: RESET_USER.username, email: 'reset.user@cascadepower.example', firstName: 'Rae', lastName: 'Reset',
    roleKey: 'client_manager', clientCodes: ['CPL'], password: RESET_USER.password, onboarded: true,
  }, config.scryptCost, { type: 'system', id: 'widget-tests' });
  await trx('password_resets').insert({
    userId: reset.id, tokenHash: sha256Hex(RESET_USER.token), createdAt: new Date(nowMs()), expiresAt: new Date(nowMs() + 24 * 3_600_000),
  });
});
// One report snapshot for the report viewer's Snapshots tab (Cascade Power & Light's inventory).
// this week's snapshot, taken now: its schedule's next run is a week away, so none falls due during the tests
await seedDemoSnapshot({ config, db }, { clientCode: 'CPL', reportKey: 'inventory', at: now() });
await closePdf();

async function listen(app: ReturnType<typeof createApp>) {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const main = await listen(createApp({ config, db }));
// Background jobs (bulk placement runs) as `serve` runs them, ticking fast for the tests.
const worker = startWorker({ config, db }, { intervalMs: 200 });
// The same database behind access tokens that live one second: the client's refresh-and-retry
// path meets real expired tokens there.
const shortLived = await listen(createApp({ config: { ...config, accessTokenTtlSeconds: 1 }, db }));
// The same app behind a switch that makes it unreachable for a while: `GET /__outage?ms=N` (CORS
// open) and for N ms every other request has its connection dropped, as a server that is down. The
// client's retry with back-off (widgets/internal/api-client.ts) is tested against it.
let downUntil = 0;
const flakyApp = createApp({ config, db }).callback();
const flakyServer = createServer((req, res) => {
  if (req.url?.startsWith('/__outage')) {
    downUntil = nowMs() + Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0);
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end();
  } else if (nowMs() < downUntil) req.socket.destroy();
  else void flakyApp(req, res);
});
flakyServer.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => flakyServer.once('listening', resolve));
const flaky = { server: flakyServer, url: `http://127.0.0.1:${(flakyServer.address() as AddressInfo).port}` };
console.log(`CK_TEST_API ${main.url} ${shortLived.url} ${flaky.url}`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  void worker.stop();
  for (const { server } of [main, shortLived, flaky]) {
    server.close();
    server.closeAllConnections();
  }
  void db.destroy().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
}
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
// `on`, not `once`: a second signal during cleanup must not kill the process before it removes dataDir.
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

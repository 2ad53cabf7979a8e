#!/usr/bin/env node
/**
 * `npm test`: everything a user needs green, in order — type check, build the widget bundle, API tests (vitest;
 * SQLite always, MariaDB too when TEST_MYSQL_URL is set), the file-storing API suites once more on an
 * S3-protocol server (`npm run test:s3`), widget tests (web-test-runner in headless Chromium), end-to-end
 * tests (puppeteer on the demo site), the production copy (tests/prod), the API tests again under a clock
 * moved 400 days ahead (libfaketime), and the cluster tests (`npm run test:cluster`: several API
 * processes on one MariaDB database; only when TEST_MYSQL_URL is set). Each stage writes a JSON result that
 * this script adds up; it ends with one plain line `N passed, N failed`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const OUT = 'reports';
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status ?? 1;

const stages = [];
let crashed = 0;

function vitestStage(name, args) {
  const file = `${OUT}/${name}.json`;
  const status = run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
  if (!existsSync(file)) {
    crashed++;
    console.error(`[test-all] ${name}: the runner produced no result (exit ${status})`);
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // A failing test counts once. A test file that failed without a failing test of its own (it did not
  // load, or a hook threw) counts as one failure too; vitest's numFailedTestSuites would also count
  // every file and describe block around a failing test, so one failure read as three or four.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  stages.push({ name, passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles });
  if (status !== 0 && r.numFailedTests === 0 && brokenFiles === 0) crashed++;
}

// The type checker is the cheapest test of all: a type error fails the run.
if (run('npx', ['tsc', '--noEmit', '-p', '.']) === 0) stages.push({ name: 'typecheck', passed: 1, failed: 0 });
else stages.push({ name: 'typecheck', passed: 0, failed: 1 });
if (existsSync('rollup.config.ts')) {
  if (run('npm', ['run', '--silent', 'build']) !== 0) crashed++;
}
vitestStage('api', []);
if (existsSync('tests/api/vitest.s3.config.ts')) vitestStage('api-s3', ['--config', 'tests/api/vitest.s3.config.ts']);
if (existsSync('web-test-runner.config.mjs')) {
  const status = run('npx', ['wtr']);
  const file = `${OUT}/widgets.json`;
  if (existsSync(file)) {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    stages.push({ name: 'widgets', passed: r.passed, failed: r.failed });
    if (status !== 0 && r.failed === 0) crashed++;
  } else {
    crashed++;
    console.error(`[test-all] widgets: the runner produced no result (exit ${status})`);
  }
}
if (existsSync('tests/e2e/vitest.config.ts')) vitestStage('e2e', ['--config', 'tests/e2e/vitest.config.ts']);
// A production copy of the build: dev dependencies pruned, started on a fresh database (docs/deploy.md).
if (existsSync('tests/prod/vitest.config.ts')) vitestStage('production', ['--config', 'tests/prod/vitest.config.ts']);
// The API suite once more with the machine's clock moved 400 days ahead (libfaketime), so a test that
// only passes near the day it was written fails CI on that day. Only where libfaketime is installed
// (.ci/run installs it); FAKETIME_API=0 skips it.
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
if (process.env.FAKETIME_API !== '0' && existsSync(FAKETIME_LIB) && !process.env.FAKETIME) {
  const saved = { ...process.env };
  // On SQLite only: the dates are the app's, the same on either database, and it halves the stage's time.
  Object.assign(process.env, { LD_PRELOAD: FAKETIME_LIB, FAKETIME: '+400d', FAKETIME_DONT_RESET: '1' });
  delete process.env.TEST_MYSQL_URL;
  vitestStage('api-plus-400-days', []);
  for (const k of ['LD_PRELOAD', 'FAKETIME', 'FAKETIME_DONT_RESET', 'TEST_MYSQL_URL']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
}
// The cluster runs on MariaDB only; without TEST_MYSQL_URL its tests would all be skipped, so the stage is.
if (existsSync('tests/cluster/vitest.config.ts')) {
  if (process.env.TEST_MYSQL_URL) vitestStage('cluster', ['--config', 'tests/cluster/vitest.config.ts']);
  else console.log('[test-all] cluster: skipped (TEST_MYSQL_URL is not set)');
}

const passed = stages.reduce((s, x) => s + x.passed, 0);
const failed = stages.reduce((s, x) => s + x.failed, 0) + crashed;
for (const s of stages) console.log(`[test-all] ${s.name}: ${s.passed} passed, ${s.failed} failed`);
if (crashed) console.log(`[test-all] ${crashed} stage(s) crashed or exited non-zero without a failing test (counted as failed)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

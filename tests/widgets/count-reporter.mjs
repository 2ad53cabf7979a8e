// A web-test-runner reporter that writes reports/widgets.json ({passed, failed}) for `npm test`
// (scripts/test-all.mjs) to add up. A test file that failed to load counts as one failure.
import { mkdirSync, writeFileSync } from 'node:fs';

function count(suite, acc) {
  for (const t of suite?.tests ?? []) {
    if (t.skipped) continue;
    if (t.passed) acc.passed++;
    else acc.failed++;
  }
  for (const s of suite?.suites ?? []) count(s, acc);
  return acc;
}

export function countReporter(file = 'reports/widgets.json') {
  let sessions;
  return {
    start(args) {
      sessions = args.sessions;
    },
    stop() {
      const acc = { passed: 0, failed: 0 };
      for (const session of sessions.all()) {
        count(session.testResults, acc);
        if (!session.passed && (session.errors?.length ?? 0) > 0) acc.failed++;
      }
      mkdirSync('reports', { recursive: true });
      writeFileSync(file, JSON.stringify(acc));
    },
  };
}

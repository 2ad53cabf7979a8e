// Widget tests: headless Debian Chromium through puppeteer, TypeScript through esbuild (with the
// tsconfig, so the legacy decorators are transformed), Lit in production mode — and the REAL API:
// tests/widgets/serve-test-api.ts runs as a child process (temp SQLite, migrated, seeded) and its URL
// reaches the tests as `window.CK_TEST_API` in the test page. No fetch is mocked.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { countReporter } from './tests/widgets/count-reporter.mjs';

function startTestApi() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/widgets/serve-test-api.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // The child exits when this pipe closes, however this process ends.
  process.once('exit', () => {
    if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The test API did not start within 60 s.')), 60_000);
    child.once('exit', (code) => reject(new Error(`The test API exited early (code ${code}).`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^CK_TEST_API (\S+) (\S+) (\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], shortTokenUrl: match[2], flakyUrl: match[3], child });
      } else {
        console.log(`[test-api] ${line}`);
      }
    });
  });
}

const api = await startTestApi();

export default {
  files: ['tests/widgets/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter()],
  testFramework: { config: { timeout: 15000 } },
  browsers: [
    puppeteerLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      },
    }),
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>CollectKit widget tests</title></head>
  <body>
    <script>window.CK_TEST_API = ${JSON.stringify(api.url)}; window.CK_TEST_API_SHORT_TOKENS = ${JSON.stringify(api.shortTokenUrl)}; window.CK_TEST_API_FLAKY = ${JSON.stringify(api.flakyUrl)};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }),
    {
      name: 'collectkit-test-api',
      serverStop() {
        if (!api.child.killed) api.child.kill('SIGTERM');
      },
    },
  ],
};

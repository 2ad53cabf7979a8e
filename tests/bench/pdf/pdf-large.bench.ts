/**
 * Large-PDF benchmark (issue 21): the 20,000-row activity report (the demo's 5,000 accounts, trimmed
 * to 20,000 entries) exported through the API as a background job — POST reports/activity/exports,
 * follow it, download the file — against a bare Puppeteer page.pdf of the same report as one HTML
 * document (the same template, column widths and page options), in one run. Prints the time ratio
 * (target ≤ 1.2×) and the peak memory of each side: the API process (RSS) and its Chromium (PSS,
 * summed over its processes), against the bare side's Chromium. SQLite by default; DATABASE_URL=mysql://….
 *
 *   npx tsx tests/bench/pdf/pdf-large.bench.ts     (BENCH_RUNS=n for n alternating samples of each, default 1)
 */
import puppeteer from 'puppeteer';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { loadConfig } from '../../../api/config.js';
import { createDb, migrateLatest } from '../../../api/platform/db.js';
import { seed } from '../../../api/seed/seed.js';
import { loadCaller } from '../../../api/platform/auth/caller.js';
import { prepareRun } from '../../../api/reports/reports.service.js';
import { reportPrintHtml } from '../../../api/reports/reports.export.js';
import { pdfPageOptions } from '../../../api/platform/pdf.js';
import { EXPORT_MAX_ROWS } from '../../../api/reports/exports.service.js';
import { fmt, startApiProcess } from '../lib.js';

const ROWS = EXPORT_MAX_ROWS;
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const DATABASE_URL = process.env.DATABASE_URL ?? '';
const DATA_DIR = `tests/bench/.data/pdf-large${DATABASE_URL ? '-mysql' : ''}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** kB of a /proc status or smaps_rollup field, or 0 for a process that is gone */
function procKb(pid: number, file: string, field: string): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** pids below `root` (not including it) */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch { /* gone */ }
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Samples the peak memory of a node process (RSS) and of the Chromium processes below `chromiumRoot` (PSS) every 100 ms. */
function memoryPeaks(nodePid: number | null, chromiumRoot: number) {
  const peak = { node: 0, chromium: 0 };
  const timer = setInterval(() => {
    if (nodePid) peak.node = Math.max(peak.node, procKb(nodePid, 'status', 'VmRSS'));
    const chromium = descendants(chromiumRoot).filter((p) => { try { return readFileSync(`/proc/${p}/comm`, 'utf8').startsWith('chrom'); } catch { return false; } });
    peak.chromium = Math.max(peak.chromium, chromium.reduce((sum, p) => sum + procKb(p, 'smaps_rollup', 'Pss'), 0));
  }, 100);
  return { stop: () => { clearInterval(timer); return { nodeMb: peak.node / 1024, chromiumMb: peak.chromium / 1024 }; } };
}

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const config = loadConfig({ ...process.env, DATA_DIR, DATABASE_URL, RUN_WORKER: '0' });
  const db = createDb(DATABASE_URL, DATA_DIR);
  await migrateLatest(db);
  if (!(await db('clients').first('id'))) await seed(db, config, { accounts: 5000 });
  // The API runs its own worker, as `serve` does: the export is a job.
  const api = await startApiProcess({ DATA_DIR, DATABASE_URL, RUN_WORKER: '1', CHROMIUM_PATH: CHROMIUM });
  // no protocol timeout: one page.pdf of 20,000 rows takes minutes (puppeteer's default gives up at 180 s)
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, pipe: true, protocolTimeout: 0, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.agency', password: 'Northwind-Admin-2026!' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const call = async (method: string, path: string, body?: unknown) => fetch(`${api.url}/api/v1${path}`, {
      method, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const caller = (await loadCaller({ db, config }, `Bearer ${accessToken}`))!;
    // exactly ROWS entries in the agency's activity report
    const count = async () => {
      const r = await prepareRun(db, caller, 'activity', {}, new Date());
      return r.def.count(r.ctx);
    };
    for (let total = await count(); total > ROWS; total = await count()) {
      const newest = (await db('activity').orderBy('id', 'desc').limit(total - ROWS).select('id')) as { id: number }[];
      await db('activity').whereIn('id', newest.map((r) => r.id)).delete();
    }
    const run = await prepareRun(db, caller, 'activity', {}, new Date());

    const viaApi = async () => {
      const peaks = memoryPeaks(api.child.pid!, api.child.pid!);
      const t = performance.now();
      const created = (await (await call('POST', '/reports/activity/exports', { format: 'pdf' })).json()) as { id: string; status: string };
      let state = created as { id: string; status: string; pagesDone?: number; rowsDone?: number };
      while (state.status === 'queued' || state.status === 'running') {
        await new Promise((r) => setTimeout(r, 250));
        state = (await (await call('GET', `/reports/exports/${created.id}`)).json()) as typeof state;
      }
      if (state.status !== 'done') throw new Error(`export ended ${JSON.stringify(state)}`);
      const bytes = (await (await call('GET', `/reports/exports/${created.id}/file`)).arrayBuffer()).byteLength;
      return { ms: performance.now() - t, bytes, pages: state.pagesDone!, rows: state.rowsDone!, ...peaks.stop() };
    };
    // The baseline: the same report as one HTML document (built beforehand, not timed), one page.pdf.
    const html = await reportPrintHtml(run);
    const bare = async () => {
      const peaks = memoryPeaks(null, browser.process()!.pid!);
      const t = performance.now();
      const page = await browser.newPage();
      try {
        await page.setJavaScriptEnabled(false);
        await page.setContent(html, { waitUntil: 'load', timeout: 0 });
        const pdf = await page.pdf({ timeout: 0, ...pdfPageOptions({ landscape: run.def.landscape, headerTitle: run.def.title, tagged: false }) });
        return { ms: performance.now() - t, bytes: pdf.length, pages: (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, ...peaks.stop() };
      } finally {
        await page.close();
      }
    };

    console.log(`\nLarge PDF benchmark — activity report, ${ROWS.toLocaleString()} rows, ${DATABASE_URL ? 'MariaDB' : 'SQLite'}, ${RUNS} run(s) of each, alternating`);
    const a: Awaited<ReturnType<typeof viaApi>>[] = [];
    const d: Awaited<ReturnType<typeof bare>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(await viaApi());
      console.log(`run ${i + 1}: API job ${fmt(a[i]!.ms / 1000, 1)} s …`);
      d.push(await bare());
      const [x, y] = [a[i]!, d[i]!];
      console.log(`run ${i + 1}: API job ${fmt(x.ms / 1000, 1)} s (${x.pages} pages, ${fmt(x.bytes / 1e6, 1)} MB) · bare page.pdf ${fmt(y.ms / 1000, 1)} s (${y.pages} pages, ${fmt(y.bytes / 1e6, 1)} MB) · ratio ${fmt(x.ms / y.ms)}×`);
      console.log(`       peak memory: API node RSS ${fmt(x.nodeMb, 0)} MB, API Chromium PSS ${fmt(x.chromiumMb, 0)} MB · bare Chromium PSS ${fmt(y.chromiumMb, 0)} MB`);
    }
    const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
    const ratio = median(a.map((x) => x.ms)) / median(d.map((y) => y.ms));
    console.log(`ratio API job / bare page.pdf (medians): ${fmt(ratio)}×   (target ≤ 1.20×: ${ratio <= 1.2 ? 'met' : 'NOT met'})`);
  } finally {
    await browser.close();
    api.stop();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

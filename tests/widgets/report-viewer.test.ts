import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../widgets/all.js';
import type { CkReportViewer, ReportDownloadDetail } from '../../widgets/report-viewer/report-viewer.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';

async function mount(attrs = ''): Promise<CkReportViewer> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-report-viewer page-size="20"></ck-report-viewer></ck-portal>`);
  const el = portal.querySelector('ck-report-viewer')!;
  if (attrs) el.setAttribute('report', attrs);
  await find(el, 'form[part~=form]', 'the catalogue to load');
  return el;
}

const select = (el: Element) => shadow(el).querySelector<HTMLSelectElement>('#report')!;
const rows = (el: Element) => [...shadow(el).querySelectorAll<HTMLTableRowElement>('.results tbody tr')];
const column = (el: Element, field: string) => rows(el).map((r) => r.querySelector(`[data-field=${field}]`)!.textContent!.trim());
const tick = (el: Element, name: string, value: string) => {
  shadow(el).querySelector<HTMLInputElement>(`input[name=${name}][value="${value}"]`)!.click();
};

async function runAndWait(el: CkReportViewer): Promise<void> {
  shadow(el).querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
  await el.updateComplete;
  await waitUntil(() => shadow(el).querySelector('.results')?.getAttribute('aria-busy') === 'false' && shadow(el).querySelector('.results table, .results [part~=empty], .results [part~=error]'), 'the report to run', { timeout: 15000 });
}

async function choose(el: CkReportViewer, key: string): Promise<void> {
  select(el).value = key;
  select(el).dispatchEvent(new Event('change'));
  await el.updateComplete;
}

describe('ck-report-viewer', () => {
  afterEach(signOut);

  it('from the keyboard: after Run report the focus lands on the results (the disabled button dropped it to the page)', async () => {
    await signIn(DEMO.group);
    const el = await mount();
    await choose(el, 'status');
    const run = shadow(el).querySelector<HTMLButtonElement>('form button[type=submit]')!;
    run.focus();
    run.click();
    await waitUntil(() => shadow(el).querySelector('.results table'), 'the results', { timeout: 15000 });
    await waitUntil(() => shadow(el).activeElement?.classList.contains('results'), 'the focus on the results', { timeout: 5000 });
    expect(shadow(el).activeElement!.getAttribute('aria-label')).to.match(/results$/);
    await expectAccessible(el);
  });

  it('is accessible (catalogue, parameters, results with a chart)', async () => {
    await signIn(DEMO.group);
    const el = await mount();
    await choose(el, 'status');
    await runAndWait(el);
    await find(el, 'figure[part~=chart] [role=img]');
    await expectAccessible(el);
  });

  it('at 1280 px the date range shows its whole dates ("mm/dd/yyyy" was cut off in a 14rem column)', async () => {
    await setViewport({ width: 1280, height: 800 });
    try {
      await signIn(DEMO.agency);
      const el = await mount();
      await choose(el, 'inventory');
      for (const id of ['param-from', 'param-to']) {
        const input = await find<HTMLInputElement>(el, `#${id}`);
        // a date input clips its text inside its own shadow (scrollWidth stays equal to clientWidth):
        // the same input at its natural width is what the dates need
        const probe = input.cloneNode() as HTMLInputElement;
        probe.removeAttribute('id');
        probe.style.cssText = 'width: auto; position: absolute; visibility: hidden';
        input.after(probe);
        const need = probe.getBoundingClientRect().width;
        probe.remove();
        expect(input.getBoundingClientRect().width, `${id} (${input.getBoundingClientRect().width}px) narrower than its dates (${need}px)`).to.be.at.least(need);
        expect(input.scrollWidth).to.be.at.most(input.clientWidth);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('asks to sign in when nobody is signed in', async () => {
    const portal = await fixture(html`<ck-portal api=${API}><ck-report-viewer></ck-report-viewer></ck-portal>`);
    const el = portal.querySelector('ck-report-viewer')!;
    await el.updateComplete;
    expect(shadow(el).textContent).to.contain('Sign in to run reports.');
  });

  it('lists the reports the user may run, with only their own clients as a parameter', async () => {
    const client = await signIn(DEMO.client);
    const catalogue = await client.get<{ data: { key: string; title: string }[] }>('/reports');
    const el = await mount();
    expect([...select(el).options].map((o) => o.textContent)).to.deep.equal(catalogue.data.map((r) => r.title));
    const clients = [...shadow(el).querySelectorAll<HTMLInputElement>('input[name=clientIds]')].map((i) => i.parentElement!.textContent!.trim());
    expect(clients).to.deep.equal(['Cascade Power & Light']);
    expect(shadow(el).textContent).to.contain('Last snapshot');
  });

  it('runs the status report: the table, totals and chart show the API\'s figures', async () => {
    const client = await signIn(DEMO.agency);
    const el = await mount();
    await choose(el, 'status');
    const running = oneEvent(el, 'ck-report-run');
    shadow(el).querySelector<HTMLButtonElement>('form button[type=submit]')!.click();
    await el.updateComplete;
    // Progress while the report runs.
    expect(shadow(el).querySelector('[part~=progress] progress')).to.not.equal(null);
    const { detail } = await running;
    await waitUntil(() => rows(el).length > 0, 'rows', { timeout: 10000 });
    const api = await client.request<{ rows: { status: string; accounts: number }[]; totals: { accounts: number } }>('POST', '/reports/status/run', { body: {} });
    expect(detail).to.deep.equal({ key: 'status', parameters: { asOf: shadow(el).querySelector<HTMLInputElement>('input[name=asOf]')!.value }, total: api.rows.length });
    expect(column(el, 'accounts')).to.deep.equal(api.rows.map((r) => r.accounts.toLocaleString('en-US')));
    const total = shadow(el).querySelector('.results tfoot [data-field=accounts]')!.textContent!.trim();
    expect(total).to.equal(api.totals.accounts.toLocaleString('en-US'));
    expect(shadow(el).querySelectorAll('figure .bar').length).to.equal(api.rows.length);
    // the bars are labelled as the table labels its rows (no raw keys such as business_closed)
    const labels = [...shadow(el).querySelectorAll('figure .bar-row .label')].map((t) => t.textContent!.trim());
    expect(labels).to.deep.equal(column(el, 'status'));
    expect(labels.join(' ')).not.to.contain('_');
    await waitUntil(() => shadow(el).querySelector('[role=status][aria-live=polite]')!.textContent!.includes('rows'), 'the announcement');
    // on a phone's width the chart's words stay at the page's small text size (an SVG scaled to fit shrank them to ~6 px),
    // each label above its bars, nothing wider than the chart
    el.style.display = 'block';
    el.style.width = '340px';
    await new Promise((r) => requestAnimationFrame(r));
    const figure = shadow(el).querySelector<HTMLElement>('figure')!;
    for (const text of shadow(el).querySelectorAll<HTMLElement>('figure .bar-row .label, figure .bar-line .value')) {
      expect(parseFloat(getComputedStyle(text).fontSize), text.textContent!).to.be.at.least(12);
      expect(text.getBoundingClientRect().right, text.textContent!).to.be.at.most(figure.getBoundingClientRect().right + 0.5);
    }
    const row = shadow(el).querySelector('figure .bar-row')!;
    expect(row.querySelector('.label')!.getBoundingClientRect().bottom).to.be.at.most(row.querySelector('.bar')!.getBoundingClientRect().top + 0.5);
  });

  it('applies the parameters: ticked statuses only', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    await choose(el, 'inventory');
    tick(el, 'statuses', 'hold');
    await runAndWait(el);
    const statuses = column(el, 'status');
    expect(statuses.length).to.be.greaterThan(0);
    expect(new Set(statuses)).to.deep.equal(new Set(['On hold']));
  });

  it('shows the server\'s field error next to the field', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    shadow(el).querySelector<HTMLInputElement>('input[name=from]')!.value = '2026-06-01';
    shadow(el).querySelector<HTMLInputElement>('input[name=to]')!.value = '2026-01-01';
    await runAndWait(el);
    const error = shadow(el).querySelector('#to-error')!;
    expect(error.textContent).to.contain('from must not be after to');
    expect(shadow(el).querySelector('input[name=to]')!.getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).querySelector('.results [role=alert]')).to.not.equal(null);
  });

  it('pages through a long report', async () => {
    await signIn(DEMO.agency);
    const el = await mount();
    await runAndWait(el); // inventory, 20 rows a page
    expect(rows(el)).to.have.length(20);
    const first = column(el, 'agencyAccountNumber');
    expect(shadow(el).querySelector('[part~=summary]')!.textContent).to.match(/^Rows 1–20 of /);
    shadow(el).querySelector<HTMLButtonElement>('[data-page=next]')!.click();
    await waitUntil(() => shadow(el).querySelector('[part~=summary]')!.textContent!.startsWith('Rows 21–40'), 'page 2', { timeout: 10000 });
    expect(column(el, 'agencyAccountNumber')[0]).to.not.equal(first[0]);
  });

  it('exports CSV and PDF from the menu with the form\'s parameters', async function () {
    this.timeout(90_000);
    await signIn(DEMO.client);
    const el = await mount();
    await choose(el, 'status');
    el.addEventListener('ck-report-download', (e) => e.preventDefault());
    shadow(el).querySelector('details[part~=export-menu]')!.setAttribute('open', '');
    tick(el, 'statuses', 'active');
    let download = oneEvent(el, 'ck-report-download');
    shadow(el).querySelector<HTMLButtonElement>('button[data-format=csv]')!.click();
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~=progress]')!.textContent).to.contain('Preparing CSV');
    let detail = (await download).detail as ReportDownloadDetail;
    expect(detail.fileName).to.match(/^status-\d{4}-\d\d-\d\d\.csv$/);
    const csv = (await detail.blob.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).to.equal('Status,Accounts,% of accounts,Paid to date,Balance');
    expect(csv.slice(1, -1).map((l) => l.split(',')[0])).to.deep.equal(['active']);
    shadow(el).querySelector('details[part~=export-menu]')!.setAttribute('open', '');
    shadow(el).querySelector<HTMLButtonElement>('button[data-format=pdf]')!.click();
    const ready = await find(el, 'button[data-action=download-pdf]', 'the PDF to be ready', 60_000);
    download = oneEvent(el, 'ck-report-download');
    ready.click();
    detail = (await download).detail as ReportDownloadDetail;
    expect(detail.fileName).to.match(/^status-\d{4}-\d\d-\d\d\.pdf$/);
    expect(detail.blob.type).to.equal('application/pdf');
    expect(new TextDecoder().decode(await detail.blob.slice(0, 5).arrayBuffer())).to.equal('%PDF-');
  });

  it('makes a PDF in the background: a progressbar with its percentage, announced, work goes on, then the download', async function () {
    this.timeout(120_000);
    await signIn(DEMO.agency);
    const el = await mount();
    await choose(el, 'activity');
    el.addEventListener('ck-report-download', (e) => e.preventDefault());
    const status = () => shadow(el).querySelector('[role=status]')!.textContent!;
    shadow(el).querySelector('details[part~=export-menu]')!.setAttribute('open', '');
    shadow(el).querySelector<HTMLButtonElement>('button[data-format=pdf]')!.click();
    const bar = await find(el, '[part~=pdf-export] [role=progressbar]', 'the PDF progress bar');
    expect(Number(bar.getAttribute('aria-valuenow'))).to.be.within(0, 100);
    expect(bar.getAttribute('aria-valuemin')).to.equal('0');
    expect(bar.getAttribute('aria-valuemax')).to.equal('100');
    expect(bar.getAttribute('aria-labelledby')).to.equal('pdf-progress-label');
    expect(status()).to.match(/Preparing the PDF of Activity report: [\d,]+ rows\. You can keep working\./);
    // one PDF at a time; everything else keeps working meanwhile
    expect(shadow(el).querySelector<HTMLButtonElement>('button[data-format=pdf]')!.disabled).to.equal(true);
    await expectAccessible(el);
    await runAndWait(el);
    expect(rows(el).length).to.be.greaterThan(0);
    const ready = await find(el, 'button[data-action=download-pdf]', 'the PDF to be ready', 90_000);
    expect(shadow(el).querySelector('[part~=pdf-export]')!.textContent).to.match(/The PDF of Activity report is ready: [\d,]+ pages, [\d.]+ (kB|MB)\./);
    expect(status()).to.contain('The PDF of Activity report is ready');
    expect(shadow(el).querySelector('[part~=pdf-export] [role=progressbar]')).to.equal(null);
    const download = oneEvent(el, 'ck-report-download');
    ready.click();
    const detail = (await download).detail as ReportDownloadDetail;
    expect(detail.fileName).to.match(/^activity-\d{4}-\d\d-\d\d\.pdf$/);
    expect(new TextDecoder().decode(await detail.blob.slice(0, 5).arrayBuffer())).to.equal('%PDF-');
    await el.updateComplete;
    expect(status()).to.contain('is downloaded');
    await expectAccessible(el);
    shadow(el).querySelector<HTMLButtonElement>('button[data-action=dismiss-pdf]')!.click();
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~=pdf-export]')).to.equal(null);
  });

  it('says clearly why a PDF could not be asked for, and the message goes with the next try', async function () {
    this.timeout(60_000);
    await signIn(DEMO.agency);
    const el = await mount();
    await choose(el, 'activity');
    shadow(el).querySelector<HTMLInputElement>('#param-from')!.value = '2026-06-30';
    shadow(el).querySelector<HTMLInputElement>('#param-to')!.value = '2026-06-01';
    shadow(el).querySelector('details[part~=export-menu]')!.setAttribute('open', '');
    shadow(el).querySelector<HTMLButtonElement>('button[data-format=pdf]')!.click();
    const alert = await find(el, '[part~=pdf-export] [role=alert]', 'the export error');
    expect(alert.textContent!.trim()).to.not.equal('');
    expect(alert.textContent).to.not.contain('undefined');
    shadow(el).querySelector<HTMLInputElement>('#param-to')!.value = '';
    shadow(el).querySelector<HTMLInputElement>('#param-from')!.value = '';
    shadow(el).querySelector('details[part~=export-menu]')!.setAttribute('open', '');
    shadow(el).querySelector<HTMLButtonElement>('button[data-format=pdf]')!.click();
    await find(el, '[part~=pdf-export] [role=progressbar], button[data-action=download-pdf]', 'the new export');
    expect(shadow(el).querySelector('[part~=pdf-export] [role=alert]')).to.equal(null);
  });

  it('lists snapshots, opens one and downloads it; tabs work with the keyboard', async () => {
    const client = await signIn(DEMO.client);
    const el = await mount();
    await choose(el, 'inventory');
    const runTab = shadow(el).querySelector<HTMLButtonElement>('#tab-run')!;
    runTab.focus();
    runTab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    await el.updateComplete;
    expect(el.activeTab).to.equal('snapshots');
    expect(shadow(el).activeElement?.id).to.equal('tab-snapshots');
    const row = await find(el, '#panel-snapshots tbody tr', 'the snapshot list');
    expect(row.textContent).to.contain('Cascade Power & Light');
    row.querySelector<HTMLButtonElement>('[data-action=view]')!.click();
    await find(el, '#panel-snapshots section table', 'the snapshot view');
    await expectAccessible(el);
    el.addEventListener('ck-report-download', (e) => e.preventDefault());
    const download = oneEvent(el, 'ck-report-download');
    row.querySelector<HTMLButtonElement>('button[data-format=xlsx]')!.click();
    const { detail } = await download;
    // named by the snapshot's period: a day for a scheduled one, `now-…` for one a "Run now" made (other
    // test files share this API and may have made the newest one, at the top of the list)
    const { snapshot: { periodKey } } = await client.get<{ snapshot: { periodKey: string } }>(`/reports/snapshots/${row.dataset.id}`, { pageSize: 1 });
    expect(/^(\d{4}-\d{2}-\d{2}|now-[0-9a-z]+)$/.test(periodKey), periodKey).to.equal(true);
    expect(detail.fileName).to.equal(`inventory-${periodKey}.xlsx`);
    expect(detail.snapshotId).to.equal(row.dataset.id);
    expect(detail.blob.size).to.be.greaterThan(1000);
  });

  it('schedules snapshots for one of the user\'s clients', async () => {
    const client = await signIn(DEMO.group);
    const el = await mount();
    await choose(el, 'recovery');
    el.activeTab = 'snapshots';
    const form = await find<HTMLFormElement>(el, 'form[part~=schedule-form]');
    const clients = [...form.querySelectorAll<HTMLOptionElement>('#scheduleClient option')].map((o) => o.textContent);
    expect(clients).to.deep.equal(['Lakeside Family Clinic', 'St. Brigid Regional Hospital']);
    form.querySelector<HTMLSelectElement>('#frequency')!.value = 'monthly';
    form.querySelector<HTMLSelectElement>('#scheduleClient')!.value = form.querySelectorAll('option')[4]!.getAttribute('value')!;
    form.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => shadow(el).querySelector('[part~=schedule-result]')!.textContent!.includes('scheduled'), 'the schedule', { timeout: 10000 });
    expect(shadow(el).querySelector('[part~=schedule-result]')!.textContent).to.contain('Monthly snapshots of Recovery summary for St. Brigid Regional Hospital');
    const { data } = await client.get<{ data: { report: { key: string }; frequency: string; client: { name: string } }[] }>('/reports/schedules');
    expect(data.some((s) => s.report.key === 'recovery' && s.frequency === 'monthly' && s.client.name === 'St. Brigid Regional Hospital')).to.equal(true);
    await expectAccessible(el);
  });

  it('shows an empty state when a report has no snapshots', async () => {
    await signIn(DEMO.group);
    const el = await mount();
    el.activeTab = 'snapshots';
    const empty = await find(el, '#panel-snapshots [part~=empty]');
    expect(empty.textContent).to.contain('No snapshots');
  });

  it('stacks the table into cards in a narrow container', async () => {
    await signIn(DEMO.agency);
    const portal = await fixture(html`<div style="width: 400px"><ck-portal api=${API}><ck-report-viewer report="status"></ck-report-viewer></ck-portal></div>`);
    const el = portal.querySelector('ck-report-viewer')!;
    await find(el, 'form[part~=form]');
    await runAndWait(el);
    expect(getComputedStyle(shadow(el).querySelector('.results thead')!).display).to.equal('none');
    expect(getComputedStyle(rows(el)[0]!).display).to.equal('block');
  });
});

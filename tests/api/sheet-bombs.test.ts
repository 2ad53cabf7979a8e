/**
 * Issue 17 (items 1 and 2): spreadsheets built to hurt — a row numbered 2,000,000,000, a shared string of
 * 80 million characters, parts that expand past their caps (with headers that lie), cells past column
 * XFD, CSV cells and rows past Excel's limits. Each is refused with a problem naming the limit, the
 * upload answers at once, and /health keeps answering while it happens. All bombs are generated here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import '../../api/jobs-registry.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { SHEET_LIMITS } from '../../api/placements/sheet-limits.js';
import { goodRow, toCsv, HEADERS } from './fixtures/placement-sheets.js';
import { HEADER_ROW, repeat, row, sheetXml, sstXml, xlsxParts, zip } from './fixtures/sheet-bombs.js';

const MAPPING = {
  clientAccountNumber: 'Acct #', firstName: 'First Name', lastName: 'Last Name', ssn: 'SSN', dob: 'DOB', address1: 'Address',
  city: 'City', state: 'State', zip: 'Zip Code', phone: 'Phone', principal: 'Balance', serviceDate: 'Service Date', comments: 'Notes',
};

/** Lowers one limit for the length of `fn` (the real ones take seconds of bytes to pass). */
async function withLimit<T>(name: keyof typeof SHEET_LIMITS, value: number, fn: () => Promise<T>): Promise<T> {
  const before = SHEET_LIMITS[name];
  SHEET_LIMITS[name] = value;
  try {
    return await fn();
  } finally {
    SHEET_LIMITS[name] = before;
  }
}

describe.each(DIALECTS)('spreadsheet bombs (%s)', (dialect) => {
  let api: TestApi;
  let client: string;

  const upload = async (body: Buffer | string, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([typeof body === 'string' ? body : new Uint8Array(body)]), name);
    const res = await fetch(`${api.url}/api/v1/placements/batches`, { method: 'POST', headers: { Authorization: `Bearer ${client}` }, body: form });
    return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
  };

  /** Polls /health while `work` runs; the slowest answer in ms. */
  async function slowestHealthDuring(work: Promise<unknown>): Promise<{ slowest: number; answers: number }> {
    let finished = false;
    void work.finally(() => (finished = true));
    let slowest = 0;
    let answers = 0;
    while (!finished) {
      const t0 = performance.now();
      const res = await fetch(`${api.url}/api/v1/health`);
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      slowest = Math.max(slowest, performance.now() - t0);
      answers++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { slowest, answers };
  }

  const limitProblem = (status: number, code: string, limit: string) => ({
    status, code, type: `https://collectkit.dev/problems/${code.replace(/_/g, '-')}`,
    errors: [{ path: 'file', code: limit, message: expect.any(String) }],
  });

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 5 });
    client = await api.login('demo.client');
  });
  afterAll(() => api.close());

  it("a row numbered past Excel's last row is refused at once (422 naming the limit); /health keeps answering", async () => {
    const justPast = await zip(xlsxParts({ pieces: sheetXml(HEADER_ROW + row(2, ['A-1', 'Jane', 'Doe', '10']) + row(1_048_577, ['A-2', 'Jim', 'Doe', '20'])) }));
    const a = await upload(justPast, 'just past.xlsx');
    expect(a.status).toBe(422);
    expect(a.type).toContain('application/problem+json');
    expect(a.body).toMatchObject(limitProblem(422, 'sheet_row_number_too_large', 'maxRowNumber'));
    expect(a.body.detail).toContain('1,048,577');
    expect(a.body.detail).toContain('1,048,576');

    // the reported file: 1.9 KB, and a read that made up every missing row never answered
    const reported = await zip(xlsxParts({ pieces: sheetXml(HEADER_ROW + row(2_000_000_000, ['A-3', 'Jo', 'Doe', '30'])) }));
    expect(reported.length).toBeLessThan(4096);
    const refused = upload(reported, 'gap.xlsx');
    const health = await slowestHealthDuring(refused);
    const b = await refused;
    expect(b.status).toBe(422);
    expect(b.body).toMatchObject(limitProblem(422, 'sheet_row_number_too_large', 'maxRowNumber'));
    expect(health.slowest).toBeLessThan(1000);
  });

  it('rows an XLSX leaves out are not made up, and keep their numbers in the run and its report', async () => {
    const rows = [goodRow(1, 'GAP'), { ...goodRow(2, 'GAP'), phone: '555-0142' }];
    const cells = (r: ReturnType<typeof goodRow>) => [r.acct, r.first, r.last, r.ssn, r.dob, r.address, r.city, r.state, r.zip, r.phone, r.balance, r.service, r.notes];
    const wide = (n: number, values: string[]) => `<row r="${n}">${values.map((v, i) => `<c t="inlineStr"><is><t>${v}</t></is></c>`).join('')}</row>`;
    const file = await zip(xlsxParts({ pieces: sheetXml(wide(1, HEADERS) + wide(2, cells(rows[0]!)) + wide(900_000, cells(rows[1]!))) }));
    const up = await upload(file, 'gap.xlsx');
    expect(up.status).toBe(201);
    expect(up.body.columns).toEqual(HEADERS);
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: MAPPING, mode: 'validate' } });
    await runWorkerOnce({ db: api.db, config: api.config });
    const done = (await api.request(`/placements/batches/${up.body.id}`, { token: client })).body;
    expect(done).toMatchObject({ status: 'validated', rowsTotal: 899_999, rowsDone: 899_999, rowsPlaced: 1, rowsInvalid: 1 });
    const errors = await api.db('placement_batch_errors').where({ batchId: api.db('placement_batches').where({ publicId: up.body.id }).select('id') });
    expect(errors.map((e: { rowNumber: number }) => Number(e.rowNumber))).toEqual([900_000]);
  });

  it('a shared string of 80 million characters (an 80 KB file) is refused, whether its size is told (413) or hidden (422)', async () => {
    const mb = Buffer.alloc(1024 * 1024, 'A');
    const sst = sstXml([Buffer.from('<si><t>'), ...repeat(mb, 80), Buffer.from('</t></si>')]);
    const sheet = { pieces: sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>') };
    const told = await zip(xlsxParts(sheet, { pieces: sst }));
    expect(told.length).toBeLessThan(300 * 1024);
    const a = await upload(told, 'strings.xlsx');
    expect(a.status).toBe(413);
    expect(a.body).toMatchObject(limitProblem(413, 'sheet_part_too_large', 'maxSharedStringsPartBytes'));
    expect(a.body.detail).toContain('64 MB');
    // a header that claims 1,000 bytes: the parser stops buffering the string at 1 MB
    const hidden = await zip(xlsxParts(sheet, { pieces: sst, claimSize: 1000 }));
    const b = await upload(hidden, 'strings.xlsx');
    expect(b.status).toBe(422);
    expect(b.body).toMatchObject(limitProblem(422, 'sheet_xml_run_too_long', 'maxXmlRunBytes'));
  });

  it("one shared string just over Excel's 32,767 characters is refused (422 naming the cell limit)", async () => {
    const sst = sstXml([Buffer.from(`<si><t>${'x'.repeat(40_000)}</t></si>`)]);
    const file = await zip(xlsxParts({ pieces: sheetXml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>') }, { pieces: sst }));
    const res = await upload(file, 'cell.xlsx');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject(limitProblem(422, 'sheet_cell_too_long', 'maxCellChars'));
    expect(res.body.detail).toContain('32,767');
  });

  it('a shared-strings part read up to its cap is refused (413) while /health keeps answering', async () => {
    // ~12 MB of short strings under an 8 MB cap (the real 64 MB cap takes seconds of parsing on a busy
    // machine); its header claims 1,000 bytes, so it is really inflated and parsed up to the cap
    await withLimit('maxSharedStringsPartBytes', 8 * 1024 * 1024, async () => {
      const piece = Buffer.from('<si><t>ABCDEFGHIJKLMNOPQRSTUVWXYZ</t></si>'.repeat(1000));
      const sst = sstXml(repeat(piece, Math.ceil((12 * 1024 * 1024) / piece.length)));
      const file = await zip(xlsxParts({ pieces: sheetXml(HEADER_ROW) }, { pieces: sst, claimSize: 1000 }));
      const refused = upload(file, 'many strings.xlsx');
      const health = await slowestHealthDuring(refused);
      const res = await refused;
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject(limitProblem(413, 'sheet_part_too_large', 'maxSharedStringsPartBytes'));
      expect(res.body.detail).toContain('xl/sharedStrings.xml');
      expect(res.body.detail).toContain('8 MB');
      expect(health.answers).toBeGreaterThan(1);
      expect(health.slowest).toBeLessThan(1000);
    });
  });

  it('a part whose header claims a small size is stopped at its cap all the same (413)', async () => {
    await withLimit('maxSheetPartBytes', 2 * 1024 * 1024, async () => {
      const rows = Buffer.from(Array.from({ length: 100 }, (_, i) => row(i + 2, ['A', 'B', 'C', 'D'])).join(''));
      // rows 2…101 over and over would be out of order; the cap must stop the read first
      const file = await zip(xlsxParts({ pieces: [...sheetXml(HEADER_ROW).slice(0, 2), ...repeat(Buffer.from('<!-- padding -->'.repeat(4096)), 64), rows, Buffer.from('</sheetData></worksheet>')], claimSize: 1000 }));
      const res = await upload(file, 'liar.xlsx');
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject(limitProblem(413, 'sheet_part_too_large', 'maxSheetPartBytes'));
    });
  });

  it('a cell past column XFD is refused (422) instead of making up a row of half a million cells', async () => {
    const file = await zip(xlsxParts({ pieces: sheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>Acct #</t></is></c><c r="ZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>') }));
    const res = await upload(file, 'wide.xlsx');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject(limitProblem(422, 'sheet_too_many_columns', 'maxColumns'));
  });

  it('CSV: a cell past 32,767 characters, a row past 16,384 columns and an oversized header are refused (422)', async () => {
    const long = await upload(`Acct #,Name\n1,"${'y'.repeat(40_000)}"\n`, 'long.csv');
    expect(long.status).toBe(422);
    expect(long.body).toMatchObject(limitProblem(422, 'sheet_cell_too_long', 'maxCellChars'));
    expect(long.body.detail).toContain('row 2');

    const wide = await upload(`${Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',')}\n`, 'wide.csv');
    expect(wide.status).toBe(422);
    expect(wide.body).toMatchObject(limitProblem(422, 'sheet_too_many_columns', 'maxColumns'));

    const header = await upload(`${Array.from({ length: 1_500 }, (_, i) => `Column name ${i}`).join(',')}\n1\n`, 'header.csv');
    expect(header.status).toBe(422);
    expect(header.body).toMatchObject(limitProblem(422, 'sheet_header_too_large', 'maxHeaderColumns'));

    // 500 names of 200 '€' each: 300 KB of UTF-8, more than the stored header may take (a 500 on MySQL before)
    const euros = await upload(`${Array.from({ length: 500 }, () => '€'.repeat(200)).join(',')}\n1\n`, 'euros.csv');
    expect(euros.status).toBe(422);
    expect(euros.body).toMatchObject(limitProblem(422, 'sheet_header_too_large', 'maxHeaderBytes'));
  });

  it('a cell over the limit further down (past the samples) fails the run at once, naming the limit; nothing is placed', async () => {
    // past the first 256 KB read, which the upload parses whole
    const rows = Array.from({ length: 3_000 }, (_, i) => goodRow(i + 1, 'LATEBOMB'));
    rows[2_898]!.notes = 'z'.repeat(40_000);
    const up = await upload(toCsv(rows), 'late bomb.csv');
    expect(up.status).toBe(201);
    await api.request(`/placements/batches/${up.body.id}/start`, { token: client, body: { mapping: MAPPING, mode: 'place' } });
    await runWorkerOnce({ db: api.db, config: api.config });
    const b = (await api.request(`/placements/batches/${up.body.id}`, { token: client })).body;
    expect(b.status).toBe('failed');
    expect(b.failure).toContain('row 2,900');
    expect(b.failure).toContain('32,767');
    expect(await api.db('placements').where('client_account_number', 'like', 'LATEBOMB-%')).toHaveLength(0);
    // not retried: the file will not read differently next time
    expect(await api.db('jobs').where({ type: 'placement.batch' }).where({ status: 'queued' })).toHaveLength(0);
  });
});

/** Building multipart uploads and small real files (PDF, PNG, JPEG, GIF, XLSX) for upload tests. */
import ExcelJS from 'exceljs';
import type { TestApi, TestResponse } from './harness.js';

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
/** a Windows executable header */
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0)]);
export const TEXT = Buffer.from('Dispute letter received 2026-11-02.\nCustomer says the balance was paid.\n');

export async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Sheet1').addRow(['account', 'balance']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface UploadInput {
  file?: { bytes: Buffer; filename: string; type?: string };
  fields?: Record<string, string>;
  /** a second file part */
  extraFile?: { bytes: Buffer; filename: string };
}

export async function upload(api: TestApi, path: string, token: string, input: UploadInput, method = 'POST'): Promise<TestResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(input.fields ?? {})) form.append(k, v);
  if (input.file) form.append('file', new Blob([new Uint8Array(input.file.bytes)], { type: input.file.type ?? 'application/octet-stream' }), input.file.filename);
  if (input.extraFile) form.append('file', new Blob([new Uint8Array(input.extraFile.bytes)]), input.extraFile.filename);
  const res = await fetch(`${api.url}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${token}` }, body: form });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

export async function download(api: TestApi, path: string, token: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${api.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Every stored object (and `.partial` for writes in progress), to prove nothing was left behind. */
export function storedFiles(api: TestApi): Promise<string[]> {
  return api.storedFiles();
}

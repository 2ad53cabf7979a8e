/** Files and drag-and-drop for the upload widget tests (real files, real drop events, the real API). */
import { shadow } from './helpers.js';

export const pdfFile = (name = 'contract.pdf', extra = '') =>
  new File([`%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n${extra}%%EOF\n`], name, { type: 'application/pdf' });

export const textFile = (name: string, bytes: number) => {
  const line = 'collectkit widget upload test line .........................\n';
  return new File([line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes)], name, { type: 'text/plain' });
};

/** Drops files on the element's drop zone the way a browser does (dragover, then drop with a DataTransfer). */
export function dropFiles(upload: Element, files: File[]): void {
  const zone = shadow(upload).querySelector('[part~=dropzone]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
  zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, composed: true }));
}

/** Picks files through the (hidden) file input, as the chooser dialog would. */
export function chooseFiles(upload: Element, files: File[]): void {
  const input = shadow(upload).querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

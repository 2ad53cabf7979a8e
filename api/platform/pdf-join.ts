/**
 * Joining the parts of a long document printed one after another (withPdfPrinter), and numbering
 * its pages "Page n of N" the way Chromium's footer does for a document printed whole: Chromium can
 * only count the pages of one print, so the parts are printed without page numbers and numbered here.
 * pdf-lib is plain JavaScript; the joined document holds the parts' pages (a few kB each), not the
 * rows or the browser's layout, so a 20,000-row report is a few MB here.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

/** 8 CSS px, as in the footer template of api/platform/pdf.ts */
const FOOTER_SIZE = 6;
const MM = 72 / 25.4;
/** same grey as the footer template (#555) */
const FOOTER_GREY = rgb(0x55 / 255, 0x55 / 255, 0x55 / 255);

export interface PdfJoiner {
  /** adds the pages of one printed part, in order */
  add(part: Buffer): Promise<number>;
  /** pages added so far */
  readonly pages: number;
  /** numbers every page and returns the whole document */
  finish(): Promise<Buffer>;
}

export async function pdfJoiner(meta: { title: string }): Promise<PdfJoiner> {
  const out = await PDFDocument.create({ updateMetadata: false });
  out.setTitle(meta.title);
  out.setCreator('CollectKit');
  out.setProducer('CollectKit (Chromium, pdf-lib)');
  let font: PDFFont | null = null;
  return {
    get pages() {
      return out.getPageCount();
    },
    async add(part) {
      const doc = await PDFDocument.load(part, { updateMetadata: false });
      const copied = await out.copyPages(doc, doc.getPageIndices());
      for (const page of copied) out.addPage(page);
      return copied.length;
    },
    async finish() {
      font ??= await out.embedFont(StandardFonts.Helvetica);
      const total = out.getPageCount();
      out.getPages().forEach((page, i) => {
        const text = `Page ${i + 1} of ${total}`;
        const { width } = page.getSize();
        // Right-aligned inside the 12 mm side margin, in the bottom margin like Chromium's footer.
        page.drawText(text, { x: width - 12 * MM - font!.widthOfTextAtSize(text, FOOTER_SIZE), y: 5 * MM, size: FOOTER_SIZE, font: font!, color: FOOTER_GREY });
      });
      return Buffer.from(await out.save({ useObjectStreams: false }));
    },
  };
}

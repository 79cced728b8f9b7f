/**
 * PDF reports: pdfjs-dist text items with coordinates, laid out as rows by layout.ts.
 * A PDF without a text layer (a scan) goes to OCR.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem as PdfTextItem } from 'pdfjs-dist/types/src/display/api.js';
import { ExtractError } from '../errors.ts';
import type { DocumentContent, Warning } from '../types.ts';
import { layoutRows, type Page, type TextItem } from './layout.ts';
import { readScannedPdf } from './ocr.ts';

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
// plain directory paths with a trailing slash: pdfjs on Node cannot fetch file:// URLs, and without
// the CMaps, text in predefined CJK encodings (UniGB-UCS2-H) comes out empty without any error
const DOCUMENT_OPTIONS = {
  cMapUrl: `${pdfjsRoot}/cmaps/`,
  cMapPacked: true,
  standardFontDataUrl: `${pdfjsRoot}/standard_fonts/`,
  verbosity: 0,
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  stopAtErrors: false,
};

export interface PdfLimits {
  /** pages read; reports are a few pages, so anything longer is cut with a warning */
  maxPages: number;
  /** fewer text characters than this per page on average means a scan: OCR it */
  minCharsPerPage: number;
}

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxPages: 60, minCharsPerPage: 20 };

/** Text items of every page with PDF coordinates, plus the document's info title. */
export async function pdfPages(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS) {
  // pdfjs takes ownership of (and may detach) the buffer it is given, so give it a copy
  const task = pdfjs.getDocument({ ...DOCUMENT_OPTIONS, data: new Uint8Array(bytes) });
  let doc: pdfjs.PDFDocumentProxy;
  try {
    doc = await task.promise;
  } catch (err) {
    throw pdfError(err);
  }
  const warnings: Warning[] = [];
  try {
    const count = Math.min(doc.numPages, limits.maxPages);
    if (doc.numPages > limits.maxPages) {
      warnings.push({ code: 'pdf-pages-cut', message: `only the first ${limits.maxPages} of ${doc.numPages} pages were read` });
    }
    const pages: Page[] = [];
    for (let n = 1; n <= count; n++) {
      const page = await doc.getPage(n);
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      const items: TextItem[] = [];
      for (const raw of content.items) {
        if (!('str' in raw)) continue;
        const it = raw as PdfTextItem;
        if (!it.str.trim()) continue;
        const [a, b, c, d, e, f] = it.transform as number[];
        // rotated text (watermarks, stamps) has no place in a table row
        if (Math.abs(b!) > 0.01 || Math.abs(c!) > 0.01) continue;
        items.push({ text: it.str, x: e! - x0, y: f! - y0, width: it.width, size: Math.abs(d!) || Math.abs(a!) });
      }
      pages.push({ width: x1 - x0, height: y1 - y0, items });
      page.cleanup();
    }
    const info = (await doc.getMetadata().catch(() => null))?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' ? info.Title : undefined;
    return { pages, numPages: doc.numPages, warnings, title };
  } catch (err) {
    throw err instanceof ExtractError ? err : pdfError(err);
  } finally {
    await doc.destroy();
  }
}

function pdfError(err: unknown): ExtractError {
  const name = (err as { name?: string }).name ?? '';
  const message = (err as Error).message ?? String(err);
  if (name === 'PasswordException') return new ExtractError('pdf-encrypted', 'the PDF is protected by a password');
  return new ExtractError('pdf-corrupt', `the PDF cannot be read (${message})`);
}

/** The largest-font lines at the top of the first page: the report's printed title. */
function printedTitle(page: Page | undefined): string | undefined {
  if (!page || page.items.length === 0) return undefined;
  const sizes = page.items.map((i) => i.size).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)]!;
  const big = Math.max(...sizes);
  if (big < 1.15 * body) return undefined;
  const lines = page.items
    .filter((i) => i.size >= big - 0.5 && i.y > page.height * 0.4)
    .sort((a, b) => b.y - a.y || a.x - b.x)
    .map((i) => i.text.trim());
  return lines.join('').replace(/\s+/g, '') || undefined;
}

/** Reads a PDF into rows; scans (no text layer) are OCR'd page by page. */
export async function readPdf(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS): Promise<DocumentContent> {
  const { pages, warnings, title } = await pdfPages(bytes, limits);
  const chars = pages.reduce((n, p) => n + p.items.reduce((m, i) => m + i.text.trim().length, 0), 0);
  if (chars < limits.minCharsPerPage * Math.max(1, pages.length)) {
    const scanned = await readScannedPdf(bytes, pages.length);
    scanned.warnings.unshift(...warnings);
    return scanned;
  }
  const meta: DocumentContent['meta'] = {};
  const printed = printedTitle(pages[0]) ?? title?.trim();
  if (printed) meta.title = printed;
  return { mediaType: 'application/pdf', rows: layoutRows(pages), meta, warnings };
}

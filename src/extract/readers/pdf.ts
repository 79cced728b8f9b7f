/**
 * PDF reports: text runs with coordinates (poppler's, or pdfjs-dist's where poppler is not
 * installed), laid out as rows by layout.ts. A PDF without a text layer (a scan) goes to OCR.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PDFDocumentProxy, TextItem as PdfTextItem } from 'pdfjs-dist/types/src/display/api.js';
import { ExtractError } from '../errors.ts';
import type { Warning } from '../../domain/report.ts';
import type { DocumentContent } from '../types.ts';
import { layoutRows, type Page, type TextItem } from './layout.ts';
import { readScannedPdf } from './ocr.ts';
import type { PdfLimits, PdfText } from './pdf-text.ts';
import { popplerAvailable, popplerPages } from './poppler.ts';

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

export const DEFAULT_PDF_LIMITS: PdfLimits = { maxPages: 60, minCharsPerPage: 20 };

/** pdfjs's text items of every page with PDF coordinates, plus the document's info title. */
async function pdfjsPages(bytes: Uint8Array, limits: PdfLimits): Promise<PdfText> {
  // loaded on first use: where poppler reads the PDFs, pdfjs is never needed
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdfjs takes ownership of (and may detach) the buffer it is given, so give it a copy
  const task = pdfjs.getDocument({ ...DOCUMENT_OPTIONS, data: new Uint8Array(bytes) });
  let doc: PDFDocumentProxy;
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
      // the page as displayed (its /Rotate applied, y down): a landscape table drawn sideways
      // and turned upright by /Rotate reads level, as poppler reads it
      const viewport = page.getViewport({ scale: 1 });
      const content = await page.getTextContent();
      const items: TextItem[] = [];
      for (const raw of content.items) {
        if (!('str' in raw)) continue;
        const it = raw as PdfTextItem;
        if (!it.str.trim()) continue;
        const [a, b, c, d, e, f] = pdfjs.Util.transform(viewport.transform, it.transform) as number[];
        // rotated text (watermarks, stamps) has no place in a table row
        if (Math.abs(b!) > 0.01 || Math.abs(c!) > 0.01) continue;
        items.push({ text: it.str, x: e!, y: viewport.height - f!, width: it.width, size: Math.abs(d!) || Math.abs(a!) });
      }
      pages.push({ width: viewport.width, height: viewport.height, items });
      page.cleanup();
    }
    const info = (await doc.getMetadata().catch(() => null))?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' ? info.Title : undefined;
    return { pages, warnings, infoTitle: async () => title };
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

/**
 * The largest-font lines at the top of the first page: the report's printed title. Printers that
 * embolden CJK by hand (Chromium, WPS) set a title one glyph per run, each with its own size and
 * box: the runs are gathered by line before they are read left to right, and the title is the
 * first block of such lines.
 */
function printedTitle(page: Page | undefined): string | undefined {
  if (!page || page.items.length === 0) return undefined;
  const sizes = page.items.map((i) => i.size).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)]!;
  const big = Math.max(...sizes);
  if (big < 1.15 * body) return undefined;
  const runs = page.items
    .filter((i) => i.size >= Math.max(0.85 * big, 1.15 * body) && i.y > page.height * 0.4)
    .sort((a, b) => b.y - a.y);
  const lines: TextItem[][] = [];
  for (const run of runs) {
    const line = lines[lines.length - 1];
    const last = line?.[line.length - 1];
    if (last && last.y - run.y <= 0.5 * big) line!.push(run);
    else if (!last || last.y - run.y <= 2.5 * big) lines.push([run]);
    else break;
  }
  const text = lines.map((line) => line.sort((a, b) => a.x - b.x).map((i) => i.text.trim()).join('')).join('');
  return text.replace(/\s+/g, '') || undefined;
}

/**
 * Where a PDF's text comes from: poppler's pdftohtml where it is installed (scripts/setup.sh
 * installs it; several times faster), else pdfjs. Both give the same runs to layout.ts; the
 * choice is made once per process, and OGI_PDF_TEXT=pdfjs|poppler forces one.
 */
export type PdfTextSource = 'poppler' | 'pdfjs';
let chosen: Promise<PdfTextSource> | undefined;
export function pdfTextSource(): Promise<PdfTextSource> {
  const forced = process.env.OGI_PDF_TEXT;
  if (forced === 'pdfjs' || forced === 'poppler') return Promise.resolve(forced);
  chosen ??= popplerAvailable().then((ok) => (ok ? 'poppler' : 'pdfjs'));
  return chosen;
}

/** The PDF's text runs from the given source, or the process's (see pdfTextSource). */
export async function pdfText(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS, source?: PdfTextSource): Promise<PdfText> {
  return ((source ?? (await pdfTextSource())) === 'poppler' ? popplerPages : pdfjsPages)(bytes, limits);
}

/** Reads a PDF into rows; scans (no text layer) are OCR'd page by page. */
export async function readPdf(bytes: Uint8Array, limits: PdfLimits = DEFAULT_PDF_LIMITS, source?: PdfTextSource): Promise<DocumentContent> {
  const { pages, warnings, infoTitle } = await pdfText(bytes, limits, source);
  const chars = pages.reduce((n, p) => n + p.items.reduce((m, i) => m + i.text.trim().length, 0), 0);
  if (chars < limits.minCharsPerPage * Math.max(1, pages.length)) {
    const scanned = await readScannedPdf(bytes, pages.length);
    scanned.warnings.unshift(...warnings);
    return scanned;
  }
  const meta: DocumentContent['meta'] = {};
  const printed = printedTitle(pages[0]) ?? (await infoTitle())?.trim();
  if (printed) meta.title = printed;
  return { mediaType: 'application/pdf', rows: layoutRows(pages, warnings), meta, warnings };
}

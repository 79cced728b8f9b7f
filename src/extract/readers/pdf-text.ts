/**
 * What a PDF text source gives back, and the limits it reads under: shared by the two sources
 * (poppler.ts, and pdfjs in pdf.ts) and by pdf.ts, which chooses between them.
 */
import type { Warning } from '../../domain/report.ts';
import type { Page } from './layout.ts';

export interface PdfLimits {
  /** pages read; reports are a few pages, so anything longer is cut with a warning */
  maxPages: number;
  /** fewer text characters than this per page on average means a scan: OCR it */
  minCharsPerPage: number;
}

/** A PDF's text: items of every page with PDF coordinates, plus the document's info title. */
export interface PdfText {
  pages: Page[];
  warnings: Warning[];
  /** the info dictionary's title, only wanted when the first page prints none */
  infoTitle(): Promise<string | undefined>;
}

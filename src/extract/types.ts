/**
 * What readers produce: a document laid out as rows of cells. The report they are matched into
 * (tables, checks, warnings, the extraction) is the domain's: src/domain/report.ts.
 */
import type { Warning } from '../domain/report.ts';

/** One cell as a reader saw it: its text and, for OCR, the recogniser's confidence (0–100). */
export interface Cell {
  text: string;
  confidence?: number;
  /** a position covered by a merged cell (rowspan/colspan), filled in by grid expansion */
  copy?: boolean;
}

/**
 * A row of a document laid out as cells. Every reader (HTML, text, PDF, Word, Excel, OCR)
 * turns its document into rows so that one matcher reads them all.
 * `exact` rows come from a real grid (HTML/Word/Excel tables after rowspan/colspan
 * expansion): an empty cell there is a blank in the document, not a merge artefact.
 */
export interface Row {
  cells: Cell[];
  exact?: boolean;
  /** identifies the table a row belongs to (same value = same table), absent for prose */
  table?: number;
  /** an image on an HTML page at this point (its src as written): no cells of its own */
  image?: string;
  /** the document the row was read from when it is not the one extracted (an image of the page) */
  source?: string;
}

export interface DocumentMeta {
  title?: string;
  publishedAt?: string;
  contentSource?: string;
}

/** What a reader produces from one document's bytes. */
export interface DocumentContent {
  mediaType: string;
  rows: Row[];
  meta: DocumentMeta;
  /** non-fatal notes from reading (e.g. OCR used, encrypted parts skipped) */
  warnings: Warning[];
  /** set when the values were read by OCR */
  ocr?: boolean;
}

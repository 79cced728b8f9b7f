import type { SectionCode, TemplateName } from './template.ts';

export type Count = number | null;
export type TableName = 'table2' | 'table3' | 'table4';

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

export interface Warning {
  code: string;
  message: string;
}

export interface Check {
  rule: string;
  passed: boolean | null;
  detail?: string;
}

/** One extracted value with everything needed to trace it back to the document. */
export interface CellValue {
  table: TableName;
  row: string;
  col: string;
  value: Count;
  raw: string | null;
  /** OCR confidence when the value was read by OCR */
  confidence?: number;
  /** URL of the document the value was read from, when not the report's own (an image of its page) */
  source?: string;
}

export type Table = Record<string, Record<string, Count>>;

/** Exactly the JSON object of shared/contracts/extract-output.schema.json. */
export interface ExtractOutput {
  file: string;
  ok: boolean;
  error: string | null;
  agency: string | null;
  year: number | null;
  template: TemplateName;
  table2: Table | null;
  table3: Table | null;
  table4: Table | null;
  checks: Check[];
  warnings: string[];
}

/** The full extraction: the contract output plus provenance for the database. */
export interface Extraction {
  output: ExtractOutput;
  mediaType: string | null;
  title: string | null;
  publishedAt: string | null;
  contentSource: string | null;
  cells: CellValue[];
  warnings: Warning[];
  sections: Partial<Record<SectionCode, string>>;
  /** whole report text, for full-text search */
  text: string;
  ocr: boolean;
}

/**
 * A report as ogi knows it, whatever document it was read from: its tables of counts, the
 * consistency checks and warnings, and the extraction that the dataset stores. Readers' own types
 * (rows of cells as a document lays them out) live in src/extract/types.ts.
 */
import type { SectionCode, TemplateName } from './template.ts';

export type Count = number | null;
export type TableName = 'table2' | 'table3' | 'table4';

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

/** Exactly the JSON object of schema/extract-output.schema.json. */
export interface ExtractOutput {
  file: string;
  ok: boolean;
  error: string | null;
  /** the reporting body's canonical name (src/domain/agency.ts) */
  agency: string | null;
  /** the agency as the document prints it, when that differs from the canonical name */
  agency_printed?: string;
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
  /** the agency as the document prints it (output.agency is its canonical name) */
  agencyPrinted?: string | null;
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

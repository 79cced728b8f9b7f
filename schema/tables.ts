/**
 * The ogi SQLite schema (drizzle-orm). Migrations in schema/migrations are generated from this file
 * with `npm run db:generate`; the FTS5 index and the wide views live in hand-written (custom)
 * migrations because drizzle does not model virtual tables or views built from template.ts.
 *
 * Conventions: one `documents` row per distinct file content (sha256); one `reports` row per
 * document that was loaded (failed extractions included, with ok = 0); values of the three
 * statistical tables are stored long ("tidy"), one row per cell, with the raw text as printed so
 * that NULL (blank or unreadable) is never confused with 0.
 */
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const documents = sqliteTable('documents', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sha256: text('sha256').notNull().unique(),
  sourcePath: text('source_path'),
  url: text('url'),
  mediaType: text('media_type'),
  size: integer('size').notNull(),
  /** ISO-8601 UTC timestamps of the first and the latest load that saw these bytes */
  firstSeen: text('first_seen').notNull(),
  lastSeen: text('last_seen').notNull(),
});

export const agencies = sqliteTable('agencies', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** the reporting body as printed, e.g. 海宁市人民政府 */
  name: text('name').notNull().unique(),
  /** administrative division code (民政部区划代码) when known */
  regionCode: text('region_code'),
  /** province | city | county | township | department, when known */
  level: text('level'),
});

export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agencyId: integer('agency_id').references(() => agencies.id),
    /** the year the report covers */
    year: integer('year'),
    /** 2019 | 2021 | legacy | unknown */
    template: text('template').notNull(),
    documentId: integer('document_id')
      .notNull()
      .references(() => documents.id),
    /** 1, 2, ... per agency and year; NULL for failed extractions, which are not versions of a report */
    version: integer('version'),
    /** 1 for the latest successful version of an agency's report for a year */
    isCurrent: integer('is_current', { mode: 'boolean' }).notNull().default(false),
    title: text('title'),
    publishedAt: text('published_at'),
    contentSource: text('content_source'),
    extractorVersion: text('extractor_version').notNull(),
    /** 0 when the document could not be read or is not an annual report (then error says why) */
    ok: integer('ok', { mode: 'boolean' }).notNull(),
    error: text('error'),
    /** 1 when the values were read by OCR */
    ocr: integer('ocr', { mode: 'boolean' }).notNull().default(false),
    loadedAt: text('loaded_at').notNull(),
  },
  (t) => [
    uniqueIndex('reports_agency_year_document').on(t.agencyId, t.year, t.documentId),
    index('reports_document').on(t.documentId),
    index('reports_current').on(t.isCurrent, t.year),
  ],
);

const reportId = () =>
  integer('report_id')
    .notNull()
    .references(() => reports.id, { onDelete: 'cascade' });

/** provenance of a cell: what was printed, how sure OCR was, which document it came from */
const cellProvenance = () => ({
  /** the text printed in the cell; kept even when value is NULL */
  rawText: text('raw_text'),
  /** OCR confidence (0–100) when read by OCR */
  confidence: real('confidence'),
  documentId: integer('document_id')
    .notNull()
    .references(() => documents.id),
});

/** 二、主动公开政府信息情况: row = item (规章, 行政许可, ...), col = column code; money columns are decimals */
export const table2Cells = sqliteTable(
  'table2_cells',
  {
    reportId: reportId(),
    rowCode: text('row_code').notNull(),
    colCode: text('col_code').notNull(),
    value: real('value'),
    ...cellProvenance(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.rowCode, t.colCode] }), index('table2_cells_code').on(t.rowCode, t.colCode)],
);

/** 三、收到和处理政府信息公开申请情况: row = request/outcome code, applicant = applicant column */
export const table3Cells = sqliteTable(
  'table3_cells',
  {
    reportId: reportId(),
    rowCode: text('row_code').notNull(),
    applicantCode: text('applicant_code').notNull(),
    value: integer('value'),
    ...cellProvenance(),
  },
  (t) => [
    primaryKey({ columns: [t.reportId, t.rowCode, t.applicantCode] }),
    index('table3_cells_code').on(t.rowCode, t.applicantCode),
  ],
);

/** 四、行政复议、行政诉讼情况: group = review / litigation_direct / litigation_after_review */
export const table4Cells = sqliteTable(
  'table4_cells',
  {
    reportId: reportId(),
    groupCode: text('group_code').notNull(),
    outcomeCode: text('outcome_code').notNull(),
    value: integer('value'),
    ...cellProvenance(),
  },
  (t) => [
    primaryKey({ columns: [t.reportId, t.groupCode, t.outcomeCode] }),
    index('table4_cells_code').on(t.groupCode, t.outcomeCode),
  ],
);

/** every consistency rule evaluated for a report; passed is NULL when a needed cell is NULL */
export const checks = sqliteTable(
  'checks',
  {
    reportId: reportId(),
    rule: text('rule').notNull(),
    passed: integer('passed', { mode: 'boolean' }),
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.rule] })],
);

export const warnings = sqliteTable(
  'warnings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: reportId(),
    code: text('code').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('warnings_report').on(t.reportId)],
);

/** report text per section (overview, proactive, ...) plus `full` for the whole text; indexed by report_texts_fts */
export const reportTexts = sqliteTable(
  'report_texts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reportId: reportId(),
    sectionCode: text('section_code').notNull(),
    text: text('text').notNull(),
  },
  (t) => [uniqueIndex('report_texts_report_section').on(t.reportId, t.sectionCode)],
);

export const schema = { documents, agencies, reports, table2Cells, table3Cells, table4Cells, checks, warnings, reportTexts };

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
  /** the reporting body's canonical name, e.g. 海宁市人民政府 (reports.agency_printed keeps each document's printing) */
  name: text('name').notNull().unique(),
  /**
   * administrative division code (GB/T 2260, regions.code) when known: the region of the portal
   * that published the report — a township or department on a county portal has the county's code
   */
  regionCode: text('region_code'),
  /** province | city | county | township | department, when known */
  level: text('level'),
});

/**
 * The gazetteer: GB/T 2260 divisions (schema/gazetteer/*.csv, see its PROVENANCE.md), filled by
 * the migration that creates the table. Agencies link to it by agencies.region_code.
 */
export const regions = sqliteTable(
  'regions',
  {
    /** GB/T 2260 code, e.g. 330481 */
    code: text('code').primaryKey(),
    /** official name, e.g. 海宁市 */
    name: text('name').notNull(),
    /** province | city | county (县级: 市辖区, 县, 县级市, 自治县) */
    level: text('level').notNull(),
    /** 省 | 地级市 | 市辖区 | 县 | 县级市 | 自治县 */
    kind: text('kind').notNull(),
    /** the code of the division it belongs to; NULL for a province */
    parentCode: text('parent_code'),
    /** first report year the division exists for; NULL when it existed throughout */
    validFrom: integer('valid_from'),
    /** last report year of an abolished division; NULL when it still exists */
    validTo: integer('valid_to'),
    note: text('note'),
  },
  (t) => [index('regions_parent').on(t.parentCode), index('regions_level').on(t.level)],
);

export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    agencyId: integer('agency_id').references(() => agencies.id),
    /**
     * the agency as this document prints it (agencies.name is the canonical name: short forms written
     * out, a misprinted place corrected; src/domain/agency.ts); NULL when no agency was read
     */
    agencyPrinted: text('agency_printed'),
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

// ---- ogi nightly (created by the hand-written migrations 0003 and 0004; 0005 records them here) ----

/** one row per nightly run */
export const nightlyRuns = sqliteTable('nightly_runs', {
  id: text('id').primaryKey(),
  startedAt: text('started_at').notNull(),
  finishedAt: text('finished_at'),
  /** running | ok | needs-attention | interrupted (a run killed before it finished) */
  status: text('status').notNull(),
  requests: integer('requests'),
  snapshot: text('snapshot'),
  /** the run's summary.json */
  summary: text('summary'),
});

/** breakage, failures and cross-year mismatches found by a run */
export const runIssues = sqliteTable(
  'run_issues',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id')
      .notNull()
      .references(() => nightlyRuns.id),
    site: text('site'),
    code: text('code').notNull(),
    /** error: needs a human (the run exits non-zero); warning: recorded, retried or informative */
    severity: text('severity').notNull(),
    message: text('message').notNull(),
    url: text('url'),
    reportId: integer('report_id'),
  },
  (t) => [index('run_issues_run').on(t.runId), index('run_issues_code').on(t.code)],
);

/** what each run did per site */
export const nightlySiteRuns = sqliteTable(
  'nightly_site_runs',
  {
    runId: text('run_id')
      .notNull()
      .references(() => nightlyRuns.id),
    site: text('site').notNull(),
    /** why the site's listings were walked this run, or NULL when its listing heads were unchanged */
    crawlReason: text('crawl_reason'),
    listings: integer('listings').notNull(),
    reportLinks: integer('report_links').notNull(),
    new: integer('new').notNull(),
    changed: integer('changed').notNull(),
    failed: integer('failed').notNull(),
    extracted: integer('extracted').notNull(),
    extractionFailures: integer('extraction_failures').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.site] })],
);

/** what the last finished walk of each site saw */
export const nightlySites = sqliteTable('nightly_sites', {
  site: text('site').primaryKey(),
  /** JSON [{url, sha256}]: the first listing page of each column, compared each night */
  heads: text('heads').notNull(),
  reportLinks: integer('report_links').notNull(),
  /** 1 when the last walk of the site finished with nothing failed (else it is walked again) */
  clean: integer('clean', { mode: 'boolean' }).notNull(),
  crawledRun: text('crawled_run').notNull(),
  crawledAt: text('crawled_at').notNull(),
  /** fingerprint of the site.yml the walk used: a changed configuration is walked again */
  config: text('config'),
});

/** the outcome of every report link a walk found */
export const nightlyReports = sqliteTable(
  'nightly_reports',
  {
    site: text('site').notNull(),
    url: text('url').notNull(),
    title: text('title'),
    listedDate: text('listed_date'),
    year: integer('year'),
    /** new | changed | unchanged (loaded) | incomplete (no table read; fetched again) | failed | skipped (robots.txt, host not allowed) */
    status: text('status').notNull(),
    reportId: integer('report_id'),
    error: text('error'),
    checkedAt: text('checked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.site, t.url] })],
);

/** 上年结转 of a report against the previous year's 结转下年度, per applicant column */
export const crossYearChecks = sqliteTable(
  'cross_year_checks',
  {
    reportId: integer('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    previousReportId: integer('previous_report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    applicantCode: text('applicant_code').notNull(),
    /** NULL when blank */
    carriedOver: integer('carried_over'),
    previousCarriedForward: integer('previous_carried_forward'),
    /** NULL when either value is blank */
    passed: integer('passed', { mode: 'boolean' }),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.applicantCode] })],
);

/** facts about the database itself: `database_id`, set once when it is created, names it in its snapshots */
export const ogiMeta = sqliteTable('ogi_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const schema = {
  ogiMeta,
  documents,
  agencies,
  regions,
  reports,
  table2Cells,
  table3Cells,
  table4Cells,
  checks,
  warnings,
  reportTexts,
  nightlyRuns,
  runIssues,
  nightlySiteRuns,
  nightlySites,
  nightlyReports,
  crossYearChecks,
};

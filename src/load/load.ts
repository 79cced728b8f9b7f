/**
 * Writing one extraction into the database.
 *
 * Identity rules:
 * - a document is its bytes: one `documents` row per sha256; seeing the same bytes again only
 *   updates last_seen (and fills url/source path if they were unknown) and changes nothing else;
 * - a report is (agency, year): a document with different bytes for an agency and year that
 *   already has a report becomes version n+1 and takes over is_current; older versions are kept;
 * - a failed extraction (output.ok = false) still gets a `reports` row, with ok = 0, its error,
 *   no version and is_current = 0, so every loaded document has exactly one reports row and the
 *   failure is queryable. Failed rows never count as versions.
 * - the same bytes loaded with a different extractor version are read again: the report keeps its
 *   id, version and is_current when agency and year stay the same; otherwise it is replaced;
 * - a report whose agency or year is unknown (a picture loaded on its own, a document that does not
 *   name them) is unidentified: it is kept with its cells, checks and warnings, but has no version,
 *   is_current = 0 and a `report-unidentified` warning, and snapshots leave its values out. When the
 *   same bytes are loaded again with agency and year known (a crawl's listing hint, a re-extraction),
 *   it is replaced by a normal report;
 * Everything for one load happens in one transaction.
 */
import { and, desc, eq, isNotNull, max, sql } from 'drizzle-orm';
import { agencies, checks, documents, reportTexts, reports, table2Cells, table3Cells, table4Cells, warnings } from '../../schema/tables.ts';
import type { CellValue, Count, Extraction, Table, TableName, Warning } from '../domain/report.ts';
import { searchableText } from '../util/searchable-text.ts';
import type BetterSqlite3 from 'better-sqlite3';
import type { OgiDatabase } from './database.ts';

export interface LoadInput {
  extraction: Extraction;
  document: { sha256: string; size: number; mediaType: string | null; sourcePath?: string; url?: string };
  agency?: { regionCode?: string; level?: string };
  /** the extractor that produced the extraction (src/extract EXTRACTOR_VERSION); when given, a
   *  document loaded by another version is re-extracted, when absent known bytes are never redone */
  extractorVersion?: string;
  /** other documents values were read from (the images of a report page), by the URL cells name as their source */
  parts?: { url: string; sha256: string; size: number; mediaType: string }[];
}

/**
 * new: first report for its agency and year; new-version: replaces the current report of its agency
 * and year; unchanged: these bytes were already loaded by this extractor version; re-extracted: these
 * bytes were loaded by another extractor version and were read again; failed: extraction failed.
 */
export type LoadStatus = 'new' | 'unchanged' | 'new-version' | 're-extracted' | 'failed';

export interface LoadResult {
  status: LoadStatus;
  reportId: number | null;
}

interface CellRow {
  row: string;
  col: string;
  value: Count;
  raw: string | null;
  confidence: number | null;
  /** URL of the part it was read from, if not the report's document */
  source?: string;
}

/** cells of one table: the contract table decides which cells exist and their values (after repairs);
 *  extraction.cells adds the raw text and OCR confidence */
function tableCells(table: TableName, values: Table | null, cells: CellValue[]): CellRow[] {
  const provenance = new Map(cells.filter((c) => c.table === table).map((c) => [`${c.row}\u0000${c.col}`, c]));
  const rows = new Map<string, CellRow>();
  for (const [row, cols] of Object.entries(values ?? {})) {
    for (const [col, value] of Object.entries(cols)) {
      const p = provenance.get(`${row}\u0000${col}`);
      rows.set(`${row}\u0000${col}`, { row, col, value, raw: p?.raw ?? null, confidence: p?.confidence ?? null, ...(p?.source ? { source: p.source } : {}) });
    }
  }
  return [...rows.values()];
}

/** structured warnings; contract strings ("code: sentence") when the extraction carries only those */
function reportWarnings(extraction: Extraction): Warning[] {
  if (extraction.warnings.length > 0) return extraction.warnings;
  return extraction.output.warnings.map((w) => {
    const m = /^([a-z0-9][a-z0-9._-]*): (.*)$/s.exec(w);
    return m ? { code: m[1] ?? 'warning', message: m[2] ?? w } : { code: 'warning', message: w };
  });
}

function upsertAgency(db: OgiDatabase, name: string, extra: LoadInput['agency']): number {
  const row = db
    .insert(agencies)
    .values({ name, regionCode: extra?.regionCode ?? null, level: extra?.level ?? null })
    .onConflictDoUpdate({
      target: agencies.name,
      // keep what is known; fill what was unknown
      set: {
        regionCode: sql`coalesce(${agencies.regionCode}, excluded.region_code)`,
        level: sql`coalesce(${agencies.level}, excluded.level)`,
      },
    })
    .returning({ id: agencies.id })
    .get();
  return row.id;
}

export interface LoadedDocument {
  reportId: number;
  agency: string | null;
  year: number | null;
  error: string | null;
  extractorVersion: string;
  /** 'unknown' when no report table was found in the document */
  template: string;
}

/**
 * If these bytes were loaded before, marks them seen now and returns their report, so that a
 * batch can skip extracting a document it already has. Returns null for unknown bytes.
 */
export function touchLoadedDocument(db: OgiDatabase, sha256: string, seenAs: { sourcePath?: string; url?: string } = {}): LoadedDocument | null {
  return db.$client.transaction(() => {
    const found = db
      .select({
        documentId: documents.id,
        reportId: reports.id,
        agency: agencies.name,
        year: reports.year,
        error: reports.error,
        extractorVersion: reports.extractorVersion,
        template: reports.template,
      })
      .from(documents)
      .innerJoin(reports, eq(reports.documentId, documents.id))
      .leftJoin(agencies, eq(agencies.id, reports.agencyId))
      .where(eq(documents.sha256, sha256))
      .get();
    if (!found) return null;
    markSeen(db, found.documentId, seenAs);
    const { documentId: _, ...report } = found;
    return report;
  })();
}

function markSeen(db: OgiDatabase, documentId: number, seenAs: { sourcePath?: string | undefined; url?: string | undefined }): void {
  db.update(documents)
    .set({
      lastSeen: new Date().toISOString(),
      // the first known URL/path stays; later sightings only fill a gap
      url: sql`coalesce(${documents.url}, ${seenAs.url ?? null})`,
      sourcePath: sql`coalesce(${documents.sourcePath}, ${seenAs.sourcePath ?? null})`,
    })
    .where(eq(documents.id, documentId))
    .run();
}

export function loadExtraction(db: OgiDatabase, input: LoadInput): LoadResult {
  return db.$client.transaction(() => loadInTransaction(db, input))();
}

function loadInTransaction(db: OgiDatabase, input: LoadInput): LoadResult {
  const { extraction, document } = input;
  const { output } = extraction;
  const extractorVersion = input.extractorVersion ?? 'unknown';

  const known = db.select({ id: documents.id }).from(documents).where(eq(documents.sha256, document.sha256)).get();
  let documentId: number;
  let reextracted = false;
  if (known) {
    documentId = known.id;
    markSeen(db, documentId, document);
    const loaded = db.select().from(reports).where(eq(reports.documentId, documentId)).get();
    const sameExtractor = input.extractorVersion === undefined || loaded?.extractorVersion === extractorVersion;
    const nowIdentified = loaded !== undefined && isUnidentified(loaded) && identified(output);
    if (loaded && sameExtractor && !nowIdentified) {
      return { status: 'unchanged', reportId: loaded.id };
    }
    if (loaded) {
      // a newer extractor read the same bytes, or they are now known to be an agency's report for
      // a year: redo the report's contents
      reextracted = !sameExtractor;
      const sameReport = loaded.ok && output.ok && loaded.year === output.year && loaded.agencyId === agencyIdOf(db, output.agency);
      if (sameReport) {
        // same agency and year: the report keeps its id, version and is_current
        db.update(reports).set(reportFields(input)).where(eq(reports.id, loaded.id)).run();
        deleteContent(db, loaded.id);
        insertContent(db, loaded.id, documentId, input);
        return { status: 're-extracted', reportId: loaded.id };
      }
      removeReport(db, loaded);
    }
  } else {
    documentId = insertDocument(db, { ...document, mediaType: document.mediaType ?? extraction.mediaType });
  }

  const agencyId = output.agency ? upsertAgency(db, output.agency, input.agency) : null;

  let version: number | null = null;
  let status: LoadStatus = output.ok ? (reextracted ? 're-extracted' : 'new') : 'failed';
  // only a report known by agency and year has versions and can be current
  const isReport = identified(output) && agencyId !== null && output.year !== null;
  if (isReport && agencyId !== null && output.year !== null) {
    version = 1;
    // unidentified rows (version NULL) are never versions of the report
    const sameReport = and(eq(reports.agencyId, agencyId), eq(reports.year, output.year), eq(reports.ok, true), isNotNull(reports.version));
    const latest = db.select({ v: max(reports.version) }).from(reports).where(sameReport).get()?.v ?? null;
    if (latest !== null) {
      version = latest + 1;
      if (!reextracted) status = 'new-version';
      db.update(reports).set({ isCurrent: false }).where(sameReport).run();
    }
  }

  const reportId = db
    .insert(reports)
    .values({ ...reportFields(input), agencyId, documentId, version, isCurrent: isReport })
    .returning({ id: reports.id })
    .get().id;
  insertContent(db, reportId, documentId, input);
  return { status, reportId };
}

function insertDocument(db: OgiDatabase, d: { sha256: string; size: number; mediaType: string | null; sourcePath?: string; url?: string }): number {
  const now = new Date().toISOString();
  return db
    .insert(documents)
    .values({ sha256: d.sha256, sourcePath: d.sourcePath ?? null, url: d.url ?? null, mediaType: d.mediaType, size: d.size, firstSeen: now, lastSeen: now })
    .returning({ id: documents.id })
    .get().id;
}

/** The documents row of each part (found by content, else added), by the URL cells name. */
function partDocuments(db: OgiDatabase, parts: LoadInput['parts']): Map<string, number> {
  const ids = new Map<string, number>();
  for (const part of parts ?? []) {
    const known = db.select({ id: documents.id }).from(documents).where(eq(documents.sha256, part.sha256)).get();
    if (known) markSeen(db, known.id, { url: part.url });
    ids.set(part.url, known?.id ?? insertDocument(db, part));
  }
  return ids;
}

/** a successful reading that names both the agency and the year: a report that can be current */
function identified(output: Extraction['output']): boolean {
  return output.ok && output.agency !== null && output.agency.trim() !== '' && output.year !== null;
}

/** read, but not known to be any agency's report for a year: kept, never current, no version */
function isUnidentified(report: typeof reports.$inferSelect): boolean {
  return report.ok && report.version === null;
}

/** the warning an unidentified report carries, so it is listed as needing attention */
function unidentifiedWarning(output: Extraction['output']): Warning | null {
  if (!output.ok || identified(output)) return null;
  const missing = [output.agency === null || output.agency.trim() === '' ? 'agency' : null, output.year === null ? 'year' : null].filter((m) => m !== null);
  return {
    code: 'report-unidentified',
    message: `the ${missing.join(' and ')} of this report could not be read: it is kept, but is not a current report and its values are not exported until it is identified (load it again with the ${missing.join(' and ')} known)`,
  };
}

function agencyIdOf(db: OgiDatabase, name: string | null): number | null {
  if (name === null) return null;
  return db.select({ id: agencies.id }).from(agencies).where(eq(agencies.name, name)).get()?.id ?? null;
}

/** report columns that come from the extraction itself */
function reportFields(input: LoadInput) {
  const { extraction } = input;
  const { output } = extraction;
  return {
    year: output.year,
    template: output.template,
    agencyPrinted: output.agency === null ? null : (extraction.agencyPrinted ?? output.agency),
    title: extraction.title,
    publishedAt: extraction.publishedAt,
    contentSource: extraction.contentSource,
    extractorVersion: input.extractorVersion ?? 'unknown',
    ok: output.ok,
    error: output.error,
    ocr: extraction.ocr,
    loadedAt: new Date().toISOString(),
  };
}

/** drops a report whose re-extraction changed its agency, year or success; its group's latest version becomes current */
function removeReport(db: OgiDatabase, report: typeof reports.$inferSelect): void {
  db.delete(reports).where(eq(reports.id, report.id)).run();
  if (report.isCurrent && report.agencyId !== null && report.year !== null) {
    const latest = db
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.agencyId, report.agencyId), eq(reports.year, report.year), eq(reports.ok, true), isNotNull(reports.version)))
      .orderBy(desc(reports.version))
      .get();
    if (latest) db.update(reports).set({ isCurrent: true }).where(eq(reports.id, latest.id)).run();
  }
}

function deleteContent(db: OgiDatabase, reportId: number): void {
  for (const table of [table2Cells, table3Cells, table4Cells, checks, warnings, reportTexts]) {
    db.delete(table).where(eq(table.reportId, reportId)).run();
  }
}

/**
 * The single-row inserts of a report's content, prepared once per connection and run once per
 * row. A multi-row insert built per report is a new statement for every report (its SQL changes
 * with the row count): SQLite compiles each anew, and each holds native memory V8 does not see
 * until its wrapper is collected, so a long batch grew with them.
 */
interface ContentStatements {
  table2: Statement;
  table3: Statement;
  table4: Statement;
  check: Statement;
  warning: Statement;
  text: Statement;
}

type Statement = BetterSqlite3.Statement<unknown[]>;

const statementsOf = new WeakMap<OgiDatabase['$client'], ContentStatements>();

function contentStatements(db: OgiDatabase): ContentStatements {
  let st = statementsOf.get(db.$client);
  if (!st) {
    const cells = (table: string, row: string, col: string) =>
      db.$client.prepare<unknown[]>(`INSERT INTO ${table} (report_id, ${row}, ${col}, value, raw_text, confidence, document_id) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    st = {
      table2: cells('table2_cells', 'row_code', 'col_code'),
      table3: cells('table3_cells', 'row_code', 'applicant_code'),
      table4: cells('table4_cells', 'group_code', 'outcome_code'),
      check: db.$client.prepare<unknown[]>('INSERT INTO checks (report_id, rule, passed, detail) VALUES (?, ?, ?, ?)'),
      warning: db.$client.prepare<unknown[]>('INSERT INTO warnings (report_id, code, message) VALUES (?, ?, ?)'),
      text: db.$client.prepare<unknown[]>('INSERT INTO report_texts (report_id, section_code, text) VALUES (?, ?, ?)'),
    };
    statementsOf.set(db.$client, st);
  }
  return st;
}

/** cells, checks, warnings and text of a report */
function insertContent(db: OgiDatabase, reportId: number, documentId: number, input: LoadInput): void {
  const { extraction } = input;
  const { output } = extraction;
  const st = contentStatements(db);
  const parts = partDocuments(db, input.parts);
  insertCells(st, reportId, (c) => (c.source !== undefined ? parts.get(c.source) : undefined) ?? documentId, extraction);

  const byRule = new Map(output.checks.map((c) => [c.rule, c]));
  for (const c of byRule.values()) st.check.run(reportId, c.rule, c.passed === null ? null : c.passed ? 1 : 0, c.detail ?? null);
  const unidentified = unidentifiedWarning(output);
  for (const w of [...reportWarnings(extraction), ...(unidentified ? [unidentified] : [])]) st.warning.run(reportId, w.code, w.message);

  // stored as read and searched: line breaks inside Chinese words joined, footers dropped
  for (const [sectionCode, text] of Object.entries(extraction.sections)) {
    if (typeof text === 'string' && text.trim() !== '') st.text.run(reportId, sectionCode, searchableText(text));
  }
  const full = searchableText(extraction.text);
  if (full.trim() !== '') st.text.run(reportId, 'full', full);
}

function insertCells(st: ContentStatements, reportId: number, documentOf: (c: CellRow) => number, extraction: Extraction): void {
  const { output, cells } = extraction;
  for (const [table, values] of [['table2', output.table2], ['table3', output.table3], ['table4', output.table4]] as const) {
    for (const c of tableCells(table, values, cells)) st[table].run(reportId, c.row, c.col, c.value, c.raw, c.confidence ?? null, documentOf(c));
  }
}

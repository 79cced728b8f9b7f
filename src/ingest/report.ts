/**
 * One report through extract → check → load: the documents a report was published as (a report
 * page and its attachments, or one file), read by the current extractor, the best reading loaded
 * with its provenance, and one typed outcome returned. Extraction never throws for bad input, and a
 * load that fails is an outcome with status 'error': a bad document never ends a batch or a crawl.
 */
import { EXTRACTOR_VERSION, extractBytes, extractPage, isReportDocument, readAgency, type ExtractOptions, type PageImage } from '../extract/index.ts';
import type { Extraction } from '../domain/report.ts';
import { loadExtraction, touchLoadedDocument, type LoadedDocument, type OgiDatabase } from '../load/index.ts';
import { errorText } from '../domain/errors.ts';
import { sourceOf, type SourceDocument } from './document.ts';
import type { IngestOutcome } from './outcome.ts';

/** What a listing says of a report: it fills what the document does not say. */
export interface ReportHints {
  title: string;
  year: number;
  agency: string | null;
}

export interface ReportInput {
  /** the report's documents: the report page (or the one file) first, then its attachments */
  documents: SourceDocument[];
  /**
   * the pictures shown on the page, fetched on demand: they are read (OCR) only when the page and
   * its attachments yield fewer than all tables, since they cost requests and OCR time
   */
  pictures?: { count: number; fetch: () => Promise<SourceDocument[]> };
  /** false when a document of the report could not be had (an attachment failed to download) */
  complete?: boolean;
  hints?: ReportHints;
  /** where the reporting body sits: region code, and its level from its name */
  agency?: { regionCode: string; level: (name: string | null) => string };
  /** a problem worth telling that does not stop the report (e.g. year-mismatch) */
  warn?: (code: string, message: string, url: string) => void;
}

/** The extractor ingest reads with; tests of batching stand in their own. */
export interface Reader {
  version: string;
  /** never throws for bad input (ok=false and "code: sentence"); a throw is a crash */
  extract(bytes: Uint8Array, opts: ExtractOptions): Promise<Extraction>;
  extractPage(bytes: Uint8Array, images: PageImage[], opts: ExtractOptions): Promise<Extraction>;
}

export const EXTRACTOR: Reader = { version: EXTRACTOR_VERSION, extract: extractBytes, extractPage };

/** pictures on a report page read at most: more are decoration, not tables */
export const MAX_PAGE_PICTURES = 12;

function tablesIn(e: Extraction): number {
  const o = e.output;
  return (o.ok ? 1 : 0) + (o.table2 ? 1 : 0) + (o.table3 ? 1 : 0) + (o.table4 ? 1 : 0);
}

function knownOutcome(d: SourceDocument, k: LoadedDocument): IngestOutcome {
  return {
    status: 'unchanged',
    reportId: k.reportId,
    source: sourceOf(d),
    mediaType: d.mediaType,
    agency: k.agency,
    year: k.year,
    template: k.template,
    error: k.error,
    checksPassed: 0,
    checksFailed: 0,
    known: true,
  };
}

/**
 * Known bytes need no extraction when this extractor version read them. A report of several
 * documents decides by a known one only when its reading found a report: a page without tables may
 * have been chosen when its attachment was missing. With an attachment missing this time, nothing
 * known decides (the previous choice may have been made without it) and the report is read again.
 */
function alreadyLoaded(db: OgiDatabase, input: ReportInput, version: string): IngestOutcome | null {
  if (input.complete === false) return null;
  const single = input.documents.length === 1 && !input.pictures?.count;
  for (const d of input.documents) {
    const known = touchLoadedDocument(db, d.sha256, d.url !== undefined ? { url: d.url } : d.sourcePath !== undefined ? { sourcePath: d.sourcePath } : {});
    if (!known || known.extractorVersion !== version) continue;
    // an unidentified report (agency or year unread) is read again when the listing can name them
    if (input.hints && known.error === null && (known.year === null || (known.agency === null && input.hints.agency))) continue;
    if (single || (known.error === null && known.template !== 'unknown')) return knownOutcome(d, known);
  }
  return null;
}

/** The reading of a report chosen for loading. */
export interface Reading {
  document: SourceDocument;
  extraction: Extraction;
  /** the pictures its values were read from */
  parts?: SourceDocument[];
}

/** Extracts every document of a report and keeps the reading that yields the most tables. */
async function bestReading(input: ReportInput, reader: Reader): Promise<Reading | null> {
  let best: Reading | null = null;
  for (const d of input.documents) {
    // a fetched picture or archive is no report on its own (pictures are read as parts of their
    // page); a local file is read whatever it is, and its error says why it is no report
    if (d.url !== undefined && !isReportDocument(d.mediaType)) continue;
    const extraction = await reader.extract(d.bytes, { file: sourceOf(d), ...(d.url ? { url: d.url, mediaType: d.mediaType } : {}) });
    if (!best || tablesIn(extraction) > tablesIn(best.extraction)) best = { document: d, extraction };
  }
  const page = input.documents[0];
  if (page && input.pictures?.count && page.mediaType === 'text/html' && (!best || tablesIn(best.extraction) < 4)) {
    const pictures = await input.pictures.fetch();
    const extraction = await reader.extractPage(page.bytes, pictures.map((p) => ({ url: sourceOf(p), bytes: p.bytes })), { file: sourceOf(page), ...(page.url ? { url: page.url, mediaType: page.mediaType } : {}) });
    const parts = pictures.filter((p) => extraction.cells.some((cell) => cell.source === sourceOf(p)));
    if (!best || tablesIn(extraction) > tablesIn(best.extraction)) best = { document: page, extraction, parts };
  }
  return best;
}

/** The listing names the report's agency and year: they fill what the document did not say. */
function applyHints(r: Reading, input: ReportInput): void {
  const { hints } = input;
  if (!hints) return;
  const out = r.extraction.output;
  if (out.ok) {
    if (out.agency === null && hints.agency) {
      // the listing's printing of the name, read as a document's is (its canonical name, the printed one kept)
      const agency = readAgency(hints.agency);
      out.agency = agency.name;
      if (agency.name !== agency.printed) out.agency_printed = agency.printed;
      r.extraction.agencyPrinted = agency.printed;
    }
    if (out.year === null) out.year = hints.year;
    else if (out.year !== hints.year) input.warn?.('year-mismatch', `title says ${hints.year}, document says ${out.year}`, sourceOf(r.document));
  }
  if (!r.extraction.title) r.extraction.title = hints.title;
}

/** Extracts and loads one report: the one path every ingesting caller takes. */
export async function ingestReport(db: OgiDatabase, input: ReportInput, reader: Reader = EXTRACTOR): Promise<IngestOutcome> {
  const prepared = await prepareReport(db, input, reader);
  return 'outcome' in prepared ? prepared.outcome : loadReading(db, prepared.reading, input, reader);
}

/**
 * The first half of ingestReport, which may run for several reports at once: what is already
 * loaded, or the reading to load. Loading (the second half) writes, one report at a time.
 */
export async function prepareReport(db: OgiDatabase, input: ReportInput, reader: Reader = EXTRACTOR): Promise<{ outcome: IngestOutcome } | { reading: Reading }> {
  const first = input.documents[0];
  if (!first) throw new Error('prepareReport needs at least one document');
  const known = alreadyLoaded(db, input, reader.version);
  if (known) return { outcome: known };
  try {
    const reading = await bestReading(input, reader);
    if (!reading) return { outcome: failedOutcome(sourceOf(first), first.mediaType, 'no-document: neither the article nor its attachments is a readable document') };
    applyHints(reading, input);
    return { reading };
  } catch (err) {
    // extraction never throws for bad input: this is a crash of the extractor, kept to this report
    return { outcome: failedOutcome(sourceOf(first), first.mediaType, errorText(err, 'load-error')) };
  }
}

function failedOutcome(source: string, mediaType: string | null, error: string): IngestOutcome {
  return { status: 'error', reportId: null, source, mediaType, agency: null, year: null, template: null, error, checksPassed: 0, checksFailed: 0, known: false };
}

export function loadReading(db: OgiDatabase, { document: d, extraction: e, parts }: Reading, input: ReportInput, reader: Reader = EXTRACTOR): IngestOutcome {
  const out = e.output;
  // the reader's word on what it read (it tells a Word file from a WPS one), else what the bytes look like
  const mediaType = e.mediaType ?? d.mediaType;
  try {
    const loaded = loadExtraction(db, {
      extraction: e,
      document: { sha256: d.sha256, size: d.bytes.length, mediaType, ...(d.url ? { url: d.url } : {}), ...(d.sourcePath ? { sourcePath: d.sourcePath } : {}) },
      ...(input.agency ? { agency: { regionCode: input.agency.regionCode, level: input.agency.level(out.agency ?? input.hints?.agency ?? null) } } : {}),
      extractorVersion: reader.version,
      ...(parts ? { parts: parts.map((p) => ({ url: sourceOf(p), sha256: p.sha256, size: p.bytes.length, mediaType: p.mediaType })) } : {}),
    });
    return {
      status: loaded.status,
      reportId: loaded.reportId,
      source: sourceOf(d),
      mediaType,
      agency: out.agency,
      year: out.year,
      template: out.template,
      error: out.error,
      checksPassed: out.checks.filter((k) => k.passed === true).length,
      checksFailed: out.checks.filter((k) => k.passed === false).length,
      known: false,
    };
  } catch (err) {
    return failedOutcome(sourceOf(d), d.mediaType, errorText(err, 'load-error'));
  }
}

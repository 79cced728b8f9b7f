/**
 * Re-extraction without the network: every report read by another extractor version is read again
 * from the archived bytes of its document (src/archive), and loaded over the old reading.
 */
import type Database from 'better-sqlite3';
import { getBlob, hasBlob } from '../archive/index.ts';
import type { OgiDatabase } from '../load/index.ts';
import { sourceDocument, sourceOf } from './document.ts';
import { EXTRACTOR, loadReading, type Reader } from './report.ts';

export interface ReextractResult {
  reextracted: number;
  notArchived: NotArchived[];
}

interface StaleRow {
  reportId: number;
  sha256: string;
  url: string | null;
  sourcePath: string | null;
  mediaType: string | null;
  size: number;
  agency: string | null;
  year: number | null;
}

function staleReports(db: Database.Database, version: string): StaleRow[] {
  return db
    .prepare(
      `SELECT r.id AS reportId, d.sha256, d.url, d.source_path AS sourcePath, d.media_type AS mediaType, d.size, a.name AS agency, r.year
       FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id
       WHERE r.extractor_version <> ? ORDER BY r.id`,
    )
    .all(version) as StaleRow[];
}

interface PartRow {
  url: string;
  sha256: string;
  size: number;
  mediaType: string;
}

/** The other documents (pictures of its page) a report's values were read from. */
function partsOf(db: Database.Database, reportId: number): PartRow[] {
  return db
    .prepare(
      `SELECT DISTINCT d.url, d.sha256, d.size, d.media_type AS mediaType FROM documents d
       WHERE d.url IS NOT NULL AND d.id IN (
         SELECT document_id FROM table2_cells WHERE report_id = @r UNION SELECT document_id FROM table3_cells WHERE report_id = @r
         UNION SELECT document_id FROM table4_cells WHERE report_id = @r)
       AND d.id <> (SELECT document_id FROM reports WHERE id = @r)`,
    )
    .all({ r: reportId }) as PartRow[];
}

/** a report whose document is not in the archive (loaded from a local file: `ogi load` re-reads it) */
export interface NotArchived {
  reportId: number;
  sha256: string;
  url: string;
}

export async function reextractStale(db: OgiDatabase, archiveDir: string, reader: Reader = EXTRACTOR): Promise<ReextractResult> {
  const out: ReextractResult = { reextracted: 0, notArchived: [] };
  for (const row of staleReports(db.$client, reader.version)) {
    if (!hasBlob(archiveDir, row.sha256)) {
      if (row.url) out.notArchived.push({ reportId: row.reportId, sha256: row.sha256, url: row.url });
      continue;
    }
    const document = sourceDocument(getBlob(archiveDir, row.sha256), {
      sha256: row.sha256,
      contentType: row.mediaType,
      ...(row.url ? { url: row.url } : row.sourcePath ? { sourcePath: row.sourcePath } : {}),
    });
    // a page whose tables were pictures is read again with the pictures its values came from
    const parts = partsOf(db.$client, row.reportId)
      .filter((p) => hasBlob(archiveDir, p.sha256))
      .map((p) => sourceDocument(getBlob(archiveDir, p.sha256), { url: p.url, sha256: p.sha256, contentType: p.mediaType }));
    const opts = { file: sourceOf(document), ...(row.url ? { url: row.url } : {}), ...(row.mediaType ? { mediaType: row.mediaType } : {}) };
    const extraction = parts.length > 0
      ? await reader.extractPage(document.bytes, parts.map((p) => ({ url: sourceOf(p), bytes: p.bytes })), opts)
      : await reader.extract(document.bytes, opts);
    // what the crawl filled from the listing title when the document did not say it
    if (extraction.output.ok) {
      if (extraction.output.agency === null) extraction.output.agency = row.agency;
      if (extraction.output.year === null) extraction.output.year = row.year;
    }
    loadReading(db, { document, extraction, ...(parts.length > 0 ? { parts } : {}) }, { documents: [document] }, reader);
    out.reextracted++;
  }
  return out;
}

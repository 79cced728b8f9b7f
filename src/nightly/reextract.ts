/**
 * Re-extraction without the network: every report read by another extractor version is read again
 * from the archived bytes of its document (src/archive), and loaded over the old reading.
 */
import type Database from 'better-sqlite3';
import { getBlob, hasBlob } from '../archive/index.ts';
import { extractBytes, extractPage, EXTRACTOR_VERSION } from '../extract/index.ts';
import { loadExtraction, type OgiDatabase } from '../load/index.ts';
import type { RunIssue } from './store.ts';

export interface ReextractResult {
  reextracted: number;
  issues: RunIssue[];
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

function staleReports(db: Database.Database): StaleRow[] {
  return db
    .prepare(
      `SELECT r.id AS reportId, d.sha256, d.url, d.source_path AS sourcePath, d.media_type AS mediaType, d.size, a.name AS agency, r.year
       FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id
       WHERE r.extractor_version <> ? ORDER BY r.id`,
    )
    .all(EXTRACTOR_VERSION) as StaleRow[];
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

export async function reextractStale(db: OgiDatabase, dataDir: string): Promise<ReextractResult> {
  const out: ReextractResult = { reextracted: 0, issues: [] };
  for (const row of staleReports(db.$client)) {
    if (!hasBlob(dataDir, row.sha256)) {
      // loaded from a local file (ogi load), not crawled: `ogi load` re-reads it
      if (row.url) out.issues.push({ site: null, code: 'reextract-not-archived', severity: 'warning', message: `document ${row.sha256.slice(0, 12)} is not in the archive`, url: row.url, reportId: row.reportId });
      continue;
    }
    const bytes = getBlob(dataDir, row.sha256);
    const file = row.url ?? row.sourcePath ?? row.sha256;
    const opts = { file, ...(row.url ? { url: row.url } : {}), ...(row.mediaType ? { mediaType: row.mediaType } : {}) };
    // a page whose tables were pictures is read again with the pictures its values came from
    const parts = partsOf(db.$client, row.reportId).filter((p) => hasBlob(dataDir, p.sha256));
    const e = parts.length > 0
      ? await extractPage(bytes, parts.map((p) => ({ url: p.url, bytes: getBlob(dataDir, p.sha256) })), opts)
      : await extractBytes(bytes, opts);
    // what the crawl filled from the listing title when the document did not say it
    if (e.output.ok) {
      if (e.output.agency === null) e.output.agency = row.agency;
      if (e.output.year === null) e.output.year = row.year;
    }
    loadExtraction(db, {
      extraction: e,
      document: { sha256: row.sha256, size: row.size, mediaType: row.mediaType, ...(row.url ? { url: row.url } : {}) },
      extractorVersion: EXTRACTOR_VERSION,
      ...(parts.length > 0 ? { parts } : {}),
    });
    out.reextracted++;
  }
  return out;
}

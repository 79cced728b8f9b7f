/**
 * Re-extraction without the network: every report read by another extractor version is read again
 * from the archived bytes of its document (src/archive), and loaded over the old reading.
 */
import type Database from 'better-sqlite3';
import { getBlob, hasBlob } from '../archive/index.ts';
import { extractBytes, EXTRACTOR_VERSION } from '../extract/index.ts';
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
    const e = await extractBytes(bytes, { file, ...(row.url ? { url: row.url } : {}), ...(row.mediaType ? { mediaType: row.mediaType } : {}) });
    // what the crawl filled from the listing title when the document did not say it
    if (e.output.ok) {
      if (e.output.agency === null) e.output.agency = row.agency;
      if (e.output.year === null) e.output.year = row.year;
    }
    loadExtraction(db, {
      extraction: e,
      document: { sha256: row.sha256, size: row.size, mediaType: row.mediaType, ...(row.url ? { url: row.url } : {}) },
      extractorVersion: EXTRACTOR_VERSION,
    });
    out.reextracted++;
  }
  return out;
}

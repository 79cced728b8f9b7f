/**
 * What became of one document (or one report's documents) taken through extract → check → load:
 * the one typed outcome that `ogi load`, the crawl, re-extraction and `ogi nightly` all read.
 */
import type { LoadStatus } from '../load/index.ts';

export interface IngestOutcome {
  /**
   * the load's verdict (new, new-version, re-extracted, unchanged, failed = extraction failed and
   * the failure is stored); 'error' = nothing was written (the file could not be read or loaded)
   */
  status: LoadStatus | 'error';
  reportId: number | null;
  /** the document the report was read from: its URL, or its path for a local file */
  source: string;
  mediaType: string | null;
  agency: string | null;
  year: number | null;
  /** 2019 | 2021 | 'unknown' (no report table was found); null when nothing was extracted now or before */
  template: string | null;
  /** why extraction or loading failed: "code: sentence" */
  error: string | null;
  checksPassed: number;
  checksFailed: number;
  /** whether these bytes were already loaded by this extractor version (nothing was extracted) */
  known: boolean;
}

/** Whether an outcome added or replaced data: what makes a new snapshot worth writing. */
export function changedData(o: IngestOutcome): boolean {
  return o.status === 'new' || o.status === 'new-version' || o.status === 're-extracted';
}

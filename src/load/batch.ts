/**
 * Loading a batch of files: read, hash, extract, load. Files are read and extracted several at
 * a time (extraction works in child processes) and loaded one at a time in input order, so a bad
 * file is a line in the summary and never stops the batch.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Extraction } from '../domain/report.ts';
import { CHILD_CONCURRENCY, mapOrdered } from '../util/ordered.ts';
import type { OgiDatabase } from './database.ts';
import { loadExtraction, touchLoadedDocument } from './load.ts';
import type { LoadStatus } from './load.ts';

export type Extractor = (bytes: Uint8Array, opts: { file: string }) => Promise<Extraction>;

export interface FileLoadResult {
  file: string;
  agency: string | null;
  year: number | null;
  /** 'error' when the file could not be read or loaded at all (nothing was written) */
  status: LoadStatus | 'error';
  reportId: number | null;
  /** why an extraction failed or a file could not be loaded: "code: sentence" */
  error: string | null;
}

export interface LoadFilesOptions {
  extract: Extractor;
  extractorVersion: string;
  onResult?: (result: FileLoadResult) => void;
}

export async function loadFiles(db: OgiDatabase, files: string[], opts: LoadFilesOptions): Promise<FileLoadResult[]> {
  const results: FileLoadResult[] = [];
  for await (const prepared of mapOrdered(files, CHILD_CONCURRENCY, (file) => prepareFile(db, file, opts))) {
    const result = 'extraction' in prepared ? loadPrepared(db, prepared, opts) : prepared;
    results.push(result);
    opts.onResult?.(result);
  }
  return results;
}

interface Prepared {
  file: string;
  bytes: Uint8Array;
  sha256: string;
  extraction: Extraction;
}

/** Reads, hashes and (unless this extractor version already read these bytes) extracts a file. */
async function prepareFile(db: OgiDatabase, file: string, opts: LoadFilesOptions): Promise<Prepared | FileLoadResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    return { file, agency: null, year: null, status: 'error', reportId: null, error: `read-error: ${(e as Error).message}` };
  }
  try {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // bytes this extractor version already read: nothing to extract, the stored report stands
    const known = touchLoadedDocument(db, sha256, { sourcePath: file });
    if (known?.extractorVersion === opts.extractorVersion) return { file, agency: known.agency, year: known.year, status: 'unchanged', reportId: known.reportId, error: known.error };
    return { file, bytes, sha256, extraction: await opts.extract(bytes, { file }) };
  } catch (e) {
    return { file, agency: null, year: null, status: 'error', reportId: null, error: `load-error: ${(e as Error).message}` };
  }
}

/** Writes one extraction (loadExtraction is idempotent: the same bytes twice in a batch load once). */
function loadPrepared(db: OgiDatabase, { file, bytes, sha256, extraction }: Prepared, opts: LoadFilesOptions): FileLoadResult {
  try {
    const { status, reportId } = loadExtraction(db, {
      extraction,
      document: { sha256, size: bytes.length, mediaType: extraction.mediaType, sourcePath: file },
      extractorVersion: opts.extractorVersion,
    });
    const { agency, year, error } = extraction.output;
    return { file, agency, year, status, reportId, error };
  } catch (e) {
    return { file, agency: null, year: null, status: 'error', reportId: null, error: `load-error: ${(e as Error).message}` };
  }
}

/**
 * Local files through ingest (`ogi load`): read, hash, extract, load. Files are read and extracted
 * several at a time (extraction works in child processes) and loaded one at a time in input order,
 * so a bad file is one outcome among the others and never stops the batch.
 */
import { readFile, stat } from 'node:fs/promises';
import { errorText } from '../domain/errors.ts';
import { checkFileSize } from '../extract/index.ts';
import type { OgiDatabase } from '../load/index.ts';
import { CHILD_CONCURRENCY, mapOrdered } from '../util/ordered.ts';
import { sourceDocument } from './document.ts';
import type { IngestOutcome } from './outcome.ts';
import { EXTRACTOR, loadReading, prepareReport, type Reader, type Reading, type ReportInput } from './report.ts';

export interface IngestFilesOptions {
  reader?: Reader;
  onResult?: (outcome: IngestOutcome) => void;
}

type Prepared = { outcome: IngestOutcome } | { reading: Reading; input: ReportInput };

export async function ingestFiles(db: OgiDatabase, files: string[], opts: IngestFilesOptions = {}): Promise<IngestOutcome[]> {
  const reader = opts.reader ?? EXTRACTOR;
  const outcomes: IngestOutcome[] = [];
  for await (const prepared of mapOrdered(files, CHILD_CONCURRENCY, (file) => prepareFile(db, file, reader))) {
    // loading is idempotent: the same bytes twice in a batch load once
    const outcome = 'outcome' in prepared ? prepared.outcome : loadReading(db, prepared.reading, prepared.input, reader);
    outcomes.push(outcome);
    opts.onResult?.(outcome);
  }
  return outcomes;
}

async function prepareFile(db: OgiDatabase, file: string, reader: Reader): Promise<Prepared> {
  let bytes: Uint8Array;
  try {
    // a file too large to read is refused before it is read (one document never ends a batch)
    checkFileSize((await stat(file)).size);
    bytes = await readFile(file);
  } catch (e) {
    const outcome: IngestOutcome = {
      status: 'error', reportId: null, source: file, mediaType: null, agency: null, year: null, template: null,
      error: errorText(e, 'read-error'), checksPassed: 0, checksFailed: 0, known: false,
    };
    return { outcome };
  }
  const input: ReportInput = { documents: [sourceDocument(bytes, { sourcePath: file })] };
  const prepared = await prepareReport(db, input, reader);
  return 'outcome' in prepared ? prepared : { reading: prepared.reading, input };
}

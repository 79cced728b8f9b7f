export { changedData, type IngestOutcome } from './outcome.ts';
export { sourceDocument, sourceOf, type SourceDocument } from './document.ts';
export { EXTRACTOR, ingestReport, MAX_PAGE_PICTURES, type Reader, type ReportHints, type ReportInput } from './report.ts';
export { ingestFiles, type IngestFilesOptions } from './files.ts';
export { reextractStale, type ReextractResult } from './reextract.ts';

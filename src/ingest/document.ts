/**
 * One source document as ingest receives it: bytes with their hash, media type and provenance.
 */
import { createHash } from 'node:crypto';
import { mediaTypeOf } from '../extract/index.ts';

export interface SourceDocument {
  bytes: Uint8Array;
  sha256: string;
  mediaType: string;
  /** where it was fetched from */
  url?: string;
  /** where it was read from on disk (ogi load) */
  sourcePath?: string;
}

/** A SourceDocument from bytes; the media type is read off the bytes, hints only break ties. */
export function sourceDocument(
  bytes: Uint8Array,
  from: { url?: string; sourcePath?: string; contentType?: string | null; sha256?: string },
): SourceDocument {
  return {
    bytes,
    sha256: from.sha256 ?? createHash('sha256').update(bytes).digest('hex'),
    mediaType: mediaTypeOf(bytes, { contentType: from.contentType ?? null, name: from.url ?? from.sourcePath ?? '' }),
    ...(from.url !== undefined ? { url: from.url } : {}),
    ...(from.sourcePath !== undefined ? { sourcePath: from.sourcePath } : {}),
  };
}

export function sourceOf(d: SourceDocument): string {
  return d.url ?? d.sourcePath ?? d.sha256;
}

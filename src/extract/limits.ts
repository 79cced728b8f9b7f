/**
 * How large a document ogi reads. Text and HTML are held in memory whole and parsed into trees and
 * rows several times their size, so they get a limit of their own; every other document has a file
 * limit (PDF, Office and OCR work runs in child processes with their own page and time limits).
 * Real reports are far below both: report pages are tens to hundreds of kilobytes of text.
 * The limits are set in megabytes by OGI_MAX_TEXT_MB and OGI_MAX_FILE_MB.
 */
import { ExtractError } from './errors.ts';

export interface SizeLimits {
  /** text and HTML, after inline data: URIs (embedded pictures) are set aside */
  maxTextBytes: number;
  /** any document */
  maxFileBytes: number;
}

const MB = 1024 * 1024;

function megabytes(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback * MB;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ExtractError('bad-limit', `${name}=${value} is not a positive number of megabytes`);
  return Math.round(n * MB);
}

export function sizeLimits(env: NodeJS.ProcessEnv = process.env): SizeLimits {
  return {
    maxTextBytes: megabytes(env.OGI_MAX_TEXT_MB, 16, 'OGI_MAX_TEXT_MB'),
    maxFileBytes: megabytes(env.OGI_MAX_FILE_MB, 512, 'OGI_MAX_FILE_MB'),
  };
}

const size = (bytes: number): string => (bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Refuses a document larger than the file limit, before it is read. */
export function checkFileSize(bytes: number, limits: SizeLimits = sizeLimits()): void {
  if (bytes > limits.maxFileBytes) {
    throw new ExtractError('too-large', `the document is ${size(bytes)}; documents over ${size(limits.maxFileBytes)} are not read (OGI_MAX_FILE_MB)`);
  }
}

/** Refuses text or HTML larger than the text limit. */
export function checkTextSize(kind: 'text' | 'HTML', bytes: number, limits: SizeLimits = sizeLimits()): void {
  if (bytes > limits.maxTextBytes) {
    throw new ExtractError('too-large', `the ${kind} document is ${size(bytes)}; ${kind} over ${size(limits.maxTextBytes)} is not read (OGI_MAX_TEXT_MB)`);
  }
}

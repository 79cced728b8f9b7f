/**
 * What kind of document a byte string is, decided by its content (magic bytes, ZIP entry names,
 * markup sniffing) and never by the file name: portals serve PDFs as .html, Word files as .pdf,
 * and attachments with no extension at all.
 */
import { zipEntries } from './readers/zip.ts';

export type DetectedType =
  | 'pdf'
  | 'ole2'
  | 'docx'
  | 'xlsx'
  | 'zip'
  | 'jpeg'
  | 'png'
  | 'gif'
  | 'bmp'
  | 'tiff'
  | 'html'
  | 'text'
  | 'empty'
  | 'binary';

const startsWith = (bytes: Uint8Array, magic: number[], at = 0): boolean =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

/** BMP's DIB header sizes; checking one keeps text that starts with "BM" from looking like a bitmap */
const BMP_DIB_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

export function detectType(bytes: Uint8Array, fileName?: string): DetectedType {
  if (bytes.length === 0) return 'empty';
  // PDF readers accept junk before the header, and some servers prepend a BOM or whitespace
  if (indexOf(bytes.subarray(0, 1024), ascii('%PDF-')) >= 0) return 'pdf';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole2';
  if (startsWith(bytes, ascii('PK\x03\x04')) || startsWith(bytes, ascii('PK\x05\x06'))) return zipKind(bytes);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'gif';
  if (startsWith(bytes, ascii('II*\0')) || startsWith(bytes, ascii('MM\0*'))) return 'tiff';
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 18) {
    const dib = bytes[14]! | (bytes[15]! << 8) | (bytes[16]! << 16) | (bytes[17]! << 24);
    if (BMP_DIB_SIZES.has(dib)) return 'bmp';
  }
  return sniffText(bytes, fileName);
}

function zipKind(bytes: Uint8Array): DetectedType {
  const names = zipEntries(bytes)?.map((e) => e.name) ?? localHeaderNames(bytes);
  if (names.includes('[Content_Types].xml') || names.some((n) => n.startsWith('word/') || n.startsWith('xl/'))) {
    if (names.some((n) => n.startsWith('word/'))) return 'docx';
    if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  }
  return 'zip';
}

/** Entry names from local headers, for a ZIP whose central directory is cut off (truncated download). */
function localHeaderNames(bytes: Uint8Array): string[] {
  const names: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  while (p + 30 <= bytes.length && view.getUint32(p, true) === 0x04034b50 && names.length < 64) {
    const compressed = view.getUint32(p + 18, true);
    const nameLength = view.getUint16(p + 26, true);
    const extraLength = view.getUint16(p + 28, true);
    names.push(new TextDecoder().decode(bytes.subarray(p + 30, p + 30 + nameLength)));
    const flags = view.getUint16(p + 6, true);
    const next = p + 30 + nameLength + extraLength;
    // sizes after the data (data descriptor): look for the next local header instead
    p = flags & 0x08 ? nextLocalHeader(bytes, next) : next + compressed;
  }
  return names;
}

function nextLocalHeader(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= bytes.length; i++) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x03 && bytes[i + 3] === 0x04) return i;
  }
  return bytes.length;
}

const HTML_MARKERS = /<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>|table[\s>]|div[\s>]|p[\s>]|br\s*\/?>|span[\s>]|script[\s>]|style[\s>]|!--)/i;

/** html, text or binary, from the first 8 KiB. */
function sniffText(bytes: Uint8Array, fileName?: string): DetectedType {
  const head = bytes.subarray(0, 8192);
  let text: string;
  if (startsWith(head, [0xff, 0xfe])) text = new TextDecoder('utf-16le').decode(head);
  else if (startsWith(head, [0xfe, 0xff])) text = new TextDecoder('utf-16be').decode(head);
  else {
    let control = 0;
    for (let i = 0; i < head.length; i++) {
      const b = head[i]!;
      if (b === 0) return 'binary';
      if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
    }
    if (control > head.length / 100 + 2) return 'binary';
    // latin1 keeps every byte as one char: enough to find ASCII markup in any ASCII-compatible encoding
    text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');
  }
  if (HTML_MARKERS.test(text)) return 'html';
  // a file called .html with some markup but none of the common tags is still HTML
  if (fileName && /\.x?html?$/i.test(fileName) && /<[a-z][a-z0-9]*[\s>]/i.test(text)) return 'html';
  return 'text';
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export const MEDIA_TYPES: Record<DetectedType, string> = {
  pdf: 'application/pdf',
  ole2: 'application/x-ole-storage',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  html: 'text/html',
  text: 'text/plain',
  empty: 'application/x-empty',
  binary: 'application/octet-stream',
};

/** media types whose bytes can hold a report's tables without OCR of a whole page */
const REPORT_DOCUMENT = /html|pdf|word|msword|officedocument|excel|text\/plain/;

/** Whether a document of this media type is read as a report (pictures are read only as parts of a page). */
export function isReportDocument(mediaType: string): boolean {
  return REPORT_DOCUMENT.test(mediaType);
}

/**
 * The media type of fetched or loaded bytes, decided by the bytes (detectType). What the server
 * said (Content-Type) and the name only decide what the bytes cannot: Word or Excel inside an OLE2
 * container or a ZIP whose entries cannot be read, and the type of plain text or unknown binary data.
 */
export function mediaTypeOf(bytes: Uint8Array, hints: { contentType?: string | null; name?: string } = {}): string {
  const type = detectType(bytes, hints.name);
  const said = `${hints.name ?? ''} ${hints.contentType ?? ''}`;
  switch (type) {
    case 'ole2':
      return /\.xls|excel/i.test(said) ? 'application/vnd.ms-excel' : 'application/msword';
    case 'zip':
      if (/\.xlsx|spreadsheet/i.test(said)) return MEDIA_TYPES.xlsx;
      if (/\.docx|wordprocessing/i.test(said)) return MEDIA_TYPES.docx;
      return MEDIA_TYPES.zip;
    case 'text':
    case 'binary':
    case 'empty': {
      const ct = hints.contentType?.split(';')[0]?.trim().toLowerCase();
      return ct && ct !== 'application/octet-stream' ? ct : MEDIA_TYPES[type];
    }
    default:
      return MEDIA_TYPES[type];
  }
}

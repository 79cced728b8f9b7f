/**
 * Just enough of the ZIP format to look inside OOXML files (DOCX/XLSX) before a library inflates them:
 * the entry names (for type detection) and a zip-bomb guard that checks declared sizes and then
 * inflates every entry with a hard output cap, because declared sizes can lie.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** offset of the entry's local header */
  offset: number;
}

export interface ZipLimits {
  /** most bytes all entries may inflate to together */
  maxTotal: number;
  /** most entries */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxTotal: 200 * 1024 * 1024, maxEntries: 10_000 };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The central directory's entries, or null when the bytes are not a readable ZIP. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // the end-of-central-directory record sits in the last 22 bytes plus at most a 64 KiB comment
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) return null;
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const uncompressedSize = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const offset = view.getUint32(p + 42, true);
    if (p + 46 + nameLength > bytes.length) return null;
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    entries.push({ name, method, compressedSize, uncompressedSize, offset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export interface ZipProblem {
  code: 'zip-bomb' | 'zip-corrupt';
  message: string;
}

/**
 * Why the archive must not be opened: 'zip-bomb' when it would inflate beyond the limits,
 * 'zip-corrupt' when it cannot be read; null when it is safe. Inflating is capped per entry at
 * its declared size, so a lying header cannot make this allocate more than `maxTotal`.
 */
export function zipProblem(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipProblem | null {
  const entries = zipEntries(bytes);
  if (!entries) return { code: 'zip-corrupt', message: 'the ZIP container (DOCX/XLSX) is truncated or damaged' };
  if (entries.length > limits.maxEntries) {
    return { code: 'zip-bomb', message: `the archive has ${entries.length} entries, more than the limit of ${limits.maxEntries}` };
  }
  const declared = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (declared > limits.maxTotal || entries.some((e) => e.uncompressedSize === 0xffffffff)) {
    return { code: 'zip-bomb', message: `the archive declares ${declared} bytes uncompressed, more than the limit of ${limits.maxTotal}` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of entries) {
    if (e.method !== 8) continue; // stored entries cannot grow
    const h = e.offset;
    if (h + 30 > bytes.length || view.getUint32(h, true) !== LOCAL) {
      return { code: 'zip-corrupt', message: `the ZIP entry ${e.name} has no local header` };
    }
    const start = h + 30 + view.getUint16(h + 26, true) + view.getUint16(h + 28, true);
    const data = bytes.subarray(start, Math.min(bytes.length, start + e.compressedSize));
    try {
      // maxOutputLength makes zlib stop (and throw) instead of allocating what a lying header hides
      inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize) });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        return { code: 'zip-bomb', message: `the ZIP entry ${e.name} inflates beyond its declared size of ${e.uncompressedSize} bytes` };
      }
      return { code: 'zip-corrupt', message: `the ZIP entry ${e.name} cannot be inflated (${(err as Error).message})` };
    }
  }
  return null;
}

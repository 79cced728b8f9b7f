// Turning bytes into text, for fetched pages and for documents read from files or the archive.
// Order (see notes/dependencies.md): charset from the Content-Type header → BOM → <meta charset> /
// <?xml encoding?> in the first bytes → strict UTF-8 check → chardet → GB18030. A declared charset
// that the bytes contradict is not believed: "UTF-8" that is not valid UTF-8, or a GB label on bytes
// that are valid UTF-8 with non-ASCII text (portals mislabel pages both ways). Every gbk/gb2312
// label is decoded as GB18030 (its superset): a GBK decoder garbles the 4-byte sequences real pages contain.
import chardet from 'chardet';
import iconv from 'iconv-lite';

export type CharsetSource = 'header' | 'bom' | 'meta' | 'utf8-valid' | 'detected' | 'fallback';

const hasNonAscii = (body: Uint8Array): boolean => body.some((b) => b > 0x7f);

const GB_FAMILY = new Set(['gbk', 'gb2312', 'gb_2312', 'gb_2312-80', 'x-gbk', 'cp936', 'windows-936', 'euc-cn', 'csgb2312', 'iso-ir-58', 'chinese', 'gb18030']);

/** Normalises a charset label to what iconv-lite should use, or null when it is unknown. */
export function normaliseCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (!l) return null;
  if (GB_FAMILY.has(l)) return 'gb18030';
  if (l === 'utf8') return 'utf-8';
  return iconv.encodingExists(l) ? l : null;
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = contentType?.match(/charset\s*=\s*("?)([^";,\s]+)\1/i);
  return normaliseCharset(m?.[2]);
}

function charsetFromBom(body: Uint8Array): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0x84 && body[1] === 0x31 && body[2] === 0x95 && body[3] === 0x33) return 'gb18030';
  return null;
}

// <meta charset=x>, <meta http-equiv=Content-Type content="...; charset=x">, <?xml ... encoding="x"?>
function charsetFromMarkup(body: Uint8Array): string | null {
  const head = Buffer.from(body.subarray(0, 4096)).toString('latin1');
  const m =
    head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i) ?? head.match(/<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i);
  return normaliseCharset(m?.[1]);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** bodies already checked, with their text: detection and decoding need not decode twice */
const utf8Seen = new WeakMap<Uint8Array, string | null>();

function asUtf8(body: Uint8Array): string | null {
  let text = utf8Seen.get(body);
  if (text === undefined) {
    try {
      text = strictUtf8.decode(body);
    } catch {
      text = null;
    }
    utf8Seen.set(body, text);
  }
  return text;
}

const isValidUtf8 = (body: Uint8Array): boolean => asUtf8(body) !== null;

// chardet is unreliable on short inputs and on anything outside the scripts we expect; for Chinese
// government pages the realistic alternatives to UTF-8 are the GB family and Big5.
const TRUSTED_DETECTIONS = new Map([
  ['gb18030', 'gb18030'],
  ['big5', 'big5'],
  ['utf-16le', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
]);

/** A declared charset, unless the bytes contradict it. */
function believable(charset: string | null, body: Uint8Array): boolean {
  if (!charset) return false;
  if (charset === 'utf-8') return isValidUtf8(body);
  if (charset.startsWith('utf-16')) return true;
  return !(hasNonAscii(body) && isValidUtf8(body));
}

export function detectCharset(body: Uint8Array, contentType: string | null): { charset: string; source: CharsetSource } {
  const fromBom = charsetFromBom(body);
  if (fromBom) return { charset: fromBom, source: 'bom' };
  const fromHeader = charsetFromContentType(contentType);
  if (believable(fromHeader, body)) return { charset: fromHeader!, source: 'header' };
  const fromMarkup = charsetFromMarkup(body);
  if (believable(fromMarkup, body)) return { charset: fromMarkup!, source: 'meta' };
  if (isValidUtf8(body)) return { charset: 'utf-8', source: 'utf8-valid' };
  const detected = TRUSTED_DETECTIONS.get((chardet.detect(body) ?? '').toLowerCase());
  if (detected) return { charset: detected, source: 'detected' };
  return { charset: 'gb18030', source: 'fallback' };
}

export function decodeBody(body: Uint8Array, contentType: string | null = null): string {
  const { charset } = detectCharset(body, contentType);
  if (charset === 'utf-8') {
    const text = asUtf8(body);
    if (text !== null) return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  // iconv strips a BOM matching the charset; TextDecoder-equivalent behaviour for the rest.
  return iconv.decode(Buffer.from(body), charset);
}

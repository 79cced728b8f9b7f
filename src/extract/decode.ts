/**
 * Bytes → text for documents read from files or the archive: BOM, then a declared charset
 * (<meta charset>, <meta http-equiv>, <?xml encoding?>), then strict UTF-8, then detection.
 * GBK and GB2312 labels are decoded as GB18030, their superset.
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

const GB = new Set(['gbk', 'gb2312', 'gb_2312', 'gb_2312-80', 'x-gbk', 'cp936', 'windows-936', 'gb18030', 'euc-cn']);

export function canonicalCharset(label: string): string {
  const l = label.trim().toLowerCase();
  if (GB.has(l)) return 'gb18030';
  if (l === 'utf8') return 'utf-8';
  return l;
}

function declaredCharset(head: string): string | null {
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w-]+)/i.exec(head);
  return m ? canonicalCharset(m[1]!) : null;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The text if the bytes are valid UTF-8, else null. */
function asUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export function decodeText(bytes: Uint8Array, headerCharset?: string | null): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf-16be');
  const declared = (headerCharset ? canonicalCharset(headerCharset) : null) ?? declaredCharset(buf.subarray(0, 4096).toString('latin1'));
  // a declared charset is believed unless the bytes contradict it (UTF-8 declared, not valid UTF-8)
  if (declared && declared !== 'utf-8' && iconv.encodingExists(declared)) {
    // a page that declares GBK but is valid UTF-8 with non-ASCII text was mislabelled
    if (/[^\x00-\x7f]/.test(buf.toString('latin1'))) {
      const utf8 = asUtf8(buf);
      if (utf8 !== null) return utf8;
    }
    return iconv.decode(buf, declared);
  }
  const utf8 = asUtf8(buf);
  if (utf8 !== null) return utf8;
  // undeclared (or declared UTF-8) and not UTF-8: Chinese government text is GB18030 unless a detector is sure of Big5
  const guess = chardet.detect(buf);
  return iconv.decode(buf, guess && canonicalCharset(guess) === 'big5' ? 'big5' : 'gb18030');
}

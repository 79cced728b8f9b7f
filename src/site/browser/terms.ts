/**
 * The search index's terms, shared by the site build (which indexes) and the browser (which
 * looks up): character bigrams of the text with white space removed and Latin letters lowered.
 * Chinese has no spaces between words, so a bigram index finds any substring of two or more
 * characters; a hit is confirmed against the report's text before it is shown.
 */

export const SEARCH_SHARDS = 64;

export function normalise(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

export function bigrams(text: string): Set<string> {
  const chars = [...normalise(text)];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return out;
}

/** which shard file holds a term (FNV-1a over its UTF-16 code units) */
export function shardOf(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % SEARCH_SHARDS;
}

/** posting lists are stored as gaps between ascending report ids (smaller files) */
export function encodeGaps(ids: number[]): number[] {
  return ids.map((id, i) => (i === 0 ? id : id - ids[i - 1]!));
}

export function decodeGaps(gaps: number[]): number[] {
  let id = 0;
  return gaps.map((g) => (id += g));
}

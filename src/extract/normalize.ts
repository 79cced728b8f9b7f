/**
 * Normalisation of label text and numeric cells. Labels vary in the wild (full/half-width
 * brackets, curly/straight quotes, spaces and line breaks inside words); numbers come with
 * full-width digits, thousands separators, units, and dashes that mean zero.
 */

const FOLD_DROP = /[\s\u00a0\u3000\u200b\ufeff"'“”‘’「」『』〝〞]+/g;
const FOLD_BRACKET = /[﹝〔【［﹞〕】］]/g;
const bracket = (c: string): string => ('﹝〔【［'.includes(c) ? '(' : ')');

/** Longest text whose answers are remembered: labels and cells repeat, prose seldom does. */
const MEMO_TEXT = 120;
/** Texts remembered per function before the memory starts afresh. */
const MEMO_SIZE = 8192;

/**
 * A pure function of a short text, remembered: the same labels and cells come back in every
 * document, and the Unicode normalisation and regular expressions behind each answer are the
 * extractor's most repeated work. Its answers are strings, booleans or undefined (nothing a caller
 * could change).
 */
export function remembered<T extends string | boolean | undefined>(fn: (text: string) => T): (text: string) => T {
  let seen = new Map<string, T>();
  return (text) => {
    if (text.length > MEMO_TEXT) return fn(text);
    const known = seen.get(text);
    if (known !== undefined || seen.has(text)) return known as T;
    const answer = fn(text);
    if (seen.size >= MEMO_SIZE) seen = new Map();
    seen.set(text, answer);
    return answer;
  };
}

/** Folds a label to a canonical form for substring matching: NFKC, no whitespace, no quotes. */
export const normLabel = remembered((text: string): string => text.normalize('NFKC').replace(FOLD_DROP, '').replace(FOLD_BRACKET, bracket));

/** A row label's own start: "4." / "4、" / "（五）" / "三、" — never the continuation of another label. */
export const startsNumberedLabel = (text: string): boolean => /^\s*(?:\d{1,2}\s*[.．、](?!\d)|[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)/.test(text);

export type NumberKind = 'number' | 'blank' | 'dash' | 'none' | 'na';

export interface ParsedNumber {
  value: number | null;
  kind: NumberKind;
  /** unit printed in the cell, if any */
  unit?: '元' | '万元';
}

const DASH = /^[-‐‑‒–—―−－─━_]{1,3}$/;
const UNIT = /(万元|元|件|个|条|项|次|人次)$/;
const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/;

/** Reads one cell as a count. Returns null when the cell is not a number at all. */
const PLAIN_INTEGER = /^\d{1,15}$/;

export function parseNumber(text: string): ParsedNumber | null {
  // most cells are plain integers: skip the normalisation work for them
  if (PLAIN_INTEGER.test(text)) return { value: Number(text), kind: 'number' };
  let s = text.normalize('NFKC').replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, '');
  if (s === '') return { value: null, kind: 'blank' };
  if (DASH.test(s)) return { value: 0, kind: 'dash' };
  if (s === '无') return { value: 0, kind: 'none' };
  if (s === '/' || s === '\\' || s === '不适用' || s === '/元') return { value: null, kind: 'na' };
  s = s.replace(/^[−－–—]/, '-').replace(/，/g, ',');
  let unit: ParsedNumber['unit'];
  const u = UNIT.exec(s);
  if (u) {
    if (u[1] === '元' || u[1] === '万元') unit = u[1];
    s = s.slice(0, -u[1]!.length);
  }
  if (!NUMBER.test(s)) return null;
  const value = Number(s.replace(/,/g, ''));
  if (!Number.isFinite(value)) return null;
  return unit ? { value, kind: 'number', unit } : { value, kind: 'number' };
}

/** Page furniture that PDF converters leave inside tables: "- 5 -", "— 5 —", "第 5 页", "5/12". */
export function isPageFurniture(text: string): boolean {
  // (a run of ASCII digits, the most common cell, is none of these)
  if (text.length > 24 || DIGITS.test(text)) return false;
  const s = text.normalize('NFKC').replace(/\s+/g, '');
  return /^[-‐‑‒–—―−－─]{1,2}\d{1,3}[-‐‑‒–—―−－─]{1,2}$/.test(s) || /^第\d{1,3}页(共\d{1,3}页)?$/.test(s) || /^\d{1,3}\/\d{1,3}$/.test(s);
}

const DIGITS = /^\d+$/;

/**
 * A placeholder column header that converters print over a table they could not read the header
 * of ("数据1 … 数据7", "列8"): a name whose digits are part of it, never a label with a number.
 */
export function isPlaceholderHeader(text: string): boolean {
  // ASCII text is its own NFKC form and holds neither 数 nor 列
  return !ASCII.test(text) && /^(数据|列)\d{1,2}$/.test(text.normalize('NFKC').replace(/[\s\u00a0\u3000]+/g, ''));
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Report text as it is stored for reading and full-text search. Text taken from a PDF keeps the
 * page's line breaks, often inside a word (`信息处理费管理办\n法`), so a phrase wrapped at the
 * margin could never be found. Chinese has no spaces between words: a line break between two
 * Chinese characters is layout, not a word break, and is removed. Breaks elsewhere stay (after a
 * sentence's end, after a line shorter than the page's width, around numbers and Latin words,
 * headings, table rows). Page footers
 * (`— 4 —`, `- 4 -`, `第 4 页`, `第 4 页 共 6 页`, `4 / 6`) and navigation lines
 * (`当前位置：首页 > …`) are no part of the report's body and are dropped.
 */

const IDEOGRAPH = /\p{Script=Han}/u;
/** punctuation that can open a phrase: a line may end with it in the middle of a sentence */
const OPENING = new Set([...'《（“‘「『【〔〈']);
/** full-width punctuation that never begins a word: a line starting with it continues the previous one */
const CONTINUING = new Set([...'》）”’」』】〕〉，、。；：！？…—·']);

const FOOTER = [
  /^[-—–－─]+\s*\d{1,4}\s*[-—–－─]+$/, // — 4 —, - 4 - (a bare number may be a table value: kept)
  /^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$/, // 第 4 页, 第 4 页 共 6 页
  /^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$/,
  /^\d{1,4}\s*\/\s*\d{1,4}$/, // 4 / 6
  /^[-—–－]?\s*[Pp]age\s*\d{1,4}(\s*of\s*\d{1,4})?\s*[-—–－]?$/,
];

/** breadcrumbs and page chrome of portal pages */
const NAVIGATION = [
  /^(当前位置|您的位置|您现在的位置|所在位置|当前的位置)\s*[:：]/,
  /^首页\s*(>|＞|»|›|\/|→)/,
  /^(打印本页|关闭窗口|打印|关闭|返回顶部|【打印】|【关闭】|分享到[:：]?)(\s+(打印本页|关闭窗口|打印|关闭|返回顶部|【打印】|【关闭】))*$/,
];

/** a numbered heading (一、… / （一）… / 第二十条…) short enough not to be a wrapped paragraph */
const HEADING = /^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十百]+条)/;
const HEADING_MAX = 24;

function isDropped(line: string): boolean {
  const t = line.trim();
  if (t === '') return false;
  return FOOTER.some((re) => re.test(t)) || NAVIGATION.some((re) => re.test(t));
}

/** a row of a table as readers write it: several tab-separated cells, or cells ending in a number
 *  (a tab inside a line of prose is a gap the PDF left around a number, and does not count) */
function isTableRow(line: string): boolean {
  const cells = line.trim().split('\t');
  return cells.length >= 4 || (cells.length >= 2 && /^[\d.,%-]+$/.test(cells.at(-1)?.trim() ?? ''));
}

/** a wrapped line fills (nearly) the width of the page; the typical width is taken from the text */
const FULL_LINE = 0.75;

function typicalWidth(lines: string[]): number {
  const widths = lines.filter((l) => !isTableRow(l)).map((l) => [...l.trim()].length).filter((n) => n > 0).sort((a, b) => a - b);
  return widths[Math.floor(widths.length * 0.9)] ?? 0;
}

function isHeading(line: string): boolean {
  const t = line.trim();
  return t.length <= HEADING_MAX && HEADING.test(t);
}

/** true when the break between these two lines is layout inside a sentence of Chinese text */
function joins(prev: string, next: string, width: number): boolean {
  // a short line (a title, the end of a paragraph) ends where it ends
  if ([...prev.trim()].length < width * FULL_LINE) return false;
  const last = [...prev.trimEnd()].at(-1);
  const first = [...next.trimStart()][0];
  if (last === undefined || first === undefined) return false;
  if (!(IDEOGRAPH.test(last) || OPENING.has(last))) return false;
  if (!(IDEOGRAPH.test(first) || CONTINUING.has(first))) return false;
  return !isTableRow(prev) && !isTableRow(next) && !isHeading(prev);
}

/** the text with footers and navigation lines dropped and line breaks inside Chinese words joined */
export function searchableText(text: string): string {
  const lines = text.split(/\r\n|\r|\n/).filter((l) => !isDropped(l));
  const width = typicalWidth(lines);
  const out: string[] = [];
  let prev: string | undefined; // the last source line, whose width decides whether it was wrapped
  for (const line of lines) {
    if (prev !== undefined && prev.trim() !== '' && joins(prev, line, width)) out[out.length - 1] = (out.at(-1) ?? '').trimEnd() + line.trimStart();
    else out.push(line);
    prev = line;
  }
  return out.join('\n');
}

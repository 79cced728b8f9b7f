/**
 * TRS WCM static columns (platform `trs`): central ministries, Beijing, Chongqing, Hubei, Hunan…
 * (shared/evidence/other-provinces/PLATFORMS.md §2.2, §2.7, §2.10, §3).
 *
 * A column is a static page (`…/<slug>/`, `index.html`, `.shtml`, `.htm`, or a named page such as
 * CSRC's `common_zfxxgknb.shtml`) whose rows link TRS documents `./YYYYMM/tYYYYMMDD_<docid>.html`,
 * resolved against the column page. Rows are anchors, or written by an inline script (Wuhan:
 * `var url = "./202602/t…shtml"` … `document.writeln(…)`). Further pages are named by the page's
 * pager script, in two numberings:
 *   - classic WCM, 0-based: `createPageHTML(<count>, <current>, "index", "html")` / `createPage(…)`
 *     (Chongqing) / `var countPage = N` (退役军人部): page N is `index_{N-1}.html`;
 *   - six arguments, 1-based: `createPageHTML('page_div', <count>, <current>, '<prefix>', '<ext>', <records>)`
 *     (CSRC `fg_2.shtml`, Kunshan `common_list_2.shtml`): page N is `<prefix>_N.<ext>`;
 *   - and `totalPage: N` (jQuery pagination, Shanghai): page N is `index_N.html`.
 * A list whose script slices rows already on page 1 (Beijing `$('.default_news li')`) has no further
 * pages, and none are requested. Pages are read one after another and the loop stops at the
 * announced count, at a page that adds no new document, or at a 404.
 *
 * A column page may list sub-columns: years (`<YYYY>n/`, `gknb<YYYY>/`, `<YYYY>nb/`) and organ types
 * (`bm/`, `bmnb/`, `sbj/`, `xzjd/`). Every link to a directory below the column is read as a
 * sub-column, to a bounded depth. Many 街镇 column pages are ~160-byte JS/meta redirect shells: their
 * `location.replace` target is read instead. `/gate/big5/` duplicates (Beijing) and `_wap` twins
 * (Chongqing) are not separate documents; commented-out duplicate rows (`<!-- -->`) are stripped
 * first. A start that is a portal page, not a column, is a discovery page: its links named
 * 政府信息公开年报 (or a page whose `<meta name="ColumnName">` names the annual reports) lead to the
 * column. Decoding (UTF-8, then GB18030) is the fetch layer's (src/util/charset.ts).
 */
import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';
import { OgiError } from '../../../src/domain/errors.ts';
import type { Site } from '../../../src/crawl/registry.ts';
import { parseDate, resolveLink, type CrawlContext } from '../../../src/crawl/context.ts';
import type { Step } from '../../../src/crawl/step.ts';
import type { Adapter } from '../../../src/crawl/adapters/types.ts';
import { parseLinks, type ListItem } from '../../../src/crawl/adapters/links.ts';
import { normaliseTitle, recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';
import { sameGovernment } from '../../../src/crawl/fetch/hosts.ts';
import { removedDocumentTarget } from '../../../src/crawl/fetch/stubs.ts';

/** How a column names its pages. */
export interface Paging {
  /** zero: page N is `<prefix>_{N-1}.<ext>` (classic WCM); one: page N is `<prefix>_N.<ext>` */
  numbering: 'zero' | 'one';
  /** pages the column announces */
  count: number;
  prefix: string;
  ext: string;
  /** what the count was read from, for warnings */
  source: string;
}

// a TRS document: ./YYYYMM/tYYYYMMDD_<docid>.html (or ./tYYYYMMDD_<docid>.shtml, .htm; _wap twins in Chongqing)
const TDOC = /(?:^|\/)t(\d{8})_(\d+)(_wap)?\.s?html?$/i;
// other article shapes of TRS-built columns: CSRC /csrc/c106256/c<id>/content.shtml (central-ministries-annual-report-crawlers.md §8);
// Shanghai 人社局 /txxgknb_17198/20200617/t0035_1372757.html (misc-url-shapes-pages.md)
const CONTENT_DOC = /\/content(?:_[\w]+)?\.s?html?$|(?:^|\/)t\d{4}_\d+\.s?html?$/i;
const BIG5 = /^\/gate\/big5\//i;
const REDIRECT_SHELL_MAX = 1024;
const MAX_PAGES = 50;
const DEFAULT_SUB_DEPTH = 3;
const MAX_SUBCOLUMNS = 60;

/** The page without HTML comments: listings carry commented-out duplicate rows (PLATFORMS.md §2.8, cms-dialects §shanghai.py). */
export function stripComments(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/g, '');
}

/** Inline scripts of a page, with whole-line `//` comments removed (a template's `//createPageHTML(9, 0, …)` is not its pager). */
function scripts(html: string): string {
  return [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => (m[1] ?? '').replace(/^\s*\/\/.*$/gm, ''))
    .join('\n');
}

/** The directory of a page URL (`…/gknb/` for `…/gknb/index.html` and `…/gknb/`). */
export function columnDir(url: string): string {
  const u = new URL(url);
  return u.pathname.replace(/[^/]*$/, '');
}

/** The prefix and extension of a column's first page: `index`/`html` for a directory URL. */
function firstPageName(url: string): { prefix: string; ext: string } {
  const file = /\/([^/]+)\.(s?html?)$/i.exec(new URL(url).pathname);
  return file ? { prefix: file[1] ?? 'index', ext: (file[2] ?? 'html').toLowerCase() } : { prefix: 'index', ext: 'html' };
}

/**
 * The paging a column page states, or null when it has no further pages: the pager call of its
 * scripts in the order PLATFORMS.md §2.2 gives (six-argument createPageHTML, classic
 * createPageHTML/createPage, countPage, totalPage). A list whose script slices the rows already on
 * the page (Beijing: `var $list = $('.default_news li')`, cms-dialects §beijing.py) has none.
 */
export function parsePaging(html: string, pageUrl: string): Paging | null {
  const js = scripts(stripComments(html));
  if (/var\s+\$\w*\s*=\s*\$\(\s*['"][^'"]*\bli['"]\s*\)/.test(js)) return null;
  const first = firstPageName(pageUrl);
  const q = `["']([\\w-]+)["']`;
  // createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89): 1-based
  const six = new RegExp(`createPageHTML\\(\\s*["'][\\w-]*["']\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*${q}\\s*,\\s*${q}`).exec(js);
  if (six) return paging('one', Number(six[1]), six[3] ?? first.prefix, six[4] ?? first.ext, 'createPageHTML (six arguments)');
  // createPageHTML(25, 0, "index", "shtml") / createPage(34, 0, "index", "html"): 0-based
  const classic = new RegExp(`createPage(?:HTML)?\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*${q}\\s*,\\s*${q}`).exec(js);
  if (classic) return paging('zero', Number(classic[1]), classic[3] ?? first.prefix, classic[4] ?? first.ext, 'createPageHTML');
  // createPageHTML(<records>, <pages>, <current>, …): the second number is the page count (cms-dialects §beijing.py); 0-based assumed
  const three = /createPage(?:HTML)?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)(?:\s*,\s*["']([\w-]+)["']\s*,\s*["']([\w-]+)["'])?/.exec(js);
  if (three) return paging('zero', Number(three[2]), three[4] ?? first.prefix, three[5] ?? first.ext, 'createPageHTML (records, pages, current)');
  // createPageHTML(9) alone: the count (a budget crawler's regex, sichuan-hubei-shandong-jiangsu.md); 0-based
  const lone = /createPage(?:HTML)?\(\s*(\d+)\s*[,)]/.exec(js);
  if (lone) return paging('zero', Number(lone[1]), first.prefix, first.ext, 'createPageHTML');
  // var countPage = 17;//共多少页 (退役军人部 年报, central-ministries-annual-report-crawlers.md §1, §9)
  const count = /\bcountPage\s*=\s*(\d+)/.exec(js);
  if (count) {
    // the template names its pages: "index"+"_" + i + "."+"html"
    const named = /["']([\w-]+)["']\s*\+\s*["']_["']\s*\+\s*\w+\s*\+\s*["']\.["']\s*\+\s*["'](s?html?)\\?["']/.exec(js);
    return paging('zero', Number(count[1]), named?.[1] ?? first.prefix, named?.[2] ?? first.ext, 'countPage');
  }
  // $(".pagination").pagination({ totalPage: N }): index_N.html for N ≥ 2 (cms-dialects §shanghai.py)
  const total = /\btotalPage\s*:\s*(\d+)/.exec(js);
  if (total) return paging('one', Number(total[1]), first.prefix, first.ext, 'totalPage');
  return null;
}

function paging(numbering: Paging['numbering'], count: number, prefix: string, ext: string, source: string): Paging | null {
  return count > 1 ? { numbering, count, prefix, ext: ext.toLowerCase(), source } : null;
}

/** The URL of page `n` (1-based) of a column whose first page is `column`. */
export function pageUrl(column: string, p: Paging, n: number): string {
  if (n <= 1) return column;
  const k = p.numbering === 'zero' ? n - 1 : n;
  return new URL(`${columnDir(column)}${p.prefix}_${k}.${p.ext}`, column).href;
}

/** A document URL without its `/gate/big5/<host>` proxy prefix or `_wap` twin suffix; null for a big5 duplicate. */
function canonical(url: string): string | null {
  const u = new URL(url);
  if (BIG5.test(u.pathname)) return null;
  const wap = TDOC.exec(u.pathname);
  if (wap?.[3]) u.pathname = u.pathname.replace(/_wap(\.s?html?)$/i, '$1');
  return u.href;
}

/** Whether a URL is a document of a TRS column (t-date or content page). */
export function isDocument(url: string): boolean {
  const p = new URL(url).pathname;
  return TDOC.test(p) || CONTENT_DOC.test(p);
}

const SCRIPT_DOC = /["']((?:\.{1,2}\/|\/|https?:\/\/)?[\w./:-]*?t\d{8}_\d+(?:_wap)?\.s?html?)["']/gi;

/**
 * Rows an inline script writes (Wuhan, cms-dialects §wuhan.py: `var url = "./202602/t20260214_2730572.shtml"`,
 * `var title = "…"`, `document.writeln("2026-02-14 17:32")`): each document literal with the longest
 * `title = "…"` and the first date that follow it, up to the next document.
 */
export function scriptRows(html: string, pageUrl: string): ListItem[] {
  const js = scripts(stripComments(html));
  const hits = [...js.matchAll(SCRIPT_DOC)];
  const out: ListItem[] = [];
  hits.forEach((m, i) => {
    const url = resolveLink(pageUrl, m[1]);
    if (!url) return;
    const seg = js.slice((m.index ?? 0) + m[0].length, hits[i + 1]?.index ?? js.length);
    // title = "…" literals, not the markup a writeln builds from them (title='"+title+"')
    const titles = [...seg.matchAll(/\btitle\s*=\s*(["'])((?:(?!\1).)+)\1/g)].map((t) => t[2] ?? '').filter((t) => !/["']\s*\+|\+\s*["']/.test(t)).map(normaliseTitle);
    const title = titles.sort((a, b) => b.length - a.length)[0] ?? '';
    out.push({ url, title, date: parseDate(/(?:19|20)\d{2}-\d{1,2}-\d{1,2}/.exec(seg)?.[0]) });
  });
  return out;
}

/**
 * Rows of a column page: its anchors (comments stripped; a `<base href>` honoured) and the rows its
 * scripts write, big5 duplicates left out and `_wap` twins folded into their document.
 */
export function parseRows(html: string, pageUrl: string): ListItem[] {
  const clean = stripComments(html);
  const base = resolveLink(pageUrl, /<base\s[^>]*href\s*=\s*["']([^"']+)["']/i.exec(clean)?.[1]) ?? pageUrl;
  const out = new Map<string, ListItem>();
  for (const l of [...parseLinks(clean, base), ...scriptRows(clean, base)]) {
    const url = canonical(l.url);
    if (!url) continue;
    const had = out.get(url);
    // the same document linked twice (a picture and its title): keep the longer title
    if (!had || l.title.length > had.title.length) out.set(url, { ...l, url, date: l.date ?? had?.date ?? dateOfDocument(url) });
  }
  return [...out.values()];
}

/**
 * The date a TRS document URL carries (t20250310_97791 → 2025-03-10): the date of a row printed
 * apart from its link (Pingtan's next `<dd>`: fujian-trs-fjdzapp.md; PLATFORMS.md §2.2 "or from the tYYYYMMDD").
 */
export function dateOfDocument(url: string): string | null {
  const d = TDOC.exec(new URL(url).pathname)?.[1];
  return d ? parseDate(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`) : null;
}

/** A short key of a document (its docid when it has one): what a page loop remembers of the pages read. */
export function documentKey(url: string): string {
  const u = new URL(url);
  const t = TDOC.exec(u.pathname);
  return t ? `${u.hostname}#${t[2]}` : createHash('sha1').update(u.href).digest('hex').slice(0, 12);
}

/**
 * The target of a JS/meta redirect shell (Beijing 街镇 column pages, ~160 bytes: antibot-other-sources.md §8,
 * "读 `location.replace` 目标"), or null when the page is not one.
 */
export function redirectTarget(html: string, pageUrl: string): string | null {
  if (Buffer.byteLength(html, 'utf8') > REDIRECT_SHELL_MAX) return null;
  const m =
    /location\.replace\(\s*["']([^"']+)["']/i.exec(html) ??
    /location(?:\.href)?\s*=\s*["']([^"']+)["']/i.exec(html) ??
    /<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]+content\s*=\s*["']?\s*\d+\s*;\s*url\s*=\s*([^"'>\s]+)/i.exec(html);
  return m ? resolveLink(pageUrl, m[1]) : null;
}

function sameSite(here: string, there: string): boolean {
  return here === there || sameGovernment(here, there);
}

/**
 * Sub-columns a column page lists: links to a directory just below the column's own (a year
 * `2023n/`, `gknb2023/`, `2023nb/`, an organ type `bm/`, `bmnb/`, `sbj/`, `xzjd/`, a department
 * `bmnb/zsssthjj/`: PLATFORMS.md §3, misc-url-shapes-pages.md), or to its index page; not month
 * folders of documents, not pages of the column itself.
 */
export function subColumns(html: string, pageUrl: string): ListItem[] {
  const here = new URL(pageUrl);
  const dir = columnDir(pageUrl);
  const out = new Map<string, ListItem>();
  // a page at the root of its host is a portal page: its folders are sections, not sub-columns
  if (dir === '/') return [];
  for (const l of parseLinks(stripComments(html), pageUrl)) {
    const u = new URL(l.url);
    if (u.hostname !== here.hostname || BIG5.test(u.pathname) || !u.pathname.startsWith(dir)) continue;
    const rest = u.pathname.slice(dir.length);
    const m = /^([^/]+)\/(?:index\.s?html?)?$/i.exec(rest);
    if (!m || /^\d{6}$/.test(m[1] ?? '')) continue;
    const key = `${dir}${m[1]}/`;
    if (!out.has(key)) out.set(key, { ...l, url: new URL(u.pathname.endsWith('/') ? key : u.pathname, pageUrl).href });
  }
  return [...out.values()].slice(0, MAX_SUBCOLUMNS);
}

// names of an annual-report column (PLATFORMS.md §3: 政府信息公开年报 / 信息公开年度报告 / 公开年报 / 政府信息公开工作年度报告)
const ANNUAL_COLUMN = /政府信息公开(?:工作)?(?:年度)?(?:年报|报告)|信息公开(?:工作)?年度报告|公开年报|信息公开年报/;
const DISCLOSURE = /政府信息公开|信息公开|政务公开/;

/** The page's `<meta name="ColumnName|ColumnType">` (TRS pages carry 政府信息公开年报 there: PLATFORMS.md §3). */
export function columnName(html: string): string | null {
  const $ = cheerio.load(html);
  return $('meta[name="ColumnName"]').attr('content')?.trim() || $('meta[name="ColumnType"]').attr('content')?.trim() || null;
}

/** Links of a portal page to annual-report columns, by their text (not report titles, not documents). */
export function annualColumnLinks(html: string, pageUrl: string): ListItem[] {
  const host = new URL(pageUrl).hostname;
  return parseLinks(stripComments(html), pageUrl).filter(
    (l) => ANNUAL_COLUMN.test(l.title) && l.title.length <= 20 && !recogniseReportTitle(l.title) && !isDocument(l.url) && sameSite(host, new URL(l.url).hostname) && canonical(l.url) !== null,
  );
}

function disclosureLinks(html: string, pageUrl: string): ListItem[] {
  const host = new URL(pageUrl).hostname;
  return parseLinks(stripComments(html), pageUrl).filter((l) => DISCLOSURE.test(l.title) && l.title.length <= 16 && !isDocument(l.url) && sameSite(host, new URL(l.url).hostname) && canonical(l.url) !== null);
}

/** Where a column sits below the start column it was reached from. */
interface Tree {
  root: string;
  depth: number;
}

/** A column page loop, carried from page to page in the step meta (plain JSON). */
export interface Pager {
  column: string;
  paging: Paging;
  /** 1-based number of the page this step reads */
  page: number;
  /** document keys read so far */
  seen: string[];
}

function columnStep(url: string, tree?: Tree): Step {
  return { url, kind: 'listing', meta: { step: 'column', head: true, tree: tree ?? { root: url, depth: 0 } } };
}

function pageStep(p: Pager): Step {
  return { url: pageUrl(p.column, p.paging, p.page), kind: 'listing', meta: { step: 'page', column: p.column, pager: p as unknown as Record<string, unknown> } };
}

/** Report links among the rows, recognised by title; the documents' keys. */
function emitRows(ctx: CrawlContext, rows: ListItem[], foundOn: string): string[] {
  const keys: string[] = [];
  for (const row of rows) {
    const r = recogniseReportTitle(row.title);
    if (r) ctx.emitReport({ url: row.url, title: r.title, year: r.year, agency: r.agency, listedDate: row.date, foundOn });
    if (r || isDocument(row.url)) keys.push(documentKey(row.url));
  }
  return keys;
}

function isNotFound(e: unknown): boolean {
  return (e as { status?: number }).status === 404 || (e as { code?: string }).code === 'http-404';
}

async function runColumn(step: Step, ctx: CrawlContext): Promise<void> {
  const tree = (step.meta.tree as Tree | undefined) ?? { root: step.url, depth: 0 };
  const res = await ctx.fetch({ url: step.url, kind: 'listing' });
  readColumn(ctx, res.text(), res.finalUrl || step.url, tree);
}

/** A column page: its reports, the loop over its further pages, its sub-columns; a redirect shell's target. */
function readColumn(ctx: CrawlContext, html: string, page: string, tree: Tree): void {
  const target = redirectTarget(html, page);
  if (target) {
    // a removed page's meta refresh to its parent listing (the fetch layer's rule for removed documents)
    if (removedDocumentTarget(Buffer.from(html, 'utf8'), page) !== null) {
      ctx.warn('column-gone', `${page} is a removed page (a refresh to ${target}); it lists nothing`, page);
    } else if (target !== page && sameSite(new URL(page).hostname, new URL(target).hostname)) {
      ctx.enqueue(columnStep(target, tree));
    } else {
      ctx.warn('redirect-shell', `${page} is a redirect shell to ${target}, outside the site; not followed`, page);
    }
    return;
  }
  const rows = parseRows(html, page);
  const before = ctx.reports.length;
  const keys = emitRows(ctx, rows, page);
  const p = parsePaging(html, page);
  if (p) nextPage(ctx, { column: page, paging: p, page: 2, seen: [...new Set(keys)] });

  const maxDepth = ctx.site.params.trs?.subColumnDepth ?? DEFAULT_SUB_DEPTH;
  let children = 0;
  if (tree.depth < maxDepth) {
    for (const sub of subColumns(html, page)) {
      ctx.enqueue(columnStep(sub.url, { root: tree.root, depth: tree.depth + 1 }));
      children++;
    }
  }
  if (tree.depth === 0 && ctx.reports.length === before && keys.length === 0 && children === 0) {
    ctx.warn('column-empty', `${page} (${columnName(html) ?? 'no ColumnName'}) lists no document and no sub-column`, page);
  }
}

/** Whether a start URL is a portal's home page (discovered from), not a column. */
function isHomePage(url: string): boolean {
  return /^\/(?:index\.s?html?)?$/i.test(new URL(url).pathname);
}

/**
 * Discovery from a portal page: a page whose ColumnName names the annual reports is the column;
 * else its links named 政府信息公开年报 lead to the column(s); else its 政府信息公开 links are
 * followed (two levels at most). Nothing is guessed.
 */
async function runDiscover(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'other' });
  const html = res.text();
  const page = res.finalUrl || step.url;
  if (ANNUAL_COLUMN.test(columnName(html) ?? '')) {
    readColumn(ctx, html, page, { root: page, depth: 0 });
    return;
  }
  const cols = annualColumnLinks(html, page);
  for (const c of cols) ctx.enqueue(columnStep(c.url));
  const depth = Number(step.meta.depth ?? 0);
  if (cols.length === 0 && depth < 2) {
    for (const l of disclosureLinks(html, page).slice(0, 6)) ctx.enqueue({ url: l.url, kind: 'other', meta: { step: 'discover', depth: depth + 1 } });
  }
  if (cols.length === 0 && ctx.steps.length === 0) ctx.warn('column-not-found', `${page} links no annual-report column and no 政府信息公开 page`, page);
}

/** Queues page `p.page` of a column, unless the announced count or the page cap is reached. */
function nextPage(ctx: CrawlContext, p: Pager): void {
  if (p.page > p.paging.count) return;
  const max = ctx.site.params.maxPages ?? MAX_PAGES;
  if (p.page > max) {
    ctx.warn('paging-capped', `${p.column} announces ${p.paging.count} pages (${p.paging.source}); only the first ${max} are read`, p.column);
    return;
  }
  ctx.enqueue(pageStep(p));
}

async function runPage(step: Step, ctx: CrawlContext): Promise<void> {
  const p = step.meta.pager as unknown as Pager;
  let res;
  try {
    res = await ctx.fetch({ url: step.url, kind: 'listing', headers: { Referer: p.column } });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    ctx.warn('page-missing', `${p.column} announces ${p.paging.count} pages (${p.paging.source}); page ${p.page} (${step.url}) answered 404`, step.url);
    return;
  }
  const keys = emitRows(ctx, parseRows(res.text(), res.finalUrl || step.url), p.column);
  const seen = new Set(p.seen);
  const fresh = keys.filter((k) => !seen.has(k));
  if (fresh.length === 0) {
    if (p.page < p.paging.count) ctx.warn('paging-stopped', `${p.column}: page ${p.page} of ${p.paging.count} adds no new document; the rest is not read`, step.url);
    return;
  }
  for (const k of fresh) seen.add(k);
  nextPage(ctx, { ...p, page: p.page + 1, seen: [...seen] });
}

export const trsAdapter: Adapter = {
  platform: 'trs',
  start(site: Site): Step[] {
    return site.start.map((url): Step => (isHomePage(url) ? { url, kind: 'other', meta: { step: 'discover', depth: 0 } } : columnStep(url)));
  },
  async run(step: Step, ctx: CrawlContext): Promise<void> {
    switch (step.meta.step) {
      case 'column':
        return runColumn(step, ctx);
      case 'page':
        return runPage(step, ctx);
      case 'discover':
        return runDiscover(step, ctx);
      default:
        throw new OgiError('step-unknown', `trs adapter has no step "${step.meta.step}"`);
    }
  },
};

/**
 * Fujian TRS portals (platform `fjdzapp`): a column's first page is static, its later pages come
 * from the site's document-library API, `POST /fjdzapp/search` (TRS "动静结合": static page 1, then
 * the API). Evidence: shared/evidence/other-provinces/fujian-trs-fjdzapp.md (the real Pingtan
 * 政府信息公开年报 column page, report page and crawler code; the same API on www.fujian.gov.cn and
 * its departments' hosts) and PLATFORMS.md §2.3.
 *
 * - A column page names its column in `<meta name="ChnlId">` and its document library in the
 *   SiteInfo script (`searchId: 200210`); `listModel({ listArgs: { classsql: "chnlid=1813" },
 *   pagebar: { prepage: 10, recordCount: '20' } })` says how many records the column holds [seen].
 * - Its static rows are `<dl><dd><a href="./YYYYMM/tYYYYMMDD_<docid>.htm" title="…">` [seen].
 * - The API takes `channelid`, `classsql=chnlid=<column>`, `sortfield`, `page` (1-based), `prepage`
 *   as a form and answers `{ data: [{ doctitle, docpuburl, chnldocurl, docreltime, … }], pageCount }`
 *   (`docs` instead of `data` with templet=docs.jsp) [seen]; the Pingtan crawler sends
 *   X-Requested-With, Origin and Referer [seen].
 * - A `docpuburl` ending in .pdf is the document itself [seen]: it is listed as the report and read
 *   as a PDF.
 * - The columns mix in other documents (关于2014年政府信息公开工作要点落实情况的函): report links are
 *   recognised by their titles (titles.ts) [seen].
 * - A site whose column id is not in the evidence starts from its home page and follows
 *   政府信息公开 links (two levels at most) to the link named 政府信息公开年报 / …年度报告 [assumed: the
 *   column name is seen, the path to it on other hosts is not].
 * Removed documents (a meta-refresh stub) and the firewall's 2-byte answer are handled by the fetch
 * layer (src/crawl/fetch/stubs.ts), since the report pages are fetched there.
 */
import * as cheerio from 'cheerio';
import { parseDate, resolveLink, type CrawlContext } from '../../../src/crawl/context.ts';
import { parseLinks, type ListItem } from '../../../src/crawl/adapters/links.ts';
import { normaliseTitle, recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';
import type { Adapter } from '../../../src/crawl/adapters/types.ts';
import { governmentHosts, type Site } from '../../../src/crawl/registry.ts';
import type { Step } from '../../../src/crawl/step.ts';

/** What a Fujian TRS column page says about itself. */
export interface FjColumn {
  /** the column id: `<meta name="ChnlId">`, or `classsql: "chnlid=<id>"` in its listModel script */
  chnlid: string | null;
  /** the document library the API reads: `searchId` of the SiteInfo script, or a literal listArgs channelid */
  channelid: string | null;
  columnName: string | null;
  /** `pagebar.recordCount`: the records the column holds */
  recordCount: number | null;
  /** `pagebar.prepage`: the rows of a page, the static first page included */
  prepage: number | null;
  /** every link of the page (report links are picked by title) */
  links: ListItem[];
}

export function parseColumn(html: string, base: string): FjColumn {
  const $ = cheerio.load(html);
  const meta = (name: string): string | null => $(`meta[name="${name}"]`).attr('content')?.trim() || null;
  const scripts = $('script')
    .map((_, el) => $(el).html() ?? '')
    .get()
    .join('\n');
  const num = (re: RegExp): string | null => re.exec(scripts)?.[1] ?? null;
  const chnlid = meta('ChnlId') ?? num(/classsql\s*:[^,\n]*?chnlid\s*=\s*(\d+)/);
  const channelid = num(/searchId\s*:\s*["']?(\d+)/) ?? num(/channelid\s*:\s*["']?(\d+)/);
  const recordCount = num(/recordCount\s*:\s*["']?(\d+)/);
  const prepage = num(/prepage\s*:\s*["']?(\d+)/);
  // a TRS row is <dl><dd><a …></dd><dd>date</dd></dl> (§1): the date is the row's, not the link's parent's
  const links: ListItem[] = [];
  $('a[href]').each((_, el) => {
    const a = $(el);
    const url = resolveLink(base, a.attr('href'));
    if (!url) return;
    const row = a.closest('dl, li, tr');
    const around = (row.length > 0 ? row : a.parent()).text().replace(a.text(), '');
    links.push({ url, title: normaliseTitle(a.attr('title') || a.text()), date: parseDate(around) });
  });
  return {
    chnlid: chnlid && /^\d+$/.test(chnlid) ? chnlid : null,
    channelid,
    columnName: meta('ColumnName'),
    recordCount: recordCount === null ? null : Number(recordCount),
    prepage: prepage === null ? null : Number(prepage),
    links,
  };
}

interface SearchRow {
  doctitle?: unknown;
  docpuburl?: unknown;
  chnldocurl?: unknown;
  docreltime?: unknown;
}

export interface SearchAnswer {
  rows: ListItem[];
  pageCount: number | null;
}

const plainText = (s: string): string => normaliseTitle(cheerio.load(`<p>${s}</p>`)('p').text());

/**
 * The API's answer: `data[]` (or `docs[]`) rows with their URL (`docpuburl`, else `chnldocurl`,
 * resolved against the column) and title; null when it is not such JSON.
 */
export function parseSearchAnswer(text: string, column: string): SearchAnswer | null {
  let json: unknown;
  try {
    json = JSON.parse(text.trim());
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const o = json as { data?: unknown; docs?: unknown; pageCount?: unknown };
  const list = Array.isArray(o.data) ? o.data : Array.isArray(o.docs) ? o.docs : null;
  if (list === null) return null;
  const rows: ListItem[] = [];
  for (const raw of list as SearchRow[]) {
    const href = typeof raw.docpuburl === 'string' && raw.docpuburl ? raw.docpuburl : typeof raw.chnldocurl === 'string' ? raw.chnldocurl : '';
    const title = typeof raw.doctitle === 'string' ? plainText(raw.doctitle) : '';
    let url: URL;
    try {
      url = new URL(href, column);
    } catch {
      continue;
    }
    if (!href || (url.protocol !== 'http:' && url.protocol !== 'https:')) continue;
    // the same document under the column's scheme: static rows and API rows merge on one URL
    const col = new URL(column);
    if (url.host === col.host) url.protocol = col.protocol;
    url.hash = '';
    rows.push({ url: url.href, title, date: typeof raw.docreltime === 'string' ? (/^\d{4}-\d{2}-\d{2}/.exec(raw.docreltime)?.[0] ?? null) : null });
  }
  const pageCount = Number(o.pageCount);
  return { rows, pageCount: Number.isInteger(pageCount) && pageCount >= 0 ? pageCount : null };
}

const DEFAULT_PREPAGE = 100;
const MAX_API_PAGES = 50;
const MAX_DEPTH = 2;
// a link to the annual-report column: its name, not a report (which names a year)
const COLUMN_TEXT = /^(?:政府)?信息公开(?:工作)?(?:年报|年度报告)$|^年度报告$|^政府信息公开年度报告$/;
const OPEN_GOV_TEXT = /^政府信息公开$|^信息公开$|^政府信息公开(?:目录|专栏|平台)$/;

function emitReports(ctx: CrawlContext, items: ListItem[], foundOn: string): void {
  for (const a of items) {
    const r = recogniseReportTitle(a.title);
    if (r) ctx.emitReport({ url: a.url, title: r.title, year: r.year, agency: r.agency, listedDate: a.date, foundOn });
  }
}

/** The API step for one page of a column; its frontier key carries column and page in the fragment (never sent). */
function apiStep(column: string, channelid: string, chnlid: string, page: number, prepage: number): Step {
  const origin = new URL(column).origin;
  return {
    url: `${origin}/fjdzapp/search#chnlid=${chnlid}&page=${page}`,
    kind: 'listing',
    meta: {
      step: 'api',
      column,
      page,
      method: 'POST',
      form: { channelid, sortfield: '-docorderpri,-docreltime', classsql: `chnlid=${chnlid}`, page: String(page), prepage: String(prepage) },
      headers: { 'X-Requested-With': 'XMLHttpRequest', Origin: origin, Referer: column },
    },
  };
}

async function runColumn(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'listing' });
  const page = res.finalUrl || step.url;
  const col = parseColumn(res.text(), page);
  emitReports(ctx, col.links, page);
  // page 1 is all there is unless the column holds more records than a page shows
  const onPage = col.prepage ?? Infinity;
  if (col.chnlid === null || (col.recordCount !== null && col.recordCount <= onPage)) return;
  const channelid = col.channelid ?? ctx.site.params.fjdzapp?.channelid ?? null;
  if (channelid === null) {
    ctx.warn('fjdzapp-no-library', `column ${col.chnlid} has more records than its first page, but neither the page nor params.fjdzapp names the search API's channelid`, page);
    return;
  }
  ctx.enqueue(apiStep(page, channelid, col.chnlid, 1, ctx.site.params.fjdzapp?.prepage ?? DEFAULT_PREPAGE));
}

async function runApi(step: Step, ctx: CrawlContext): Promise<void> {
  const m = step.meta;
  const form = m.form ?? {};
  const res = await ctx.fetch({ url: step.url, method: 'POST', form, ...(m.headers ? { headers: m.headers } : {}), kind: 'listing' });
  const column = typeof m.column === 'string' ? m.column : step.url;
  const answer = parseSearchAnswer(res.text(), column);
  if (answer === null) {
    ctx.warn('fjdzapp-bad-answer', `the search API did not answer JSON with a data list (HTTP ${res.status}, ${res.contentType ?? 'no content type'})`, step.url);
    return;
  }
  emitReports(ctx, answer.rows, column);
  if (Number(m.page) !== 1 || answer.pageCount === null) return;
  const last = Math.min(answer.pageCount, ctx.site.params.maxPages ?? MAX_API_PAGES);
  if (answer.pageCount > last) ctx.warn('fjdzapp-pages-capped', `the column has ${answer.pageCount} API pages; ${last} were read (maxPages)`, column);
  const chnlid = (form.classsql ?? '').replace(/^chnlid=/, '');
  for (let p = 2; p <= last; p++) ctx.enqueue(apiStep(column, form.channelid ?? '', chnlid, p, Number(form.prepage ?? DEFAULT_PREPAGE)));
}

async function runDiscover(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'listing' });
  const page = res.finalUrl || step.url;
  const html = res.text();
  const hosts = governmentHosts(ctx.site);
  const links = parseLinks(html, page).filter((l) => hosts.includes(new URL(l.url).hostname));
  const depth = Number(step.meta.depth ?? 0);
  const columnText = ctx.site.params.discoverText ? new RegExp(ctx.site.params.discoverText) : COLUMN_TEXT;
  for (const l of links) {
    if (recogniseReportTitle(l.title)) continue;
    if (columnText.test(l.title)) ctx.enqueue({ url: l.url, kind: 'listing', meta: { step: 'column', head: true } });
    else if (depth < MAX_DEPTH && OPEN_GOV_TEXT.test(l.title)) ctx.enqueue({ url: l.url, kind: 'listing', meta: { step: 'discover', depth: depth + 1 } });
  }
}

export const fjdzappAdapter: Adapter = {
  platform: 'fjdzapp',
  start(site: Site): Step[] {
    // an evidenced start is the annual-report column itself; a plain one is a page to discover it from
    return site.starts.map((s) =>
      s.evidence === null ? { url: s.url, kind: 'listing', meta: { step: 'discover', depth: 0 } } : { url: s.url, kind: 'listing', meta: { step: 'column', head: true } },
    );
  },
  async run(step: Step, ctx: CrawlContext): Promise<void> {
    if (step.meta.step === 'api') return runApi(step, ctx);
    if (step.meta.step === 'discover') return runDiscover(step, ctx);
    return runColumn(step, ctx);
  },
};

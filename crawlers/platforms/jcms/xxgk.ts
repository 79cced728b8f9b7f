/**
 * The Hanweb information-disclosure modules (信息公开目录, `/module/xxgk/`), where some Zhejiang
 * governments keep annual reports that no column lists:
 *
 * - **The annual-report module** `/module/xxgk/xxgkAnnualReport.jsp?area=<organ code>&fbtime=<year>`
 *   renders one organ's report for one year. Evidence: pages-text/xxgk-annualreport-module.txt
 *   (wenzhou 001008003015001 2022/2024, longwan 001008003002032 2023, tx 330483ZFC00000 2024,
 *   linhai LH331082-018 2023 with showType=2&artId=86132, lishui 113325000026455663 2017) and
 *   notes portals-and-templates.md ("renders one organ's report for one year"). One step per
 *   (organ, year): the answer is taken as the report itself when it carries one, else the report
 *   links it shows are followed. [assumed: the markup of the answer — the evidence is page text
 *   only; we rely on a report title in <title>/h1/meta or the body's text, and on /art/ links.]
 * - **The directory search** `POST /module/xxgk/search.jsp` (infotypeId, jdid, area, divid,
 *   sortfield, standardXxgk, isAllList, texttype, fbtime, vc_*, currpage). Evidence:
 *   zj-request-evidence.md (www.zj.gov.cn: infotypeId=C0101 jdid=3096 area=000014349
 *   divid=div1545734; qz.gov.cn: divid=div1525479 i_id=A0102 webid 3084), notes "Information-
 *   disclosure directory module" (fields, answers are HTML); pages-text/quzhou-2022.txt (Quzhou's
 *   report filed under 组配分类 "2022年度"). [assumed: the answer's rows are `<a href="/art/…">`
 *   links with dates, and its page count is printed as 共N页 or a totalpage/pagecount variable.]
 *
 * The jcms adapter calls in here (see `xxgkStartSteps` and `runXxgkStep`); parameters come from
 * site.yml `params.annualReportModule` / `params.xxgkSearch` (params.ts).
 */
import * as cheerio from 'cheerio';
import type { CrawlContext } from '../../../src/crawl/context.ts';
import { parseDate, resolveLink } from '../../../src/crawl/context.ts';
import type { ReportLink, Step } from '../../../src/crawl/step.ts';
import { normaliseTitle, recogniseReportTitle, isOtherKindOfReport } from '../../../src/crawl/adapters/titles.ts';
import { XxgkParamsSchema, type AnnualReportModule, type XxgkParams, type XxgkSearch } from './params.ts';

export const XXGK_STEPS = ['xxgk-module', 'xxgk-search'] as const;

/** What the hook needs of a site: its start URLs and params (structural, so no import of registry.ts). */
export interface XxgkSite {
  start: readonly string[];
  params: object;
}

/** The xxgk params of a site (undefined fields when it has none); a bad shape is an error naming the field. */
export function xxgkParams(site: XxgkSite): XxgkParams {
  const p = site.params as Record<string, unknown>;
  return XxgkParamsSchema.parse({ annualReportModule: p.annualReportModule, xxgkSearch: p.xxgkSearch });
}

function originOf(site: XxgkSite, host: string | undefined): string {
  if (host) return host;
  const first = site.start[0];
  if (!first) throw new Error('a site needs a start URL or params host for the xxgk modules');
  return new URL(first).origin;
}

/** Report years asked for, newest first. */
function yearsOf([from, to]: [number, number]): number[] {
  const out: number[] = [];
  for (let y = to; y >= from; y--) out.push(y);
  return out;
}

/** The annual-report module URL of one organ and year (parameters in the order the real URLs carry them). */
export function annualReportModuleUrl(origin: string, area: string, year: number, query: Record<string, string> = {}): string {
  const u = new URL('/module/xxgk/xxgkAnnualReport.jsp', origin);
  u.searchParams.set('area', area);
  u.searchParams.set('fbtime', String(year));
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.href;
}

export function annualReportModuleSteps(site: XxgkSite, m: AnnualReportModule): Step[] {
  const origin = originOf(site, m.host);
  const steps: Step[] = [];
  for (const area of m.area) {
    for (const year of yearsOf(m.years)) {
      // keyed `…#listing`: the frontier holds one step per URL, and the module URL itself is then
      // the report's (the Fetcher drops the fragment). Not a column head: the answer is the report,
      // whose changes ingest sees.
      const url = annualReportModuleUrl(origin, area, year, m.query);
      steps.push({ url: `${url}#listing`, kind: 'listing', meta: { step: 'xxgk-module', area, year, module: url } });
    }
  }
  return steps;
}

/** The form of one search.jsp request (defaults from the spiders quoted in the notes). */
export function xxgkSearchForm(s: XxgkSearch, infotypeId: string, page: number): Record<string, string> {
  return {
    infotypeId,
    jdid: s.jdid,
    area: s.area,
    divid: s.divid,
    sortfield: ',createdatetime:0,orderid:0',
    standardXxgk: '0',
    isAllList: '1',
    texttype: '0',
    fbtime: '-1',
    vc_all: '',
    vc_title: '',
    vc_number: '',
    vc_filenumber: '',
    ...s.form,
    currpage: String(page),
  };
}

/**
 * One search.jsp request. The frontier keys steps by URL, so the URL carries what the form asks
 * (infotypeId, currpage) — the module reads its POST form; query parameters it does not know are
 * ignored [assumed, as for the classic dataproxy whose ranges ride in the query].
 */
export function xxgkSearchStep(origin: string, s: XxgkSearch, infotypeId: string, page: number, year: number | null): Step {
  const u = new URL('/module/xxgk/search.jsp', origin);
  u.search = `divid=${encodeURIComponent(s.divid)}&infotypeId=${encodeURIComponent(infotypeId)}&jdid=${encodeURIComponent(s.jdid)}${s.area ? `&area=${encodeURIComponent(s.area)}` : ''}&currpage=${page}`;
  return {
    url: u.href,
    kind: 'listing',
    meta: {
      step: 'xxgk-search',
      ...(page === 1 ? { head: true } : {}),
      method: 'POST',
      form: xxgkSearchForm(s, infotypeId, page),
      headers: { Referer: `${origin}/`, Origin: origin, 'X-Requested-With': 'XMLHttpRequest' },
      search: { origin, infotypeId, page, year, params: s } as unknown as Record<string, unknown>,
    },
  };
}

export function xxgkSearchSteps(site: XxgkSite, s: XxgkSearch): Step[] {
  const origin = originOf(site, s.host);
  if (typeof s.infotypeId === 'string') return [xxgkSearchStep(origin, s, s.infotypeId, 1, null)];
  return Object.entries(s.infotypeId)
    .sort(([a], [b]) => Number(b) - Number(a))
    .map(([y, id]) => xxgkSearchStep(origin, s, id, 1, Number(y)));
}

/** HOOK for jcms `start(site)`: the module steps a site's params ask for (none without params). */
export function xxgkStartSteps(site: XxgkSite): Step[] {
  const p = xxgkParams(site);
  return [...(p.annualReportModule ?? []).flatMap((m) => annualReportModuleSteps(site, m)), ...(p.xxgkSearch ?? []).flatMap((s) => xxgkSearchSteps(site, s))];
}

/** HOOK for jcms `run(step, ctx)`: whether this step is one of ours. */
export function isXxgkStep(step: Step): boolean {
  return (XXGK_STEPS as readonly string[]).includes(step.meta.step);
}

// ---- parsing the answers (pure functions of text) ----

export interface ModuleAnswer {
  /** the answer is the report itself: its title (when it names one) */
  report: { title: string; agency: string | null; year: number } | null;
  /** report links shown by the answer (to /art/ pages or other module views) */
  links: ReportLink[];
  /** the answer says it has nothing for this organ and year (暂无 / an almost empty page) */
  empty: boolean;
}

const ABSENT = /暂无|没有(?:相关)?(?:数据|信息|记录|年报|报告)|无相关|未找到|不存在/;
// section headings every report of the 2019/2021 formats carries (notes: templates)
const REPORT_BODY = /一[、.．]\s*总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议/;


/** Report links in an HTML answer; `year` (the step's) fills in for a report title that names none. */
export function reportLinksIn(html: string, base: string, year: number | null): ReportLink[] {
  const $ = cheerio.load(html);
  const out: ReportLink[] = [];
  $('a[href]').each((_, el) => {
    const url = resolveLink(base, $(el).attr('href'));
    if (!url) return;
    const title = normaliseTitle($(el).attr('title') || $(el).text());
    // the date beside the link: in its row (li, tr) or its parent
    const row = $(el).closest('li, tr, dd, dl');
    const date = parseDate((row.length ? row : $(el).parent()).text().replace($(el).text(), ''));
    const r = recogniseReportTitle(title);
    if (r) {
      if (!out.some((x) => x.url === url)) out.push({ url, title: r.title, year: r.year, agency: r.agency, listedDate: date, foundOn: base });
      return;
    }
    // under a 组配分类 of reports ("2022年度") a title may leave its year out: the category's year fills in
    if (year !== null && /\/art\//.test(url) && /(?:信息公开|政务公开).*(?:年度报告|年报)/.test(title) && !isOtherKindOfReport(title) && !/图解|解读/.test(title)) {
      const cut = title.search(/政府信息公开|政务公开|信息公开/);
      if (!out.some((x) => x.url === url)) out.push({ url, title, year, agency: cut > 0 ? title.slice(0, cut) : null, listedDate: date, foundOn: base });
    }
  });
  return out;
}

/** The annual-report module's answer for one organ and year. */
export function parseModuleAnswer(html: string, url: string, year: number): ModuleAnswer {
  const $ = cheerio.load(html);
  const candidates = [$('meta[name="ArticleTitle"]').attr('content') ?? '', $('h1').first().text(), $('.title, .tit, #title, .article-title').first().text(), $('title').text()];
  // fbtime reads as the report year (lishui's fbtime=2017 shows the 2017 report, notes) but its name
  // says publish time: a title naming the year before is taken at its word [assumed]
  const fits = (y: number): boolean => y === year || y === year - 1;
  let report: ModuleAnswer['report'] = null;
  for (const c of candidates) {
    const r = recogniseReportTitle(c);
    if (r && fits(r.year)) {
      report = { title: r.title, agency: r.agency, year: r.year };
      break;
    }
  }
  $('script, style').remove();
  const text = normaliseTitle($('body').text() || $.root().text());
  if (!report && REPORT_BODY.test(text)) {
    // the report's text without a title we can read: the first line naming 政府信息公开 names it
    const head = /[^。；]{0,60}?(?:(?:19|20)\d{2})\s*年度?[^。；]{0,40}?政府信息公开[^。；]{0,20}?(?:年度报告|工作报告|年报)/.exec(text)?.[0] ?? null;
    const r = head ? recogniseReportTitle(head) : null;
    report = r && fits(r.year) ? { title: r.title, agency: r.agency, year: r.year } : { title: `${year}年度政府信息公开工作年度报告`, agency: null, year };
  }
  const links = reportLinksIn(html, url, year).filter((l) => l.url !== url);
  return { report, links, empty: !report && links.length === 0 && (ABSENT.test(text) || text.length < 200) };
}

export interface SearchAnswer {
  links: ReportLink[];
  /** pages the directory announces for this query, when it says */
  totalPages: number | null;
}

export function parseSearchAnswer(html: string, base: string, year: number | null): SearchAnswer {
  const m = /共\s*(\d+)\s*页/.exec(html) ?? /total_?page(?:s|count)?["']?\s*[:=]\s*["']?(\d+)/i.exec(html) ?? /pagecount["']?\s*[:=]\s*["']?(\d+)/i.exec(html);
  return { links: reportLinksIn(html, base, year), totalPages: m ? Number(m[1]) : null };
}

// ---- running the steps ----

const MAX_SEARCH_PAGES = 50;

async function runModule(step: Step, ctx: CrawlContext): Promise<void> {
  const year = Number(step.meta.year);
  const url = typeof step.meta.module === 'string' ? step.meta.module : step.url.replace(/#.*$/, '');
  const res = await ctx.fetch({ url, kind: 'listing' });
  const a = parseModuleAnswer(res.text(), res.finalUrl || url, year);
  if (a.report) ctx.emitReport({ url, title: a.report.title, year: a.report.year, agency: a.report.agency, listedDate: null, foundOn: url });
  for (const l of a.links) ctx.emitReport(l);
  if (!a.report && a.links.length === 0) ctx.warn('xxgk-module-empty', `the annual-report module shows no report for area ${String(step.meta.area)} and ${year}`, url);
}

async function runSearch(step: Step, ctx: CrawlContext): Promise<void> {
  const s = step.meta.search as unknown as { origin: string; infotypeId: string; page: number; year: number | null; params: XxgkSearch };
  const res = await ctx.fetch({
    url: step.url,
    method: 'POST',
    ...(step.meta.form ? { form: step.meta.form } : {}),
    ...(step.meta.headers ? { headers: step.meta.headers } : {}),
    kind: 'listing',
  });
  const a = parseSearchAnswer(res.text(), s.origin + '/', s.year);
  for (const l of a.links) ctx.emitReport(l);
  if (s.page === 1) {
    if (a.links.length === 0) ctx.warn('xxgk-search-empty', `the xxgk directory shows no report under 组配分类 ${s.infotypeId}`, step.url);
    const total = a.totalPages ?? 1;
    const max = Number((ctx.site.params as { maxPages?: number }).maxPages ?? MAX_SEARCH_PAGES);
    if (total > max) ctx.warn('paging-capped', `the xxgk directory announces ${total} pages under ${s.infotypeId}; only the first ${max} are read`, step.url);
    for (let p = 2; p <= Math.min(total, max); p++) ctx.enqueue(xxgkSearchStep(s.origin, s.params, s.infotypeId, p, s.year));
  }
}

/** HOOK for jcms `run(step, ctx)`: runs an xxgk step (call when isXxgkStep(step)). */
export async function runXxgkStep(step: Step, ctx: CrawlContext): Promise<void> {
  if (step.meta.step === 'xxgk-module') return runModule(step, ctx);
  return runSearch(step, ctx);
}

/**
 * Hanweb jcms (大汉) adapter, the platform of nearly every Zhejiang portal (notes A.1).
 *
 * Column pages `/col/col<ID>/index.html` embed the first group of records in
 * `<script type="text/xml"><datastore>…<record><![CDATA[<li>…</li>]]></record>`; the rest comes from
 * the data proxy: the GET template in `<nextgroup>` on newer builds, otherwise the classic
 * `POST /module/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=` with form fields read from the
 * page's jpage initialiser. jpaas pages are JS shells whose list is built by an API call.
 * The parsers below are pure functions of text so recorded fixtures can test them offline.
 */
import { createHash } from 'node:crypto';
import * as cheerio from 'cheerio';
import { OgiError } from '../../../src/domain/errors.ts';
import type { Site } from '../../../src/crawl/registry.ts';
import type { CrawlContext } from '../../../src/crawl/context.ts';
import { parseDate, resolveLink } from '../../../src/crawl/context.ts';
import type { ReportLink, Step } from '../../../src/crawl/step.ts';
import type { Adapter } from '../../../src/crawl/adapters/types.ts';
import { recogniseReportTitle, normaliseTitle } from '../../../src/crawl/adapters/titles.ts';
import { parseLinks, type ListItem } from '../../../src/crawl/adapters/links.ts';

export type { ListItem } from '../../../src/crawl/adapters/links.ts';
import { isXxgkStep, runXxgkStep, xxgkStartSteps } from './xxgk.ts';
import { sameGovernment } from '../../../src/crawl/fetch/hosts.ts';

export interface Datastore {
  records: ListItem[];
  /** absolute URL of the next group (newer GET proxy), when the datastore names one */
  nextgroup: string | null;
  /** `<totalrecord>` of a proxy response */
  totalRecord: number | null;
  /** `<totalpage>` of a proxy response */
  totalPage: number | null;
  /** records without a usable link (a real GET answer carries "无链接脏数据" rows: jiangsu-gxt-dataproxy-excerpt.xml) */
  linkless: number;
}

/** Parameters of the jpage initialiser and data proxy, as far as the page states them. */
export interface JpageParams {
  columnid: string | null;
  unitid: string | null;
  webid: string | null;
  webname: string | null;
  sourceContentType: string | null;
  permissiontype: string | null;
  path: string | null;
  totalRecord: number | null;
  perPage: number | null;
  proxyUrl: string | null;
}

export interface JpaasParams {
  webId: string;
  tplSetId: string;
  tagId: string;
  pageId: string;
}

const RECORD = /<record[^>]*>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([\s\S]*?))\s*<\/record>/gi;
const NEXTGROUP = /<nextgroup[^>]*>\s*(?:<!\[CDATA\[([\s\S]*?)\]\]>|([\s\S]*?))\s*<\/nextgroup>/i;

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}


/** The link and date of one record fragment (an `li`, a table row, or a bare `a`). */
export function parseRecord(fragment: string, base: string): ListItem | null {
  const $ = cheerio.load(fragment, null, false);
  const links = $('a[href]').toArray();
  // prefer an article link that carries its full title in the title attribute
  const a = links.find((l) => /\/art\//.test($(l).attr('href') ?? '') && $(l).attr('title')) ?? links.find((l) => /\/art\//.test($(l).attr('href') ?? '')) ?? links[0];
  if (!a) return null;
  const url = resolveLink(base, $(a).attr('href'));
  if (!url) return null;
  const title = normaliseTitle($(a).attr('title') || $(a).text());
  return { url, title, date: parseDate($.root().text().replace(title, '')) };
}

/** Records and the next-group link of a `<datastore>`, embedded in a column page or returned by the proxy. */
export function parseDatastore(text: string, base: string): Datastore {
  const records: ListItem[] = [];
  let linkless = 0;
  for (const m of text.matchAll(RECORD)) {
    const frag = m[1] ?? decodeEntities(m[2] ?? '');
    const item = parseRecord(frag, base);
    if (item) records.push(item);
    else linkless++;
  }
  let nextgroup: string | null = null;
  const ng = NEXTGROUP.exec(text);
  if (ng) {
    const frag = ng[1] ?? decodeEntities(ng[2] ?? '');
    const href = /href\s*=\s*["']([^"']+)["']/i.exec(frag)?.[1] ?? frag.trim();
    nextgroup = href ? resolveLink(base, decodeEntities(href)) : null;
  }
  const tr = /<totalrecord>\s*(\d+)\s*<\/totalrecord>/i.exec(text);
  const tp = /<totalpage>\s*(\d+)\s*<\/totalpage>/i.exec(text);
  return { records, nextgroup, totalRecord: tr ? Number(tr[1]) : null, totalPage: tp ? Number(tp[1]) : null, linkless };
}

export function hasDatastore(html: string): boolean {
  return /<datastore[\s>]/i.test(html);
}

function grab(js: string, name: string): string | null {
  const re = new RegExp(`["']?\\b${name}["']?\\s*[:=]\\s*(?:"([^"]*)"|'([^']*)'|([^,;}\\s&]+))`, 'i');
  const m = re.exec(js);
  if (!m) return null;
  const v = (m[1] ?? m[2] ?? m[3] ?? '').trim();
  return v === '' ? null : v;
}

/** jpage / dataproxy parameters from a column page's scripts; the unit id also from the list's div. */
export function parseJpageParams(html: string, pageUrl: string): JpageParams {
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => m[1] ?? '').filter((s) => !/<datastore/i.test(s)).join('\n');
  const num = (s: string | null): number | null => (s !== null && /^\d+$/.test(s) ? Number(s) : null);
  const unitFromDiv = /<div[^>]+id=["']?(?:div)?(\d{4,})["']?[^>]*>\s*<script[^>]+type=["']text\/xml["']/i.exec(html)?.[1] ?? null;
  const columnFromUrl = /\/col\/col(\d+)\//.exec(pageUrl)?.[1] ?? null;
  // other scripts use the same names (var path = location.pathname): keep only plausible values
  const digits = (v: string | null): string | null => (v !== null && /^\d+$/.test(v) ? v : null);
  const path = grab(scripts, 'path');
  return {
    columnid: digits(grab(scripts, 'columnid')) ?? columnFromUrl,
    unitid: digits(grab(scripts, 'unitid')) ?? unitFromDiv,
    webid: digits(grab(scripts, 'webid')),
    webname: grab(scripts, 'webname'),
    sourceContentType: digits(grab(scripts, 'sourceContentType')),
    permissiontype: digits(grab(scripts, 'permissiontype')),
    path: path !== null && /^(\/|https?:)/.test(path) ? path : null,
    totalRecord: num(/totalRecord\s*[:=]\s*["']?(\d+)/i.exec(scripts)?.[1] ?? null),
    perPage: num(/perPage\s*[:=]\s*["']?(\d+)/i.exec(scripts)?.[1] ?? null),
    proxyUrl: grab(scripts, 'proxyUrl') ?? grab(scripts, 'dataproxy'),
  };
}

/** The data-proxy paths of the two jcms generations (notes A.1; jshrss-dataproxy-writeup.md). */
export const CLASSIC_PROXY = '/module/jpage/dataproxy.jsp';
/** records per proxy page when the page does not say (the jpage default, perpage=15) */
const LISTING_RECORDS_PER_PAGE = 15;
export const WEB_PROXY = '/module/web/jpage/dataproxy.jsp';

/**
 * A column's page loop, carried from one proxy request to the next in the step meta (plain JSON,
 * so a killed crawl resumes inside the loop). Real GET answers carry `<totalrecord>`/`<totalpage>`
 * and no `<nextgroup>` (jiangsu-gxt-dataproxy-excerpt.xml, jshrss-dataproxy-writeup.md), and real
 * scrapers loop page=1..totalpage (zj-request-evidence.md): so does this loop. The classic POST
 * proxy takes record ranges (startrecord..endrecord) up to `<totalrecord>`.
 */
export interface Pager {
  /** the column page the loop belongs to */
  column: string;
  /** scheme://host of the proxy */
  origin: string;
  method: 'GET' | 'POST';
  /** proxy path: the nextgroup template's, the page's proxyUrl, or one of the two generations */
  path: string;
  /** proxy parameters besides the paging ones, in order (GET query, or the POST form) */
  params: [string, string][];
  /** records per classic request */
  step: number;
  /** the jpage initialiser's perPage, when stated */
  perpage: number | null;
  /** classic: records embedded in the column page (the ranges start after them) */
  offset: number;
  /** 1-based number of this request in the loop */
  page: number;
  /** records the column announces (page's totalRecord, answers' <totalrecord>) */
  total: number | null;
  totalPages: number | null;
  /** short keys of the record URLs read so far (the column page's and the answers'): dedupe by URL */
  seen: string[];
  /** records without a link, read so far */
  linkless: number;
  /** proxy paths of this host that answered 404 (the loop falls back to the other generation) */
  missing: string[];
  /**
   * GET by record ranges (startrecord/endrecord/perpage) instead of page=N: Jiangsu's column pages
   * show the first records as HTML and the proxy is asked for the next ranges (jiangsu.py in
   * shared/evidence/other-provinces/cms-dialects-china-governance.md)
   */
  ranges?: boolean;
}

export function recordKey(url: string): string {
  return createHash('sha1').update(url).digest('hex').slice(0, 12);
}

function paramOf(p: Pager, name: string): string | null {
  return p.params.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? null;
}

/** webname arrives double-encoded in real templates (%25E5…: dingxi-column-datastore.xml): the form wants it plain. */
function plainWebname(v: string | null): string {
  if (!v) return '';
  let s = v;
  for (let i = 0; i < 2 && /%[0-9a-f]{2}/i.test(s); i++) {
    try {
      s = decodeURIComponent(s);
    } catch {
      break;
    }
  }
  return s;
}

/** The request of the loop's current page. */
export function pagerStep(p: Pager): Step {
  const u = new URL(p.path, p.origin);
  const headers = { Referer: p.column, Origin: new URL(p.column).origin, 'X-Requested-With': 'XMLHttpRequest' };
  if (p.method === 'GET' && p.ranges) {
    const from = p.offset + (p.page - 1) * p.step + 1;
    const range: [string, string][] = [['startrecord', String(from)], ['endrecord', String(from + p.step - 1)], ['perpage', String(p.perpage ?? p.step)]];
    u.search = new URLSearchParams([...range, ...p.params]).toString();
    return { url: u.href, kind: 'listing', meta: { step: 'page', method: 'GET', headers, column: p.column, pager: p as unknown as Record<string, unknown> } };
  }
  if (p.method === 'GET') {
    u.search = new URLSearchParams([['page', String(p.page)], ...p.params.filter(([k]) => k !== 'page')]).toString();
    return { url: u.href, kind: 'listing', meta: { step: 'page', method: 'GET', headers, column: p.column, pager: p as unknown as Record<string, unknown> } };
  }
  const from = p.offset + (p.page - 1) * p.step + 1;
  const to = p.total !== null ? Math.min(from + p.step - 1, Math.max(p.total, from)) : from + p.step - 1;
  u.search = `startrecord=${from}&endrecord=${to}&perpage=${p.perpage ?? LISTING_RECORDS_PER_PAGE}`;
  const form: Record<string, string> = {
    col: paramOf(p, 'col') ?? '1',
    appid: paramOf(p, 'appid') ?? '1',
    webid: paramOf(p, 'webid') ?? '',
    path: paramOf(p, 'path') ?? '/',
    columnid: paramOf(p, 'columnid') ?? '',
    sourceContentType: paramOf(p, 'sourceContentType') ?? '1',
    unitid: paramOf(p, 'unitid') ?? '',
    webname: plainWebname(paramOf(p, 'webname')),
    permissiontype: paramOf(p, 'permissiontype') ?? '0',
  };
  return { url: u.href, kind: 'listing', meta: { step: 'page', method: 'POST', form, headers, column: p.column, pager: p as unknown as Record<string, unknown> } };
}

/**
 * The other proxy generation after a 404: a site moved to `/module/web/jpage/dataproxy.jsp` (GET,
 * page=N) answers 404 on the classic path (jshrss-dataproxy-writeup.md), and the reverse is tried too.
 * Null when both answered 404.
 */
export function fallbackPager(p: Pager): Pager | null {
  const missing = [...new Set([...p.missing, p.path])];
  const base = { ...p, missing, page: 1 };
  if (!missing.includes(WEB_PROXY)) return { ...base, method: 'GET', path: WEB_PROXY };
  if (!missing.includes(CLASSIC_PROXY)) return { ...base, method: 'POST', path: CLASSIC_PROXY };
  return null;
}

/**
 * The page loop of a column page, or null when the page names no way to the rest of its records:
 * the `<nextgroup>` href is a page=1 template of the GET proxy (dingxi-column-datastore.xml); else
 * the jpage initialiser's proxyUrl and ajaxParam (jshrss-dataproxy-writeup.md: proxyUrl '/module/web/…'
 * means GET page=N); else the classic POST form (zj-request-evidence.md).
 */
export function startPager(
  column: string,
  ds: Datastore,
  jp: JpageParams,
  opts: { step: number; webid?: string; webname?: string; missing?: string[] },
): Pager | null {
  const seen = [...new Set(ds.records.map((r) => recordKey(r.url)))];
  const common = { column, step: opts.step, perpage: jp.perPage, offset: ds.records.length + ds.linkless, page: 1, total: ds.totalRecord ?? jp.totalRecord, totalPages: ds.totalPage, seen, linkless: ds.linkless, missing: opts.missing ?? [] };
  if (ds.nextgroup) {
    const u = new URL(ds.nextgroup);
    return { ...common, origin: u.origin, method: 'GET', path: u.pathname, params: [...u.searchParams.entries()].filter(([k]) => k !== 'page') };
  }
  if (!jp.columnid || !jp.unitid) return null;
  const proxy = new URL(jp.proxyUrl ?? CLASSIC_PROXY, column);
  const webname = jp.webname ?? opts.webname ?? '';
  const params: [string, string][] = [
    ['appid', '1'],
    ['webid', jp.webid ?? opts.webid ?? ''],
    ['path', jp.path ?? '/'],
    ['columnid', jp.columnid],
    ['unitid', jp.unitid],
    ['webname', webname],
    ['permissiontype', jp.permissiontype ?? '0'],
  ];
  if (jp.sourceContentType) params.push(['sourceContentType', jp.sourceContentType]);
  const get = /\/web\/jpage\//.test(proxy.pathname);
  const p: Pager = { ...common, origin: proxy.origin, method: get ? 'GET' : 'POST', path: proxy.pathname, params };
  // a path this host already answered 404 for: start with the other generation
  return p.missing.includes(p.path) ? fallbackPager(p) : p;
}

/** How many records per Jiangsu page when the page does not say (jiangsu.py: `_PAGE_SIZE = 20  # jpage default perPage`). */
const JPAGE_DEFAULT_PERPAGE = 20;

/**
 * The page loop of a column page that shows its first records as HTML rows (no `<datastore>`) and
 * announces more in its jpage call (`totalRecord`, columnid, unitid): Jiangsu's
 * `GET /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=&columnid=&unitid=&webid=`
 * (www.jiangsu.gov.cn unitid=356383 webid=1: shared/evidence/other-provinces/PLATFORMS.md §2.4,
 * sichuan-hubei-shandong-jiangsu.md). The page shows records 1..perPage; the ranges start after
 * them. Null when the page announces no more records than it shows, or names no column/unit.
 */
export function rangesPager(column: string, shown: ListItem[], jp: JpageParams, opts: { webid?: string }): Pager | null {
  if (!jp.columnid || !jp.unitid || jp.totalRecord === null) return null;
  const seen = [...new Set(shown.map((r) => recordKey(r.url)))];
  if (seen.length >= jp.totalRecord) return null;
  const perpage = jp.perPage ?? (shown.length > 0 ? shown.length : JPAGE_DEFAULT_PERPAGE);
  const proxy = new URL(jp.proxyUrl ?? WEB_PROXY, column);
  const params: [string, string][] = [
    ['columnid', jp.columnid],
    ['unitid', jp.unitid],
    ['webid', jp.webid ?? opts.webid ?? ''],
  ];
  return { column, origin: proxy.origin, method: 'GET', path: proxy.pathname, params, step: perpage, perpage, offset: jp.perPage ?? shown.length, page: 1, total: jp.totalRecord, totalPages: null, seen, linkless: 0, missing: [], ranges: true };
}

/**
 * A jpaas page is a script shell: no datastore, and the list comes from
 * /api-gateway/jpaas-publish-server/… at run time. Returns whether the page looks like one.
 */
export function isJpaasShell(html: string): boolean {
  if (hasDatastore(html)) return false;
  return /jpaas-publish-server|jpaas|tplSetId/i.test(html);
}

/** The parameters of the jpaas list call when the shell states them (else null: warn, do not guess). */
export function parseJpaasParams(html: string, pageUrl: string): JpaasParams | null {
  const webId = grab(html, 'webId');
  const tplSetId = grab(html, 'tplSetId');
  const tagId = grab(html, 'tagId');
  const pageId = grab(html, 'pageId') ?? /\/col\/col(\d+)\//.exec(pageUrl)?.[1] ?? null;
  if (!webId || !tplSetId || !tagId || !pageId) return null;
  return { webId, tplSetId, tagId, pageId };
}

export const JPAAS_UNIT = '/api-gateway/jpaas-publish-server/front/page/build/unit';

/** One unit script of a jpaas shell: the API it calls and its query (queryData), in order. */
export interface JpaasUnit {
  endpoint: string;
  query: [string, string][];
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set((m[1] ?? '').toLowerCase(), decodeEntities(m[2] ?? m[3] ?? ''));
  return out;
}

/** queryData="{'parseType':'buildstatic','webId':'…',…}" (single-quoted, miit-jpaas-shell.html) as ordered pairs. */
function parseQueryData(v: string): [string, string][] {
  try {
    const o = JSON.parse(v.replace(/'/g, '"')) as Record<string, unknown>;
    return Object.entries(o).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]);
  } catch {
    return [...v.matchAll(/["']?(\w+)["']?\s*:\s*["']([^"']*)["']/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
  }
}

/**
 * Every unit script of a jpaas shell: a shell carries several (header, list, footer — miit-jpaas-shell.html
 * shows one `<script … url="/api-gateway/…/build/unit" queryData="{…}">` per unit). A shell that
 * states the parameters only in its code (webId, tplSetId, tagId, pageId) gives one unit.
 */
export function parseJpaasUnits(html: string, pageUrl: string): JpaasUnit[] {
  const units: JpaasUnit[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>/gi)) {
    const attrs = attributes(m[1] ?? '');
    const qd = attrs.get('querydata');
    if (!qd) continue;
    const query = parseQueryData(qd);
    if (!query.some(([k]) => k === 'tagId' || k === 'pageId')) continue;
    const endpoint = resolveLink(pageUrl, attrs.get('url') ?? JPAAS_UNIT);
    if (endpoint) units.push({ endpoint, query });
  }
  if (units.length === 0) {
    const p = parseJpaasParams(html, pageUrl);
    if (p) {
      // MIIT spells it buildstatic, Zhejiang shells bulidstatic: the shell's own spelling wins (PLATFORMS.md §2.4)
      const query: [string, string][] = [['parseType', grab(html, 'parseType') ?? 'bulidstatic'], ['webId', p.webId], ['tplSetId', p.tplSetId], ['pageType', 'column'], ['tagId', p.tagId], ['editType', 'null'], ['pageId', p.pageId]];
      units.push({ endpoint: new URL(JPAAS_UNIT, pageUrl).href, query });
    }
  }
  return units;
}

// units that frame a page rather than list its articles (assumed names: the shell capture shows only '右侧内容')
const CHROME_UNIT = /头部|底部|页头|页脚|页眉|header|footer|banner|导航|nav|版权|友情链接|搜索/i;
const LIST_UNIT = /列表|list|分页|内容|信息/i;

/** The units worth calling for a list: framing units (header, footer…) left out while others remain, list-like names first. */
export function listUnitCandidates(units: JpaasUnit[]): JpaasUnit[] {
  const tag = (u: JpaasUnit): string => u.query.find(([k]) => k === 'tagId')?.[1] ?? '';
  const body = units.filter((u) => !CHROME_UNIT.test(tag(u)));
  const pool = body.length > 0 ? body : units;
  return [...pool.filter((u) => LIST_UNIT.test(tag(u))), ...pool.filter((u) => !LIST_UNIT.test(tag(u)))];
}

/** The unit call for page `pageNo`: paging is `paramJson={"pageNo":N,"pageSize":M}` (zj-request-evidence.md: hhtz, jinhua ggzy, miit). */
export function jpaasPageUrl(unit: JpaasUnit, pageNo: number, pageSize: number): string {
  const u = new URL(unit.endpoint);
  u.search = new URLSearchParams([...unit.query.filter(([k]) => k !== 'paramJson'), ['paramJson', JSON.stringify({ pageNo, pageSize })]]).toString();
  return u.href;
}

/**
 * The HTML of a unit answer: JSON `{"success":true,"data":{"html":"…"}}` (miit-jpaas-unit-response.json)
 * is parsed as JSON, never as HTML; an answer that is not JSON is taken as HTML. The total, when the
 * answer states one (a count in the JSON, or `count … N` in the html: zj-request-evidence.md, hhtz).
 */
export function parseJpaasAnswer(body: string): { html: string; total: number | null; ok: boolean } {
  const t = body.trim();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as { success?: boolean; data?: unknown; total?: unknown; count?: unknown };
      const data = (o.data && typeof o.data === 'object' ? o.data : {}) as Record<string, unknown>;
      const html = typeof data.html === 'string' ? data.html : typeof o.data === 'string' ? o.data : '';
      const num = [data.total, data.totalCount, data.count, data.totalRecord, o.total, o.count].find((x) => typeof x === 'number' || (typeof x === 'string' && /^\d+$/.test(x)));
      const inHtml = /count[^0-9<]{0,20}(\d+)|共\s*(\d+)\s*条/i.exec(html);
      return { html, total: num !== undefined ? Number(num) : inHtml ? Number(inHtml[1] ?? inHtml[2]) : null, ok: o.success !== false };
    } catch {
      // not JSON after all: fall through to HTML
    }
  }
  return { html: body, total: null, ok: true };
}

/**
 * Whether a link leaves the portal for another government: discovery stays on the page's host and
 * the other portals of the same government (sister hosts such as zfxx.ningbo.gov.cn beside
 * www.ningbo.gov.cn: pages-text/ningbo-2020-mirror.txt, zhoushan-single-article-columns.txt).
 */
function sameSite(here: string, there: string): boolean {
  return here === there || sameGovernment(here, there);
}

const ANNUAL_COLUMN_TEXT = /政府信息公开(?:工作)?(?:年度)?(?:年报|报告)|信息公开年报|年度报告/;
const DISCLOSURE_TEXT = /政府信息公开|信息公开|政务公开/;

/** Links on a portal page that lead to the annual-report column(s), by their link text. */
export function findAnnualReportColumns(html: string, base: string, pattern?: string): ListItem[] {
  const re = pattern ? new RegExp(pattern) : ANNUAL_COLUMN_TEXT;
  const host = new URL(base).hostname;
  return parseLinks(html, base).filter(
    (l) => re.test(l.title) && !/\/art\//.test(l.url) && l.title.length <= 20 && !recogniseReportTitle(l.title) && sameSite(host, new URL(l.url).hostname),
  );
}

/** Links to the portal's 政府信息公开 pages, where the annual-report column is linked from. */
export function findDisclosureLinks(html: string, base: string): ListItem[] {
  const host = new URL(base).hostname;
  return parseLinks(html, base).filter(
    (l) => DISCLOSURE_TEXT.test(l.title) && l.title.length <= 16 && !/\/art\//.test(l.url) && sameSite(host, new URL(l.url).hostname),
  );
}

const MAX_PROXY_PAGES = 50;
const DEFAULT_STEP = 45;
const DEFAULT_JPAAS_PAGE_SIZE = 20;
/** an annual-report root > organ > year (> one more): wenzhou-2023.txt, wenzhou-depts.txt, jiaxing-2022.txt */
const MAX_TREE_DEPTH = 3;
const MAX_SUBCOLUMNS = 80;

/** Report links among listed items, recognised by title; everything else on a listing is news. */
function emitRecords(ctx: CrawlContext, items: ListItem[], foundOn: string): number {
  let n = 0;
  for (const it of items) {
    const r = recogniseReportTitle(it.title);
    if (r) {
      ctx.emitReport({ url: it.url, title: r.title, year: r.year, agency: r.agency, listedDate: it.date, foundOn });
      n++;
    }
  }
  return n;
}

/** Where a column sits below the annual-report root it was reached from. */
interface Tree {
  root: string;
  depth: number;
}

function columnStep(url: string, tree?: Tree): Step {
  return { url, kind: 'listing', meta: { step: 'column', head: true, tree: tree ?? { root: url, depth: 0 } } };
}

// portal navigation, not sub-columns of an annual-report root (assumed: the header/footer links of a portal page)
const NAV_TEXT = /^(?:网站)?首页$|返回|新闻|要闻|动态|办事|服务|互动|交流|专题|english|无障碍|长者|登录|注册|^政务公开$|^(?:政府)?信息公开$|指南|制度|依申请|法定主动公开|机构职能|领导|概况|联系我们|网站地图|搜索|纠错|关于我们|版权|隐私/i;

/**
 * Sub-columns linked from a column page: every same-host `/col/col<ID>/` link whatever its name
 * (organs like 市政府 / 市级部门单位 / a county, years like "2023年度" or just "2024":
 * wenzhou-2023.txt, wenzhou-depts.txt, jiaxing-*.txt), but not the portal's navigation.
 */
export function subColumnLinks(html: string, base: string): ListItem[] {
  const here = new URL(base);
  const out: ListItem[] = [];
  const seen = new Set<string>();
  for (const l of parseLinks(html, base)) {
    const u = new URL(l.url);
    if (!sameSite(here.hostname, u.hostname) || !/\/col\/col\d+\//.test(u.pathname) || /\/art\//.test(u.pathname)) continue;
    if ((u.hostname === here.hostname && u.pathname === here.pathname) || !l.title || l.title.length > 40 || NAV_TEXT.test(l.title)) continue;
    if (seen.has(u.host + u.pathname)) continue;
    seen.add(u.host + u.pathname);
    out.push(l);
  }
  return out.slice(0, MAX_SUBCOLUMNS);
}

const CRUMB_SELECTOR = '[class*=crumb],[id*=crumb],[class*=position],[id*=position],[class*=location],[id*=location],[class*=bread],[class*=dqwz],[class*=current],[class*=weizhi]';

/**
 * Whether a page reached as a sub-column belongs under its annual-report root: it links back to the
 * root (a breadcrumb or a left tree), or its breadcrumb names the annual reports ("您现在的位置:首页 >
 * 信息公开年报 > 温州市人民政府 > 2023年度": wenzhou-2023.txt).
 */
export function underAnnualRoot(html: string, page: string, root: string): boolean {
  const rootPath = new URL(root).pathname;
  const host = new URL(page).hostname;
  if (parseLinks(html, page).some((l) => new URL(l.url).hostname === host && new URL(l.url).pathname === rootPath)) return true;
  const $ = cheerio.load(html);
  const crumbs = $(CRUMB_SELECTOR)
    .toArray()
    .map((el) => $(el).text())
    .join(' ');
  const body = $('body').text().replace(/\s+/g, ' ');
  const at = body.search(/当前位置|现在的位置|所在位置/);
  const text = `${crumbs} ${at >= 0 ? body.slice(at, at + 160) : ''}`;
  return ANNUAL_COLUMN_TEXT.test(text);
}

/**
 * A column page that is itself a report (zhoushan-single-article-columns.txt: the column index page
 * carries the report text): an article page (site-standard meta tags, a #zoom body, or the
 * template's table headings) whose title names a report. Null otherwise.
 */
export function columnAsReport(html: string, page: string): ReportLink | null {
  const $ = cheerio.load(html);
  const meta = (n: string): string => $(`meta[name="${n}"]`).attr('content')?.trim() ?? '';
  const text = $('body').text();
  const article =
    Boolean(meta('ArticleTitle') || meta('PubDate') || meta('ContentSource')) ||
    $('#zoom, #Zoom, #ivs_content, .TRS_Editor, .article-content').length > 0 ||
    /主动公开政府信息情况/.test(text) && /收到和处理政府信息公开申请情况/.test(text);
  if (!article) return null;
  const candidates = [meta('ArticleTitle'), $('h1').first().text(), $('.title, .art-title, .article-title').first().text(), $('h2').first().text(), ($('title').text().split(/[_|]/)[0] ?? '')];
  for (const c of candidates) {
    const r = recogniseReportTitle(c);
    if (r) return { url: page, title: r.title, year: r.year, agency: r.agency, listedDate: parseDate(meta('PubDate')) ?? parseDate(/发布(?:日期|时间)[:：\s]*([\d\s\-/.年月日]+)/.exec(text)?.[1]), foundOn: page };
  }
  return null;
}

async function runColumn(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'listing' });
  const html = res.text();
  const page = res.finalUrl || step.url;
  const tree = (step.meta.tree as Tree | undefined) ?? { root: step.url, depth: 0 };
  const reportsBefore = ctx.reports.length;
  const under = tree.depth === 0 || underAnnualRoot(html, page, tree.root);

  if (under && hasDatastore(html)) {
    const ds = parseDatastore(html, page);
    emitRecords(ctx, ds.records, page);
    // an empty datastore beside a list the page renders itself: Shandong's /col/ index HTML lists its
    // /art/ links directly while the data proxy returns empty (PLATFORMS.md §2.4, sichuan-hubei-shandong-jiangsu.md);
    // article links only, not the page's column navigation
    if (ds.records.length === 0 && ds.linkless === 0) emitRecords(ctx, parseLinks(html, page).filter((l) => /\/art\//.test(l.url)), page);
    const jp = parseJpageParams(html, page);
    const announced = ds.totalRecord ?? jp.totalRecord;
    const read = new Set(ds.records.map((r) => r.url)).size + ds.linkless;
    const more = announced !== null ? read < announced : ds.nextgroup !== null || ds.records.length > 0;
    if (more) {
      const pager = startPager(page, ds, jp, {
        step: Number(ctx.site.params.proxyStep ?? DEFAULT_STEP),
        ...(ctx.site.params.webid ? { webid: String(ctx.site.params.webid) } : {}),
        webname: ctx.site.params.webname ?? ctx.site.name,
        missing: (step.meta.missingProxies as string[] | undefined) ?? [],
      });
      if (pager) ctx.enqueue(pagerStep(pager));
      else if (announced !== null) ctx.warn('listing-short', `${page} announces ${announced} records; ${read} were read (the page names no data proxy to read the rest)`, page);
    }
  } else if (under && isJpaasShell(html)) {
    const units = listUnitCandidates(parseJpaasUnits(html, page));
    if (units.length === 0) {
      ctx.warn('jpaas-shell', `${page} is a Hanweb jpaas JS shell and does not state webId/tplSetId/tagId; its list was not read`, page);
    } else {
      ctx.warn('jpaas-shell', `${page} is a Hanweb jpaas JS shell; its list is read from the jpaas publish API`, page);
      for (const unit of units) ctx.enqueue(jpaasStep(page, unit, 1, jpaasPageSize(unit), [], null));
    }
  } else if (!hasDatastore(html) && !isJpaasShell(html)) {
    // a column page that is an article carrying a report, below its root whatever its breadcrumb
    const self = columnAsReport(html, page);
    if (self) ctx.emitReport(self);
    // a plain page: take the report links it shows
    else if (under) {
      const links = parseLinks(html, page);
      emitRecords(ctx, links, page);
      const shown = links.filter((l) => /\/art\//.test(l.url));
      // its first records as HTML rows, the rest behind the GET proxy by record ranges (Jiangsu)
      const pager = rangesPager(page, shown, parseJpageParams(html, page), ctx.site.params.webid ? { webid: String(ctx.site.params.webid) } : {});
      if (pager) ctx.enqueue(pagerStep(pager));
    }
  }

  // sub-columns, whatever their names, below an annual-report root (bounded depth; the frontier dedupes)
  let children = 0;
  if (tree.depth < MAX_TREE_DEPTH && (under || ctx.reports.length > reportsBefore)) {
    const rootPath = new URL(tree.root).pathname;
    for (const sub of subColumnLinks(html, page)) {
      if (new URL(sub.url).pathname === rootPath) continue;
      ctx.enqueue(columnStep(sub.url, { root: tree.root, depth: tree.depth + 1 }));
      children++;
    }
  }
  if (tree.depth === 0 && ctx.reports.length === reportsBefore && children === 0 && ctx.steps.length === 0) {
    ctx.warn('column-empty', `${page} shows no report, no records to page through and no sub-column`, page);
  }
}

/** Reads one proxy answer of a column's page loop and queues the next request, or ends the loop. */
async function runPage(step: Step, ctx: CrawlContext): Promise<void> {
  const p = step.meta.pager as unknown as Pager | undefined;
  let res;
  try {
    res = await ctx.fetch({
      url: step.url,
      method: step.meta.method ?? 'GET',
      ...(step.meta.form ? { form: step.meta.form } : {}),
      ...(step.meta.headers ? { headers: step.meta.headers } : {}),
      kind: 'listing',
      // an empty proxy answer ends the loop (proxy-empty below): it is the proxy's, not a firewall's
      blankIsAnswer: true,
    });
  } catch (e) {
    if (p && ((e as { status?: number }).status === 404 || (e as { code?: string }).code === 'http-404')) {
      const next = fallbackPager(p);
      if (next) {
        ctx.enqueue(pagerStep(next));
        return;
      }
      ctx.warn('proxy-missing', `${p.column}: both data-proxy generations answered 404 (${CLASSIC_PROXY}, ${WEB_PROXY})`, p.column);
      return;
    }
    throw e;
  }
  const column = p?.column ?? step.meta.column ?? step.url;
  const ds = parseDatastore(res.text(), column);
  emitRecords(ctx, ds.records, column);
  if (!p) return;
  const seen = new Set(p.seen);
  let fresh = 0;
  for (const r of ds.records) {
    const k = recordKey(r.url);
    if (!seen.has(k)) {
      seen.add(k);
      fresh++;
    }
  }
  const total = ds.totalRecord ?? p.total;
  const pageSize = p.perpage ?? (p.page === 1 && ds.records.length + ds.linkless > 0 ? ds.records.length + ds.linkless : null);
  const totalPages = ds.totalPage ?? p.totalPages ?? (total !== null && pageSize ? Math.ceil(total / pageSize) : null);
  const linkless = p.linkless + ds.linkless;
  const read = seen.size + linkless;
  const got = ds.records.length + ds.linkless;
  // an empty answer ends the loop, never retried: the encrypted <nextgroup> of 医保局/广电总局 "often returns
  // an empty 54-byte body" and page 0 is the reliable slice (PLATFORMS.md §2.4, cms-dialects-china-governance.md crawlers/trs.py)
  if (got === 0 && (total === null || read < total)) {
    ctx.warn('proxy-empty', `data proxy returned no records (status ${res.status}, ${res.body.length} bytes): only the records read before it (${read}) are listed for ${p.column}`, step.url);
  }
  let more: boolean;
  if (got === 0) more = false;
  else if (p.method === 'GET' && !p.ranges) more = totalPages !== null ? p.page < totalPages : total !== null ? read < total : fresh > 0;
  else {
    const to = p.offset + p.page * p.step;
    more = total !== null ? to < total : got >= p.step;
  }
  const max = ctx.site.params.maxPages ?? MAX_PROXY_PAGES;
  if (more && p.page >= max) {
    ctx.warn('paging-capped', `${p.column} announces ${total ?? '?'} records${totalPages !== null ? ` on ${totalPages} pages` : ''}; only the first ${max} proxy requests are made`, p.column);
    more = false;
  }
  if (more) {
    ctx.enqueue(pagerStep({ ...p, page: p.page + 1, total, totalPages, seen: [...seen], linkless }));
    return;
  }
  if (total !== null && read < total) ctx.warn('listing-short', `${p.column} announces ${total} records; ${read} were read`, p.column);
}

function jpaasPageSize(unit: JpaasUnit): number {
  const v = unit.query.find(([k]) => k === 'pageSize')?.[1];
  return v && /^\d+$/.test(v) ? Number(v) : DEFAULT_JPAAS_PAGE_SIZE;
}

function jpaasStep(column: string, unit: JpaasUnit, pageNo: number, pageSize: number, seen: string[], total: number | null): Step {
  return { url: jpaasPageUrl(unit, pageNo, pageSize), kind: 'listing', meta: { step: 'jpaas', head: pageNo === 1, column, unit: unit as unknown as Record<string, unknown>, pageNo, pageSize, seen, total } };
}

/** One page of a jpaas unit: the list unit is the one whose html holds article links; it is paged until no new records (or its total). */
async function runJpaas(step: Step, ctx: CrawlContext): Promise<void> {
  const column = step.meta.column ?? step.url;
  const res = await ctx.fetch({ url: step.url, kind: 'listing', headers: { Referer: column } });
  const answer = parseJpaasAnswer(res.text());
  if (!answer.ok) ctx.warn('jpaas-error', `the jpaas unit API answered success:false`, step.url);
  const items = parseLinks(answer.html, column).filter((l) => /\/art\//.test(l.url) || recogniseReportTitle(l.title) !== null);
  emitRecords(ctx, items, column);
  const unit = step.meta.unit as unknown as JpaasUnit | undefined;
  if (!unit || items.length === 0) return; // a header or footer unit, or the end of the list
  const seen = new Set((step.meta.seen as string[] | undefined) ?? []);
  let fresh = 0;
  for (const it of items) {
    const k = recordKey(it.url);
    if (!seen.has(k)) {
      seen.add(k);
      fresh++;
    }
  }
  const total = answer.total ?? ((step.meta.total as number | null | undefined) ?? null);
  const pageNo = Number(step.meta.pageNo ?? 1);
  const pageSize = Number(step.meta.pageSize ?? DEFAULT_JPAAS_PAGE_SIZE);
  let more = fresh > 0 && (total === null || seen.size < total);
  const max = ctx.site.params.maxPages ?? MAX_PROXY_PAGES;
  if (more && pageNo >= max) {
    ctx.warn('paging-capped', `${column}: only the first ${max} pages of the jpaas list are read`, column);
    more = false;
  }
  if (more) ctx.enqueue(jpaasStep(column, unit, pageNo + 1, pageSize, [...seen], total));
  else if (total !== null && seen.size < total) ctx.warn('listing-short', `${column} announces ${total} records; ${seen.size} were read`, column);
}

/**
 * Discovery: from a portal page, follow 政府信息公开 links (depth ≤ 2) until links whose text names
 * the annual reports (政府信息公开年报 / 年度报告) lead to their column(s). Nothing is guessed.
 */
async function runDiscover(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'other' });
  const html = res.text();
  const page = res.finalUrl || step.url;
  // a start page that is itself a jpaas column shell (工信部's 年报 column is not a /col/ page:
  // central-ministries-annual-report-crawlers.md §4): its list units are read as a column's
  const units = isJpaasShell(html) ? listUnitCandidates(parseJpaasUnits(html, page)) : [];
  for (const unit of units) ctx.enqueue(jpaasStep(page, unit, 1, jpaasPageSize(unit), [], null));
  if (units.length > 0) return;
  const cols = findAnnualReportColumns(html, page, ctx.site.params.discoverText);
  for (const c of cols) ctx.enqueue(columnStep(c.url));
  if (hasDatastore(html)) emitRecords(ctx, parseDatastore(html, page).records, page);
  const depth = Number(step.meta.depth ?? 0);
  if (cols.length === 0 && depth < 2) {
    for (const l of findDisclosureLinks(html, page).slice(0, 6)) ctx.enqueue({ url: l.url, kind: 'other', meta: { step: 'discover', depth: depth + 1 } });
  }
}

export const jcmsAdapter: Adapter = {
  platform: 'jcms',
  start(site: Site): Step[] {
    const columns = site.start.map((url): Step => (/\/col\/col\d+\//.test(url) ? columnStep(url) : { url, kind: 'other', meta: { step: 'discover', depth: 0 } }));
    // the xxgk annual-report module and search.jsp directory, where site.yml names them
    return [...columns, ...xxgkStartSteps(site)];
  },
  estimateListings(site: Site, reports: number): number {
    // a start that is not a column is discovered from: its 政府信息公开 page, then the column page
    const discovered = site.start.filter((url) => !/\/col\/col\d+\//.test(url)).length;
    // every start leads to one column (its own, or the one discovered from it); the column page
    // embeds the first group and the data proxy is read from its page 1 on
    const columns = Math.max(1, site.start.length);
    const perColumn = Math.ceil(reports / columns);
    return discovered * 2 + columns * Math.max(1, Math.ceil(perColumn / LISTING_RECORDS_PER_PAGE));
  },
  async run(step: Step, ctx: CrawlContext): Promise<void> {
    if (isXxgkStep(step)) return runXxgkStep(step, ctx);
    switch (step.meta.step) {
      case 'column':
        return runColumn(step, ctx);
      case 'page':
      case 'proxy':
      case 'nextgroup':
        return runPage(step, ctx);
      case 'jpaas':
        return runJpaas(step, ctx);
      case 'discover':
        return runDiscover(step, ctx);
      default:
        throw new OgiError('step-unknown', `jcms adapter has no step "${step.meta.step}"`);
    }
  },
};

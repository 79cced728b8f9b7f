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
import * as cheerio from 'cheerio';
import { OgiError } from '../../domain/errors.ts';
import type { Site } from '../registry.ts';
import type { CrawlContext } from '../context.ts';
import { parseDate } from '../context.ts';
import type { Step } from '../step.ts';
import type { Adapter } from './types.ts';
import { recogniseReportTitle, normaliseTitle } from './titles.ts';

export interface ListItem {
  url: string;
  title: string;
  date: string | null;
}

export interface Datastore {
  records: ListItem[];
  /** absolute URL of the next group (newer GET proxy), when the datastore names one */
  nextgroup: string | null;
  /** `<totalrecord>` of a proxy response */
  totalRecord: number | null;
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

function absolute(base: string, href: string | undefined): string | null {
  if (!href || /^(javascript|mailto):/i.test(href.trim()) || href.trim().startsWith('#')) return null;
  try {
    const u = new URL(href.trim(), base);
    u.hash = '';
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** The link and date of one record fragment (an `li`, a table row, or a bare `a`). */
export function parseRecord(fragment: string, base: string): ListItem | null {
  const $ = cheerio.load(fragment, null, false);
  const links = $('a[href]').toArray();
  // prefer an article link that carries its full title in the title attribute
  const a = links.find((l) => /\/art\//.test($(l).attr('href') ?? '') && $(l).attr('title')) ?? links.find((l) => /\/art\//.test($(l).attr('href') ?? '')) ?? links[0];
  if (!a) return null;
  const url = absolute(base, $(a).attr('href'));
  if (!url) return null;
  const title = normaliseTitle($(a).attr('title') || $(a).text());
  return { url, title, date: parseDate($.root().text().replace(title, '')) };
}

/** Records and the next-group link of a `<datastore>`, embedded in a column page or returned by the proxy. */
export function parseDatastore(text: string, base: string): Datastore {
  const records: ListItem[] = [];
  for (const m of text.matchAll(RECORD)) {
    const frag = m[1] ?? decodeEntities(m[2] ?? '');
    const item = parseRecord(frag, base);
    if (item) records.push(item);
  }
  let nextgroup: string | null = null;
  const ng = NEXTGROUP.exec(text);
  if (ng) {
    const frag = ng[1] ?? decodeEntities(ng[2] ?? '');
    const href = /href\s*=\s*["']([^"']+)["']/i.exec(frag)?.[1] ?? frag.trim();
    nextgroup = href ? absolute(base, decodeEntities(href)) : null;
  }
  const tr = /<totalrecord>\s*(\d+)\s*<\/totalrecord>/i.exec(text);
  return { records, nextgroup, totalRecord: tr ? Number(tr[1]) : null };
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

/**
 * The classic proxy requests that fetch the records after the embedded group: record ranges
 * `from..to` inclusive, `step` records each, up to totalRecord. When the page does not state
 * totalRecord but names its column and unit, one probe request is made; its `<totalrecord>`
 * decides the rest (see runProxy).
 */
export function classicProxySteps(p: JpageParams, pageUrl: string, embedded: number, step: number, fallback: { webid?: string; webname?: string }): Step[] {
  const total = p.totalRecord;
  if (total !== null && total <= embedded) return [];
  if (total === null && (!p.columnid || !p.unitid || embedded === 0)) return [];
  const proxy = absolute(pageUrl, p.proxyUrl ?? '/module/jpage/dataproxy.jsp');
  if (!proxy) return [];
  const form: Record<string, string> = {
    col: '1',
    appid: '1',
    webid: p.webid ?? fallback.webid ?? '',
    path: p.path ?? '/',
    columnid: p.columnid ?? '',
    sourceContentType: p.sourceContentType ?? '1',
    unitid: p.unitid ?? '',
    webname: p.webname ?? fallback.webname ?? '',
    permissiontype: p.permissiontype ?? '0',
  };
  const meta = { proxy, form, perpage: String(p.perPage ?? 15), column: pageUrl, step };
  if (total === null) return [rangeStep(meta, embedded + 1, embedded + step, true)];
  return rangeSteps(meta, embedded + 1, total);
}

interface RangeMeta {
  proxy: string;
  form: Record<string, string>;
  perpage: string;
  column: string;
  step: number;
}

function rangeStep(m: RangeMeta, from: number, to: number, probe = false): Step {
  const u = new URL(m.proxy);
  u.search = `startrecord=${from}&endrecord=${to}&perpage=${m.perpage}`;
  return {
    url: u.href,
    kind: 'listing',
    meta: {
      step: 'proxy',
      method: 'POST',
      form: m.form,
      headers: { Referer: m.column, Origin: new URL(m.column).origin, 'X-Requested-With': 'XMLHttpRequest' },
      column: m.column,
      ...(probe ? { probe: { proxy: m.proxy, perpage: m.perpage, step: m.step, to } } : {}),
    },
  };
}

function rangeSteps(m: RangeMeta, first: number, total: number): Step[] {
  const steps: Step[] = [];
  for (let from = first; from <= total; from += m.step) steps.push(rangeStep(m, from, Math.min(from + m.step - 1, total)));
  return steps;
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

export function jpaasUnitUrl(pageUrl: string, p: JpaasParams): string {
  const u = new URL('/api-gateway/jpaas-publish-server/front/page/build/unit', pageUrl);
  u.search = `parseType=bulidstatic&webId=${encodeURIComponent(p.webId)}&tplSetId=${encodeURIComponent(p.tplSetId)}&pageType=column&tagId=${encodeURIComponent(p.tagId)}&editType=null&pageId=${encodeURIComponent(p.pageId)}`;
  return u.href;
}

/** Links of an HTML fragment or page as list items (jpaas fragments, discovery pages). */
export function parseLinks(html: string, base: string): ListItem[] {
  const $ = cheerio.load(html);
  const out: ListItem[] = [];
  $('a[href]').each((_, el) => {
    const url = absolute(base, $(el).attr('href'));
    if (!url) return;
    const title = normaliseTitle($(el).attr('title') || $(el).text());
    const around = $(el).parent().text();
    out.push({ url, title, date: parseDate(around.replace($(el).text(), '')) });
  });
  return out;
}

const ANNUAL_COLUMN_TEXT = /政府信息公开(?:工作)?(?:年度)?(?:年报|报告)|信息公开年报|年度报告/;
const DISCLOSURE_TEXT = /政府信息公开|信息公开|政务公开/;

/** Links on a portal page that lead to the annual-report column(s), by their link text. */
export function findAnnualReportColumns(html: string, base: string, pattern?: string): ListItem[] {
  const re = pattern ? new RegExp(pattern) : ANNUAL_COLUMN_TEXT;
  const host = new URL(base).hostname;
  return parseLinks(html, base).filter(
    (l) => re.test(l.title) && !/\/art\//.test(l.url) && l.title.length <= 20 && !recogniseReportTitle(l.title) && new URL(l.url).hostname === host,
  );
}

/** Links to the portal's 政府信息公开 pages, where the annual-report column is linked from. */
export function findDisclosureLinks(html: string, base: string): ListItem[] {
  const host = new URL(base).hostname;
  return parseLinks(html, base).filter(
    (l) => DISCLOSURE_TEXT.test(l.title) && l.title.length <= 16 && !/\/art\//.test(l.url) && new URL(l.url).hostname === host,
  );
}

const MAX_PROXY_PAGES = 50;
const DEFAULT_STEP = 45;

/** Report links among listed items, recognised by title; everything else on a listing is news. */
function emitRecords(ctx: CrawlContext, items: ListItem[], foundOn: string): void {
  for (const it of items) {
    const r = recogniseReportTitle(it.title);
    if (r) ctx.emitReport({ url: it.url, title: r.title, year: r.year, agency: r.agency, listedDate: it.date, foundOn });
  }
}

function columnStep(url: string): Step {
  return { url, kind: 'listing', meta: { step: 'column', head: true } };
}

/** Sub-columns of an annual-report column, one per year ("2023年政府信息公开年报", "2022年度"). */
function yearSubColumns(html: string, base: string): ListItem[] {
  return parseLinks(html, base).filter((l) => /\/col\/col\d+\//.test(l.url) && /(?:19|20)\d{2}\s*年/.test(l.title) && /年报|年度报告|年度$/.test(l.title) && new URL(l.url).pathname !== new URL(base).pathname);
}

async function runColumn(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'listing' });
  const html = res.text();
  const page = res.finalUrl || step.url;
  // year columns next to this one (left navigation) or below it (a column of columns)
  for (const sub of yearSubColumns(html, page)) ctx.enqueue(columnStep(sub.url));
  if (!hasDatastore(html)) {
    if (isJpaasShell(html)) {
      const p = parseJpaasParams(html, page);
      if (!p) {
        ctx.warn('jpaas-shell', `${page} is a Hanweb jpaas JS shell and does not state webId/tplSetId/tagId; its list was not read`, page);
        return;
      }
      ctx.warn('jpaas-shell', `${page} is a Hanweb jpaas JS shell; its list is read from the jpaas publish API`, page);
      ctx.enqueue({ url: jpaasUnitUrl(page, p), kind: 'listing', meta: { step: 'jpaas', head: true, column: page } });
      return;
    }
    // a plain page: take the report links it shows
    emitRecords(ctx, parseLinks(html, page), page);
    return;
  }
  const ds = parseDatastore(html, page);
  emitRecords(ctx, ds.records, page);
  if (ds.nextgroup) {
    ctx.enqueue({ url: ds.nextgroup, kind: 'listing', meta: { step: 'nextgroup', column: page, page: 1 } });
    return;
  }
  const params = parseJpageParams(html, page);
  const steps = classicProxySteps(params, page, ds.records.length, Number(ctx.site.params.proxyStep ?? DEFAULT_STEP), {
    webid: ctx.site.params.webid,
    webname: ctx.site.params.webname ?? ctx.site.name,
  });
  const max = ctx.site.params.maxPages ?? MAX_PROXY_PAGES;
  if (steps.length > max) ctx.warn('paging-capped', `${page} has ${params.totalRecord} records; only the first ${max} proxy requests are made`, page);
  for (const s of steps.slice(0, max)) ctx.enqueue(s);
}

async function runProxy(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({
    url: step.url,
    method: step.meta.method ?? 'GET',
    ...(step.meta.form ? { form: step.meta.form } : {}),
    ...(step.meta.headers ? { headers: step.meta.headers } : {}),
    kind: 'listing',
  });
  const ds = parseDatastore(res.text(), step.meta.column ?? step.url);
  if (ds.records.length === 0) ctx.warn('proxy-empty', `data proxy returned no records (status ${res.status})`, step.url);
  emitRecords(ctx, ds.records, step.meta.column ?? step.url);
  const probe = step.meta.probe as { proxy: string; perpage: string; step: number; to: number } | undefined;
  if (probe && ds.totalRecord !== null && ds.totalRecord > probe.to && step.meta.form && step.meta.column) {
    const max = ctx.site.params.maxPages ?? MAX_PROXY_PAGES;
    const rest = rangeSteps({ proxy: probe.proxy, form: step.meta.form, perpage: probe.perpage, column: step.meta.column, step: probe.step }, probe.to + 1, ds.totalRecord);
    if (rest.length > max) ctx.warn('paging-capped', `${step.meta.column} has ${ds.totalRecord} records; only the first ${max} proxy requests are made`, step.meta.column);
    for (const s of rest.slice(0, max)) ctx.enqueue(s);
  }
  if (step.meta.step === 'nextgroup' && ds.nextgroup && ds.nextgroup !== step.url && ds.records.length > 0) {
    const page = Number(step.meta.page ?? 1) + 1;
    if (page > (ctx.site.params.maxPages ?? MAX_PROXY_PAGES)) {
      ctx.warn('paging-capped', `stopped following <nextgroup> after ${page - 1} pages`, step.url);
      return;
    }
    ctx.enqueue({ url: ds.nextgroup, kind: 'listing', meta: { step: 'nextgroup', column: step.meta.column, page } });
  }
}

async function runJpaas(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'listing', headers: { Referer: step.meta.column ?? step.url } });
  emitRecords(ctx, parseLinks(res.text(), step.meta.column ?? step.url), step.meta.column ?? step.url);
}

/**
 * Discovery: from a portal page, follow 政府信息公开 links (depth ≤ 2) until links whose text names
 * the annual reports (政府信息公开年报 / 年度报告) lead to their column(s). Nothing is guessed.
 */
async function runDiscover(step: Step, ctx: CrawlContext): Promise<void> {
  const res = await ctx.fetch({ url: step.url, kind: 'other' });
  const html = res.text();
  const page = res.finalUrl || step.url;
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
    return site.start.map((url) => (/\/col\/col\d+\//.test(url) ? columnStep(url) : { url, kind: 'other', meta: { step: 'discover', depth: 0 } }));
  },
  async run(step: Step, ctx: CrawlContext): Promise<void> {
    switch (step.meta.step) {
      case 'column':
        return runColumn(step, ctx);
      case 'proxy':
      case 'nextgroup':
        return runProxy(step, ctx);
      case 'jpaas':
        return runJpaas(step, ctx);
      case 'discover':
        return runDiscover(step, ctx);
      default:
        throw new OgiError('step-unknown', `jcms adapter has no step "${step.meta.step}"`);
    }
  },
};

/**
 * Guangdong gkmlpt (政府信息公开目录管理平台), the platform of nearly every Guangdong organ
 * (shared/evidence/other-provinces/PLATFORMS.md §2.1; behaviours and their evidence in README.md).
 *
 * A site base is a host plus an optional path prefix (http://www.gd.gov.cn,
 * http://www.zhaoqing.gov.cn/zqhjj); every gkmlpt URL hangs off it. `/gkmlpt/index` is a Vue shell
 * whose inline `window._CONFIG` carries the site id (SID) and the category tree (TREE); the list of
 * a category is JSON from `/gkmlpt/api/all/<category>?page=N&sid=<SID>` (`classify.post_count`,
 * `articles[]`); report pages are `/gkmlpt/content/<⌊id/1e6⌋>/<⌊id/1e3⌋>/post_<id>.html`.
 * The parsers below are pure functions of text, tested over the real excerpts in excerpts/.
 */
import { OgiError } from '../../../src/domain/errors.ts';
import type { Site } from '../../../src/crawl/registry.ts';
import type { CrawlContext } from '../../../src/crawl/context.ts';
import { parseDate } from '../../../src/crawl/context.ts';
import type { Step } from '../../../src/crawl/step.ts';
import type { Adapter } from '../../../src/crawl/adapters/types.ts';
import { parseLinks } from '../../../src/crawl/adapters/links.ts';
import { normaliseTitle, recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';
import type { GkmlptParams } from './params.ts';

/** One node of `_CONFIG.TREE`: id, name, children, post_count, jump_url (gkmlpt-china-governance-excerpts.md, discover_site) */
export interface TreeNode {
  id: number | string;
  name: string;
  children?: TreeNode[];
  post_count?: number;
  jump_url?: string | null;
}

export interface GkmlptConfig {
  sid: string | null;
  tree: TreeNode[] | null;
}

export interface GkmlptArticle {
  /** the post id (also the report's key: one report, many URLs) */
  id: string | null;
  title: string;
  url: string | null;
  postUrl: string | null;
  /** YYYY-MM-DD, Beijing time */
  date: string | null;
  publisher: string | null;
}

export interface ApiAnswer {
  /** `classify.post_count` (or a top-level `total`), null when the answer states none */
  postCount: number | null;
  articles: GkmlptArticle[];
}

/** `{base}` of a gkmlpt URL: everything before `/gkmlpt/` or `/attachment/`; a URL without it is taken as the base itself (a home page). */
export function gkmlptBase(url: string): string {
  const u = new URL(url);
  const at = u.pathname.search(/\/(?:gkmlpt|attachment)\//);
  const path = at >= 0 ? u.pathname.slice(0, at) : u.pathname.replace(/\/(?:index\.[a-z]+)?$/i, '');
  return `${u.protocol}//${u.host}${path.replace(/\/+$/, '')}`;
}

/** The category a gkmlpt page URL names after `#` (`/gkmlpt/annualreport#2629`, `/gkmlpt/index#721`) or an API URL names (`api/all/2629`). */
export function categoryOfUrl(url: string): string | null {
  return /\/gkmlpt\/(?:annualreport|index|policy|mindex)#(\d+)\b/.exec(url)?.[1] ?? /\/gkmlpt\/api\/all\/(\d+)/.exec(url)?.[1] ?? null;
}

/** The JSON value starting at `text[from]` (an array or object), by bracket matching that skips strings. */
function jsonAt(text: string, from: number): string | null {
  const open = text[from];
  if (open !== '[' && open !== '{') return null;
  let depth = 0;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(from, i + 1);
    }
  }
  return null;
}

/**
 * SID and TREE of a gkmlpt page's inline `window._CONFIG = {… SID: '755041', … TREE: [...], SERVICE_AREA_ID …}`
 * (the regex `SID:\s*'(\d+)'` and the TREE parse of china-governance's discover_site).
 */
export function parseConfig(html: string): GkmlptConfig {
  const at = html.search(/window\._CONFIG\s*=\s*\{/);
  const config = at >= 0 ? html.slice(at) : '';
  const sid = /\bSID\s*:\s*["'](\d+)["']/.exec(config)?.[1] ?? null;
  let tree: TreeNode[] | null = null;
  const t = /\bTREE\s*:\s*\[/.exec(config);
  if (t) {
    const json = jsonAt(config, t.index + t[0].length - 1);
    try {
      const parsed = json ? (JSON.parse(json) as unknown) : null;
      if (Array.isArray(parsed)) tree = parsed as TreeNode[];
    } catch {
      tree = null;
    }
  }
  return { sid, tree };
}

// the category of the annual reports: 政府信息公开年报 (PLATFORMS.md §2.1 "How to find that id", step 2: a TREE name like /年报|年度报告/)
const ANNUAL_NAME = /年报|年度报告|annualreport/i;

/** The TREE node of the annual reports: named like 年报/年度报告 (an exact 政府信息公开… name first), depth first. */
export function findAnnualCategory(tree: TreeNode[]): TreeNode | null {
  const all: TreeNode[] = [];
  const walk = (nodes: TreeNode[]): void => {
    for (const n of nodes) {
      if (n && typeof n === 'object') {
        all.push(n);
        if (Array.isArray(n.children)) walk(n.children);
      }
    }
  };
  walk(tree);
  const named = all.filter((n) => typeof n.name === 'string' && ANNUAL_NAME.test(n.name));
  return named.find((n) => /信息公开/.test(n.name) && !n.jump_url) ?? named.find((n) => !n.jump_url) ?? named[0] ?? null;
}

/** `%uXXXX`-escaped text, as some hosts return titles (zfcxjst, gdaudit, zhxz: gkmlpt-other-sources.md §I). */
export function unescapePercentU(s: string): string {
  return s.replace(/%u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The gkmlpt page of a post: `{base}/gkmlpt/content/{⌊id/1e6⌋}/{⌊id/1e3⌋}/post_{id}.html` (PLATFORMS.md §2.1 "URL rule"). */
export function postPageUrl(base: string, id: string): string {
  const n = Number(id);
  return `${base}/gkmlpt/content/${Math.floor(n / 1e6)}/${Math.floor(n / 1e3)}/post_${id}.html`;
}

/** An attachment of a post: `{base}/attachment/{⌊attId/1e6⌋}/{⌊attId/1e3⌋}/{attId}/{postId}.{ext}`. */
export function attachmentUrl(base: string, attId: string, postId: string, ext: string): string {
  const n = Number(attId);
  return `${base}/attachment/${Math.floor(n / 1e6)}/${Math.floor(n / 1e3)}/${attId}/${postId}.${ext}`;
}

/** The post id a page URL names: gkmlpt `…/post_<id>.html`, `mpost_<id>`, or an NFCMS column's `…/content/post_<id>.html`. */
export function postIdOf(url: string): string | null {
  return /\/m?post_(\d+)\.html(?:[?#]|$)/.exec(url)?.[1] ?? null;
}

/** YYYY-MM-DD in Beijing time of unix seconds. */
function beijingDate(seconds: number): string | null {
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 10);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** The publish date of an article: `date` (unix seconds), else `created_at` ("YYYY-MM-DD HH:MM:SS"), `create_time`, `display_publish_time`. */
function articleDate(a: Record<string, unknown>): string | null {
  for (const k of ['date', 'created_at', 'create_time', 'display_publish_time']) {
    const v = a[k];
    if (typeof v === 'number' || (typeof v === 'string' && /^\d{9,11}$/.test(v))) {
      const d = beijingDate(Number(v));
      if (d) return d;
    } else if (typeof v === 'string') {
      const d = parseDate(v);
      if (d) return d;
    }
  }
  return null;
}

/**
 * One answer of the list API: `{"classify":{…,"post_count":203},"articles":[{id,title,date,url,post_url,publisher,attachment[]}]}`
 * (gkmlpt-other-sources.md §A, gkmlpt-china-governance-excerpts.md); `articles` also under `data`
 * (the 卫健委 module, §K) and the count as `total` (the Yangjiang fixture, §D). Not JSON: gkmlpt-bad-json.
 * `attachment[]` is not read: the report page links the same files (`a.nfw-cms-attachment`), and the
 * report step takes them from there.
 */
export function parseApiAnswer(text: string, answerUrl: string): ApiAnswer {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new OgiError('gkmlpt-bad-json', `${answerUrl} did not answer JSON (${text.slice(0, 60).replace(/\s+/g, ' ')}…)`);
  }
  const o = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const data = (o.data && typeof o.data === 'object' ? o.data : {}) as Record<string, unknown>;
  const raw = Array.isArray(o.articles) ? o.articles : Array.isArray(data.articles) ? data.articles : [];
  const classify = (o.classify && typeof o.classify === 'object' ? o.classify : {}) as Record<string, unknown>;
  const count = classify.post_count ?? o.total ?? data.total;
  const postCount = typeof count === 'number' || (typeof count === 'string' && /^\d+$/.test(count)) ? Number(count) : null;
  const articles: GkmlptArticle[] = [];
  for (const item of raw) {
    if (!item || typeof item !== 'object') continue;
    const a = item as Record<string, unknown>;
    articles.push({
      id: str(a.id),
      title: normaliseTitle(unescapePercentU(str(a.title) ?? '')),
      url: str(a.url),
      postUrl: str(a.post_url),
      date: articleDate(a),
      publisher: str(a.publisher) ? unescapePercentU(str(a.publisher) ?? '') : null,
    });
  }
  return { postCount, articles };
}

/**
 * The one URL a report is fetched from, whatever URL a listing gives it: a post on the listing's
 * host is its gkmlpt page under the listing's base (post_, not mpost_; the NFCMS column form
 * `…/content/post_<id>.html` carries the same id: guangdong-report-pages.md §2–§5), so a report
 * listed under several URLs is fetched once, and over the scheme the listing was read with (HTTP
 * where HTTPS fails: PLATFORMS.md §2.1 "Encoding and anti-bot"). A post on another host keeps its URL.
 */
export function reportUrl(base: string, given: string | null, id: string | null): string | null {
  const baseUrl = new URL(base);
  let abs: URL | null = null;
  try {
    abs = given ? new URL(given, `${base}/`) : null;
  } catch {
    abs = null;
  }
  const post = id ?? (abs ? postIdOf(abs.href) : null);
  if (post && (!abs || abs.hostname === baseUrl.hostname)) return postPageUrl(base, post);
  if (!abs) return null;
  abs.pathname = abs.pathname.replace(/\/mpost_(\d+)\.html$/, '/post_$1.html');
  abs.hash = '';
  return abs.href;
}

/** The list API request of one page (1-based: page 0 answers as page 1, gkmlpt-china-governance-excerpts.md). */
export function apiUrl(base: string, category: string, page: number, sid: string | null): string {
  return `${base}/gkmlpt/api/all/${category}?page=${page}${sid ? `&sid=${sid}` : ''}`;
}

const MAX_API_PAGES = 50;

interface ApiMeta {
  base: string;
  category: string;
  sid: string | null;
  page: number;
  postCount: number | null;
  /** post ids (or URLs) served so far */
  seen: string[];
}

function apiStep(m: ApiMeta): Step {
  return {
    url: apiUrl(m.base, m.category, m.page, m.sid),
    kind: 'listing',
    meta: {
      step: 'api',
      head: m.page === 1,
      column: `${m.base}/gkmlpt/annualreport#${m.category}`,
      // the SPA's own request (rsj.gz.gov.cn headers, gkmlpt-other-sources.md §H)
      headers: { Accept: 'application/json, text/javascript, */*; q=0.01', Referer: `${m.base}/gkmlpt/annualreport`, 'X-Requested-With': 'XMLHttpRequest' },
      gkmlpt: m as unknown as Record<string, unknown>,
    },
  };
}

function paramsOf(site: Site): GkmlptParams {
  return (site.params.gkmlpt ?? {}) as GkmlptParams;
}

function sidFor(site: Site, read: string | null): string | null {
  const p = paramsOf(site);
  return p.noSid ? null : (p.sid ?? read);
}

/** Reads `_CONFIG` of /gkmlpt/index: SID, and the annual-report category from TREE unless the start named it. */
async function runIndex(step: Step, ctx: CrawlContext): Promise<void> {
  const base = String(step.meta.base);
  const res = await ctx.fetch({ url: step.url, kind: 'other' });
  const config = parseConfig(res.text());
  const sid = sidFor(ctx.site, config.sid);
  if (!sid && !paramsOf(ctx.site).noSid) ctx.warn('gkmlpt-no-sid', `${step.url} states no SID in window._CONFIG; the list API is asked without sid`, step.url);
  const named = (step.meta.category as string | undefined) ?? null;
  if (named) {
    ctx.enqueue(apiStep({ base, category: named, sid, page: 1, postCount: null, seen: [] }));
    return;
  }
  const node = config.tree ? findAnnualCategory(config.tree) : null;
  if (node && !node.jump_url) {
    ctx.enqueue(apiStep({ base, category: String(node.id), sid, page: 1, postCount: null, seen: [] }));
  } else if (node?.jump_url) {
    const jump = ctx.resolve(res.finalUrl || step.url, node.jump_url);
    if (jump) ctx.enqueue({ url: jump, kind: 'listing', meta: { step: 'jump', head: true, base } });
  } else {
    // not in the tree: the 年报 view /gkmlpt/annualreport (whly.gd.gov.cn, gkmlpt-other-sources.md §C)
    ctx.enqueue({ url: `${base}/gkmlpt/annualreport`, kind: 'other', meta: { step: 'annualreport', base, sid } });
  }
}

/**
 * The 年报 view /gkmlpt/annualreport: its `_CONFIG` TREE, or a link or API path on it that names
 * the category (assumed: PLATFORMS.md §2.1 "How to find that id" is inferred, untested) — not
 * category 0, which lists every category (gkmlpt-other-sources.md §I). Nothing
 * found: category-not-found (and, with no other listing read, the site's column-not-found).
 */
async function runAnnualReport(step: Step, ctx: CrawlContext): Promise<void> {
  const base = String(step.meta.base);
  const res = await ctx.fetch({ url: step.url, kind: 'other' });
  const html = res.text();
  const config = parseConfig(html);
  const sid = (step.meta.sid as string | null | undefined) ?? sidFor(ctx.site, config.sid);
  const node = config.tree ? findAnnualCategory(config.tree) : null;
  const category = (node && !node.jump_url ? String(node.id) : null) ?? /annualreport#([1-9]\d*)/.exec(html)?.[1] ?? /\/gkmlpt\/api\/all\/([1-9]\d*)/.exec(html)?.[1] ?? null;
  if (category) {
    ctx.enqueue(apiStep({ base, category, sid, page: 1, postCount: null, seen: [] }));
    return;
  }
  ctx.warn('category-not-found', `${base}: neither /gkmlpt/index nor /gkmlpt/annualreport names a 政府信息公开年报 category`, step.url);
}

/** Emits the report among one answer's articles; an article the title does not recognise is counted. */
function emitArticles(ctx: CrawlContext, m: ApiMeta, articles: GkmlptArticle[], seen: Set<string>, foundOn: string): { fresh: number; unrecognised: string[] } {
  let fresh = 0;
  const unrecognised: string[] = [];
  for (const a of articles) {
    const key = a.id ?? a.url ?? a.postUrl ?? a.title;
    if (seen.has(key)) continue;
    seen.add(key);
    fresh++;
    // the gkmlpt URL first; post_url is the alternative form (gkmlpt-china-governance-excerpts.md)
    const given = [a.url, a.postUrl].find((u) => u && /\/gkmlpt\/content\//.test(u)) ?? a.url ?? a.postUrl;
    const url = reportUrl(m.base, given, a.id);
    const r = recogniseReportTitle(a.title);
    if (!url || !r) {
      unrecognised.push(a.title || key);
      continue;
    }
    ctx.emitReport({ url, title: r.title, year: r.year, agency: r.agency ?? a.publisher, listedDate: a.date, foundOn });
  }
  return { fresh, unrecognised };
}

/**
 * One page of a category's list. Two paging behaviours are reported (PLATFORMS.md §2.1 "Paging"):
 * pages 1, 2, … each the next batch until `post_count` (china-governance), or one page only with
 * page ≥ 2 answering 404 (the 肇庆 write-up). Either way the loop never runs away: it stops on a
 * 404 past page 1, an empty page, a page that serves no post not already read (a repeat), on
 * reaching post_count, or at maxPages; when fewer posts were served than post_count it warns
 * `listing-short` (the served window is shorter than post_count on real sites).
 */
async function runApi(step: Step, ctx: CrawlContext): Promise<void> {
  const m = step.meta.gkmlpt as unknown as ApiMeta;
  const column = String(step.meta.column ?? step.url);
  let text: string;
  try {
    const res = await ctx.fetch({ url: step.url, kind: 'listing', ...(step.meta.headers ? { headers: step.meta.headers } : {}) });
    text = res.text();
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (m.page > 1 && (status === 404 || (e as { code?: string }).code === 'http-404')) {
      shortfall(ctx, m, m.seen.length, `page ${m.page} answered 404`, column);
      return;
    }
    throw e;
  }
  const answer = parseApiAnswer(text, step.url);
  const postCount = m.postCount ?? answer.postCount;
  const seen = new Set(m.seen);
  const { fresh, unrecognised } = emitArticles(ctx, m, answer.articles, seen, column);
  if (unrecognised.length > 0) {
    ctx.warn('title-unrecognised', `${unrecognised.length} post(s) of category ${m.category} are not recognised as annual reports by their titles: ${unrecognised.slice(0, 3).join('；')}`, step.url);
  }
  const why =
    answer.articles.length === 0
      ? `page ${m.page} is empty`
      : fresh === 0
        ? `page ${m.page} repeats posts already read`
        : postCount !== null && seen.size >= postCount
          ? 'post_count was reached'
          : m.page >= (ctx.site.params.maxPages ?? MAX_API_PAGES)
            ? 'the page cap'
            : null;
  if (why === null) {
    ctx.enqueue(apiStep({ ...m, page: m.page + 1, postCount, seen: [...seen] }));
    return;
  }
  if (why === 'the page cap') ctx.warn('paging-capped', `${column}: only the first ${m.page} pages of the list API are read`, column);
  if (m.page === 1 && answer.articles.length === 0) ctx.warn('category-empty', `category ${m.category} lists no post`, step.url);
  shortfall(ctx, { ...m, postCount }, seen.size, why, column);
}

function shortfall(ctx: CrawlContext, m: ApiMeta, served: number, why: string, column: string): void {
  if (m.postCount !== null && served < m.postCount) {
    ctx.warn('listing-short', `${column}: classify.post_count is ${m.postCount}; ${served} posts were served (${why})`, column);
  }
}

/** A category whose TREE node jumps off the platform (jump_url): the page it names, its report links taken by title (assumed: no capture shows a jumping 年报 node). */
async function runJump(step: Step, ctx: CrawlContext): Promise<void> {
  const base = String(step.meta.base);
  const res = await ctx.fetch({ url: step.url, kind: 'listing' });
  const page = res.finalUrl || step.url;
  for (const l of parseLinks(res.text(), page)) {
    const r = recogniseReportTitle(l.title);
    const url = r ? reportUrl(base, l.url, postIdOf(l.url)) : null;
    if (r && url) ctx.emitReport({ url, title: r.title, year: r.year, agency: r.agency, listedDate: l.date, foundOn: page });
  }
}

export const gkmlptAdapter: Adapter = {
  platform: 'gkmlpt',
  start(site: Site): Step[] {
    const p = paramsOf(site);
    const steps: Step[] = [];
    for (const url of site.start) {
      const base = gkmlptBase(url);
      const category = categoryOfUrl(url) ?? p.category ?? null;
      const sid = p.noSid ? null : (p.sid ?? null);
      // a start that names its category and a known SID goes straight to the list API
      const step: Step =
        category && (sid || p.noSid)
          ? apiStep({ base, category, sid, page: 1, postCount: null, seen: [] })
          : { url: `${base}/gkmlpt/index`, kind: 'other', meta: { step: 'index', base, ...(category ? { category } : {}) } };
      if (!steps.some((s) => s.url === step.url)) steps.push(step);
    }
    return steps;
  },
  async run(step: Step, ctx: CrawlContext): Promise<void> {
    switch (step.meta.step) {
      case 'index':
        return runIndex(step, ctx);
      case 'annualreport':
        return runAnnualReport(step, ctx);
      case 'api':
        return runApi(step, ctx);
      case 'jump':
        return runJump(step, ctx);
      default:
        throw new OgiError('step-unknown', `gkmlpt adapter has no step "${step.meta.step}"`);
    }
  },
};

/**
 * One crawl: for each site, drain its frontier (SQLite, shared with the Fetcher) step by step.
 * Listing steps go to the site's platform adapter; report steps fetch the article and its
 * attachments (archived by the Fetcher), extract them and load the best reading into the database
 * with its source URL. Every step is committed together with what it discovered, so a crawl killed
 * at any moment resumes where it stopped: a site with pending steps continues, a drained site
 * starts over (a finished crawl is not a resume point). Sites run concurrently; the Fetcher keeps
 * one request at a time per host.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorCode, errorText } from '../domain/errors.ts';
import { ingestReport, MAX_PAGE_PICTURES, sourceDocument, type IngestOutcome, type SourceDocument } from '../ingest/index.ts';
import { closeDatabase, openDatabase, type OgiDatabase } from '../load/index.ts';
import { loadAdapter } from './adapters/index.ts';
import { linkedAsPdf, parseArticle, type ArticlePage } from './adapters/article.ts';
import type { Adapter } from './adapters/types.ts';
import { CrawlContext, RequestBudget } from './context.ts';
import type { CrawlWarning, ReportLink, Step, StepMeta } from './step.ts';
import { fetcherForSites, type FetchTuning } from './fetch/for-sites.ts';
import type { Fetcher } from './fetch/index.ts';
import type { Site } from './registry.ts';
import { acquireLock, type Frontier, type FrontierItem, type JsonObject, type NewFrontierItem } from './state/index.ts';

export interface CrawlOptions {
  sites: Site[];
  dataDir: string;
  dbPath: string;
  /** send every request to this base URL, keeping the real Host header (a local copy of the portals, a recording proxy) */
  via?: string;
  /** start no new step after this many requests in total; unfinished sites resume on the next run */
  maxRequests?: number;
  /** per-host delay (ms) for sites that do not set their own */
  delayMs?: number;
  browser?: 'auto' | 'never';
  onProgress?: (p: CrawlProgress) => void;
  /** timeouts, body limit and retry settings passed to the Fetcher (tests keep them tiny) */
  fetch?: FetchTuning;
  /** a report link for which this returns true is already loaded and is not fetched again (ogi nightly) */
  isKnownReport?: (site: string, url: string, meta: ReportMeta) => boolean;
}

export interface CrawlProgress {
  site: string;
  done: number;
  total: number;
  requests: number;
}

export type ReportStatus = 'new' | 'changed' | 'unchanged' | 'failed' | 'skipped';

/** The first page of a column as a finished walk saw it: what the nightly scout compares. */
export interface Head {
  url: string;
  sha256: string | null;
}

/** What became of one report link of a site. */
export interface ReportLinkResult {
  url: string;
  title: string | null;
  year: number | null;
  listedDate: string | null;
  /**
   * pending: not reached yet (request budget); failed: could not be fetched; skipped: refused on
   * purpose (robots.txt, host not allowed) or gone (a removed document's stub); known: loaded before, not fetched again
   * (isKnownReport); ingested: fetched and taken through ingest (its outcome)
   */
  state: 'pending' | 'failed' | 'skipped' | 'known' | 'ingested';
  /** why it failed or was skipped: "code: sentence" */
  error: string | null;
  outcome: IngestOutcome | null;
  /** what the report's fetch met on the way: attachment-failed, image-failed, pdf-arrived-as-html, year-mismatch */
  warnings: CrawlWarning[];
}

export interface SiteSummary {
  site: string;
  listings: number;
  reportsFound: number;
  new: number;
  changed: number;
  unchanged: number;
  /** fetched but could not be fetched/extracted */
  failed: number;
  /** refused on purpose: robots.txt, host not allowed */
  skipped: number;
  /** steps left for the next run (budget used up) */
  pending: number;
  warnings: CrawlWarning[];
  /** every report link found, with what became of it */
  links: ReportLinkResult[];
  /** the first page of each column read (the steps its adapter marks `head`), once the walk finished */
  heads: Head[];
}

export interface CrawlSummary {
  runId: string;
  sites: SiteSummary[];
  requests: number;
  browserHosts: string[];
  complete: boolean;
}

// refused on purpose, or (gone) a listed document the portal no longer publishes: nothing to retry
const SKIP_CODES = new Set(['robots-disallowed', 'host-not-allowed', 'address-not-allowed', 'gone']);

export interface ReportMeta extends JsonObject {
  step: 'report';
  title: string;
  year: number;
  agency: string | null;
  listedDate: string | null;
  foundOn: string | null;
}

/**
 * The frontier keys an item by its URL; a column page that is itself a report (a single-article
 * column) is both a listing step and a report, so its report step gets this suffix on the key.
 * A fragment is never sent, and it is taken off again wherever the report's URL is used.
 */
const SELF_REPORT = '#ogi-report';

function reportItem(r: ReportLink, listingUrl?: string): NewFrontierItem {
  const meta: ReportMeta = { step: 'report', title: r.title, year: r.year, agency: r.agency, listedDate: r.listedDate ?? null, foundOn: r.foundOn ?? null };
  return { url: r.url === listingUrl ? `${r.url}${SELF_REPORT}` : r.url, kind: 'article', meta };
}

/** The report URL of a frontier key (see SELF_REPORT). */
export function reportUrlOf(key: string): string {
  return key.endsWith(SELF_REPORT) ? key.slice(0, -SELF_REPORT.length) : key;
}

/** The level of a reporting organ, from its name; the site's level when the name says nothing. */
export function agencyLevel(name: string | null, site: Site): string {
  if (!name) return site.level;
  if (/(镇|乡|街道)(人民政府|办事处)?$|[镇乡]）$|街道办事处$/.test(name)) return 'township';
  if (/(局|委员会|委|厅|办公室|办|中心|署|院)$/.test(name)) return 'department';
  return site.level;
}

/** What the frontier keeps of a report step: its outcome, or that it was known and not fetched. */
type ReportStepResult = { known: true } | { outcome: IngestOutcome; warnings: CrawlWarning[] };

/** How a report link counts in a site's summary: new, changed, unchanged or failed (skipped and pending count apart). */
export function reportStatus(link: ReportLinkResult): 'new' | 'changed' | 'unchanged' | 'failed' | 'skipped' | null {
  if (link.state === 'pending') return null;
  if (link.state === 'skipped') return 'skipped';
  if (link.state === 'failed') return 'failed';
  if (link.state === 'known') return 'unchanged';
  switch (link.outcome?.status) {
    case 'new':
      return 'new';
    case 'new-version':
    case 're-extracted':
      return 'changed';
    case 'unchanged':
      return 'unchanged';
    default:
      return 'failed';
  }
}

/** what a report link that is not an HTML page has of one: nothing to follow */
const NO_PAGE: ArticlePage = { title: null, publishedAt: null, contentSource: null, columnName: null, container: null, attachments: [], images: [] };

class SiteRun {
  constructor(
    readonly site: Site,
    readonly adapter: Adapter,
    readonly frontier: Frontier,
    readonly fetcher: Fetcher,
    readonly db: OgiDatabase,
    readonly budget: RequestBudget,
    readonly onProgress?: (p: CrawlProgress) => void,
    readonly isKnownReport?: CrawlOptions['isKnownReport'],
  ) {}

  start(): void {
    if (this.frontier.pendingCount(this.site.id) > 0) return; // an interrupted crawl: resume it
    this.frontier.reset(this.site.id);
    this.frontier.enqueueMany(
      this.site.id,
      this.adapter.start(this.site).map((s) => ({ url: s.url, kind: s.kind, meta: s.meta })),
    );
  }

  async drain(): Promise<void> {
    for (;;) {
      if (this.budget.exhausted) return;
      const item = this.frontier.nextPending(this.site.id);
      if (!item) return;
      try {
        if (item.kind === 'article') await this.report(item);
        else await this.listing(item);
      } catch (e) {
        this.frontier.markFailed(item.id, errorCode(e, 'crawl-error'), errorText(e, 'crawl-error'));
      }
      const c = this.frontier.counts(this.site.id);
      this.onProgress?.({ site: this.site.id, done: c.done + c.failed, total: c.done + c.failed + c.pending, requests: this.budget.used });
    }
  }

  private async listing(item: FrontierItem): Promise<void> {
    const ctx = new CrawlContext(this.site, this.fetcher, this.budget);
    const step: Step = { url: item.url, kind: item.kind === 'listing' ? 'listing' : 'other', meta: (item.meta ?? { step: 'column' }) as StepMeta };
    await this.adapter.run(step, ctx);
    const discovered: NewFrontierItem[] = [
      ...ctx.steps.map((s) => ({ url: s.url, kind: s.kind, meta: s.meta })),
      ...ctx.reports.map((r) => reportItem(r, item.url)),
    ];
    this.frontier.markDone(item.id, { warnings: ctx.warnings as unknown as JsonObject[], reports: ctx.reports.length }, discovered);
  }

  private async report(item: FrontierItem): Promise<void> {
    const meta = item.meta as ReportMeta;
    const url = reportUrlOf(item.url);
    if (this.isKnownReport?.(this.site.id, url, meta)) {
      this.frontier.markDone(item.id, { known: true } satisfies ReportStepResult);
      return;
    }
    const ctx = new CrawlContext(this.site, this.fetcher, this.budget);
    const res = await ctx.fetch({ url, kind: 'article' });
    const listed = sourceDocument(res.body, { url: res.finalUrl, sha256: res.sha256, contentType: res.contentType });
    // a listing may link the document itself (a Fujian docpuburl ending in .pdf, PLATFORMS.md §3
    // "Attachments"): only a text page is read for attachments and pictures
    const page = listed.mediaType.startsWith('text/') ? parseArticle(res.text(), res.finalUrl) : NO_PAGE;
    const documents: SourceDocument[] = [listed];
    for (const a of page.attachments) {
      try {
        const r = await ctx.fetch({ url: a.url, kind: 'attachment', headers: { Referer: res.finalUrl } });
        const d = sourceDocument(r.body, { url: r.finalUrl, sha256: r.sha256, contentType: r.contentType });
        // a portal answers a missing file with an HTML page: the site may have broken
        if (linkedAsPdf(a.url) && d.mediaType === 'text/html') ctx.warn('pdf-arrived-as-html', 'an attachment linked as a PDF arrived as an HTML page', a.url);
        documents.push(d);
      } catch (e) {
        ctx.warn('attachment-failed', (e as Error).message, a.url);
      }
    }
    const outcome = await ingestReport(this.db, {
      documents,
      complete: !ctx.warnings.some((w) => w.code === 'attachment-failed'),
      // the tables may be pictures on the page; they are fetched only when ingest needs them
      pictures: { count: page.images.length, fetch: () => this.pictures(page.images, res.finalUrl, ctx) },
      hints: { title: meta.title, year: meta.year, agency: meta.agency },
      agency: { regionCode: this.site.region, level: (name) => agencyLevel(name, this.site) },
      warn: (code, message, url) => ctx.warn(code, message, url),
    });
    this.frontier.markDone(item.id, { outcome, warnings: ctx.warnings } satisfies ReportStepResult);
  }

  private async pictures(urls: string[], pageUrl: string, ctx: CrawlContext): Promise<SourceDocument[]> {
    const parts: SourceDocument[] = [];
    for (const url of urls.slice(0, MAX_PAGE_PICTURES)) {
      try {
        const r = await ctx.fetch({ url, kind: 'attachment', headers: { Referer: pageUrl } });
        // named by the URL the page shows, which is what the page's cells name as their source
        parts.push(sourceDocument(r.body, { url, sha256: r.sha256, contentType: r.contentType }));
      } catch (e) {
        ctx.warn('image-failed', (e as Error).message, url);
      }
    }
    return parts;
  }

  private linkResult(it: FrontierItem): ReportLinkResult {
    const meta = (it.meta ?? {}) as Partial<ReportMeta>;
    const base = { url: reportUrlOf(it.url), title: meta.title ?? null, year: meta.year ?? null, listedDate: meta.listedDate ?? null, error: null, outcome: null, warnings: [] };
    if (it.status === 'pending') return { ...base, state: 'pending' };
    if (it.status === 'failed') return { ...base, state: SKIP_CODES.has(it.errorCode ?? '') ? 'skipped' : 'failed', error: it.error };
    const result = it.result as ReportStepResult | null;
    if (!result || 'known' in result) return { ...base, state: 'known' };
    return { ...base, state: 'ingested', outcome: result.outcome, warnings: result.warnings };
  }

  summary(): SiteSummary {
    const items = this.frontier.list(this.site.id);
    const s: SiteSummary = { site: this.site.id, listings: 0, reportsFound: 0, new: 0, changed: 0, unchanged: 0, failed: 0, skipped: 0, pending: 0, warnings: [], links: [], heads: [] };
    for (const it of items) {
      if (it.status === 'pending') s.pending++;
      if (it.kind !== 'article') {
        s.warnings.push(...((it.result?.warnings ?? []) as CrawlWarning[]));
        if (it.status === 'done') s.listings++;
        if (it.status === 'failed') s.warnings.push({ site: this.site.id, code: 'listing-failed', message: it.error ?? '', url: it.url });
        continue;
      }
      s.reportsFound++;
      const link = this.linkResult(it);
      s.links.push(link);
      s.warnings.push(...link.warnings);
      if (link.state === 'failed' || link.state === 'skipped') {
        // a removed document (the fetch layer's `gone`) is listed but no longer published: not a fetch failure
        const code = it.errorCode === 'gone' ? 'report-gone' : link.state === 'skipped' ? 'report-skipped' : 'report-failed';
        s.warnings.push({ site: this.site.id, code, message: link.error ?? '', url: link.url });
      }
      const status = reportStatus(link);
      if (status) s[status]++;
    }
    if (s.pending === 0 && !items.some((i) => i.kind === 'listing' && i.status === 'done')) {
      s.warnings.push({ site: this.site.id, code: 'column-not-found', message: 'no annual-report listing was found or read for this site' });
    }
    // the site's expectations (site.yml) catch silent breakage: a redesign that empties a listing
    const { minReports, maxReports } = this.site.expect;
    if (s.pending === 0 && s.reportsFound < minReports) {
      s.warnings.push({ site: this.site.id, code: 'too-few-reports', message: `found ${s.reportsFound} report links, expected at least ${minReports}` });
    }
    if (maxReports !== undefined && s.reportsFound > maxReports) {
      s.warnings.push({ site: this.site.id, code: 'too-many-reports', message: `found ${s.reportsFound} report links, expected at most ${maxReports}` });
    }
    // hosts that blocked the crawler (a WAF page or a challenge, still there after the host's one
    // browser attempt): one warning per host, whatever step of this site met it
    for (const b of this.fetcher.stats().blockedHosts) {
      if (!b.sites.includes(this.site.id)) continue;
      s.warnings.push({ site: this.site.id, code: 'blocked', message: `${b.host} blocks the crawler (${b.reason}); nothing more was fetched from it in this run`, url: b.url });
    }
    // hosts read over http because their https failed in the TLS handshake: worth knowing, not an error
    for (const h of this.fetcher.stats().httpFallbackHosts) {
      if (!h.sites.includes(this.site.id)) continue;
      s.warnings.push({ site: this.site.id, code: 'http-fallback', message: `${h.host} was read over http: its https failed (${h.error})`, url: h.url });
    }
    // the heads of a finished walk: the first page of each column the adapter marks as one
    if (s.pending === 0) {
      for (const it of items) {
        if (it.kind === 'listing' && it.status === 'done' && it.meta?.head === true) s.heads.push({ url: it.url, sha256: this.fetcher.state.cache.get(it.url)?.sha256 ?? null });
      }
    }
    return s;
  }
}

export async function runCrawl(opts: CrawlOptions): Promise<CrawlSummary> {
  const lock = acquireLock(opts.dataDir);
  const fetcher = fetcherForSites(opts.sites, opts);
  const db = openDatabase(opts.dbPath);
  const budget = new RequestBudget(opts.maxRequests ?? Infinity);
  try {
    const adapters = await Promise.all(opts.sites.map((s) => loadAdapter(s)));
    const runs = opts.sites.map((s, i) => new SiteRun(s, adapters[i] as Adapter, fetcher.state.frontier, fetcher, db, budget, opts.onProgress, opts.isKnownReport));
    for (const r of runs) r.start();
    await Promise.all(runs.map((r) => r.drain()));
    const sites = runs.map((r) => r.summary());
    const stats = fetcher.stats();
    const summary: CrawlSummary = { runId: fetcher.runId, sites, requests: stats.requests, browserHosts: stats.browserHosts, complete: sites.every((s) => s.pending === 0) };
    const runsDir = join(opts.dataDir, 'runs');
    mkdirSync(runsDir, { recursive: true });
    writeFileSync(join(runsDir, `${fetcher.runId}.json`), JSON.stringify(summary, null, 2));
    return summary;
  } finally {
    await fetcher.close();
    closeDatabase(db);
    lock.release();
  }
}

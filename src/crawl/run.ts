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
import { extractBytes, extractPage, EXTRACTOR_VERSION } from '../extract/index.ts';
import type { Extraction } from '../domain/report.ts';
import { closeDatabase, loadExtraction, openDatabase, touchLoadedDocument, type OgiDatabase } from '../load/index.ts';
import { loadAdapter } from './adapters/index.ts';
import { attachmentType, parseArticle } from './adapters/article.ts';
import type { Adapter, Step, StepMeta } from './adapters/types.ts';
import { CrawlContext, RequestBudget, type CrawlWarning, type ReportLink } from './context.ts';
import { Fetcher, FetchError, type FetcherOptions } from './fetch/index.ts';
import { siteHosts, type Site } from './registry.ts';
import { acquireLock, type CrawlState, type FrontierItem, type JsonObject, type NewFrontierItem } from './state.ts';

export interface CrawlOptions {
  sites: Site[];
  dataDir: string;
  dbPath: string;
  /** send every request to this base URL, keeping the real Host header (a local replica, a recording proxy) */
  via?: string;
  /** start no new step after this many requests in total; unfinished sites resume on the next run */
  maxRequests?: number;
  /** per-host delay (ms) for sites that do not set their own */
  delayMs?: number;
  browser?: 'auto' | 'never';
  onProgress?: (p: CrawlProgress) => void;
  /** timeouts, body limit and retry settings passed to the Fetcher (tests keep them tiny) */
  fetch?: Pick<FetcherOptions, 'timeoutMs' | 'maxBodyBytes' | 'maxRetries' | 'retryBaseMs' | 'maxRetryAfterMs' | 'jitter'>;
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
}

export interface CrawlSummary {
  runId: string;
  sites: SiteSummary[];
  requests: number;
  browserHosts: string[];
  complete: boolean;
}

const SKIP_CODES = new Set(['robots-disallowed', 'host-not-allowed']);

export interface ReportMeta extends JsonObject {
  step: 'report';
  title: string;
  year: number;
  agency: string | null;
  listedDate: string | null;
  foundOn: string | null;
}

function reportItem(r: ReportLink): NewFrontierItem {
  const meta: ReportMeta = { step: 'report', title: r.title, year: r.year, agency: r.agency, listedDate: r.listedDate ?? null, foundOn: r.foundOn ?? null };
  return { url: r.url, kind: 'article', meta };
}

/** The level of a reporting organ, from its name; the site's level when the name says nothing. */
export function agencyLevel(name: string | null, site: Site): string {
  if (!name) return site.level;
  if (/(镇|乡|街道)(人民政府|办事处)?$|[镇乡]）$|街道办事处$/.test(name)) return 'township';
  if (/(局|委员会|委|厅|办公室|办|中心|署|院)$/.test(name)) return 'department';
  return site.level;
}

interface Candidate {
  url: string;
  bytes: Buffer;
  sha256: string;
  mediaType: string;
}

/** pictures on a report page read at most: more are decoration, not tables */
const MAX_PAGE_IMAGES = 12;

function tablesIn(e: Extraction): number {
  const o = e.output;
  return (o.ok ? 1 : 0) + (o.table2 ? 1 : 0) + (o.table3 ? 1 : 0) + (o.table4 ? 1 : 0);
}

class SiteRun {
  constructor(
    readonly site: Site,
    readonly adapter: Adapter,
    readonly state: CrawlState,
    readonly fetcher: Fetcher,
    readonly db: OgiDatabase,
    readonly budget: RequestBudget,
    readonly onProgress?: (p: CrawlProgress) => void,
    readonly isKnownReport?: CrawlOptions['isKnownReport'],
  ) {}

  start(): void {
    if (this.state.pendingCount(this.site.id) > 0) return; // an interrupted crawl: resume it
    this.state.resetFrontier(this.site.id);
    this.state.enqueueMany(
      this.site.id,
      this.adapter.start(this.site).map((s) => ({ url: s.url, kind: s.kind, meta: s.meta })),
    );
  }

  async drain(): Promise<void> {
    for (;;) {
      if (this.budget.exhausted) return;
      const item = this.state.nextPending(this.site.id);
      if (!item) return;
      try {
        if (item.kind === 'article') await this.report(item);
        else await this.listing(item);
      } catch (e) {
        const msg = e instanceof FetchError || /^[a-z0-9-]+: /.test((e as Error).message) ? (e as Error).message : `crawl-error: ${(e as Error).message}`;
        this.state.markFailed(item.id, msg);
      }
      const c = this.state.frontierCounts(this.site.id);
      this.onProgress?.({ site: this.site.id, done: c.done + c.failed, total: c.done + c.failed + c.pending, requests: this.budget.used });
    }
  }

  private async listing(item: FrontierItem): Promise<void> {
    const ctx = new CrawlContext(this.site, this.fetcher, this.budget);
    const step: Step = { url: item.url, kind: item.kind === 'listing' ? 'listing' : 'other', meta: (item.meta ?? { step: 'column' }) as StepMeta };
    await this.adapter.run(step, ctx);
    const discovered: NewFrontierItem[] = [
      ...ctx.steps.map((s) => ({ url: s.url, kind: s.kind, meta: s.meta })),
      ...ctx.reports.map(reportItem),
    ];
    this.state.markDone(item.id, { warnings: ctx.warnings as unknown as JsonObject[], reports: ctx.reports.length }, discovered);
  }

  private async report(item: FrontierItem): Promise<void> {
    const meta = item.meta as ReportMeta;
    if (this.isKnownReport?.(this.site.id, item.url, meta)) {
      this.state.markDone(item.id, { status: 'unchanged', known: true });
      return;
    }
    const ctx = new CrawlContext(this.site, this.fetcher, this.budget);
    const res = await ctx.fetch({ url: item.url, kind: 'article' });
    const page = parseArticle(res.text(), res.finalUrl);
    const candidates: Candidate[] = [{ url: res.finalUrl, bytes: res.body, sha256: res.sha256, mediaType: attachmentType(res.body, res.contentType, res.finalUrl) }];
    for (const a of page.attachments) {
      try {
        const r = await ctx.fetch({ url: a.url, kind: 'attachment', headers: { Referer: res.finalUrl } });
        candidates.push({ url: r.finalUrl, bytes: r.body, sha256: r.sha256, mediaType: attachmentType(r.body, r.contentType, r.finalUrl) });
      } catch (e) {
        ctx.warn('attachment-failed', (e as Error).message, a.url);
      }
    }
    const result = await this.extractAndLoad(candidates, meta, ctx, page.images);
    this.state.markDone(item.id, { ...result, article: res.finalUrl, warnings: ctx.warnings as unknown as JsonObject[] });
  }

  /** Extracts every document of a report, loads the one that yields the most tables. */
  private async extractAndLoad(candidates: Candidate[], meta: ReportMeta, ctx: CrawlContext, images: string[]): Promise<JsonObject> {
    // known bytes need no extraction — unless an attachment is missing this time, when the
    // previous choice may have been made without it and the report is read again; a known page
    // without tables may have been chosen when its attachment was missing, so it decides nothing
    const complete = !ctx.warnings.some((w) => w.code === 'attachment-failed');
    for (const c of complete ? candidates : []) {
      const known = touchLoadedDocument(this.db, c.sha256, { url: c.url });
      if (known && known.error === null && known.template !== 'unknown' && known.extractorVersion === EXTRACTOR_VERSION) {
        return { status: 'unchanged', source: c.url, reportId: known.reportId, agency: known.agency, year: known.year };
      }
    }
    let best: { c: Candidate; e: Extraction; parts?: Candidate[] } | null = null;
    for (const c of candidates) {
      if (!/html|pdf|word|msword|officedocument|excel|text\/plain/.test(c.mediaType)) continue;
      const e = await extractBytes(c.bytes, { file: c.url, url: c.url, mediaType: c.mediaType });
      if (!best || tablesIn(e) > tablesIn(best.e)) best = { c, e };
    }
    // tables still missing and pictures on the page: the tables may be pictures (read by OCR);
    // they are fetched only now, as they cost requests and OCR time
    const article = candidates[0]!;
    if (images.length > 0 && article.mediaType === 'text/html' && (!best || tablesIn(best.e) < 4)) {
      const parts: Candidate[] = [];
      for (const url of images.slice(0, MAX_PAGE_IMAGES)) {
        try {
          const r = await ctx.fetch({ url, kind: 'attachment', headers: { Referer: article.url } });
          parts.push({ url, bytes: r.body, sha256: r.sha256, mediaType: attachmentType(r.body, r.contentType, r.finalUrl) });
        } catch (e) {
          ctx.warn('image-failed', (e as Error).message, url);
        }
      }
      const e = await extractPage(article.bytes, parts, { file: article.url, url: article.url, mediaType: article.mediaType });
      const used = parts.filter((p) => e.cells.some((cell) => cell.source === p.url));
      if (!best || tablesIn(e) > tablesIn(best.e)) best = { c: article, e, parts: used };
    }
    if (!best) return { status: 'failed', error: 'no-document: neither the article nor its attachments is a readable document' };
    const { c, e, parts } = best;
    // the listing title names the report's agency and year; fill what the document did not say
    if (e.output.ok) {
      if (e.output.agency === null && meta.agency) e.output.agency = meta.agency;
      if (e.output.year === null) e.output.year = meta.year;
      else if (e.output.year !== meta.year) ctx.warn('year-mismatch', `title says ${meta.year}, document says ${e.output.year}`, c.url);
    }
    if (!e.title) e.title = meta.title;
    const loaded = loadExtraction(this.db, {
      extraction: e,
      document: { sha256: c.sha256, size: c.bytes.length, mediaType: c.mediaType, url: c.url },
      agency: { regionCode: this.site.region, level: agencyLevel(e.output.agency ?? meta.agency, this.site) },
      extractorVersion: EXTRACTOR_VERSION,
      ...(parts ? { parts: parts.map((p) => ({ url: p.url, sha256: p.sha256, size: p.bytes.length, mediaType: p.mediaType })) } : {}),
    });
    const status: ReportStatus = loaded.status === 'failed' ? 'failed' : loaded.status === 'new' ? 'new' : loaded.status === 'unchanged' ? 'unchanged' : 'changed';
    const checks = e.output.checks;
    return {
      status,
      loadStatus: loaded.status,
      reportId: loaded.reportId,
      source: c.url,
      mediaType: c.mediaType,
      agency: e.output.agency,
      year: e.output.year,
      template: e.output.template,
      error: e.output.error,
      checksPassed: checks.filter((k) => k.passed === true).length,
      checksFailed: checks.filter((k) => k.passed === false).length,
    };
  }

  summary(): SiteSummary {
    const items = this.state.listFrontier(this.site.id);
    const s: SiteSummary = { site: this.site.id, listings: 0, reportsFound: 0, new: 0, changed: 0, unchanged: 0, failed: 0, skipped: 0, pending: 0, warnings: [] };
    for (const it of items) {
      const warnings = (it.result?.warnings ?? []) as unknown as CrawlWarning[];
      s.warnings.push(...warnings);
      if (it.status === 'pending') s.pending++;
      if (it.kind !== 'article') {
        if (it.status === 'done') s.listings++;
        if (it.status === 'failed') s.warnings.push({ site: this.site.id, code: 'listing-failed', message: it.error ?? '', url: it.url });
        continue;
      }
      s.reportsFound++;
      if (it.status === 'failed') {
        const code = /^([a-z0-9-]+):/.exec(it.error ?? '')?.[1] ?? '';
        if (SKIP_CODES.has(code)) s.skipped++;
        else s.failed++;
        s.warnings.push({ site: this.site.id, code: SKIP_CODES.has(code) ? 'report-skipped' : 'report-failed', message: it.error ?? '', url: it.url });
      } else if (it.status === 'done') {
        const st = it.result?.status as ReportStatus | undefined;
        if (st === 'new') s.new++;
        else if (st === 'changed') s.changed++;
        else if (st === 'unchanged') s.unchanged++;
        else s.failed++;
      }
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
    return s;
  }
}

export async function runCrawl(opts: CrawlOptions): Promise<CrawlSummary> {
  const lock = acquireLock(opts.dataDir);
  const hostDelays: Record<string, number> = {};
  for (const s of opts.sites) if (s.delayMs !== undefined) for (const h of siteHosts(s)) hostDelays[h] = s.delayMs;
  const fetcher = new Fetcher({
    dataDir: opts.dataDir,
    allowHosts: [...new Set(opts.sites.flatMap(siteHosts))], // its start hosts and what each site declares
    hostDelays,
    ...(opts.delayMs !== undefined ? { delayMs: opts.delayMs } : {}),
    ...(opts.via ? { via: opts.via } : {}),
    browser: opts.browser ?? 'auto',
    ...opts.fetch,
  });
  const db = openDatabase(opts.dbPath);
  const budget = new RequestBudget(opts.maxRequests ?? Infinity);
  try {
    const adapters = await Promise.all(opts.sites.map((s) => loadAdapter(s)));
    const runs = opts.sites.map((s, i) => new SiteRun(s, adapters[i] as Adapter, fetcher.state, fetcher, db, budget, opts.onProgress, opts.isKnownReport));
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

/**
 * The object a site crawler works through (zavod's `context`): fetching goes through the shared
 * Fetcher (paced, cached, archived, logged under the site's name), discoveries are collected for the
 * frontier, and problems are recorded as data (`warn`) instead of being thrown or printed.
 */
import type { FetchRequest, FetchResult } from './fetch/index.ts';
import type { Site } from './registry.ts';
import type { CrawlWarning, ReportLink, Step } from './step.ts';

export interface PageFetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
}

/**
 * Counts requests across all sites of one crawl so --max-requests is a global cap. It is checked
 * before a step starts, never in the middle of one: a step that needs several requests (an article
 * and its attachments) finishes, so a small budget cannot stall a crawl on one step.
 */
export class RequestBudget {
  used = 0;
  constructor(readonly limit: number = Infinity) {}
  get exhausted(): boolean {
    return this.used >= this.limit;
  }
  take(): void {
    this.used++;
  }
}

export class CrawlContext {
  readonly steps: Step[] = [];
  readonly reports: ReportLink[] = [];
  readonly warnings: CrawlWarning[] = [];

  constructor(
    readonly site: Site,
    private readonly fetcher: PageFetcher,
    private readonly budget: RequestBudget = new RequestBudget(),
  ) {}

  async fetch(req: FetchRequest): Promise<FetchResult> {
    this.budget.take();
    return this.fetcher.fetch({ ...req, site: this.site.id });
  }

  /** An absolute http(s) URL for a link, or null for javascript:, mailto:, anchors and junk. */
  resolve(base: string, href: string | undefined | null): string | null {
    return resolveLink(base, href);
  }

  parseDate(s: string | null | undefined): string | null {
    return parseDate(s);
  }

  warn(code: string, message: string, url?: string): void {
    this.warnings.push({ site: this.site.id, code, message, ...(url ? { url } : {}) });
  }

  enqueue(step: Step): void {
    if (!this.steps.some((s) => s.url === step.url)) this.steps.push(step);
  }

  emitReport(r: ReportLink): void {
    if (!this.reports.some((x) => x.url === r.url)) this.reports.push(r);
  }
}

/** An absolute http(s) URL for a link, or null for javascript:, mailto:, anchors and junk. */
export function resolveLink(base: string, href: string | undefined | null): string | null {
  if (!href) return null;
  const h = href.trim();
  if (!h || h.startsWith('#') || /^(javascript|mailto|tel|data):/i.test(h)) return null;
  try {
    const u = new URL(h, base);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    u.hash = '';
    return u.href;
  } catch {
    return null;
  }
}

/** YYYY-MM-DD from the date spellings portals print (2024-02-08, 2024/2/8, 2024年2月8日, 2024.02.08 14:35). */
export function parseDate(s: string | null | undefined): string | null {
  if (!s) return null;
  const m = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * `ogi crawl --plan`: what a crawl of some sites will ask of each host, and how long politeness alone
 * makes it take — without fetching anything.
 *
 * Per host (the Fetcher's unit of pacing: one request at a time, then the host's delay):
 *   robots.txt   1, counted (fetched once per host before its first request)
 *   starts       the start steps of the sites' adapters (`adapter.start(site)`: start columns,
 *                discovery pages, xxgk modules), counted — no step is run
 *   listings     ESTIMATED: further listing pages (discovery, paging, sub-columns) — what the
 *                platform's adapter estimates for the expected reports (`estimateListings`: a jcms
 *                site's discovery pages and data-proxy pages per column), else enough pages of
 *                LISTING_PAGE_SIZE records for them, less the start steps already counted
 *   reports      ESTIMATED: one article page per report, from the site's site.yml `expect`:
 *                maxReports when set, else one report a year over expect.years, else one a year
 *                since the current templates began (2019) through last year — the reports every
 *                column lists at least — and never fewer than minReports
 * Listings and reports go to the host of the site's first start. Not estimated: attachments and page
 * pictures (on the same or a file host), retries, redirects, the browser. The delay of a host is the
 * site's `delayMs`, else --delay, else the Fetcher's 1000 ms; a robots.txt Crawl-delay (known only
 * once fetched) can only lengthen it, and the jitter (up to +10% by default) is not counted.
 *
 * A host the data directory's last crawl already read is planned from what that crawl asked of it
 * (`seen`: its requests in the latest run that reached it, robots.txt, discovery, paging, reports,
 * attachments and retries included) — a site's columns change slowly, so that is the better guess.
 *
 * The politeness bound is max over hosts of requests × delay: hosts run in parallel, each one
 * request at a time, so no crawl of these requests can finish sooner.
 */
import { loadAdapter } from './adapters/index.ts';
import { DEFAULT_DELAY_MS } from './fetch/index.ts';
import type { Site } from './registry.ts';
import type { FetchLogEntry } from './state/index.ts';

/** records per listing page assumed by the estimate (jcms columns show 15 by default) */
export const LISTING_PAGE_SIZE = 15;

export interface HostPlan {
  host: string;
  sites: string[];
  robots: number;
  starts: number;
  /** estimated */
  listings: number;
  /** estimated */
  reports: number;
  requests: number;
  /** seen: the requests of the last crawl that reached the host; estimated: robots + starts + the estimates */
  basis: 'seen' | 'estimated';
  delayMs: number;
  /** requests × delayMs */
  boundMs: number;
}

export interface CrawlPlan {
  hosts: HostPlan[];
  requests: number;
  /** max over hosts of requests × delay */
  boundMs: number;
  /** the host that sets the bound (null when there is none) */
  boundHost: string | null;
  /** what the figures are made of, for a reader of the JSON */
  estimated: string;
}

export interface PlanOptions {
  /** per-host delay (ms) for sites that do not set their own (`ogi crawl --delay`) */
  delayMs?: number;
  /** requests per host of the last crawl (seenRequests of the data directory's fetch log) */
  seen?: ReadonlyMap<string, number>;
  /** the date the plan is made (default: now): which reports are due by it */
  now?: Date;
}

/** Per host, the requests of the latest crawl run that reached it (from the fetch log). */
export function seenRequests(entries: readonly FetchLogEntry[]): Map<string, number> {
  const latest = new Map<string, { runId: string | null; at: string }>();
  const hostOf = (e: FetchLogEntry): string | null => {
    try {
      return new URL(e.url).host;
    } catch {
      return null;
    }
  };
  for (const e of entries) {
    const host = hostOf(e);
    if (!host) continue;
    const l = latest.get(host);
    if (!l || e.fetchedAt > l.at) latest.set(host, { runId: e.runId, at: e.fetchedAt });
  }
  const counts = new Map<string, number>();
  for (const e of entries) {
    const host = hostOf(e);
    if (host && latest.get(host)?.runId === e.runId) counts.set(host, (counts.get(host) ?? 0) + 1);
  }
  return counts;
}

/** The first report year of the current templates (国办公开办函〔2019〕60号): every column lists its reports since. */
export const TEMPLATE_FIRST_YEAR = 2019;

/**
 * The reports a site is expected to have, from its site.yml `expect` (an estimate): maxReports,
 * else one a year over expect.years, else one a year from TEMPLATE_FIRST_YEAR — in both cases
 * through the year before `now`'s at most (the last year whose reports are due); never fewer than
 * minReports.
 */
export function expectedReports(site: Site, now: Date = new Date()): number {
  const { maxReports, minReports, years } = site.expect;
  if (maxReports !== undefined) return maxReports;
  // a report is due the year after its own: none of this year's or later is listed yet
  const lastDue = now.getUTCFullYear() - 1;
  const [from, to] = years ?? [TEMPLATE_FIRST_YEAR, lastDue];
  return Math.max(Math.min(to, lastDue) - from + 1, minReports);
}

/** max over hosts of requests × delay: the politeness bound of a crawl of these requests. */
export function politenessBound(hosts: readonly { host: string; requests: number; delayMs: number }[]): { boundMs: number; boundHost: string | null } {
  let boundMs = 0;
  let boundHost: string | null = null;
  for (const h of hosts) {
    const ms = h.requests * h.delayMs;
    if (ms > boundMs) {
      boundMs = ms;
      boundHost = h.host;
    }
  }
  return { boundMs, boundHost };
}

/** The delay the Fetcher gives a host (see fetcherForSites and Fetcher.slot). */
export function hostDelay(site: Site, opts: PlanOptions): number {
  return site.delayMs ?? opts.delayMs ?? DEFAULT_DELAY_MS;
}

export async function planCrawl(sites: readonly Site[], opts: PlanOptions = {}): Promise<CrawlPlan> {
  const byHost = new Map<string, Omit<HostPlan, 'requests' | 'boundMs' | 'robots' | 'basis'> & { siteSet: Set<string> }>();
  const entry = (host: string, site: Site): NonNullable<ReturnType<typeof byHost.get>> => {
    let e = byHost.get(host);
    if (!e) {
      e = { host, sites: [], siteSet: new Set(), starts: 0, listings: 0, reports: 0, delayMs: hostDelay(site, opts) };
      byHost.set(host, e);
    }
    if (!e.siteSet.has(site.id)) {
      e.siteSet.add(site.id);
      // a site's own delay applies to each of its hosts (the last site's, as in fetcherForSites)
      if (site.delayMs !== undefined) e.delayMs = site.delayMs;
    }
    return e;
  };
  for (const site of sites) {
    const adapter = await loadAdapter(site);
    const steps = adapter.start(site);
    for (const s of steps) entry(new URL(s.url).host, site).starts++;
    const main = entry(new URL(site.start[0] ?? steps[0]?.url ?? '').host, site);
    const reports = expectedReports(site, opts.now);
    main.reports += reports;
    main.listings += adapter.estimateListings?.(site, reports) ?? Math.max(0, Math.ceil(reports / LISTING_PAGE_SIZE) - steps.length);
  }
  // hosts only the last crawl reached (attachment file hosts, sister hosts) are planned as it saw them
  for (const host of opts.seen?.keys() ?? []) {
    if (byHost.has(host)) continue;
    const site = sites.find((s) => s.start.some((u) => new URL(u).host === host)) ?? sites[0];
    if (site) entry(host, site);
  }
  const hosts: HostPlan[] = [...byHost.values()]
    .map(({ siteSet, ...e }) => {
      const seen = opts.seen?.get(e.host);
      const requests = seen ?? 1 + e.starts + e.listings + e.reports;
      const basis = seen === undefined ? ('estimated' as const) : ('seen' as const);
      return { host: e.host, sites: [...siteSet].sort(), robots: 1, starts: e.starts, listings: e.listings, reports: e.reports, requests, basis, delayMs: e.delayMs, boundMs: requests * e.delayMs };
    })
    .sort((a, b) => b.boundMs - a.boundMs || a.host.localeCompare(b.host));
  return {
    hosts,
    requests: hosts.reduce((n, h) => n + h.requests, 0),
    ...politenessBound(hosts),
    estimated:
      'hosts with basis "seen" take the requests of the last crawl that reached them (the data directory\'s fetch log); for the others, ' +
      'robots and starts are counted (one robots.txt per host, the adapters\' start steps); listings and reports are estimated from site.yml expect ' +
      `(reports: maxReports, else one a year over expect.years, else one a year from ${TEMPLATE_FIRST_YEAR} through last year; listings: the platform's discovery and paging for them, else pages of ${LISTING_PAGE_SIZE} records beyond the starts); ` +
      'attachments, pictures, retries and redirects are not counted; a robots.txt Crawl-delay and the jitter can only lengthen the bound',
  };
}

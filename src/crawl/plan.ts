/**
 * `ogi crawl --plan`: what a crawl of some sites will ask of each host, and how long politeness alone
 * makes it take — without fetching anything.
 *
 * Per host (the Fetcher's unit of pacing: one request at a time, then the host's delay):
 *   robots.txt   1, counted (fetched once per host before its first request)
 *   starts       the start steps of the sites' adapters (`adapter.start(site)`: start columns,
 *                discovery pages, xxgk modules), counted — no step is run
 *   listings     ESTIMATED: further listing pages (paging, sub-columns, discovery) — enough pages of
 *                LISTING_PAGE_SIZE records for the estimated reports, less the start steps already
 *                counted, and never below 0
 *   reports      ESTIMATED: one article page per report, from the site's site.yml `expect`:
 *                maxReports when set, else one report a year over expect.years, else minReports
 * Listings and reports go to the host of the site's first start. Not estimated: attachments and page
 * pictures (on the same or a file host), retries, redirects, the browser. The delay of a host is the
 * site's `delayMs`, else --delay, else the Fetcher's 1000 ms; a robots.txt Crawl-delay (known only
 * once fetched) can only lengthen it, and the jitter (up to +10% by default) is not counted.
 *
 * The politeness bound is max over hosts of requests × delay: hosts run in parallel, each one
 * request at a time, so no crawl of these requests can finish sooner.
 */
import { loadAdapter } from './adapters/index.ts';
import { DEFAULT_DELAY_MS } from './fetch/index.ts';
import type { Site } from './registry.ts';

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
}

/** The reports a site is expected to have, from its site.yml `expect` (an estimate). */
export function expectedReports(site: Site): number {
  const { maxReports, minReports, years } = site.expect;
  if (maxReports !== undefined) return maxReports;
  if (years) return Math.max(years[1] - years[0] + 1, minReports);
  return minReports;
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
  const byHost = new Map<string, Omit<HostPlan, 'requests' | 'boundMs' | 'robots'> & { siteSet: Set<string> }>();
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
    const reports = expectedReports(site);
    main.reports += reports;
    main.listings += Math.max(0, Math.ceil(reports / LISTING_PAGE_SIZE) - steps.length);
  }
  const hosts: HostPlan[] = [...byHost.values()]
    .map(({ siteSet, ...e }) => {
      const requests = 1 + e.starts + e.listings + e.reports;
      return { host: e.host, sites: [...siteSet].sort(), robots: 1, starts: e.starts, listings: e.listings, reports: e.reports, requests, delayMs: e.delayMs, boundMs: requests * e.delayMs };
    })
    .sort((a, b) => b.boundMs - a.boundMs || a.host.localeCompare(b.host));
  return {
    hosts,
    requests: hosts.reduce((n, h) => n + h.requests, 0),
    ...politenessBound(hosts),
    estimated:
      'robots and starts are counted (one robots.txt per host, the adapters\' start steps); listings and reports are estimated from site.yml expect ' +
      `(reports: maxReports, else one a year over expect.years, else minReports; listings: pages of ${LISTING_PAGE_SIZE} records beyond the starts); ` +
      'attachments, pictures, retries and redirects are not counted; a robots.txt Crawl-delay and the jitter can only lengthen the bound',
  };
}

// The one way a crawl sets up its Fetcher for a set of sites: the allow-list is the sites' hosts
// (their start hosts and what each declares), a site's own delay applies to each of its hosts.
import { siteHosts, type Site } from '../registry.ts';
import { Fetcher, type FetcherOptions } from './index.ts';

/** timeouts, body limit and retry settings (tests keep them tiny) */
export type FetchTuning = Pick<FetcherOptions, 'timeoutMs' | 'maxBodyBytes' | 'maxRetries' | 'retryBaseMs' | 'maxRetryAfterMs' | 'jitter'>;

export interface FetchSettings {
  dataDir: string;
  /** send every request to this base URL, keeping the real Host header */
  via?: string;
  /** per-host delay (ms) for sites that do not set their own */
  delayMs?: number;
  browser?: 'auto' | 'never';
  fetch?: FetchTuning;
}

export function fetcherForSites(sites: readonly Site[], s: FetchSettings, runId?: string): Fetcher {
  const hostDelays: Record<string, number> = {};
  for (const site of sites) if (site.delayMs !== undefined) for (const h of siteHosts(site)) hostDelays[h] = site.delayMs;
  return new Fetcher({
    dataDir: s.dataDir,
    allowHosts: [...new Set(sites.flatMap(siteHosts))],
    hostDelays,
    ...(runId === undefined ? {} : { runId }),
    browser: s.browser ?? 'auto',
    ...(s.delayMs !== undefined ? { delayMs: s.delayMs } : {}),
    ...(s.via ? { via: s.via } : {}),
    ...s.fetch,
  });
}

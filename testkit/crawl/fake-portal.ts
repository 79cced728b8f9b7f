/**
 * Test tooling of the platform tests: a fake portal as a PageFetcher, answering each request from a
 * handler (404 for what it does not answer), and a site of a platform with other starts and params — for
 * walks over real excerpts without a server.
 */
import type { PageFetcher } from '../../src/crawl/context.ts';
import { FetchError } from '../../src/crawl/fetch/errors.ts';
import type { FetchRequest, FetchResult } from '../../src/crawl/fetch/index.ts';
import { loadSites, type Site } from '../../src/crawl/registry.ts';

export interface Answer {
  status?: number;
  body: string;
}

export type Handler = (req: FetchRequest, u: URL) => Answer | undefined;

export function fakeFetcher(handler: Handler): PageFetcher & { requests: FetchRequest[] } {
  const requests: FetchRequest[] = [];
  return {
    requests,
    async fetch(req: FetchRequest): Promise<FetchResult> {
      requests.push(req);
      const u = new URL(req.url);
      const a = handler(req, u) ?? { status: 404, body: 'not found' };
      const status = a.status ?? 200;
      if (status >= 400) throw new FetchError(`http-${status}` as never, req.url, `HTTP ${status}`, status);
      const body = Buffer.from(a.body, 'utf8');
      return { url: req.url, finalUrl: req.url, status, ok: true, headers: {}, contentType: 'text/html', body, sha256: '', text: () => a.body, notModified: false, changed: true, viaBrowser: false };
    },
  };
}

export function siteWith(start: string[], params: Record<string, unknown> = {}, platform = 'jcms'): Site {
  const base = loadSites().find((s) => s.platform === platform)!;
  return { ...base, id: 'zz-test', start, params: { ...params } as Site['params'] };
}

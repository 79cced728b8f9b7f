/**
 * Records per-site fixtures: walks each site's listings and fetches its report articles through
 * the real Fetcher — against the replay server by default, or the live portals with --live — and
 * writes crawlers/<prov>/<slug>/fixtures/recording.json, the response bodies, and expected.json (the
 * parsed output the fixture test compares against; review its diff before committing).
 *
 *   node bin/run-ts.js testkit/recording/record.ts [--site ID ...] [--live]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArticle } from '../../src/crawl/adapters/article.ts';
import { walkListings } from '../../src/crawl/adapters/walk.ts';
import type { PageFetcher } from '../../src/crawl/context.ts';
import { fetcherForSites } from '../../src/crawl/fetch/for-sites.ts';
import type { Fetcher, FetchRequest, FetchResult } from '../../src/crawl/fetch/index.ts';
import { loadSites, selectSites, type Site } from '../../src/crawl/registry.ts';
import { sourceDocument } from '../../src/ingest/index.ts';
import { exchangeKey, redactForm, redactUrl, type RecordedExchange, siteFixtureDir } from './recording.ts';
import { startReplayServer } from '../replay/server.ts';

export interface SiteExpectation {
  site: string;
  source: 'replay' | 'live';
  listings: { url: string; step: string }[];
  reports: { url: string; title: string; year: number; agency: string | null; listedDate: string | null }[];
  warnings: { code: string; url: string | null }[];
  articles: { url: string; error?: string; finalUrl?: string; mediaType?: string; title?: string | null; publishedAt?: string | null; contentSource?: string | null; container?: string | null; attachments?: { url: string; name: string }[] }[];
}

/**
 * Records every exchange of a walk. Only these fields are written: method, URL and form (session
 * ids and tokens redacted, see recording.ts), status, final URL, content type, body file, error.
 * Request and response headers — Cookie, Set-Cookie, Authorization among them — are never stored.
 */
export class RecordingFetcher implements PageFetcher {
  readonly exchanges: RecordedExchange[] = [];
  constructor(
    private readonly inner: PageFetcher | Fetcher,
    private readonly dir: string,
  ) {}

  async fetch(req: FetchRequest): Promise<FetchResult> {
    const method = req.method ?? (req.form ? 'POST' : 'GET');
    const base: RecordedExchange = { method, url: redactUrl(req.url), ...(req.form ? { form: redactForm(req.form) } : {}) };
    try {
      const res = await this.inner.fetch(req);
      const ext = /xml/.test(res.contentType ?? '') ? 'xml' : /html/.test(res.contentType ?? '') ? 'html' : 'bin';
      const file = `pages/${createHash('sha1').update(exchangeKey(method, req.url, req.form)).digest('hex').slice(0, 12)}.${ext}`;
      mkdirSync(join(this.dir, 'pages'), { recursive: true });
      writeFileSync(join(this.dir, file), res.body);
      this.exchanges.push({ ...base, status: res.status, finalUrl: redactUrl(res.finalUrl), contentType: res.contentType, file });
      return res;
    } catch (e) {
      this.exchanges.push({ ...base, error: redactUrl((e as Error).message) });
      throw e;
    }
  }
}

/** The parsed view of a site that its fixture is compared on. */
export async function expectationFor(site: Site, fetcher: PageFetcher, source: SiteExpectation['source']): Promise<SiteExpectation> {
  const walk = await walkListings(site, fetcher);
  const out: SiteExpectation = {
    site: site.id,
    source,
    listings: walk.steps.map((s) => ({ url: s.url, step: s.meta.step })),
    reports: walk.reports.map((r) => ({ url: r.url, title: r.title, year: r.year, agency: r.agency, listedDate: r.listedDate ?? null })),
    warnings: [...walk.warnings.map((w) => ({ code: w.code, url: w.url ?? null })), ...walk.failed.map((f) => ({ code: 'listing-failed', url: f.url }))],
    articles: [],
  };
  for (const r of walk.reports) {
    try {
      const res = await fetcher.fetch({ url: r.url, kind: 'article', site: site.id });
      // a report link may be the document itself (a PDF listed by a Fujian docpuburl): nothing to parse as a page
      const { mediaType } = sourceDocument(res.body, { url: res.finalUrl, contentType: res.contentType });
      if (!mediaType.startsWith('text/')) {
        out.articles.push({ url: r.url, finalUrl: res.finalUrl, mediaType });
        continue;
      }
      const a = parseArticle(res.text(), res.finalUrl);
      out.articles.push({ url: r.url, finalUrl: res.finalUrl, title: a.title, publishedAt: a.publishedAt, contentSource: a.contentSource, container: a.container, attachments: a.attachments });
    } catch (e) {
      out.articles.push({ url: r.url, error: (e as Error).message });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const live = args.includes('--live');
  const ids = args.flatMap((a, i) => (args[i - 1] === '--site' ? a.split(',') : []));
  const sites = selectSites(loadSites(), ids);
  const server = live ? null : await startReplayServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'ogi-record-'));
  const fetcher = fetcherForSites(sites, { dataDir, ...(server ? { via: server.url, delayMs: 0 } : {}) });
  try {
    for (const site of sites) {
      const dir = siteFixtureDir(site);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const rec = new RecordingFetcher(fetcher, dir);
      const expected = await expectationFor(site, rec, live ? 'live' : 'replay');
      writeFileSync(join(dir, 'recording.json'), JSON.stringify(rec.exchanges, null, 1) + '\n');
      writeFileSync(join(dir, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
      console.log(`${site.id}: ${rec.exchanges.length} exchanges, ${expected.reports.length} reports, ${expected.warnings.length} warnings`);
    }
  } finally {
    await fetcher.close();
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

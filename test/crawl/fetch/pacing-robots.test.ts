// Politeness: one request at a time per host with at least the configured delay between them,
// hosts in parallel, robots.txt fetched once per host and honoured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, Fetcher } from '../../../src/crawl/fetch/index.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url === '/robots.txt') {
      if (req.headers.host === 'slow.gov.cn') return send(res, 200, 'User-agent: *\nCrawl-delay: 0.3\n', { 'content-type': 'text/plain' });
      if (req.headers.host === 'ua.gov.cn') {
        return send(res, 200, 'User-agent: *\nDisallow: /\n\nUser-agent: ogi\nDisallow: /no-ogi/\n', { 'content-type': 'text/plain' });
      }
      return send(res, 200, 'User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' });
    }
    // A little server time, so that back-to-back requests would show up.
    setTimeout(() => send(res, 200, `<html><body>${req.headers.host}${req.url}</body></html>`), 5);
  });
});
afterAll(() => server.close());

function arrivals(host: string, pathPrefix = '/'): number[] {
  return server.requests.filter((r) => r.host === host && r.path.startsWith(pathPrefix)).map((r) => r.at);
}

describe('per-host pacing', () => {
  it('spaces requests to one host by at least the delay, even when they are issued at once', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 120 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => f.fetch({ url: `http://paced.gov.cn/p${i}` })));
    await f.close();
    const at = arrivals('paced.gov.cn'); // robots.txt + 6 pages
    expect(at).toHaveLength(7);
    for (let i = 1; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(120);
  });

  it('runs different hosts in parallel and honours per-host delay overrides', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 150, hostDelays: { 'fast.gov.cn': 40 } });
    await Promise.all(
      ['a.par.gov.cn', 'b.par.gov.cn', 'fast.gov.cn'].flatMap((h) => Array.from({ length: 4 }, (_, i) => f.fetch({ url: `http://${h}/p${i}` }))),
    );
    await f.close();
    const a = arrivals('a.par.gov.cn');
    const b = arrivals('b.par.gov.cn');
    // b's requests happen while a's are still going on (interleaved), not after them.
    expect(b.filter((t) => t > (a[0] ?? 0) && t < (a[a.length - 1] ?? 0)).length).toBeGreaterThanOrEqual(3);
    const fast = arrivals('fast.gov.cn');
    for (let i = 1; i < fast.length; i++) expect((fast[i] ?? 0) - (fast[i - 1] ?? 0)).toBeGreaterThanOrEqual(40);
    for (let i = 1; i < a.length; i++) expect((a[i] ?? 0) - (a[i - 1] ?? 0)).toBeGreaterThanOrEqual(150);
    expect(f.stats().byHost).toEqual({ 'a.par.gov.cn': 5, 'b.par.gov.cn': 5, 'fast.gov.cn': 5 });
  });

  it('raises the delay to the Crawl-delay of robots.txt', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 20 });
    for (let i = 0; i < 3; i++) await f.fetch({ url: `http://slow.gov.cn/p${i}` });
    await f.close();
    const at = arrivals('slow.gov.cn', '/p');
    for (let i = 1; i < at.length; i++) expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(300);
  });
});

describe('robots.txt', () => {
  it('is fetched once per host; disallowed URLs are skipped, recorded and never requested', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10, runId: 'robots-run' });
    const ok = await f.fetch({ url: 'http://robots.gov.cn/public/a.html', site: 'demo' });
    expect(ok.status).toBe(200);
    const err = await f.fetch({ url: 'http://robots.gov.cn/private/b.html', site: 'demo' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('robots-disallowed');
    await f.fetch({ url: 'http://robots.gov.cn/public/d.html' });
    // A group naming our user agent replaces the * group for us.
    await expect(f.fetch({ url: 'http://ua.gov.cn/no-ogi/c.html' })).rejects.toMatchObject({ code: 'robots-disallowed' });
    expect((await f.fetch({ url: 'http://ua.gov.cn/other.html' })).status).toBe(200);
    expect(f.stats().robotsSkipped).toBe(2);
    await f.close();
    const paths = server.requests.filter((r) => r.host === 'robots.gov.cn').map((r) => r.path);
    expect(paths).toEqual(['/robots.txt', '/public/a.html', '/public/d.html']);
    const s = openCrawlState(dir);
    expect(s.fetchLog.robotsSkips('robots-run')).toEqual([
      { url: 'http://robots.gov.cn/private/b.html', host: 'robots.gov.cn', site: 'demo' },
      { url: 'http://ua.gov.cn/no-ogi/c.html', host: 'ua.gov.cn', site: null },
    ]);
    s.close();
  });

  it('sends the honest user agent with a contact URL', () => {
    const ua = server.requests.find((r) => r.host === 'robots.gov.cn')?.headers['user-agent'];
    expect(ua).toMatch(/^ogi\/\S+ \(\+https:\/\/github\.com\/ogi-data\/ogi; .*crawler\)$/);
  });
});

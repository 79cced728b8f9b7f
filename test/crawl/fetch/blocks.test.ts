// Blocks (issue 12, point 3): a WAF's 403/405 block page gets one browser attempt per host; a host
// still blocked after it is marked blocked for the rest of the run — no further request goes to it —
// and the crawl reports `blocked` naming the host. A plain 403 that is not a block page stays an HTTP
// error. Evidence: shared/evidence/other-provinces/PLATFORMS.md §3 "Anti-bot map" (WAF 403 to
// datacenter and foreign IPs; 清远 answering its JS challenge with 405), antibot-other-sources.md §5.
// The WAF page bodies are assumed (the evidence names the WAFs, not their markup). Needs
// /usr/bin/chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectBlockPage, FetchError, Fetcher } from '../../../src/crawl/fetch/index.ts';
import { siteFailures } from '../../../src/crawl/command.ts';
import { parseSite } from '../../../src/crawl/registry.ts';
import { runCrawl } from '../../../src/crawl/run.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { runNightly } from '../../../src/nightly/run.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;

/** what a WAF answers a datacenter IP with: a small page naming the firewall */
const WAF_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>405</title></head><body><h1>405 Not Allowed</h1>' +
  '<p>您的访问请求可能对网站造成安全威胁，已被网站防火墙拦截。</p><p>WAF event id: 7f3a91</p></body></html>';
const GEO_PAGE = '<html><body><h2>403 Forbidden</h2><p>wzws reason:GeoBL</p></body></html>';
const PLAIN_403 = '<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>';
// 清远-like: a JS challenge answered with 405 that a browser passes (the cookie, then a reload)
const JS_405 = '<html><head><script>document.cookie="wafpass=ok; path=/";location.reload();</script></head><body></body></html>';

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const host = req.headers.host ?? '';
    if (host === 'wall.gov.cn') return send(res, 405, WAF_PAGE); // robots.txt included
    if (req.url === '/robots.txt') return send(res, 404, '');
    if (host === 'waf.gov.cn') return send(res, 405, WAF_PAGE);
    if (host === 'geo.gov.cn') return send(res, 403, GEO_PAGE);
    if (host === 'plain.gov.cn') return send(res, 403, PLAIN_403);
    if (host === 'js405.gov.cn' && !/wafpass=ok/.test(req.headers.cookie ?? '')) return send(res, 405, JS_405);
    send(res, 200, `<html><body><div id="zoom">page ${req.url} 年度报告</div></body></html>`);
  });
});
afterAll(() => server.close());

const onHost = (host: string) => server.requests.filter((r) => r.host === host);
// Chromium's navigations send Upgrade-Insecure-Requests; the Fetcher's own HTTP client does not.
const browserLoads = (host: string) => onHost(host).filter((r) => r.headers['upgrade-insecure-requests'] === '1');

describe('block pages', () => {
  it('recognises a WAF 403/405 page and a 405 JS challenge, not a plain 403/405 or a normal page', () => {
    expect(detectBlockPage(405, Buffer.from(WAF_PAGE))).toBe('waf-405');
    expect(detectBlockPage(403, Buffer.from(GEO_PAGE))).toBe('waf-403');
    expect(detectBlockPage(403, Buffer.from('<html><body>请求已被拦截 (Tencent Cloud EdgeOne)</body></html>'))).toBe('waf-403');
    expect(detectBlockPage(405, Buffer.from(JS_405))).toBe('script-only-405');
    expect(detectBlockPage(403, Buffer.from(PLAIN_403))).toBeNull();
    expect(detectBlockPage(405, Buffer.from('POST only'))).toBeNull(); // the replay proxy's own 405
    expect(detectBlockPage(404, Buffer.from(WAF_PAGE))).toBeNull();
    expect(detectBlockPage(200, Buffer.from(WAF_PAGE))).toBeNull();
  });
});

describe('a blocked host: one browser attempt, then no more requests', () => {
  it('tries a WAF 405 page once in the browser, then fails with "blocked" and sends nothing more to the host', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10, runId: 'r1' });
    const err = await f.fetch({ url: 'http://waf.gov.cn/col/col1/index.html', site: 'zj-a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'blocked', status: 405, url: 'http://waf.gov.cn/col/col1/index.html' });
    expect((err as Error).message).toMatch(/^blocked: waf\.gov\.cn blocks the crawler \(waf-405, then HTTP 405 \(waf-405\) in the browser\)/);
    const sent = onHost('waf.gov.cn').length;
    expect(browserLoads('waf.gov.cn')).toHaveLength(1);

    // the rest of the run: refused before anything is sent, other sites included
    for (const url of ['http://waf.gov.cn/art/2.html', 'https://waf.gov.cn/col/col1/index.html']) {
      await expect(f.fetch({ url, site: 'zj-b' })).rejects.toMatchObject({ code: 'blocked' });
    }
    expect(onHost('waf.gov.cn')).toHaveLength(sent);
    expect(f.stats().blockedHosts).toEqual([
      { host: 'waf.gov.cn', url: 'http://waf.gov.cn/col/col1/index.html', reason: 'waf-405, then HTTP 405 (waf-405) in the browser', sites: ['zj-a', 'zj-b'] },
    ]);
    // other hosts are not affected
    expect((await f.fetch({ url: 'http://ok.gov.cn/a.html' })).status).toBe(200);
    await f.close();

    const s = openCrawlState(dir);
    const log = s.fetchLog.entries({ url: 'http://waf.gov.cn/col/col1/index.html' });
    expect(log.map((e) => [e.status, e.viaBrowser])).toEqual([
      [405, false],
      [405, true],
    ]);
    expect(s.fetchLog.entries({ url: 'http://waf.gov.cn/art/2.html' }).map((e) => [e.status, e.error?.split(':')[0]])).toEqual([[null, 'blocked']]);
    s.close();
  });

  it('blocks a host whose robots.txt is already walled off, with its one browser attempt spent there', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    await expect(f.fetch({ url: 'http://wall.gov.cn/index.html', site: 'zj-a' })).rejects.toMatchObject({ code: 'blocked' });
    await expect(f.fetch({ url: 'http://wall.gov.cn/col/col2/index.html', site: 'zj-a' })).rejects.toMatchObject({ code: 'blocked' });
    await f.close();
    expect(browserLoads('wall.gov.cn')).toHaveLength(1);
    expect(onHost('wall.gov.cn').map((r) => r.path)).toEqual(['/robots.txt', '/robots.txt']);
    expect(f.stats().blockedHosts.map((b) => [b.host, b.sites])).toEqual([['wall.gov.cn', ['zj-a']]]);
  });

  it('blocks a WAF 403 (geo block) the same way', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    await expect(f.fetch({ url: 'https://geo.gov.cn/a.html' })).rejects.toMatchObject({ code: 'blocked', status: 403 });
    await expect(f.fetch({ url: 'https://geo.gov.cn/b.html' })).rejects.toMatchObject({ code: 'blocked' });
    await f.close();
    expect(browserLoads('geo.gov.cn')).toHaveLength(1);
    expect(onHost('geo.gov.cn').filter((r) => r.path === '/b.html')).toEqual([]);
  });

  it('keeps a plain 403 an HTTP error: no browser, the host is not blocked', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    await expect(f.fetch({ url: 'http://plain.gov.cn/a.html' })).rejects.toMatchObject({ code: 'http-403', status: 403 });
    await expect(f.fetch({ url: 'http://plain.gov.cn/b.html' })).rejects.toMatchObject({ code: 'http-403' });
    expect(f.stats()).toMatchObject({ browserHosts: [], blockedHosts: [] });
    await f.close();
    expect(browserLoads('plain.gov.cn')).toEqual([]);
    expect(onHost('plain.gov.cn').map((r) => r.path)).toEqual(['/robots.txt', '/a.html', '/b.html']);
  });

  it('passes a 405 JS challenge in the browser: not blocked', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    const r = await f.fetch({ url: 'http://js405.gov.cn/art/1.html' });
    expect(r).toMatchObject({ status: 200, viaBrowser: true });
    expect(r.text()).toContain('page /art/1.html');
    const again = await f.fetch({ url: 'http://js405.gov.cn/art/2.html' });
    expect(again).toMatchObject({ status: 200, viaBrowser: false });
    expect(f.stats()).toMatchObject({ browserHosts: ['js405.gov.cn'], blockedHosts: [] });
    await f.close();
  });

  it('with the browser off, blocks the host at its first block page', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10, browser: 'never' });
    await expect(f.fetch({ url: 'http://waf.gov.cn/off/1.html' })).rejects.toMatchObject({ code: 'challenge', status: 405 });
    await expect(f.fetch({ url: 'http://waf.gov.cn/off/2.html' })).rejects.toMatchObject({ code: 'blocked' });
    expect(f.stats().blockedHosts.map((b) => [b.host, b.reason])).toEqual([['waf.gov.cn', 'waf-405; the browser is off']]);
    await f.close();
    expect(onHost('waf.gov.cn').filter((r) => r.path.startsWith('/off/')).map((r) => r.path)).toEqual(['/off/1.html']);
  });
});

describe('a blocked host in a crawl and a nightly run', () => {
  const SITE = `id: zj-walled
name: 测试
region: "330481"
level: county
platform: jcms
start:
  - http://waf.gov.cn/col/col1229000001/index.html
expect: { minReports: 1 }
`;

  it('the crawl summary warns `blocked` naming the host; the site counts as failed', async () => {
    const dir = newDir();
    const site = parseSite(SITE, 'crawlers/zj/walled/site.yml', 'crawlers/zj/walled', 'zj');
    const summary = await runCrawl({ sites: [site], dataDir: dir, dbPath: `${dir}/ogi.sqlite`, via: server.origin, delayMs: 0 });
    const s = summary.sites[0];
    expect(s?.warnings.filter((w) => w.code === 'blocked')).toEqual([
      {
        site: 'zj-walled',
        code: 'blocked',
        message: 'waf.gov.cn blocks the crawler (waf-405, then HTTP 405 (waf-405) in the browser); nothing more was fetched from it in this run',
        url: 'http://waf.gov.cn/col/col1229000001/index.html',
      },
    ]);
    expect(siteFailures(s as NonNullable<typeof s>)).toContain('blocked');
  });

  it('the nightly run turns it into a run issue of severity error', async () => {
    const dir = newDir();
    const site = parseSite(SITE, 'crawlers/zj/walled/site.yml', 'crawlers/zj/walled', 'zj');
    const run = await runNightly({ sites: [site], dataDir: dir, dbPath: `${dir}/ogi.sqlite`, via: server.origin, delayMs: 0, browser: 'never', noExport: true });
    expect(run.status).toBe('needs-attention');
    expect(run.issues.filter((i) => i.code === 'blocked')).toEqual([
      { site: 'zj-walled', code: 'blocked', severity: 'error', message: expect.stringMatching(/^waf\.gov\.cn blocks the crawler \(waf-405; the browser is off\)/) as unknown as string },
    ]);
  });
});

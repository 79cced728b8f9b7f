/**
 * The gkmlpt platform: the parsers over the real excerpts in excerpts/ (PROVENANCE.md names each
 * source in shared/evidence/other-provinces/), the list API's paging over a fake portal built from
 * the real 肇庆 answer, and crawls of the replicas through a real replay server on 127.0.0.1
 * (every value loaded equal to what the replica publishes).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkListings } from '../../../src/crawl/adapters/walk.ts';
import { parseArticle } from '../../../src/crawl/adapters/article.ts';
import { recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';
import type { PageFetcher } from '../../../src/crawl/context.ts';
import { FetchError, type FetchRequest, type FetchResult } from '../../../src/crawl/fetch/index.ts';
import { loadSites, REPO_ROOT, selectSites, type Site } from '../../../src/crawl/registry.ts';
import { runCrawl, type CrawlSummary } from '../../../src/crawl/run.ts';
import { closeDatabase, openDatabase } from '../../../src/load/index.ts';
import { runNightly } from '../../../src/nightly/run.ts';
import { startReplayServer, type ReplayServer } from '../../../testkit/replay/server.ts';
import { expectedReports, type Replicas } from '../../../testkit/replay/replicas.ts';
import { verifyDatabase } from '../../../testkit/replay/verify.ts';
import {
  apiUrl,
  attachmentUrl,
  categoryOfUrl,
  findAnnualCategory,
  gkmlptAdapter,
  gkmlptBase,
  parseApiAnswer,
  parseConfig,
  postIdOf,
  postPageUrl,
  reportUrl,
  unescapePercentU,
} from './adapter.ts';
import { gkmlptReplica } from './replica.ts';

const excerpt = (name: string): string => readFileSync(join(import.meta.dirname, 'excerpts', name), 'utf8');
const urls = excerpt('urls.txt')
  .split('\n')
  .filter((l) => /^https?:\/\//.test(l));

describe('gkmlpt URLs (excerpts/urls.txt)', () => {
  it('hang off a base: a host plus an optional path prefix', () => {
    expect(gkmlptBase('https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/content/3/3255/post_3255421.html')).toBe('https://www.zhaoqing.gov.cn/zqhjj');
    expect(gkmlptBase('http://www.yangjiang.gov.cn/yjzjj/attachment/0/88/88389/963149.pdf')).toBe('http://www.yangjiang.gov.cn/yjzjj');
    expect(gkmlptBase('http://www.gd.gov.cn/gkmlpt/content/4/4688/post_4688997.html')).toBe('http://www.gd.gov.cn');
    expect(gkmlptBase('http://www.dg.gov.cn/dghlz/gkmlpt/index#2972')).toBe('http://www.dg.gov.cn/dghlz');
  });

  it('name their category after # or in the API path', () => {
    expect(categoryOfUrl('http://whly.gd.gov.cn/gkmlpt/annualreport#2629')).toBe('2629');
    expect(categoryOfUrl('http://whly.gd.gov.cn/gkmlpt/api/all/2629?page=1&sid=175')).toBe('2629');
    expect(categoryOfUrl('http://www.yangjiang.gov.cn/yjzjj/gkmlpt/index#721')).toBe('721');
    expect(categoryOfUrl('http://www.gd.gov.cn/gkmlpt/index')).toBeNull();
  });

  it('build the list API calls the spiders make, with and without sid', () => {
    expect(apiUrl('http://whly.gd.gov.cn', '2629', 1, '175')).toBe('http://whly.gd.gov.cn/gkmlpt/api/all/2629?page=1&sid=175');
    expect(apiUrl('http://www.yangjiang.gov.cn/yjzjj', '721', 1, '662021')).toBe('http://www.yangjiang.gov.cn/yjzjj/gkmlpt/api/all/721?page=1&sid=662021');
    expect(apiUrl('http://www.dg.gov.cn/dghlz', '2972', 1, null)).toBe('http://www.dg.gov.cn/dghlz/gkmlpt/api/all/2972?page=1');
    for (const u of urls.filter((x) => /\/api\/all\/\d+\?page=\d+/.test(x))) {
      const q = new URL(u).searchParams;
      expect(apiUrl(gkmlptBase(u), categoryOfUrl(u)!, Number(q.get('page')), q.get('sid'))).toBe(u);
    }
  });

  it('of every real post page follow the post-id rule content/⌊id/1e6⌋/⌊id/1e3⌋/post_<id>.html', () => {
    const posts = urls.filter((u) => /\/gkmlpt\/content\//.test(u));
    expect(posts.length).toBeGreaterThanOrEqual(10);
    for (const u of posts) expect(postPageUrl(gkmlptBase(u), postIdOf(u)!)).toBe(u.replace('/mpost_', '/post_'));
  });

  it('of every real attachment follow /attachment/⌊att/1e6⌋/⌊att/1e3⌋/<att>/<post>.<ext>', () => {
    const atts = urls.filter((u) => /\/attachment\//.test(u));
    expect(atts).toHaveLength(5);
    for (const u of atts) {
      const m = /\/(\d+)\/(\d+)\.(\w+)$/.exec(u)!;
      expect(attachmentUrl(gkmlptBase(u), m[1]!, m[2]!, m[3]!)).toBe(u);
    }
  });

  it('give one report one URL: the gkmlpt page under the listing base, from the NFCMS column or mpost_ forms', () => {
    // the same post id on the NFCMS 年报 column and on gkmlpt (guangdong-report-pages.md §2–§4)
    expect(reportUrl('http://www.gz.gov.cn', 'https://www.gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/bm/2023n/content/post_9469010.html', null)).toBe('http://www.gz.gov.cn/gkmlpt/content/9/9469/post_9469010.html');
    expect(reportUrl('http://www.panyu.gov.cn/gzpyjy', 'https://www.panyu.gov.cn/gzpyjy/gkmlpt/content/10/10794/mpost_10794083.html', '10794083')).toBe('http://www.panyu.gov.cn/gzpyjy/gkmlpt/content/10/10794/post_10794083.html');
    // a post on another host keeps its URL (mpost_ read as post_)
    expect(reportUrl('http://www.sz.gov.cn', 'http://fgw.sz.gov.cn/gkmlpt/content/10/10454/post_10454297.html', null)).toBe('http://fgw.sz.gov.cn/gkmlpt/content/10/10454/post_10454297.html');
    expect(reportUrl('http://www.gd.gov.cn', null, '4688997')).toBe('http://www.gd.gov.cn/gkmlpt/content/4/4688/post_4688997.html');
  });
});

describe('list API answers', () => {
  it('reads the real 肇庆 answer: post_count, id, title, date in Beijing time, url, publisher', () => {
    const a = parseApiAnswer(excerpt('zhaoqing-api-answer.json'), 'x');
    expect(a.postCount).toBe(203);
    // the write-up's span of this category starts 2026-07-07 (gkmlpt-other-sources.md §A)
    expect(a.articles).toEqual([
      {
        id: '3255421',
        title: '金宸农牧科技（四会）有限公司四会富硒蛋鸡产业园项目受理公告',
        url: 'https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/content/3/3255/post_3255421.html',
        postUrl: null,
        date: '2026-07-07',
        publisher: '肇庆市生态环境局',
      },
    ]);
  });

  it('reads `total` and `created_at` where an answer carries those (the Yangjiang fixture)', () => {
    const a = parseApiAnswer(excerpt('yangjiang-fixture-answer.json'), 'x');
    expect(a.postCount).toBe(145);
    expect(a.articles[0]).toMatchObject({ id: '963149', date: '2026-06-18', url: 'http://www.yangjiang.gov.cn/yjzjj/gkmlpt/content/0/963/post_963149.html' });
  });

  it('reads %u-escaped titles (zfcxjst, gdaudit, zhxz), beside attachment[] objects (the Shenzhen answer)', () => {
    const title = '广东省人民政府2024年政府信息公开工作年度报告';
    // the escape the hosts apply (gkmlpt-other-sources.md §I decodes "%u" as "\\u")
    const escaped = [...title].map((c) => `%u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`).join('');
    expect(unescapePercentU(escaped)).toBe(title);
    const att = JSON.parse(excerpt('shenzhen-attachment.json')) as Record<string, unknown>;
    const a = parseApiAnswer(JSON.stringify({ articles: [{ id: 12541123, title: escaped, attachment: [att] }] }), 'x');
    expect(a.articles[0]?.title).toBe(title);
    // the attachment object's URL follows the attachment rule (the report step takes it from the page)
    expect(attachmentUrl('https://www.sz.gov.cn', String(att.id), '12541123', 'docx')).toBe(att.url);
    expect(recogniseReportTitle(a.articles[0]!.title)).toMatchObject({ year: 2024, agency: '广东省人民政府' });
  });

  it('refuses an answer that is not JSON with gkmlpt-bad-json', () => {
    expect(() => parseApiAnswer('<html>404</html>', 'http://x/gkmlpt/api/all/1?page=2')).toThrow(/did not answer JSON/);
  });

  it('the real report page names its report in 名称 and its attachments are nfw-cms-attachment links', () => {
    const name = /名称: (.+)/.exec(excerpt('gd-post-4688997.txt'))?.[1] ?? '';
    expect(recogniseReportTitle(name)).toMatchObject({ year: 2024, agency: '广东省人民政府' });
    const detail = 'http://www.yangjiang.gov.cn/yjzjj/gkmlpt/content/0/963/post_963149.html';
    const page = `<html><body><h1 class="content-title">x</h1><div class="content">${excerpt('yangjiang-detail.html')}</div></body></html>`;
    expect(parseArticle(page, detail).attachments.map((a) => a.url)).toEqual(['http://www.yangjiang.gov.cn/yjzjj/attachment/0/88/88389/963149.pdf']);
  });
});

describe('_CONFIG', () => {
  // the shape of discover_site's parse (SID: '…', TREE: [...] before SERVICE_AREA_ID, nodes id/name/children/post_count/jump_url); not a capture
  const config = (tree: unknown[]): string =>
    `<html><body><div id="app"></div><script>window._CONFIG = { APP_URL: '', SID: '755041', TREE: ${JSON.stringify(tree)}, SERVICE_AREA_ID: '755' };</script></body></html>`;

  it('gives SID and TREE, brackets inside names included', () => {
    const tree = [{ id: 1, name: '通知[公告]', children: [{ id: 2, name: '函}', children: [] }] }];
    expect(parseConfig(config(tree))).toEqual({ sid: '755041', tree });
    expect(parseConfig('<html>no config</html>')).toEqual({ sid: null, tree: null });
  });

  it('finds the 年报 category by name, one that stays on the platform first', () => {
    const tree = [
      { id: 10, name: '政府信息公开年报', jump_url: 'http://www.szpsq.gov.cn/xxgk/ndbg/index.html', children: [] },
      { id: 11, name: '法定主动公开内容', children: [{ id: 12, name: '政府信息公开工作年度报告', post_count: 9, children: [] }] },
    ];
    expect(findAnnualCategory(tree)?.id).toBe(12);
    expect(findAnnualCategory([tree[0]!])?.id).toBe(10);
    expect(findAnnualCategory([{ id: 1, name: '规范性文件' }])).toBeNull();
  });
});

// ---- the list API's paging over a fake portal: the real 肇庆 answer as page 1 ----

function fake(answers: (page: number) => { status?: number; body?: string }): PageFetcher & { pages: number[] } {
  const pages: number[] = [];
  return {
    pages,
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const u = new URL(req.url);
      const page = Number(u.searchParams.get('page'));
      pages.push(page);
      const a = answers(page);
      const status = a.status ?? 200;
      if (status >= 400) throw new FetchError(`http-${status}` as never, req.url, `HTTP ${status}`, status);
      const body = a.body ?? '';
      return { url: req.url, finalUrl: req.url, status, ok: true, headers: {}, contentType: 'application/json', body: Buffer.from(body), sha256: '', text: () => body, notModified: false, changed: true, viaBrowser: false };
    },
  };
}

const zqhjj = (): Site => selectSites(loadSites(), ['gd-zqhjj'])[0]!;
const withCategory = (site: Site, extra: Record<string, unknown> = {}): Site => ({ ...site, params: { ...site.params, gkmlpt: { sid: '758019', category: '21023' }, ...extra } as Site['params'] });
const zq = excerpt('zhaoqing-api-answer.json');
/** page n of a category: the real answer with the article renumbered, a report title on page 1 */
const answer = (n: number, postCount = 203): string => {
  const o = JSON.parse(zq) as { classify: { post_count: number }; articles: Record<string, unknown>[] };
  o.classify.post_count = postCount;
  o.articles = [{ ...o.articles[0], id: 3255421 + n, title: n === 1 ? '肇庆市生态环境局2024年政府信息公开工作年度报告' : `受理公告${n}` }];
  return JSON.stringify(o);
};

describe('list API paging', () => {
  it('starts at the API when the site names SID and category; page 1 is the head', () => {
    const [step] = gkmlptAdapter.start(withCategory(zqhjj()));
    expect(step).toMatchObject({ url: 'http://www.zhaoqing.gov.cn/zqhjj/gkmlpt/api/all/21023?page=1&sid=758019', kind: 'listing', meta: { step: 'api', head: true } });
  });

  it('one page only (肇庆: page 2 answers 404): stops there and warns the shortfall against post_count', async () => {
    const f = fake((p) => (p === 1 ? { body: zq } : { status: 404 }));
    const walk = await walkListings(withCategory(zqhjj()), f);
    expect(f.pages).toEqual([1, 2]);
    expect(walk.failed).toEqual([]);
    expect(walk.warnings.map((w) => [w.code, w.message])).toEqual([
      ['title-unrecognised', '1 post(s) of category 21023 are not recognised as annual reports by their titles: 金宸农牧科技（四会）有限公司四会富硒蛋鸡产业园项目受理公告'],
      ['listing-short', 'http://www.zhaoqing.gov.cn/zqhjj/gkmlpt/annualreport#21023: classify.post_count is 203; 1 posts were served (page 2 answered 404)'],
    ]);
  });

  it('batches (china-governance): reads page after page until post_count', async () => {
    const f = fake((p) => ({ body: answer(p, 3) }));
    const walk = await walkListings(withCategory(zqhjj()), f);
    expect(f.pages).toEqual([1, 2, 3]);
    expect(walk.reports.map((r) => [r.url, r.year, r.listedDate])).toEqual([['http://www.zhaoqing.gov.cn/zqhjj/gkmlpt/content/3/3255/post_3255422.html', 2024, '2026-07-07']]);
    expect(walk.warnings.filter((w) => w.code === 'listing-short')).toEqual([]);
  });

  it('stops on an empty page and on a page that repeats what was read, never looping', async () => {
    const empty = fake((p) => ({ body: p <= 2 ? answer(p) : JSON.stringify({ classify: { post_count: 203 }, articles: [] }) }));
    expect((await walkListings(withCategory(zqhjj()), empty)).warnings.find((w) => w.code === 'listing-short')?.message).toMatch(/2 posts were served \(page 3 is empty\)/);
    expect(empty.pages).toEqual([1, 2, 3]);
    const repeat = fake(() => ({ body: answer(1) }));
    expect((await walkListings(withCategory(zqhjj()), repeat)).warnings.find((w) => w.code === 'listing-short')?.message).toMatch(/1 posts were served \(page 2 repeats posts already read\)/);
    expect(repeat.pages).toEqual([1, 2]);
  });

  it('stops at maxPages with paging-capped when every page is new', async () => {
    const f = fake((p) => ({ body: answer(p, 100_000) }));
    const walk = await walkListings(withCategory(zqhjj(), { maxPages: 4 }), f);
    expect(f.pages).toEqual([1, 2, 3, 4]);
    expect(walk.warnings.map((w) => w.code)).toContain('paging-capped');
  });
});

describe('a 年报 node that jumps off the platform (jump_url)', () => {
  it('reads the page it names and fetches each report from its gkmlpt page by post id', async () => {
    const tree = [{ id: 7, name: '政府信息公开年报', jump_url: '/xxgk/zfxxgknb/index.html', children: [] }];
    const pages: Record<string, string> = {
      '/gkmlpt/index': `<script>window._CONFIG = { SID: '755041', TREE: ${JSON.stringify(tree)}, SERVICE_AREA_ID: '755' };</script>`,
      // an NFCMS column: `<column>/content/post_<id>.html` (guangdong-report-pages.md §5)
      '/xxgk/zfxxgknb/index.html': '<ul><li><a href="content/post_9441240.html">深圳市坪山区人民政府2023年政府信息公开工作年度报告</a><span>2024-01-15</span></li><li><a href="content/post_9441241.html">关于做好年报工作的通知</a></li></ul>',
    };
    const fetcher: PageFetcher = {
      async fetch(req: FetchRequest): Promise<FetchResult> {
        const body = pages[new URL(req.url).pathname];
        if (body === undefined) throw new FetchError('http-404', req.url, 'HTTP 404', 404);
        return { url: req.url, finalUrl: req.url, status: 200, ok: true, headers: {}, contentType: 'text/html', body: Buffer.from(body), sha256: '', text: () => body, notModified: false, changed: true, viaBrowser: false };
      },
    };
    const site = { ...zqhjj(), start: ['http://www.szpsq.gov.cn/gkmlpt/index'], params: {} as Site['params'] };
    const walk = await walkListings(site, fetcher);
    expect(walk.steps.map((s) => [s.url, s.meta.step, s.meta.head ?? false])).toEqual([
      ['http://www.szpsq.gov.cn/gkmlpt/index', 'index', false],
      ['http://www.szpsq.gov.cn/xxgk/zfxxgknb/index.html', 'jump', true],
    ]);
    expect(walk.reports.map((r) => [r.url, r.year, r.listedDate])).toEqual([['http://www.szpsq.gov.cn/gkmlpt/content/9/9441/post_9441240.html', 2023, '2024-01-15']]);
  });
});

// ---- replicas through a real replay server ----

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ogi-gkmlpt-'));
  dirs.push(d);
  return d;
}

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function crawl(dir: string, sites: Site[], via = server.url): Promise<CrawlSummary> {
  return runCrawl({ sites, dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via, delayMs: 0 });
}

const SITES = ['gd-guangdong', 'gd-whly', 'gd-zqhjj', 'gd-guangzhou', 'gd-zfcxjst', 'gd-dghlz', 'gd-yjzjj'];

describe('crawling the gkmlpt replicas', () => {
  it('loads every report of the replicas with every value equal, from its gkmlpt page or its PDF', async () => {
    const dir = tempDir();
    const sites = selectSites(loadSites(), SITES);
    const mark = server.requests.length;
    const run = await crawl(dir, sites);
    expect(run.complete).toBe(true);
    const by = Object.fromEntries(run.sites.map((s) => [s.site, s]));
    // 3 reports among 8 posts on 4 pages of 2; the first report relisted on page 2 is read once
    expect(by['gd-guangdong']).toMatchObject({ reportsFound: 3, new: 3, failed: 0 });
    expect(by['gd-whly']).toMatchObject({ reportsFound: 2, new: 2, failed: 0 });
    expect(by['gd-zqhjj']).toMatchObject({ reportsFound: 2, new: 2 });
    expect(by['gd-zqhjj']?.warnings.find((w) => w.code === 'listing-short')?.message).toMatch(/post_count is 11; 6 posts were served \(page 2 answered 404\)/);
    // heads: the first API page of each category, not the index page
    expect(by['gd-guangdong']?.heads.map((h) => h.url)).toEqual(['http://www.gd.gov.cn/gkmlpt/api/all/3712?page=1&sid=2']);

    const hosts = new Set(sites.map((s) => new URL(s.start[0]!).hostname));
    const expected = expectedReports().filter((e) => hosts.has(e.host));
    expect(expected).toHaveLength(3 + 2 + 2 + 2 + 1 + 3 + 3);
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    try {
      for (const c of verifyDatabase(db.$client, expected)) {
        expect(c.found, c.url).toBe(true);
        expect(c.mismatches, c.url).toEqual([]);
        expect(c.cells).toBeGreaterThan(0);
      }
      const docs = (db.$client.prepare("SELECT url FROM documents WHERE url LIKE '%.pdf'").all() as { url: string }[]).map((r) => r.url);
      expect(docs).toEqual(['http://whly.gd.gov.cn/attachment/0/537/537904/4337215.pdf']);
    } finally {
      closeDatabase(db);
    }
    const asked = server.requests.slice(mark);
    // the NFCMS column form the Guangzhou API gives as url is never fetched: the gkmlpt page is
    expect(asked.some((q) => q.path.includes('/zfxxgknb/'))).toBe(false);
    // 肇庆: page 2 once (404), never page 3; the Dongguan town asks without sid
    expect(asked.filter((q) => q.host === 'www.zhaoqing.gov.cn' && q.path.includes('/api/all/')).map((q) => [q.path, q.status])).toEqual([
      ['/zqhjj/gkmlpt/api/all/21061?page=1&sid=758019', 200],
      ['/zqhjj/gkmlpt/api/all/21061?page=2&sid=758019', 404],
    ]);
    expect(asked.filter((q) => q.host === 'www.dg.gov.cn' && q.path.includes('/api/all/')).every((q) => !q.path.includes('sid='))).toBe(true);
  }, 120_000);
});

describe('the nightly scout over a gkmlpt site', () => {
  it('re-reads the head (API page 1): unchanged → no walk; a new post on top → a walk that loads it', async () => {
    const dir = tempDir();
    const sites = selectSites(loadSites(), ['gd-guangdong']);
    const night = () => runNightly({ sites, dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, browser: 'never', noExport: true, now: new Date('2026-05-01T00:00:00Z') });
    expect((await night()).sites[0]).toMatchObject({ walked: 'first-walk', new: 3 });
    const mark = server.requests.length;
    expect((await night()).sites[0]).toMatchObject({ walked: null, new: 0 });
    expect(server.requests.slice(mark).map((q) => q.path).filter((p) => p !== '/robots.txt')).toEqual(['/gkmlpt/api/all/3712?page=1&sid=2']);
    server.setMode('updated');
    try {
      expect((await night()).sites[0]).toMatchObject({ walked: 'listing-changed', new: 1 });
    } finally {
      server.setMode('initial');
    }
  }, 120_000);
});

/** A replay server with one replica built from a replica.yml object for a copy of a site. */
async function serverFor(site: Site, yml: unknown): Promise<ReplayServer> {
  const start = new URL(site.start[0]!);
  const replica = gkmlptReplica.load(site, yml, { site: site.id, host: start.hostname, scheme: start.protocol === 'https:' ? 'https' : 'http', files: join(REPO_ROOT, site.dir, 'replica-files') }, 'test');
  const replicas: Replicas = replica ? [replica] : [];
  return startReplayServer({ replicas });
}

const report = (year: number, id: number) => ({ seed: 'seed002', scale: 2, agency: '广东省教育厅', year, pub: `${year + 1}-01-20 10:00`, path: `/gkmlpt/content/${Math.floor(id / 1e6)}/${Math.floor(id / 1e3)}/post_${id}.html`, format: 'html' });

describe('replica.yml', () => {
  const edu = (): Site => selectSites(loadSites(), ['gd-edu'])[0]!;
  const served = { site: 'gd-edu', host: 'edu.gd.gov.cn', scheme: 'https' as const, files: '/nowhere' };
  const yml = (r: Record<string, unknown>) => ({ siteName: '广东省教育厅', sid: '188', category: { id: '3031', shownIn: 'tree' }, paging: 'batches', perPage: 100, reports: [r] });

  it('refuses report paths and attachments that break the post-id rules, and unknown fields', () => {
    expect(() => gkmlptReplica.load(edu(), yml({ ...report(2023, 4301234), path: '/gkmlpt/content/4/4302/post_4301234.html' }), served, 'r.yml')).toThrow(/replica-invalid: report path/);
    const pdf = { ...report(2023, 4301234), format: 'pdf', file: 'x.pdf' };
    expect(() => gkmlptReplica.load(edu(), yml({ ...pdf, attachment: '/attachment/0/88/88389/963149.pdf' }), served, 'r.yml')).toThrow(/replica-invalid: attachment/);
    expect(gkmlptReplica.load(edu(), yml({ ...pdf, attachment: '/attachment/0/88/88389/4301234.pdf' }), served, 'r.yml')?.files).toHaveLength(1);
    expect(() => gkmlptReplica.load(edu(), { ...yml(report(2023, 4301234)), pageSize: 5 }, served, 'r.yml')).toThrow(/replica-invalid: r.yml: \(root\): Unrecognized key/);
  });
});

describe('finding the 年报 category', () => {
  const edu = (): Site => selectSites(loadSites(), ['gd-edu'])[0]!;

  it('from the 年报 view /gkmlpt/annualreport when the index TREE does not name it', async () => {
    const s = await serverFor(edu(), { siteName: '广东省教育厅', sid: '188', category: { id: '3031', shownIn: 'annualreport' }, paging: 'batches', perPage: 100, reports: [report(2023, 4301234)] });
    try {
      const run = await crawl(tempDir(), [edu()], s.url);
      expect(run.sites[0]).toMatchObject({ reportsFound: 1, new: 1 });
      expect(s.requests.map((q) => q.path).filter((p) => p !== '/robots.txt')).toEqual([
        '/gkmlpt/index',
        '/gkmlpt/annualreport',
        '/gkmlpt/api/all/3031?page=1&sid=188',
        '/gkmlpt/content/4/4301/post_4301234.html',
      ]);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('a site with no 年报 category: category-not-found, and the site gets column-not-found', async () => {
    const s = await serverFor(edu(), { siteName: '广东省教育厅', sid: '188', category: { id: '3031', shownIn: 'none' }, paging: 'batches', perPage: 100, reports: [report(2023, 4301234)] });
    try {
      const run = await crawl(tempDir(), [edu()], s.url);
      expect(run.sites[0]?.warnings.map((w) => w.code)).toEqual(['category-not-found', 'column-not-found', 'too-few-reports']);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('a server that ignores page: page 2 repeats page 1, the loop stops and warns the shortfall', async () => {
    const s = await serverFor(edu(), { siteName: '广东省教育厅', sid: '188', category: { id: '3031', shownIn: 'tree' }, paging: 'repeat', perPage: 2, fillers: 3, reports: [report(2023, 4301234), report(2022, 4101234)] });
    try {
      const run = await crawl(tempDir(), [edu()], s.url);
      expect(run.sites[0]).toMatchObject({ reportsFound: 2, new: 2 });
      expect(run.sites[0]?.warnings.find((w) => w.code === 'listing-short')?.message).toMatch(/post_count is 5; 2 posts were served \(page 2 repeats posts already read\)/);
      expect(s.requests.filter((q) => q.path.includes('/api/all/')).map((q) => q.path)).toEqual(['/gkmlpt/api/all/3031?page=1&sid=188', '/gkmlpt/api/all/3031?page=2&sid=188']);
    } finally {
      await s.close();
    }
  }, 60_000);
});

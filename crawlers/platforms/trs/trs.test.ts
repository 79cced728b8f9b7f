/**
 * The TRS WCM platform: the adapter's parsers over real excerpts (excerpts/, PROVENANCE.md), then
 * crawls of TRS replicas through the replay server (every value loaded equal, the pages requested
 * and the ones not requested).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../../src/crawl/adapters/article.ts';
import { recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';
import { CrawlContext } from '../../../src/crawl/context.ts';
import type { FetchResult } from '../../../src/crawl/fetch/index.ts';
import { detectChallenge } from '../../../src/crawl/fetch/challenge.ts';
import { loadSites, parseSite, selectSites } from '../../../src/crawl/registry.ts';
import { runCrawl, type CrawlSummary } from '../../../src/crawl/run.ts';
import { runNightly } from '../../../src/nightly/run.ts';
import { closeDatabase, openDatabase } from '../../../src/load/index.ts';
import { startReplayServer, type ReplayServer } from '../../../testkit/replay/server.ts';
import { expectedReports } from '../../../testkit/replay/replicas.ts';
import { verifyDatabase } from '../../../testkit/replay/verify.ts';
import { annualColumnLinks, columnName, isDocument, pageUrl, parsePaging, parseRows, redirectTarget, scriptRows, subColumns, trsAdapter } from './adapter.ts';
import { generatedTrsReplica, serveTrs, TrsReplicaSchema } from './replica.ts';

const excerpt = (name: string): string => readFileSync(new URL(`./excerpts/${name}`, import.meta.url), 'utf8');
const URLS = excerpt('urls.txt').trim().split('\n');

// Column URLs on column.example.invalid are illustrative: the evidence gives those pagers without their page's address.
describe('TRS paging, from the real pager scripts', () => {
  it('reads the classic 0-based createPageHTML: page N is index_{N-1} (stats fixture)', () => {
    const p = parsePaging(excerpt('stats-column.html'), 'http://column.example.invalid/list/');
    expect(p).toMatchObject({ numbering: 'zero', count: 67, prefix: 'index', ext: 'html' });
    expect(pageUrl('http://column.example.invalid/list/', p!, 1)).toBe('http://column.example.invalid/list/');
    expect(pageUrl('http://column.example.invalid/list/', p!, 2)).toBe('http://column.example.invalid/list/index_1.html');
    expect(pageUrl('http://column.example.invalid/list/', p!, 67)).toBe('http://column.example.invalid/list/index_66.html');
  });

  it("reads Chongqing's createPage(34, 0, \"index\", \"html\") after its //wcm分页 comment", () => {
    expect(parsePaging(excerpt('chongqing-column.html'), 'http://www.cqsdj.gov.cn/bmjz/bm/sthjj/zwgk_72176/zfxxgknb_72186/')).toMatchObject({ numbering: 'zero', count: 34, prefix: 'index', ext: 'html' });
  });

  it('reads the WCM template by its countPage, not its commented-out createPageHTML(9, …): the tail page is index_{count-1}', () => {
    const column = 'https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/';
    const p = parsePaging(excerpt('wcm-classic-template.html'), column);
    expect(p).toMatchObject({ numbering: 'zero', count: 17, prefix: 'index', ext: 'html', source: 'countPage' });
    // var tailPage = "index_" + (countPage-1) + ".html"
    expect(pageUrl(column, p!, 17)).toBe(`${column}index_16.html`);
  });

  it("reads Wuhan's createPageHTML(25, 0, \"index\", \"shtml\"): page 2 is index_1.shtml", () => {
    const column = 'https://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index.shtml';
    const p = parsePaging(excerpt('wuhan-js-rows.html'), column);
    expect(p).toMatchObject({ numbering: 'zero', count: 25, prefix: 'index', ext: 'shtml' });
    expect(pageUrl(column, p!, 2)).toBe('https://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index_1.shtml');
  });

  it('reads the six-argument createPageHTML as 1-based: page 2 is <prefix>_2.<ext> (CSRC, Kunshan)', () => {
    const csrc = parsePaging(excerpt('csrc-pager.html'), 'http://www.csrc.gov.cn/csrc/c100028/common_zfxxgknb.shtml');
    // the public test asserts (5, "fg", "shtml")
    expect(csrc).toMatchObject({ numbering: 'one', count: 5, prefix: 'fg', ext: 'shtml' });
    expect(new URL(pageUrl('http://column.example.invalid/list/fg.shtml', csrc!, 2)).pathname).toBe('/list/fg_2.shtml');
    const kunshan = parsePaging(excerpt('kunshan-pager.html'), 'http://column.example.invalid/list/common_list.shtml');
    expect(kunshan).toMatchObject({ numbering: 'one', count: 22, prefix: 'common_list', ext: 'shtml' });
    // page <= 1 ? …/common_list.shtml : …/common_list_${page}.shtml
    expect(pageUrl('http://column.example.invalid/list/common_list.shtml', kunshan!, 1)).toBe('http://column.example.invalid/list/common_list.shtml');
    expect(pageUrl('http://column.example.invalid/list/common_list.shtml', kunshan!, 22)).toBe('http://column.example.invalid/list/common_list_22.shtml');
  });

  it("reads jQuery pagination's totalPage as 1-based: page N is index_N (Shanghai)", () => {
    const column = 'http://column.example.invalid/list/index.html';
    const p = parsePaging(excerpt('shanghai-pager.html'), column);
    expect(p).toMatchObject({ numbering: 'one', count: 4, prefix: 'index', ext: 'html' });
    expect([1, 2, 4].map((n) => pageUrl(column, p!, n))).toEqual([column, 'http://column.example.invalid/list/index_2.html', 'http://column.example.invalid/list/index_4.html']);
  });

  it("has no further pages where the script slices rows already on page 1 (Beijing's .default_news li)", () => {
    expect(parsePaging(excerpt('beijing-client-paging.html') + '<script>createPageHTML(3, 0, "index", "html");</script>', 'https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/')).toBeNull();
  });

  it('has no further pages for one page, or no pager at all', () => {
    expect(parsePaging('<script>createPageHTML(1, 0, "index", "html");</script>', 'https://www.mwr.gov.cn/zwgk/gknb/')).toBeNull();
    expect(parsePaging(excerpt('pingtan-column.html'), 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/')).toBeNull();
  });
});

describe('TRS rows', () => {
  it('resolves ./YYYYMM/t… rows against the column, with title and date (Pingtan 政府信息公开年报 column)', () => {
    const column = 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/';
    const html = excerpt('pingtan-column.html');
    expect(columnName(html)).toBe('政府信息公开年报');
    const rows = parseRows(html, column);
    expect(rows).toEqual([{ url: 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm', title: '平潭综合实验区2024年度政府信息公开工作年度报告', date: '2025-03-10' }]);
    expect(recogniseReportTitle(rows[0]!.title)).toMatchObject({ year: 2024, agency: '平潭综合实验区' });
  });

  it('resolves a row against a named column page and a later page of it alike (stats fixture)', () => {
    const row = 'http://column.example.invalid/list/202603/t20260316_1962774.html';
    expect(parseRows(excerpt('stats-column.html'), 'http://column.example.invalid/list/index.html')[0]?.url).toBe(row);
    expect(parseRows(excerpt('stats-column.html'), 'http://column.example.invalid/list/index_3.html')[0]?.url).toBe(row);
  });

  it('reads rows written by an inline script (Wuhan: var url = "./…shtml", document.writeln of the date)', () => {
    const column = 'https://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/index.shtml';
    expect(scriptRows(excerpt('wuhan-js-rows.html'), column)).toEqual([{ url: 'https://www.wuhan.gov.cn/zwgk/xxgk/zfwj/gfxwj/202602/t20260214_2730572.shtml', title: '...', date: '2026-02-14' }]);
    // a title shortened for display, and the markup built from it, do not replace the full title
    const js = `<script>var url = "./202501/t20250109_1.shtml";\nvar title = "青山区2024年政府信息公开工作年度报告";\nif (title.length > 8) { stitle = "青山区2024…"; }\ndocument.writeln("<a href='"+url+"' title='"+title+"'>"+stitle+"</a>");\n</script>`;
    expect(scriptRows(js, column)[0]?.title).toBe('青山区2024年政府信息公开工作年度报告');
    expect(scriptRows(`<script>var url = "./202501/t20250109_1.shtml"; var title = "年报"; document.writeln("<a title='"+title+"'>");</script>`, column)[0]?.title).toBe('年报');
  });

  it('skips /gate/big5/ duplicates, folds _wap twins into their document, strips commented-out rows', () => {
    const [beijing, big5, wap] = URLS as [string, string, string];
    const html = `<ul><li><a href="${beijing}" title="北京市2017年政府信息公开工作年度报告">北京市2017年政府信息公开工作年度报告</a></li>
<li><a href="${big5}" title="集中公开专题页面">集中公开专题页面</a></li>
<li><a href="${wap}" title="石柱县生态环境局2024年度政府信息公开工作年度报告">…</a></li>
<!-- <li><a href="./202004/t20200430_1889248.html" title="北京市2017年政府信息公开工作年度报告">…</a></li> --></ul>`;
    expect(parseRows(html, 'https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/').map((r) => r.url)).toEqual([beijing, wap.replace('_wap.html', '.html')]);
  });
});

describe('TRS documents', () => {
  it('knows a column\'s documents by their URL shape (t-date, Shanghai t0035_…, not columns)', () => {
    expect(URLS.map((u) => isDocument(u))).toEqual(URLS.map(() => true));
    expect(isDocument('https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/')).toBe(false);
    expect(isDocument('https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/index_1.html')).toBe(false);
  });
});

describe('TRS sub-columns, shells, discovery', () => {
  it('takes links to directories below the column as sub-columns: years and organ types (PLATFORMS.md §3), not month folders', () => {
    const column = 'https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/';
    const html = `<div><a href="./gknb2017/">2017年</a> <a href="./2023n/index.html">2023年</a> <a href="2024nb/">2024年</a>
<a href="./bmnb/">部门年报</a> <a href="./xzjd/">街乡镇</a> <a href="./sbj/">市本级</a>
<a href="./201802/">2018年2月</a> <a href="../zfxxgkzn/">指南</a> <a href="/gate/big5/www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/gknb2018/">繁體</a>
<a href="./gknb2017/201802/t20180223_195744.html">报告</a> <a href="./index_1.html">2</a></div>`;
    expect(subColumns(html, column).map((l) => l.url.slice(column.length))).toEqual(['gknb2017/', '2023n/index.html', '2024nb/', 'bmnb/', 'xzjd/', 'sbj/']);
    expect(subColumns('<a href="/zwgk/">政务公开</a> <a href="/xwzx/">新闻</a>', 'https://www.bjmy.gov.cn/')).toEqual([]);
  });

  it('reads the location.replace target of a ~160-byte shell, which is not taken for an anti-bot challenge', () => {
    const shell = '<html><head><script>location.replace("./jdnb/index.html");</script></head><body></body></html>';
    expect(Buffer.byteLength(shell)).toBeLessThan(200);
    expect(redirectTarget(shell, 'https://www.bjdx.gov.cn/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/xzjd/')).toBe('https://www.bjdx.gov.cn/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/xzjd/jdnb/index.html');
    expect(detectChallenge(200, [], Buffer.from(shell))).toBeNull();
    // a page that sets a cookie and reloads still is one
    expect(detectChallenge(200, [], Buffer.from('<html><script>document.cookie="a=1";location.reload();</script></html>'))).toBe('script-only-body');
    expect(redirectTarget(`<html><body>${'<p>正文</p>'.repeat(200)}<script>location.href="/x/";</script></body></html>`, 'https://www.bjdx.gov.cn/a/')).toBeNull();
  });

  it('treats a meta refresh to a parent folder (a removed page, fujian-trs-fjdzapp.md) as gone, and follows other shells', async () => {
    const site = parseSite('id: bj-t\nname: 测试\nregion: "110000"\nlevel: district\nplatform: trs\nstart: [https://www.bjdx.gov.cn/a/b/]\n', 'crawlers/bj/t/site.yml');
    const pages: Record<string, string> = {
      'https://www.bjdx.gov.cn/a/b/': '<html><head><meta http-equiv="refresh" content="0;URL=../" /></head></html>',
      'https://www.bjdx.gov.cn/a/c/': '<html><head><script>location.replace("/a/c/list.html")</script></head></html>',
    };
    const run = async (url: string): Promise<CrawlContext> => {
      const ctx = new CrawlContext(site, { fetch: async (req) => ({ status: 200, finalUrl: req.url, text: () => pages[req.url] ?? '' }) as unknown as FetchResult });
      await trsAdapter.run({ url, kind: 'listing', meta: { step: 'column', head: true } }, ctx);
      return ctx;
    };
    const gone = await run('https://www.bjdx.gov.cn/a/b/');
    expect(gone.warnings.map((w) => w.code)).toEqual(['column-gone']);
    expect(gone.steps).toEqual([]);
    const shell = await run('https://www.bjdx.gov.cn/a/c/');
    expect(shell.steps.map((s) => [s.url, s.meta.step, s.meta.head])).toEqual([['https://www.bjdx.gov.cn/a/c/list.html', 'column', true]]);
  });

  it('ends a page loop at a 404 (page-missing) or at a page that adds no new document (paging-stopped)', async () => {
    const site = parseSite('id: cn-t\nname: 测试部\nregion: "100000"\nlevel: central\nplatform: trs\nstart: [https://www.mof.gov.cn/gkml/zfxxgkbg2016/]\n', 'crawlers/cn/t/site.yml');
    const column = 'https://www.mof.gov.cn/gkml/zfxxgkbg2016/';
    const list = (ids: number[]): string => `<ul>${ids.map((i) => `<li><a href="./202601/t20260129_${i}.htm" title="通知${i}">通知${i}</a><span>2026-01-29</span></li>`).join('')}</ul><script>createPageHTML(4, 0, "index", "htm");</script>`;
    const run = async (pages: Record<string, string>): Promise<{ urls: string[]; warnings: string[] }> => {
      const fetch = async (req: { url: string }): Promise<FetchResult> => {
        const body = pages[req.url];
        if (body === undefined) throw Object.assign(new Error('http-404: not found'), { code: 'http-404', status: 404 });
        return { status: 200, finalUrl: req.url, text: () => body } as unknown as FetchResult;
      };
      const urls: string[] = [];
      const warnings: string[] = [];
      let queue = [{ url: column, kind: 'listing' as const, meta: { step: 'column', head: true } }] as Parameters<typeof trsAdapter.run>[0][];
      while (queue.length > 0) {
        const step = queue.shift()!;
        urls.push(step.url);
        const ctx = new CrawlContext(site, { fetch });
        await trsAdapter.run(step, ctx);
        warnings.push(...ctx.warnings.map((w) => w.code));
        queue = [...queue, ...ctx.steps];
      }
      return { urls, warnings };
    };
    expect(await run({ [column]: list([1, 2]), [`${column}index_1.htm`]: list([3, 4]) })).toEqual({ urls: [column, `${column}index_1.htm`, `${column}index_2.htm`], warnings: ['page-missing'] });
    expect(await run({ [column]: list([1, 2]), [`${column}index_1.htm`]: list([1, 2]), [`${column}index_2.htm`]: list([5]) })).toEqual({ urls: [column, `${column}index_1.htm`], warnings: ['paging-stopped'] });
  });

  it('reads a discovered page whose ColumnName names the annual reports as the column; warns when discovery finds nothing', async () => {
    const site = parseSite('id: cn-t\nname: 测试部\nregion: "100000"\nlevel: central\nplatform: trs\nstart: [https://www.ndrc.gov.cn/]\n', 'crawlers/cn/t/site.yml');
    const run = async (html: string): Promise<CrawlContext> => {
      const ctx = new CrawlContext(site, { fetch: async (req) => ({ status: 200, finalUrl: req.url, text: () => html }) as unknown as FetchResult });
      await trsAdapter.run(trsAdapter.start(site)[0]!, ctx);
      return ctx;
    };
    const column = await run(`<meta name="ColumnName" content="政府信息公开年报"/><ul><li><a href="./202501/t20250120_1.html" title="国家发展和改革委员会2024年政府信息公开工作年度报告">…</a></li></ul>`);
    expect(column.reports.map((r) => [r.url, r.year, r.agency])).toEqual([['https://www.ndrc.gov.cn/202501/t20250120_1.html', 2024, '国家发展和改革委员会']]);
    const nothing = await run('<html><body><a href="/xwdt/">新闻动态</a></body></html>');
    expect(nothing.warnings.map((w) => w.code)).toEqual(['column-not-found']);
  });

  it('finds the annual-report column on a portal page by its link text, not by report titles', () => {
    const html = `<a href="/zwgk/zfxxgknb/">政府信息公开年报</a> <a href="/zwgk/zfxxgkzn/">政府信息公开指南</a>
<a href="/zwgk/zfxxgknb/202501/t20250120_1.html">国家发展和改革委员会2024年政府信息公开工作年度报告</a>
<a href="/gate/big5/www.ndrc.gov.cn/zwgk/zfxxgknb/">政府信息公开年报</a> <a href="https://copycat.example.com/zfxxgknb/">政府信息公开年报</a>`;
    expect(annualColumnLinks(html, 'https://www.ndrc.gov.cn/zwgk/').map((l) => l.url)).toEqual(['https://www.ndrc.gov.cn/zwgk/zfxxgknb/']);
  });
});

describe('TRS report pages', () => {
  it('reads the TRS meta of a report page and its P0… attachment (Pingtan head; the P0 name from PLATFORMS.md §2.2)', () => {
    const page = 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm';
    const html = `<html><head>${excerpt('pingtan-report-head.html')}</head><body><div class="TRS_Editor"><p>一、总体情况</p>
<p>附件：<a href="./P020250428338575424191.docx">平潭综合实验区2024年度政府信息公开工作年度报告.docx</a></p></div></body></html>`;
    const a = parseArticle(html, page);
    expect(a).toMatchObject({ title: '平潭综合实验区2024年度政府信息公开工作年度报告', publishedAt: '2025-03-10', contentSource: '平潭综合实验区管委会办公室', columnName: '政府信息公开年报', container: '.TRS_Editor' });
    expect(a.attachments).toEqual([{ url: 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/P020250428338575424191.docx', name: '平潭综合实验区2024年度政府信息公开工作年度报告.docx' }]);
  });
});

describe('TRS adapter start', () => {
  it('starts a column at its page (a head) and a home page by discovery', () => {
    const site = parseSite('id: cn-t\nname: 测试部\nregion: "100000"\nlevel: central\nplatform: trs\nstart: [https://www.ndrc.gov.cn/, https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/]\n', 'crawlers/cn/t/site.yml');
    expect(trsAdapter.start(site).map((s) => [s.url, s.kind, s.meta.step, s.meta.head ?? false])).toEqual([
      ['https://www.ndrc.gov.cn/', 'other', 'discover', false],
      ['https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/', 'listing', 'column', true],
    ]);
  });

  it('generates a replica from site.yml: a paged column with a year sub-column, or discovery from a home page', () => {
    const home = generatedTrsReplica(parseSite('id: cn-t\nname: 测试部\nregion: "100000"\nlevel: central\nplatform: trs\nstart: [https://www.ndrc.gov.cn/]\n', 'x'));
    expect(home.discovery).toBe(true);
    expect(home.columns[0]?.path).toBe('/zwgk/zfxxgknb/');
    const col = generatedTrsReplica(parseSite('id: hb-t\nname: 测试中心\nregion: "420600"\nlevel: department\nplatform: trs\nstart:\n  - url: http://gjj.xiangyang.gov.cn/zwgk/gknb/\n    evidence: http://gjj.xiangyang.gov.cn/zwgk/gknb/202503/t20250321_3781562.shtml\n', 'x'));
    expect(col.discovery).toBeUndefined();
    expect(col.columns.map((c) => [c.path, c.ext])).toEqual([
      ['/zwgk/gknb/', 'shtml'],
      [expect.stringMatching(/^\/zwgk\/gknb\/(?:2022n|gknb2022|2022nb)\/$/), 'shtml'],
    ]);
    expect(col.columns.flatMap((c) => c.reports.map((r) => r.year)).sort()).toEqual([2022, 2023, 2024]);
  });
});

describe('TRS replicas crawled through the replay server', () => {
  const SITES = ['bj-beijing', 'bj-daxing', 'cn-mva', 'cn-csrc', 'cn-moe', 'cn-ndrc', 'hb-qingshan-hbj', 'cq-shizhu-sthjj', 'hn-changsha'];
  let server: ReplayServer;
  let dir: string;
  let summary: CrawlSummary;
  const requested = (host: string): string[] => server.requests.filter((r) => r.host === host).map((r) => r.path);

  beforeAll(async () => {
    server = await startReplayServer();
    dir = mkdtempSync(join(tmpdir(), 'ogi-trs-'));
    summary = await runCrawl({ sites: selectSites(loadSites(), SITES), dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, browser: 'never' });
  }, 120_000);
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads every report the replicas publish, each value equal, from its source URL', () => {
    expect(summary.complete).toBe(true);
    const hosts = new Set(selectSites(loadSites(), SITES).flatMap((s) => s.start.map((u) => new URL(u).hostname)));
    const expected = expectedReports().filter((e) => hosts.has(e.host));
    // 3 each, 大兴 4 (2023, 2024 and two 街乡镇 behind a redirect shell); 教育部's 2024 report is its P0….pdf attachment
    expect(expected).toHaveLength(28);
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    try {
      const checks = verifyDatabase(db.$client, expected);
      expect(checks.filter((c) => !c.found).map((c) => c.url)).toEqual([]);
      expect(checks.flatMap((c) => c.mismatches)).toEqual([]);
      expect(checks.reduce((n, c) => n + c.cells, 0)).toBeGreaterThan(25 * 50);
    } finally {
      closeDatabase(db);
    }
    for (const s of summary.sites) expect(s, s.site).toMatchObject({ failed: 0, new: s.reportsFound });
    expect(Object.fromEntries(summary.sites.map((s) => [s.site, s.reportsFound]))).toEqual({
      'bj-beijing': 3,
      'bj-daxing': 4,
      'cn-csrc': 3,
      'cn-moe': 3,
      'cn-mva': 3,
      'cn-ndrc': 3,
      'cq-shizhu-sthjj': 3,
      'hb-qingshan-hbj': 3,
      'hn-changsha': 3,
    });
    expect(summary.sites.flatMap((s) => s.warnings.map((w) => `${s.site}: ${w.code}`))).toEqual([]);
  });

  it('requests no page that does not exist: every answer of a TRS host was 200', () => {
    const trsHosts = new Set(selectSites(loadSites(), SITES).map((s) => new URL(s.start[0]!).hostname));
    expect(server.requests.filter((r) => trsHosts.has(r.host) && r.status !== 200 && r.path !== '/robots.txt').map((r) => `${r.host}${r.path} ${r.status}`)).toEqual([]);
  });

  it('pages in both numberings: index_1 as page 2 (countPage, createPage, createPageHTML) and <prefix>_2 as page 2 (six arguments)', () => {
    // 退役军人部: 17 rows, 6 a page: index.html… index_2.html
    expect(requested('www.mva.gov.cn').filter((p) => /zfxxgknb\/(?:index.*)?$/.test(p))).toEqual(['/gongkai/zfxxgkpt/zfxxgknb/', '/gongkai/zfxxgkpt/zfxxgknb/index_1.html', '/gongkai/zfxxgkpt/zfxxgknb/index_2.html']);
    // CSRC: 14 rows, 5 a page: common_zfxxgknb.shtml, _2, _3 (never _1)
    expect(requested('www.csrc.gov.cn').filter((p) => /common_zfxxgknb/.test(p))).toEqual(['/csrc/c100028/common_zfxxgknb.shtml', '/csrc/c100028/common_zfxxgknb_2.shtml', '/csrc/c100028/common_zfxxgknb_3.shtml']);
    // 青山区: JS rows, createPageHTML(3, i, "index", "shtml")
    expect(requested('www.qingshan.gov.cn').filter((p) => /index/.test(p))).toEqual(['/qzfbm/szzqdw/hbj/zfxxgkgzndbg/index_1.shtml', '/qzfbm/szzqdw/hbj/zfxxgkgzndbg/index_2.shtml']);
  });

  it('reads a client-paged list from page 1 only, skipping big5 twins and commented-out rows (Beijing)', () => {
    const paths = requested('www.beijing.gov.cn');
    expect(paths.filter((p) => /index/.test(p) || p.startsWith('/gate/big5/'))).toEqual([]);
    expect(paths.filter((p) => /\/t\d{8}_\d+\.html$/.test(p))).toHaveLength(3);
  });

  it('follows year and organ sub-columns and a redirect shell; reads _wap twins as their documents', () => {
    expect(requested('www.bjdx.gov.cn')).toEqual(expect.arrayContaining(['/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/', '/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/xzjd/', '/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/xzjd/list.html']));
    expect(requested('www.changsha.gov.cn')).toEqual(expect.arrayContaining(['/zfxxgk/zfxxgknb/bmnb/', '/zfxxgk/zfxxgknb/bmnb/zsssthjj/']));
    expect(requested('www.cqsdj.gov.cn').filter((p) => p.includes('_wap'))).toEqual([]);
  });

  it("fetches a report's P0… attachment from its page (教育部)", () => {
    expect(requested('www.moe.gov.cn')).toContain('/jyb_xxgk/xxgk/nianbao/jiguan/202501/P020250127512345678901.pdf');
  });

  it('marks the first page of each column as its head, not later pages', () => {
    const heads = Object.fromEntries(summary.sites.map((s) => [s.site, s.heads.map((h) => new URL(h.url).pathname).sort()]));
    expect(heads['cn-mva']).toEqual(['/gongkai/zfxxgkpt/zfxxgknb/']);
    expect(heads['cn-ndrc']).toEqual(['/zwgk/zfxxgknb/', expect.stringMatching(/^\/zwgk\/zfxxgknb\/(?:2022n|gknb2022|2022nb)\/$/)]);
    expect(heads['bj-daxing']).toEqual(['/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/', '/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2023n/', '/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/', '/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/xzjd/', '/bjsdxqrmzf/zwfw/zfxxgk/dxqzf69/2024n/xzjd/list.html']);
  });
});

describe('a TRS replica of other ids and sizes: GBK pages, a long six-argument list, a page cap', () => {
  // an illustrative host: this replica is built here, not from a site folder
  const HOST = 'www.trs-replica.gov.cn';
  const column = '/zwgk/gknb/index.shtml';
  const replica = TrsReplicaSchema.parse({
    siteName: '某区人民政府',
    encoding: 'gbk',
    columns: [
      {
        path: column,
        name: '政府信息公开年报',
        paging: 'six-arg',
        perPage: 7,
        fillers: 60,
        reports: [2022, 2021, 2020].map((year, i) => ({
          seed: (['seed000', 'seed002', 'seed004'] as const)[i],
          scale: 3 + i,
          agency: '某区人民政府',
          year,
          pub: `${year + 1}-02-1${i} 09:00`,
          path: `/zwgk/gknb/${year + 1}02/t${year + 1}021${i}_${90_000 + i}.shtml`,
          format: 'html',
        })),
      },
    ],
  });
  let server: ReplayServer;
  const dirs: string[] = [];
  const site = (extra = ''): ReturnType<typeof parseSite> =>
    parseSite(`id: bj-hidden\nname: 某区人民政府\nregion: "110105"\nlevel: district\nplatform: trs\nstart: [https://${HOST}${column}]\n${extra}`, 'crawlers/bj/hidden/site.yml');

  beforeAll(async () => {
    server = await startReplayServer({ replicas: [serveTrs(replica, { site: 'bj-hidden', host: HOST, scheme: 'https', files: '' }, 'bj-hidden')] });
  });
  afterAll(async () => {
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function crawl(extra = ''): Promise<{ summary: CrawlSummary; dbPath: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'ogi-trs-hidden-'));
    dirs.push(dir);
    const dbPath = join(dir, 'ogi.sqlite');
    return { summary: await runCrawl({ sites: [site(extra)], dataDir: dir, dbPath, via: server.url, delayMs: 0, browser: 'never' }), dbPath };
  }

  it('reads GBK pages and every one of the 9 pages (63 rows, 7 a page: index.shtml, index_2 … index_9), loading each report with every value equal', async () => {
    const { summary, dbPath } = await crawl();
    expect(summary.sites[0]).toMatchObject({ reportsFound: 3, new: 3, failed: 0, warnings: [] });
    const pages = server.requests.filter((r) => /\/index(?:_\d+)?\.shtml$/.test(r.path)).map((r) => r.path);
    expect(pages).toEqual([column, ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `/zwgk/gknb/index_${n}.shtml`)]);
    const db = openDatabase(dbPath);
    try {
      const checks = verifyDatabase(db.$client, serveTrs(replica, { site: 'bj-hidden', host: HOST, scheme: 'https', files: '' }, 'bj-hidden').expected('initial'));
      expect(checks.map((c) => [c.found, c.mismatches.length])).toEqual([[true, 0], [true, 0], [true, 0]]);
      expect(db.$client.prepare('SELECT name FROM agencies').all()).toEqual([{ name: '某区人民政府' }]);
    } finally {
      closeDatabase(db);
    }
  });

  it('stops at params.maxPages with a paging-capped warning', async () => {
    const { summary } = await crawl('params: { maxPages: 4 }\n');
    // the reports are on the last pages: none is found, and the site says so
    expect(summary.sites[0]?.warnings.map((w) => w.code)).toEqual(['paging-capped', 'too-few-reports']);
    expect(summary.sites[0]?.reportsFound).toBe(0);
  });
});

describe('the nightly scout over a TRS column', () => {
  // an illustrative host: this replica is built here; its 2025 report (published in 2026, above the
  // column's news of 2025) appears only in the 'updated' mode
  const HOST = 'www.trs-nightly.gov.cn';
  const column = '/zwgk/zfxxgknb/index.html';
  const report = (year: number, i: number, updatedOnly = false) => ({
    seed: (['seed000', 'seed002', 'seed004'] as const)[i % 3]!,
    scale: 2 + i,
    agency: '某县人民政府',
    year,
    pub: `${year + 1}-01-2${i} 09:00`,
    path: `/zwgk/zfxxgknb/${year + 1}01/t${year + 1}012${i}_${70_000 + i}.html`,
    format: 'html' as const,
    ...(updatedOnly ? { updatedOnly: true } : {}),
  });
  const replica = TrsReplicaSchema.parse({
    siteName: '某县人民政府',
    columns: [{ path: column, name: '政府信息公开年报', paging: 'classic', perPage: 10, fillers: 25, reports: [report(2025, 0, true), report(2024, 1), report(2023, 2)] }],
  });
  const served = serveTrs(replica, { site: 'hb-nightly', host: HOST, scheme: 'https', files: '' }, 'hb-nightly');
  const site = parseSite(`id: hb-nightly\nname: 某县人民政府\nregion: "420100"\nlevel: county\nplatform: trs\nstart: [https://${HOST}${column}]\n`, 'crawlers/hb/nightly/site.yml');
  let server: ReplayServer;
  const dir = mkdtempSync(join(tmpdir(), 'ogi-trs-nightly-'));
  beforeAll(async () => {
    server = await startReplayServer({ replicas: [served] });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-reads only the column head when nothing changed; a report published on top changes it, and the walk loads it', async () => {
    const run = (): ReturnType<typeof runNightly> =>
      runNightly({ sites: [site], dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, browser: 'never', noExport: true });
    expect((await run()).sites[0]).toMatchObject({ new: 2 });
    const quiet = await run();
    expect(quiet.sites[0]).toMatchObject({ walked: null, new: 0 });
    server.setMode('updated');
    const after = await run();
    expect(after.sites[0]?.walked).not.toBeNull();
    expect(after.sites[0]?.new).toBe(1);
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    try {
      const checks = verifyDatabase(db.$client, served.expected('updated'));
      expect(checks.map((c) => [c.found, c.mismatches.length])).toEqual([[true, 0], [true, 0], [true, 0]]);
    } finally {
      closeDatabase(db);
    }
  });
});

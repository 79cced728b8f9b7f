// The Fujian TRS adapter (platform fjdzapp): over the real excerpts of the Pingtan column and the
// crawler code that calls POST /fjdzapp/search (excerpts/, PROVENANCE.md), and over replicas of
// the Fujian sites through a real replay server (crawlers/platforms/fjdzapp/replica.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrawlContext } from '../../../src/crawl/context.ts';
import type { FetchRequest, FetchResult } from '../../../src/crawl/fetch/index.ts';
import { loadSites, parseSite, selectSites } from '../../../src/crawl/registry.ts';
import { runCrawl, type CrawlSummary } from '../../../src/crawl/run.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { closeDatabase, openDatabase } from '../../../src/load/index.ts';
import { runNightly } from '../../../src/nightly/run.ts';
import { startReplayServer, type ReplayServer } from '../../../testkit/replay/server.ts';
import { expectedReports } from '../../../testkit/replay/replicas.ts';
import { verifyDatabase } from '../../../testkit/replay/verify.ts';
import { fjdzappAdapter, parseColumn, parseSearchAnswer } from './adapter.ts';

const excerpt = (name: string): string => readFileSync(new URL(`./excerpts/${name}`, import.meta.url), 'utf8');
const COLUMN = 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/';

describe('the real Pingtan column page (excerpts/pingtan-column.html)', () => {
  const col = parseColumn(excerpt('pingtan-column.html'), COLUMN);

  it('reads the column id from the meta tags and the document library from SiteInfo', () => {
    expect(col).toMatchObject({ chnlid: '1813', channelid: '200210', columnName: '政府信息公开年报', recordCount: 20, prepage: 10 });
  });

  it('resolves the static row ./202503/t20250310_97791.htm against the column, with its date', () => {
    expect(col.links).toContainEqual({ url: 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm', title: '平潭综合实验区2024年度政府信息公开工作年度报告', date: '2025-03-10' });
  });

  it('emits the report and asks the API for the rest (20 records, 10 on the page)', async () => {
    const site = parseSite(readFileSync(new URL('../../fj/pingtan/site.yml', import.meta.url), 'utf8'), 'crawlers/fj/pingtan/site.yml', 'crawlers/fj/pingtan', 'fj');
    const html = excerpt('pingtan-column.html');
    const fetcher = { fetch: async (req: FetchRequest) => ({ url: req.url, finalUrl: req.url, status: 200, text: () => html }) as unknown as FetchResult };
    const ctx = new CrawlContext(site, fetcher);
    const [start] = fjdzappAdapter.start(site);
    expect(start).toEqual({ url: COLUMN, kind: 'listing', meta: { step: 'column', head: true } });
    await fjdzappAdapter.run(start!, ctx);
    expect(ctx.reports.map((r) => [r.url, r.year, r.agency, r.listedDate])).toEqual([
      ['https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm', 2024, '平潭综合实验区', '2025-03-10'],
    ]);
    // the form of the evidence's requests: channelid, classsql=chnlid=<column>, sortfield, page, prepage
    expect(ctx.steps).toEqual([
      {
        url: 'https://www.pingtan.gov.cn/fjdzapp/search#chnlid=1813&page=1',
        kind: 'listing',
        meta: {
          step: 'api',
          column: COLUMN,
          page: 1,
          method: 'POST',
          form: { channelid: '200210', sortfield: '-docorderpri,-docreltime', classsql: 'chnlid=1813', page: '1', prepage: '100' },
          headers: { 'X-Requested-With': 'XMLHttpRequest', Origin: 'https://www.pingtan.gov.cn', Referer: COLUMN },
        },
      },
    ]);
  });
});

describe('the API answer (fields of excerpts/crawler-requests.js; no real answer is stored)', () => {
  it('takes docpuburl, else chnldocurl, the title without markup, the date, and pageCount', () => {
    // built from the field names the evidence's code reads: data[].docpuburl/chnldocurl/doctitle/docreltime, pageCount
    const answer = JSON.stringify({
      data: [
        { doctitle: '平潭综合实验区2024年度<em>政府信息公开</em>工作年度报告', docpuburl: 'http://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm', docreltime: '2025-03-10 15:35:00' },
        { doctitle: '平潭综合实验区2022年度政府信息公开工作年度报告', docpuburl: '', chnldocurl: './202301/P020230116394812345678.pdf', docreltime: '2023-01-16' },
        { doctitle: 'no url' },
      ],
      pageCount: 3,
    });
    expect(parseSearchAnswer(answer, COLUMN)).toEqual({
      rows: [
        // the column's scheme: static and API rows of one document merge on one URL
        { url: 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t20250310_97791.htm', title: '平潭综合实验区2024年度政府信息公开工作年度报告', date: '2025-03-10' },
        { url: 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202301/P020230116394812345678.pdf', title: '平潭综合实验区2022年度政府信息公开工作年度报告', date: '2023-01-16' },
      ],
      pageCount: 3,
    });
  });

  it('reads the docs[] answer of templet=docs.jsp, and refuses what is not such JSON', () => {
    expect(parseSearchAnswer('{"docs":[{"doctitle":"x","chnldocurl":"https://www.fujian.gov.cn/a/t1_2.htm"}]}', 'https://www.fujian.gov.cn/zwgk/')?.rows).toEqual([{ url: 'https://www.fujian.gov.cn/a/t1_2.htm', title: 'x', date: null }]);
    expect(parseSearchAnswer('<html>error</html>', COLUMN)).toBeNull();
    expect(parseSearchAnswer('{"msg":"ok"}', COLUMN)).toBeNull();
  });
});

describe('replicas through the replay server', () => {
  let server: ReplayServer;
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'ogi-fj-'));
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(async () => {
    await server.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const crawl = (dir: string, ids: string[]): Promise<CrawlSummary> =>
    runCrawl({ sites: selectSites(loadSites(), ids), dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, browser: 'never' });

  it('Pingtan: static page, one API request, every report loaded with every value equal; the noise, the removed report and the firewall blip handled', async () => {
    const dir = tempDir();
    const summary = await crawl(dir, ['fj-pingtan']);
    const s = summary.sites[0]!;
    const expected = expectedReports('initial').filter((e) => e.host === 'www.pingtan.gov.cn');
    expect(expected).toHaveLength(4);
    // 4 reports + the removed one; the 关于…工作要点落实情况的函 and the fillers are not reports
    expect(s.links.map((l) => [l.url.replace('https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/', ''), l.year, l.state]).sort()).toEqual([
      ['202101/t20210129_86543.htm', 2020, 'ingested'],
      ['202201/t20220125_89120.htm', 2021, 'skipped'],
      ['202301/P020230116394812345678.pdf', 2022, 'ingested'],
      ['202401/t20240119_93012.htm', 2023, 'ingested'],
      ['202503/t20250310_97791.htm', 2024, 'ingested'],
    ]);
    expect(s.links.find((l) => l.year === 2021)?.error).toBe("gone: the page is a removed document's stub: it only refreshes to https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/");
    expect(s.warnings.map((w) => w.code)).toEqual(['report-gone']);
    expect(s.heads.map((h) => h.url)).toEqual(['https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/']);
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    const checks = verifyDatabase(db.$client, expected);
    closeDatabase(db);
    expect(checks.filter((c) => !c.found || c.mismatches.length > 0)).toEqual([]);
    expect(checks.reduce((n, c) => n + c.cells, 0)).toBeGreaterThan(100);
    // requests: the column page, one POST (20 rows < prepage 100), the home page once for the blip
    const pingtan = server.requests.filter((r) => r.host === 'www.pingtan.gov.cn');
    expect(pingtan.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/fjdzapp/search']);
    expect(pingtan.filter((r) => r.path === '/').length).toBe(1);
    expect(pingtan.filter((r) => r.path === '/zwgk/zfxxgk/zfxxgknb/202401/t20240119_93012.htm').length).toBe(2);
    const state = openCrawlState(dir);
    const posted = state.fetchLog.entries({ url: 'https://www.pingtan.gov.cn/fjdzapp/search' });
    state.close();
    expect(posted.map((e) => [e.method, e.status])).toEqual([['POST', 200]]);
  });

  it('a home-page start discovers the column, asks the API, and loads the reports (every other Fujian site)', async () => {
    const dir = tempDir();
    const sites = loadSites().filter((s) => s.platform === 'fjdzapp' && s.id !== 'fj-pingtan');
    expect(sites.map((s) => s.id)).toEqual(['fj-fujian', 'fj-gxt', 'fj-jtyst', 'fj-jyt', 'fj-scjgj', 'fj-sthjt', 'fj-tjj', 'fj-yjj']);
    const summary = await crawl(dir, sites.map((s) => s.id));
    const hosts = sites.map((s) => new URL(s.start[0] ?? '').hostname);
    const expected = expectedReports('initial').filter((e) => hosts.includes(e.host));
    expect(expected).toHaveLength(3 * sites.length);
    for (const s of summary.sites) {
      expect(s.links.map((l) => l.state)).toEqual(['ingested', 'ingested', 'ingested']);
      expect(s.warnings.filter((w) => w.code !== 'http-fallback')).toEqual([]);
      expect(s.heads).toHaveLength(1);
    }
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    const checks = verifyDatabase(db.$client, expected);
    closeDatabase(db);
    expect(checks.filter((c) => !c.found || c.mismatches.length > 0)).toEqual([]);
  });

  it('nightly: the column page is the head the scout re-reads; a new report changes it and is loaded', async () => {
    const dir = tempDir();
    const run = (): ReturnType<typeof runNightly> =>
      runNightly({ sites: selectSites(loadSites(), ['fj-pingtan']), dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, browser: 'never', noExport: true });
    try {
      const first = await run();
      expect(first.sites[0]).toMatchObject({ new: 4 });
      const quiet = await run();
      expect(quiet.sites[0]).toMatchObject({ walked: null, new: 0 });
      server.setMode('updated');
      const after = await run();
      expect(after.sites[0]?.walked).not.toBeNull();
      expect(after.sites[0]?.new).toBe(1);
    } finally {
      server.setMode('initial');
    }
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    const checks = verifyDatabase(db.$client, expectedReports('updated').filter((e) => e.host === 'www.pingtan.gov.cn'));
    closeDatabase(db);
    expect(checks.map((c) => [c.found, c.mismatches.length])).toEqual([...Array(5)].map(() => [true, 0]));
  });

  it('pages the API by pageCount when a page holds fewer rows than the column', async () => {
    const dir = tempDir();
    const base = selectSites(loadSites(), ['fj-scjgj'])[0]!;
    const site = { ...base, params: { ...base.params, fjdzapp: { channelid: '229105', prepage: 5 } } };
    const summary = await runCrawl({ sites: [site], dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, browser: 'never' });
    expect(summary.sites[0]?.links.map((l) => l.state)).toEqual(['ingested', 'ingested', 'ingested']);
    const state = openCrawlState(dir);
    const pages = state.fetchLog.entries({ url: 'https://scjgj.fujian.gov.cn/fjdzapp/search', runId: summary.runId });
    state.close();
    // 3 reports + fillers (9–13) on pages of 5: every page asked once
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((e) => e.status === 200 && e.method === 'POST')).toBe(true);
  });
});

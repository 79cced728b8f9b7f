/**
 * `ogi crawl --plan` (issue 13, point 5): the expected requests per host and the politeness bound,
 * as a table and as JSON, for the repo's sites — without fetching anything (a replay server that
 * sees no request, a --via port nobody listens on) and without writing a crawl state.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedReports, planCrawl, seenRequests, type CrawlPlan } from '../../../src/crawl/plan.ts';
import type { FetchLogEntry } from '../../../src/crawl/state/index.ts';
import { loadSites, REPO_ROOT, selectSites, type Site } from '../../../src/crawl/registry.ts';
import { startReplayServer, type ReplayServer } from '../../../testkit/replay/server.ts';

function ogi(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'ogi.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('exit', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** a port on 127.0.0.1 that nobody listens on (taken, then released) */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

let server: ReplayServer;
const dir = mkdtempSync(join(tmpdir(), 'ogi-plan-'));
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ogi crawl --plan', () => {
  it('prints per host robots.txt, the start steps and the estimates, and the bound, as JSON — and fetches nothing', async () => {
    const data = join(dir, 'json');
    const r = await ogi(['crawl', '--plan', '--json', '--via', server.url, '--data-dir', data, '--db', join(data, 'ogi.sqlite')]);
    expect(r.code).toBe(0);
    expect(server.requests).toEqual([]);
    expect(existsSync(data)).toBe(false);
    const plan = JSON.parse(r.stdout) as CrawlPlan;
    const sites = loadSites();
    // every site's first start host is planned, with one robots.txt and at least its start step
    for (const s of sites) {
      const h = plan.hosts.find((x) => x.host === new URL(s.start[0] as string).host);
      expect(h?.sites, s.id).toContain(s.id);
    }
    for (const h of plan.hosts) {
      expect(h.robots).toBe(1);
      expect(h.starts).toBeGreaterThan(0);
      expect(h.requests).toBe(h.robots + h.starts + h.listings + h.reports);
      expect(h.boundMs).toBe(h.requests * h.delayMs);
    }
    expect(plan.requests).toBe(plan.hosts.reduce((n, h) => n + h.requests, 0));
    expect(plan.boundMs).toBe(Math.max(...plan.hosts.map((h) => h.requests * h.delayMs)));
    expect(plan.hosts.find((h) => h.host === plan.boundHost)?.boundMs).toBe(plan.boundMs);
    expect(plan.estimated).toMatch(/estimated/);
  });

  it('prints a human table; --delay and --site change the plan; a --via port nobody listens on does not matter', async () => {
    const via = `http://127.0.0.1:${await closedPort()}`;
    const r = await ogi(['crawl', '--plan', '--via', via, '--site', 'zj-haining,zj-jiaxing', '--delay', '250', '--data-dir', join(dir, 'table')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^host\s+sites\s+robots\.txt\s+starts\s+listings \(est\.\)\s+reports \(est\.\)\s+requests\s+basis\s+delay ms\s+bound s$/);
    expect(r.stdout).toMatch(/^www\.haining\.gov\.cn\s+zj-haining\s+1\s+\d+\s+\d+\s+\d+\s+\d+\s+estimated\s+250\s+[\d.]+$/m);
    expect(r.stdout).toMatch(/^www\.jiaxing\.gov\.cn\s+zj-jiaxing\s+1\s/m);
    expect(r.stdout).toMatch(/^total\s+2 site\(s\)/m);
    expect(r.stdout).toMatch(/^politeness bound: [\d.]+ s = max over hosts of requests × delay \(www\.\w+\.gov\.cn\)/m);
    expect(r.stdout).toMatch(/^estimated: /m);
    expect(existsSync(join(dir, 'table'))).toBe(false);
  });

  it('an unknown site cannot be planned (exit 2)', async () => {
    const r = await ogi(['crawl', '--plan', '--site', 'zj-nowhere']);
    expect(r.code).toBe(2);
  });
});

describe('planCrawl', () => {
  const [haining] = selectSites(loadSites(), ['zj-haining']) as [Site];

  const NOW = new Date('2026-12-01T00:00:00Z');

  it('estimates reports from expect: maxReports, else one a year over its years, else one a year since 2019 through last year, never below minReports', () => {
    expect(expectedReports({ ...haining, expect: { minReports: 2, maxReports: 40, years: [2019, 2025] } }, NOW)).toBe(40);
    expect(expectedReports({ ...haining, expect: { minReports: 1, years: [2019, 2025] } }, NOW)).toBe(7);
    // 2019 … 2025: the reports due by 1 December 2026
    expect(expectedReports({ ...haining, expect: { minReports: 3 } }, NOW)).toBe(7);
    expect(expectedReports({ ...haining, expect: { minReports: 9 } }, NOW)).toBe(9);
    expect(expectedReports({ ...haining, expect: { minReports: 1 } }, new Date('2024-06-01T00:00:00Z'))).toBe(5);
    // years not yet due are not listed: 2008 … 2025 of [2008, 2030]
    expect(expectedReports({ ...haining, expect: { minReports: 1, years: [2008, 2030] } }, NOW)).toBe(18);
  });

  it('asks a jcms site for its listings: the data-proxy pages of 15 records per column, and two pages more for a column discovered from a home page', async () => {
    // one column start, 40 reports: proxy pages 1–3
    const column = await planCrawl([{ ...haining, expect: { minReports: 1, maxReports: 40 } }], { delayMs: 100, now: NOW });
    expect(column.hosts).toEqual([
      { host: 'www.haining.gov.cn', sites: ['zj-haining'], robots: 1, starts: 1, listings: 3, reports: 40, requests: 45, basis: 'estimated', delayMs: 100, boundMs: 4500 },
    ]);
    expect(column).toMatchObject({ requests: 45, boundMs: 4500, boundHost: 'www.haining.gov.cn' });
    // a home page start, 7 reports due: the 政府信息公开 page, the column page, one proxy page
    const home = await planCrawl([{ ...haining, start: ['http://www.haining.gov.cn/'], expect: { minReports: 1 } }], { delayMs: 100, now: NOW });
    expect(home.hosts[0]).toMatchObject({ starts: 1, listings: 3, reports: 7, requests: 12 });
  });

  it('sites on one host add up on it, and a site\'s own delay applies to its host', async () => {
    const twin: Site = { ...haining, id: 'zj-haining-twin', delayMs: 3000 };
    const plan = await planCrawl([haining, twin], { delayMs: 100 });
    expect(plan.hosts).toHaveLength(1);
    expect(plan.hosts[0]).toMatchObject({ sites: ['zj-haining', 'zj-haining-twin'], robots: 1, starts: 2, delayMs: 3000 });
    expect(plan.boundMs).toBe((plan.hosts[0]?.requests ?? 0) * 3000);
  });

  it('plans a host the last crawl reached from what that crawl asked of it (its latest run), the others by estimate', async () => {
    const entry = (url: string, runId: string, fetchedAt: string): FetchLogEntry => ({
      url, finalUrl: url, method: 'GET', status: 200, contentType: 'text/html', sha256: null, size: 0, fetchedAt, elapsedMs: 1, site: 'zj-haining', runId, error: null, viaBrowser: false, kind: 'listing',
    });
    const log = [
      // an older run asked 2 requests of haining; the latest asked 3 of it, and 1 of a file host
      entry('http://www.haining.gov.cn/robots.txt', 'old', '2026-01-01T00:00:00Z'),
      entry('http://www.haining.gov.cn/col/col1229781527/index.html', 'old', '2026-01-01T00:00:01Z'),
      entry('http://www.haining.gov.cn/robots.txt', 'new', '2026-02-01T00:00:00Z'),
      entry('http://www.haining.gov.cn/col/col1229781527/index.html', 'new', '2026-02-01T00:00:01Z'),
      entry('http://www.haining.gov.cn/art/2024/2/8/art_1229781527_5264708.html', 'new', '2026-02-01T00:00:02Z'),
      entry('http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/a.pdf', 'new', '2026-02-01T00:00:03Z'),
      entry('not a url', 'new', '2026-02-01T00:00:04Z'),
    ];
    const seen = seenRequests(log);
    expect([...seen].sort()).toEqual([['www.haining.gov.cn', 3], ['zjjcmspublic.oss-cn-hangzhou.aliyuncs.com', 1]]);
    const other: Site = { ...haining, id: 'zj-other', start: ['http://www.haiyan.gov.cn/col/col1229449092/index.html'] };
    const plan = await planCrawl([haining, other], { delayMs: 1000, seen });
    const byHost = Object.fromEntries(plan.hosts.map((h) => [h.host, [h.requests, h.basis]]));
    expect(byHost).toEqual({
      'www.haining.gov.cn': [3, 'seen'],
      'zjjcmspublic.oss-cn-hangzhou.aliyuncs.com': [1, 'seen'],
      'www.haiyan.gov.cn': [expect.any(Number), 'estimated'],
    });
  });
});

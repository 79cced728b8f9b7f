/**
 * Reliability under faults: the replay server behind the fault proxy (testkit/replay/faults.ts) resets
 * connections, times out, truncates bodies, answers bursts of 5xx and a 429 with Retry-After, loops
 * redirects, sends bodies over the size limit, lies about a page's charset, serves a malformed PDF
 * and an HTML error page in place of a PDF. The nightly run completes and records every failure;
 * the next run (faults gone) retries them and ends with every replica report loaded, and nothing
 * archived by the first run is lost.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/load/index.ts';
import type { NightlySummary } from '../../src/nightly/run.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../../testkit/replay/faults.ts';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { expectedReports } from '../../testkit/replay/replicas.ts';
import { verifyDatabase } from '../../testkit/replay/verify.ts';
import { FAST_FETCH, nightly, query, removeTempDirs, tempDir } from './helpers.ts';

const SITES = ['zj-haiyan', 'zj-province', 'zj-ningbo', 'sh-shanghai', 'zj-huzhou', 'zj-shaoxing', 'zj-jiaxing'];
const HOSTS = ['www.haiyan.gov.cn', 'www.zj.gov.cn', 'www.ningbo.gov.cn', 'www.shanghai.gov.cn', 'www.huzhou.gov.cn', 'www.sx.gov.cn', 'www.jiaxing.gov.cn'];
const FETCH = FAST_FETCH;
const LIMIT = FETCH.maxBodyBytes;

const HTML_ERROR_PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>错误</title></head><body><h1>文件不存在或已被删除</h1></body></html>';
const MALFORMED_PDF = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R'), Buffer.alloc(3000, 0xff)]);

const RULES: FaultRule[] = [
  // outlast the retries: failures recorded, retried next run
  { host: 'www.haiyan.gov.cn', path: '/art/2024/1/29/art_1229449092_89438.html', fault: { type: 'reset' } },
  { host: 'www.zj.gov.cn', path: '/art/2024/3/28/art_1229776842_2512345.html', fault: { type: 'timeout' } },
  { host: 'www.ningbo.gov.cn', path: '/art/2024/3/27/art_1229095999_59012345.html', fault: { type: 'redirect-loop' } },
  { host: 'www.jiaxing.gov.cn', path: '/col/col1229779129/index.html', fault: { type: 'status', status: 500 } },
  { host: 'zjjcmspublic.oss-cn-hangzhou.aliyuncs.com', path: /\.doc$/, fault: { type: 'oversize', bytes: LIMIT + 1024 * 1024 } },
  { host: 'www.huzhou.gov.cn', path: /^\/module\/download\/downfile\.jsp/, fault: { type: 'replace', body: HTML_ERROR_PAGE, contentType: 'text/html; charset=utf-8' } },
  { host: 'www.haiyan.gov.cn', path: '/art/2021/1/28/art_1229449092_61234.html', fault: { type: 'replace', body: MALFORMED_PDF, contentType: 'application/pdf' } },
  // end within the run: the fetcher's retries recover
  { host: 'www.haiyan.gov.cn', path: '/art/2024/1/30/art_1229449092_89501.html', fault: { type: 'status', status: 503 }, times: 2 },
  { host: 'www.zj.gov.cn', path: '/art/2021/1/29/art_1229776842_2231234.html', fault: { type: 'status', status: 429, retryAfter: '1' }, times: 1 },
  { host: 'www.haiyan.gov.cn', path: '/art/2021/3/30/art_1229449092_62345.html', fault: { type: 'truncate' }, times: 1 },
  { host: 'www.ningbo.gov.cn', path: '/art/2021/3/26/art_1229095999_58900123.html', fault: { type: 'reset' }, times: 1 },
  // a declared charset the bytes contradict (header and <meta> say GBK, the page is UTF-8)
  { host: 'www.shanghai.gov.cn', path: '/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html', fault: { type: 'charset', charset: 'GBK' } },
];

let server: ReplayServer;
let proxy: FaultProxy;
let dir: string;
let db: string;
let faulty: NightlySummary;
let archivedAfterFaults: string[];

function archiveFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(root);
  return out;
}

function report(url: string): (typeof expected)[number] {
  return expected.find((e) => e.url === url || e.articleUrl === url) as (typeof expected)[number];
}
const expected = expectedReports('initial').filter((e) => HOSTS.includes(e.host));

function verify(urls: string[], dbPath = db): string[] {
  const d = openDatabase(dbPath);
  try {
    return verifyDatabase(d.$client, urls.map(report)).flatMap((c) => (c.found ? c.mismatches.map((m) => `${c.url}: ${m}`) : [`${c.url}: missing`]));
  } finally {
    closeDatabase(d);
  }
}

beforeAll(async () => {
  server = await startReplayServer();
  proxy = await startFaultProxy(server.url, RULES);
  dir = tempDir();
  db = join(dir, 'ogi.sqlite');
  faulty = await nightly(dir, proxy.url, SITES, { fetch: FETCH, noExport: true });
  archivedAfterFaults = archiveFiles(join(dir, 'blobs'));
}, 60_000);
afterAll(async () => {
  await proxy.close();
  await server.close();
  removeTempDirs();
});

describe('a nightly run under faults', () => {
  it('meets every kind of fault', () => {
    const kinds = new Set(proxy.hits.map((h) => h.fault));
    expect([...kinds].sort()).toEqual(['charset', 'oversize', 'redirect-loop', 'replace', 'reset', 'status', 'timeout', 'truncate']);
    expect(proxy.hits.filter((h) => h.path.includes('89501')).length).toBe(2); // a burst of two 503s
  });

  it('completes, and records every failure as an issue', () => {
    expect(faulty.status).toBe('needs-attention');
    const urls = (code: string): string[] => faulty.issues.filter((i) => i.code === code).map((i) => i.url ?? '');
    expect(urls('report-failed').sort()).toEqual([
      'http://www.haiyan.gov.cn/art/2024/1/29/art_1229449092_89438.html',
      'http://www.ningbo.gov.cn/art/2024/3/27/art_1229095999_59012345.html',
      'https://www.zj.gov.cn/art/2024/3/28/art_1229776842_2512345.html',
    ]);
    const failed = Object.fromEntries(faulty.issues.filter((i) => i.code === 'report-failed').map((i) => [i.url, i.message]));
    expect(failed['http://www.haiyan.gov.cn/art/2024/1/29/art_1229449092_89438.html']).toMatch(/^network: /);
    expect(failed['https://www.zj.gov.cn/art/2024/3/28/art_1229776842_2512345.html']).toMatch(/^timeout: /);
    expect(failed['http://www.ningbo.gov.cn/art/2024/3/27/art_1229095999_59012345.html']).toMatch(/^too-many-redirects: /);
    expect(urls('listing-failed')).toEqual(['https://www.jiaxing.gov.cn/col/col1229779129/index.html']);
    expect(urls('pdf-arrived-as-html')).toEqual([report('https://www.huzhou.gov.cn/art/2024/3/26/art_1229513729_59123456.html').url]);
    expect(faulty.issues.find((i) => i.code === 'attachment-failed')?.message).toMatch(/too-large/);
    // the malformed PDF fails extraction; the reports whose attachment was an error page or too large lack their tables
    expect(urls('extraction-failed')).toEqual(['http://www.haiyan.gov.cn/art/2021/1/28/art_1229449092_61234.html']);
    expect(urls('report-incomplete').sort()).toEqual([
      'https://www.huzhou.gov.cn/art/2024/3/26/art_1229513729_59123456.html',
      'https://www.sx.gov.cn/art/2021/3/29/art_1229486299_3843210.html',
    ]);
    // the same issues are in the database
    const inDb = query<{ code: string; n: number }>(db, 'SELECT code, count(*) AS n FROM run_issues WHERE run_id = ? GROUP BY code ORDER BY code', faulty.runId);
    expect(Object.fromEntries(inDb.map((r) => [r.code, r.n]))).toEqual(Object.fromEntries(Object.entries(faulty.issuesByCode).map(([c, v]) => [c, v.count])));
    // and the fetch log holds the failed exchanges
    const errors = query<{ error: string }>(join(dir, 'crawl.sqlite'), 'SELECT error FROM fetch_log WHERE error IS NOT NULL').map((r) => r.error.split(':')[0]);
    expect(new Set(errors)).toEqual(new Set(['network', 'timeout', 'too-large']));
  });

  it('recovers within the run from short 5xx/429 bursts, a truncated body and a reset, and reads a page whose declared charset is wrong', () => {
    expect(
      verify([
        'http://www.haiyan.gov.cn/art/2024/1/30/art_1229449092_89501.html',
        'https://www.zj.gov.cn/art/2021/1/29/art_1229776842_2231234.html',
        'http://www.haiyan.gov.cn/art/2021/3/30/art_1229449092_62345.html',
        'http://www.ningbo.gov.cn/art/2021/3/26/art_1229095999_58900123.html',
        'https://www.shanghai.gov.cn/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html',
      ]),
    ).toEqual([]);
  });

  it('retries every failure on the next run: every replica report arrives and nothing archived is lost', async () => {
    proxy.setRules([]);
    const next = await nightly(dir, proxy.url, SITES, { fetch: FETCH, noExport: true });
    const walked = Object.fromEntries(next.sites.map((s) => [s.site, s.walked]));
    for (const id of ['zj-haiyan', 'zj-province', 'zj-ningbo', 'zj-jiaxing', 'zj-huzhou', 'zj-shaoxing']) expect(walked[id], id).toBe('retry-failed');
    expect(walked['sh-shanghai']).toBeNull();
    expect(next.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(next.status).toBe('ok');
    expect(verify(expected.map((e) => e.url))).toEqual([]);
    expect(archivedAfterFaults.filter((f) => !existsSync(f))).toEqual([]);
    const integrity = query<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
    expect(integrity).toEqual([{ integrity_check: 'ok' }]);
  }, 60_000);

  it('cuts off a body without Content-Length at the size limit while it streams: memory stays bounded', async () => {
    const d = tempDir();
    const huge = 256 * 1024 * 1024;
    proxy.setRules([{ host: 'www.huzhou.gov.cn', path: /^\/module\/download\/downfile\.jsp/, fault: { type: 'oversize', bytes: huge, chunked: true } }]);
    try {
      global.gc?.();
      const before = process.memoryUsage().rss;
      const run = await nightly(d, proxy.url, ['zj-huzhou'], { fetch: FETCH, noExport: true });
      const grown = process.memoryUsage().rss - before;
      expect(run.issues.find((i) => i.code === 'attachment-failed')?.message).toMatch(/^too-large: body exceeds the \d+-byte limit/);
      expect(run.issues.map((i) => i.code)).toContain('report-incomplete');
      expect(grown).toBeLessThan(huge / 2);
    } finally {
      proxy.setRules([]);
    }
  }, 60_000);

  // 2,500 levels overflow the extractor's recursive DOM walk (a clean extract-failed); far deeper
  // nesting is not used here because the HTML parsers' time grows faster than linearly with depth
  it('survives malformed documents: deeply nested HTML, binary garbage sent as HTML, a zero-byte page', async () => {
    const d = tempDir();
    const nested = `<html><body>${'<div><table><tr><td>'.repeat(2500)}2023年度政府信息公开工作年度报告</body></html>`;
    const garbage = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256));
    proxy.setRules([
      { host: 'www.haiyan.gov.cn', path: '/art/2024/1/29/art_1229449092_89438.html', fault: { type: 'replace', body: nested, contentType: 'text/html; charset=utf-8' } },
      { host: 'www.haiyan.gov.cn', path: '/art/2024/1/30/art_1229449092_89501.html', fault: { type: 'replace', body: garbage, contentType: 'text/html' } },
      { host: 'www.haiyan.gov.cn', path: '/art/2021/1/28/art_1229449092_61234.html', fault: { type: 'replace', body: '', contentType: 'text/html' } },
    ]);
    try {
      const run = await nightly(d, proxy.url, ['zj-haiyan'], { fetch: FETCH, noExport: true });
      const site = run.sites[0];
      // the fourth report arrives; the three malformed pages are recorded, none crashed the run: the
      // nested page is read (2,500 levels deep) but holds no table, so it is loaded and incomplete
      expect(site).toMatchObject({ site: 'zj-haiyan', reportLinks: 4, new: 2 });
      expect(run.issues.find((i) => i.code === 'report-incomplete')?.url).toBe('http://www.haiyan.gov.cn/art/2024/1/29/art_1229449092_89438.html');
      const bad = run.issues.filter((i) => ['extraction-failed', 'report-incomplete', 'report-failed'].includes(i.code)).map((i) => i.url);
      expect(bad).toHaveLength(3);
      proxy.setRules([]);
      const next = await nightly(d, proxy.url, ['zj-haiyan'], { fetch: FETCH, noExport: true });
      expect(next.sites[0]).toMatchObject({ walked: 'retry-failed' });
      expect(verify(expected.filter((e) => e.host === 'www.haiyan.gov.cn').map((e) => e.url), join(d, 'ogi.sqlite'))).toEqual([]);
    } finally {
      proxy.setRules([]);
    }
  }, 60_000);
});

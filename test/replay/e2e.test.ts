/**
 * End to end through the replay server: crawl → archive → extract → load, then the database is
 * compared with what the replicas publish (every value, and the source URL of each report).
 * Also: a second crawl changes nothing, a republished report becomes a new version, and a crawl
 * cut short (request budget, or kill -9) resumes into the same database as an uninterrupted one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSites, REPO_ROOT, selectSites } from '../../src/crawl/registry.ts';
import { runCrawl, type CrawlSummary } from '../../src/crawl/run.ts';
import { closeDatabase, openDatabase } from '../../src/load/index.ts';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { expectedReports } from '../../testkit/replay/replicas.ts';
import { verifyDatabase } from '../../testkit/replay/verify.ts';

const SITES = ['zj-haining', 'zj-haiyan', 'zj-hangzhou', 'sh-shanghai'];
const HOSTS = ['www.haining.gov.cn', 'www.haiyan.gov.cn', 'www.hangzhou.gov.cn', 'www.shanghai.gov.cn'];

let server: ReplayServer;
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ogi-e2e-'));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function crawl(dir: string, ids: string[], extra: { maxRequests?: number } = {}): Promise<CrawlSummary> {
  return runCrawl({ sites: selectSites(loadSites(), ids), dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0, ...extra });
}

/** The database's content in a canonical form: reports with their source, and every cell. */
function dump(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const reports = db
      .prepare(
        `SELECT a.name, r.year, r.template, r.version, r.is_current, r.ok, d.url, d.sha256,
          (SELECT count(*) || ':' || coalesce(sum(value), 0) FROM table2_cells WHERE report_id = r.id) AS t2,
          (SELECT count(*) || ':' || coalesce(sum(value), 0) FROM table3_cells WHERE report_id = r.id) AS t3,
          (SELECT count(*) || ':' || coalesce(sum(value), 0) FROM table4_cells WHERE report_id = r.id) AS t4
         FROM reports r JOIN documents d ON d.id = r.document_id LEFT JOIN agencies a ON a.id = r.agency_id`,
      )
      .all() as Record<string, unknown>[];
    const docs = (db.prepare('SELECT count(*) AS n FROM documents').get() as { n: number }).n;
    return [...reports.map((r) => JSON.stringify(r)).sort(), `documents:${docs}`];
  } finally {
    db.close();
  }
}

describe('crawl through the replay server', () => {
  const dir = tempDir();
  let first: CrawlSummary;

  it('loads every replica report of the crawled sites with correct numbers and source URLs', async () => {
    first = await crawl(dir, SITES);
    expect(first.complete).toBe(true);
    const bySite = Object.fromEntries(first.sites.map((s) => [s.site, s]));
    expect(bySite['zj-haiyan']).toMatchObject({ reportsFound: 4, new: 4, failed: 0 });
    expect(bySite['zj-hangzhou']).toMatchObject({ reportsFound: 2, new: 2, failed: 0 });
    expect(bySite['sh-shanghai']).toMatchObject({ reportsFound: 3, new: 3, failed: 0 });
    expect(bySite['zj-hangzhou']?.warnings.map((w) => w.code)).toContain('jpaas-shell');

    const expected = expectedReports().filter((e) => HOSTS.includes(e.host));
    expect(expected).toHaveLength(10);
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    try {
      const checks = verifyDatabase(db.$client, expected);
      for (const c of checks) {
        expect(c.found, c.url).toBe(true);
        expect(c.mismatches, c.url).toEqual([]);
        expect(c.cells).toBeGreaterThan(0);
        expect(c.checksFailed).toBe(0);
      }
      const urls = (db.$client.prepare('SELECT url FROM documents ORDER BY url').all() as { url: string }[]).map((r) => r.url);
      expect(urls).toEqual(expected.map((e) => e.url).sort());
      // a township's report on the county portal is filed under the township
      const level = db.$client.prepare("SELECT level, region_code FROM agencies WHERE name = '海盐县沈荡镇'").get();
      expect(level).toEqual({ level: 'township', region_code: '330424' });
    } finally {
      closeDatabase(db);
    }
  });

  it('changes nothing on a second crawl, and asks the server conditionally', async () => {
    const before = dump(join(dir, 'ogi.sqlite'));
    const mark = server.requests.length;
    const again = await crawl(dir, SITES);
    expect(again.sites.reduce((n, s) => n + s.new + s.changed, 0)).toBe(0);
    expect(again.sites.reduce((n, s) => n + s.unchanged, 0)).toBe(10);
    expect(dump(join(dir, 'ogi.sqlite'))).toEqual(before);
    expect(server.requests.slice(mark).some((q) => q.status === 304)).toBe(true);
  });

  it('loads a newly published report as new and a republished one as a new version', async () => {
    expect((await crawl(dir, ['zj-jinhua'])).sites[0]).toMatchObject({ new: 1, changed: 0 });
    server.setMode('updated');
    try {
      const run = await crawl(dir, ['zj-haining', 'zj-jinhua']);
      const bySite = Object.fromEntries(run.sites.map((s) => [s.site, s]));
      expect(bySite['zj-haining']).toMatchObject({ new: 1, unchanged: 1 });
      expect(bySite['zj-jinhua']).toMatchObject({ new: 0, changed: 1 });
      const db = openDatabase(join(dir, 'ogi.sqlite'));
      try {
        const expected = expectedReports('updated').filter((e) => ['www.haining.gov.cn', 'www.jinhua.gov.cn'].includes(e.host));
        for (const c of verifyDatabase(db.$client, expected)) expect(c.mismatches, c.url).toEqual([]);
        const versions = db.$client.prepare("SELECT r.version, r.is_current FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE a.name = '金华市人民政府' AND r.year = 2023 ORDER BY r.version").all();
        expect(versions).toEqual([
          { version: 1, is_current: 0 },
          { version: 2, is_current: 1 },
        ]);
      } finally {
        closeDatabase(db);
      }
    } finally {
      server.setMode('initial');
    }
  });
});

describe('resuming an interrupted crawl', () => {
  const ids = ['zj-haiyan', 'zj-province', 'zj-ningbo'];
  let reference: string[];

  beforeAll(async () => {
    const dir = tempDir();
    await crawl(dir, ids);
    reference = dump(join(dir, 'ogi.sqlite'));
  });

  it('continues after --max-requests into the same database as an uninterrupted crawl', async () => {
    const dir = tempDir();
    const first = await crawl(dir, ids, { maxRequests: 5 });
    expect(first.complete).toBe(false);
    expect(first.sites.reduce((n, s) => n + s.pending, 0)).toBeGreaterThan(0);
    let runs = 1;
    for (let last = first; !last.complete && runs < 50; runs++) last = await crawl(dir, ids, { maxRequests: 5 });
    expect(runs).toBeGreaterThan(2);
    expect(dump(join(dir, 'ogi.sqlite'))).toEqual(reference);
  });

  it('resumes after kill -9 with nothing lost and nothing duplicated', async () => {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'bin', 'ogi.js'), 'crawl', ...ids.flatMap((i) => ['--site', i]), '--via', server.url, '--data-dir', dir, '--db', join(dir, 'ogi.sqlite'), '--delay', '150'],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    // kill it once some reports are loaded but others are still queued
    let killedMidway = false;
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        const st = new Database(join(dir, 'crawl.sqlite'), { readonly: true, fileMustExist: true });
        const row = st.prepare("SELECT sum(kind = 'article' AND status = 'done') AS done, sum(status = 'pending') AS pending FROM frontier").get() as { done: number | null; pending: number | null };
        st.close();
        if ((row.done ?? 0) >= 2 && (row.pending ?? 0) > 0) {
          child.kill('SIGKILL');
          killedMidway = true;
          break;
        }
      } catch {
        // the state database is not there yet
      }
    }
    await exited;
    expect(killedMidway).toBe(true);
    const resumed = await crawl(dir, ids);
    expect(resumed.complete).toBe(true);
    expect(dump(join(dir, 'ogi.sqlite'))).toEqual(reference);
  });
});

describe('attachments and pictures', () => {
  it('loads reports published only as a PDF (downfile.jsp, octet-stream), a Word .doc (OSS mirror) or pictures of their tables', async () => {
    const dir = tempDir();
    const ids = ['zj-huzhou', 'zj-shaoxing', 'zj-lishui'];
    const run = await crawl(dir, ids);
    expect(run.sites.map((s) => [s.site, s.new, s.failed])).toEqual([
      ['zj-huzhou', 1, 0],
      ['zj-shaoxing', 1, 0],
      ['zj-lishui', 2, 0],
    ]);
    const db = openDatabase(join(dir, 'ogi.sqlite'));
    try {
      // the three sites' hosts (other platforms' replicas publish PDFs too)
      const hosts = selectSites(loadSites(), ['zj-huzhou', 'zj-shaoxing', 'zj-lishui']).flatMap((s) => [...s.start.map((u) => new URL(u).hostname), ...s.allowHosts]);
      const expected = expectedReports().filter((e) => e.format !== 'html' && hosts.includes(e.host));
      expect(expected.map((e) => e.format).sort()).toEqual(['doc', 'images', 'pdf']);
      for (const c of verifyDatabase(db.$client, expected)) {
        expect(c.found, c.url).toBe(true);
        expect(c.mismatches, c.url).toEqual([]);
      }
      const docs = db.$client.prepare("SELECT url, media_type FROM documents WHERE media_type <> 'text/html' ORDER BY url").all();
      expect(docs).toEqual([
        { url: 'http://www.lishui.gov.cn/picture/0/lishui-2022-t2.png', media_type: 'image/png' },
        { url: 'http://www.lishui.gov.cn/picture/0/lishui-2022-t3.png', media_type: 'image/png' },
        { url: 'http://www.lishui.gov.cn/picture/0/lishui-2022-t4.png', media_type: 'image/png' },
        { url: 'http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/jcms1/web3175/site/attach/-1/2103291600sxnb.doc', media_type: 'application/msword' },
        { url: 'https://www.huzhou.gov.cn/module/download/downfile.jsp?classid=0&filename=8f3c2a1b9d7e4f60a1b2c3d4e5f60718.pdf', media_type: 'application/pdf' },
      ]);
      // every value of the pictured report names the picture it was read from; the report is the article page
      const provenance = db.$client
        .prepare(
          `SELECT 'table' || t.n AS tbl, d.url FROM reports r JOIN documents rd ON rd.id = r.document_id
           JOIN (SELECT report_id, document_id, 2 AS n FROM table2_cells UNION SELECT report_id, document_id, 3 FROM table3_cells UNION SELECT report_id, document_id, 4 FROM table4_cells) t ON t.report_id = r.id
           JOIN documents d ON d.id = t.document_id WHERE rd.url LIKE '%art_1229850027_4987654.html' GROUP BY tbl, d.url ORDER BY tbl`,
        )
        .all();
      expect(provenance).toEqual([
        { tbl: 'table2', url: 'http://www.lishui.gov.cn/picture/0/lishui-2022-t2.png' },
        { tbl: 'table3', url: 'http://www.lishui.gov.cn/picture/0/lishui-2022-t3.png' },
        { tbl: 'table4', url: 'http://www.lishui.gov.cn/picture/0/lishui-2022-t4.png' },
      ]);
    } finally {
      closeDatabase(db);
    }
  });
});

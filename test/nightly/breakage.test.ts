/**
 * Breakage detection and cross-year checks. Through the fault proxy a portal is "redesigned" between
 * two nightly runs (a column page without its list), which must surface as issues with stable
 * codes, in the run report and in run_issues; detectBreakage is also checked on its own for the
 * expectations a replica cannot easily break (years, extraction failure jumps). Cross-year: a
 * report's 上年结转 against the same agency's previous-year 结转下年度.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSites, selectSites, type Site } from '../../src/crawl/registry.ts';
import { EXTRACTOR_VERSION } from '../../src/extract/index.ts';
import { closeDatabase, loadExtraction, openDatabase } from '../../src/load/index.ts';
import { detectBreakage, type SiteWalkFacts } from '../../src/nightly/breakage.ts';
import { startFaultProxy, type FaultProxy } from '../../testkit/replay/faults.ts';
import { startReplayServer, type ReplayServer } from '../../testkit/replay/server.ts';
import { runCrossYearChecks } from '../../src/validate/cross-year.ts';
import { loadInput, makeExtraction } from '../load/extraction-fixture.ts';
import { nightly, query, removeTempDirs, tempDir } from './helpers.ts';

const REDESIGNED = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body><div id="app"></div><p>页面改版中</p></body></html>';

let server: ReplayServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startReplayServer();
  proxy = await startFaultProxy(server.url);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  removeTempDirs();
});

describe('breakage detection', () => {
  it('flags a listing that became empty or shrank by more than half after a redesign, and only then', async () => {
    const dir = tempDir();
    const ids = ['zj-haiyan', 'zj-jiaxing'];
    const first = await nightly(dir, proxy.url, ids, { noExport: true });
    expect(first.status).toBe('ok');
    const jiaxingBefore = first.sites.find((s) => s.site === 'zj-jiaxing')?.reportLinks ?? 0;
    expect(jiaxingBefore).toBe(4);
    const redesign = (path: string) => ({ host: path.startsWith('/col/col12294') ? 'www.haiyan.gov.cn' : 'www.jiaxing.gov.cn', path, fault: { type: 'replace' as const, body: REDESIGNED, contentType: 'text/html; charset=utf-8' } });
    proxy.setRules([redesign('/col/col1229449092/index.html'), redesign('/col/col1229779129/index.html'), redesign('/col/col1229849768/index.html')]);
    try {
      const broken = await nightly(dir, proxy.url, ids, { noExport: true });
      expect(broken.status).toBe('needs-attention');
      expect(broken.issues.filter((i) => i.severity === 'error').map((i) => [i.site, i.code])).toEqual([
        ['zj-haiyan', 'listing-empty'],
        ['zj-jiaxing', 'listing-shrunk'],
      ]);
      expect(broken.issuesByCode['listing-empty']).toEqual({ severity: 'error', count: 1 });
      const rows = query(join(dir, 'ogi.sqlite'), "SELECT site, code, severity FROM run_issues WHERE run_id = ? AND severity = 'error' ORDER BY site", broken.runId);
      expect(rows).toEqual([
        { site: 'zj-haiyan', code: 'listing-empty', severity: 'error' },
        { site: 'zj-jiaxing', code: 'listing-shrunk', severity: 'error' },
      ]);
    } finally {
      proxy.setRules([]);
    }
  }, 60_000);

  it('one broken site never stops the others: a crawler.ts that does not load is an issue of that site only', async () => {
    const dir = tempDir();
    const [haining, haiyan] = selectSites(loadSites(), ['zj-haining', 'zj-haiyan']) as [Site, Site];
    const broken: Site = { ...haining, id: 'zj-broken', crawler: join(dir, 'missing-crawler.ts') };
    const run = await nightly(dir, proxy.url, [], { sites: [haining, broken, haiyan], noExport: true });
    expect(run.issues.filter((i) => i.severity === 'error').map((i) => [i.site, i.code])).toEqual([['zj-broken', 'walk-failed']]);
    expect(run.sites.map((s) => [s.site, s.new])).toEqual([
      ['zj-haining', 1],
      ['zj-broken', 0],
      ['zj-haiyan', 4],
    ]);
  }, 60_000);

  const site = { id: 'zj-test', expect: { minReports: 1, maxReports: 10, years: [2019, 2024] } } as unknown as Site;
  const facts = (f: Partial<SiteWalkFacts>): SiteWalkFacts => ({ site, finished: true, reportLinks: 5, years: [2021, 2022], extracted: 5, extractionFailures: 0, previousReportLinks: 5, history: [], htmlForPdf: [], ...f });
  const codes = (f: Partial<SiteWalkFacts>): string[] => detectBreakage(facts(f)).map((i) => `${i.severity}:${i.code}`);

  it('judges years, counts and extraction failures against site.yml and the site history', () => {
    expect(codes({})).toEqual([]);
    expect(codes({ years: [2018, 2021, 2025] })).toEqual(['error:year-out-of-range']);
    expect(detectBreakage(facts({ years: [2018, 2025] }))[0]?.message).toBe('report years 2018, 2025 lie outside the expected 2019–2024');
    expect(codes({ reportLinks: 12, previousReportLinks: 11 })).toEqual(['warning:too-many-reports']);
    expect(codes({ reportLinks: 2, previousReportLinks: 5 })).toEqual(['error:listing-shrunk']);
    expect(codes({ reportLinks: 3, previousReportLinks: 5 })).toEqual([]);
    expect(codes({ reportLinks: 0, previousReportLinks: null })).toEqual(['error:listing-empty']);
    // an unfinished walk's counts are partial: no verdict on them
    expect(codes({ reportLinks: 0, finished: false })).toEqual([]);
    const steady = [{ site: 'zj-test', crawlReason: 'first-walk', listings: 1, reportLinks: 5, new: 5, changed: 0, failed: 0, extracted: 10, extractionFailures: 4 }];
    expect(codes({ extracted: 5, extractionFailures: 3, history: [] })).toEqual(['error:extraction-failures-jump']);
    expect(codes({ extracted: 5, extractionFailures: 3, history: steady })).toEqual([]);
    expect(codes({ extracted: 5, extractionFailures: 1 })).toEqual([]);
    expect(codes({ htmlForPdf: ['https://www.example.gov.cn/a.pdf'] })).toEqual(['error:pdf-arrived-as-html']);
  });
});

describe('cross-year checks', () => {
  it("compares 上年结转 with the previous year's 结转下年度, column by column, and reports mismatches in the nightly run", async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'ogi.sqlite');
    const db = openDatabase(dbPath);
    try {
      const y2022 = makeExtraction({ agency: '海宁市人民政府', year: 2022 });
      const y2023 = makeExtraction({ agency: '海宁市人民政府', year: 2023, offset: 1 });
      const other = makeExtraction({ agency: '海盐县人民政府', year: 2023 });
      // 2023 carries over exactly what 2022 carried forward, except for natural persons
      const t3 = y2023.output.table3 as Record<string, Record<string, number | null>>;
      const forward = (y2022.output.table3 as Record<string, Record<string, number | null>>).carried_forward as Record<string, number | null>;
      t3.carried_over = { ...forward, natural_person: (forward.natural_person ?? 0) + 7 };
      y2023.cells = y2023.cells.filter((c) => !(c.table === 'table3' && c.row === 'carried_over'));
      for (const e of [y2022, y2023, other]) loadExtraction(db, { ...loadInput(e, e.output.agency ?? ''), extractorVersion: EXTRACTOR_VERSION });
      const result = runCrossYearChecks(db.$client);
      expect(result.compared).toBe(Object.keys(forward).length);
      expect(result.mismatches.map((m) => [m.agency, m.year, m.applicant, m.carriedOver, m.previousCarriedForward])).toEqual([
        ['海宁市人民政府', 2023, 'natural_person', (forward.natural_person ?? 0) + 7, forward.natural_person],
      ]);
      const rows = db.$client.prepare('SELECT passed, count(*) AS n FROM cross_year_checks GROUP BY passed ORDER BY passed').all();
      expect(rows).toEqual([
        { passed: 0, n: 1 },
        { passed: 1, n: Object.keys(forward).length - 1 },
      ]);
    } finally {
      closeDatabase(db);
    }
    const run = await nightly(dir, proxy.url, [], { sites: [], noExport: true });
    expect(run.crossYear).toEqual({ compared: 7, mismatches: 1 });
    expect(run.issues.map((i) => [i.code, i.severity])).toEqual([['carry-over-mismatch', 'warning']]);
    expect(run.status).toBe('ok');
    expect(query(dbPath, 'SELECT code, report_id IS NOT NULL AS hasReport FROM run_issues')).toEqual([{ code: 'carry-over-mismatch', hasReport: 1 }]);
  });
});

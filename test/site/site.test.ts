/**
 * The dataset's website in a real Chromium (Debian's /usr/bin/chromium through playwright-core):
 * every page type opened from a snapshot of the five seed reports (loaded from their files, so
 * their sources are the files) and a hand-built report with a failed check (its source in an
 * archive). What a chart and a table show is compared with the database, read here with SQL of
 * the test's own; the SQL console runs a canned query; search finds what `ogi search` finds; a
 * report is followed to its source; no page logs an error.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putBlob } from '../../src/archive/index.ts';
import { exportSnapshot } from '../../src/export/snapshot.ts';
import { ingestFiles } from '../../src/ingest/files.ts';
import { closeDatabase, loadExtraction, openDatabase } from '../../src/load/index.ts';
import { cannedParams, findCannedQuery } from '../../src/query/canned.ts';
import { searchReports } from '../../src/query/search.ts';
import { OgiError } from '../../src/domain/errors.ts';
import { buildSite } from '../../src/site/build.ts';
import { serveSnapshot } from '../../src/site/serve.ts';
import { loadInput, makeExtraction } from '../load/extraction-fixture.ts';
import { REPO, SEEDS } from '../support/paths.ts';

let dir: string;
let snapshot: string;
let site: string;
let browser: Browser;
let server: Server;
let served: string;
let db: Database.Database;
const errors: string[] = [];
/** every request a page made that was not for a file of the site or of ogi serve */
const outside: string[] = [];

/** where the hand-built report's page was fetched from (it is never fetched: the site must not ask for it) */
const PORTAL = 'http://portal.example.invalid';
/** a picture of a table, as a report page may print one (a fixture of the extractor's tests) */
const png = readFileSync(join(REPO, 'test/fixtures/documents/photo-2021.png'));
/** 海宁市 (GB/T 2260 330481): the hand-built report's agency is placed there, so coverage has a region row */
const HAINING = '330481';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-site-'));
  const dbPath = join(dir, 'ogi.sqlite');
  const data = openDatabase(dbPath);
  const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).map((f) => join(SEEDS, f));
  await ingestFiles(data, seeds);
  // a 2022 report of 海宁市人民政府 whose table-3 balance fails, its document archived as HTML
  const e = makeExtraction({ agency: '海宁市人民政府', year: 2022, template: '2021' });
  e.output.checks = [{ rule: 'table3.balance.total', passed: false, detail: '一 + 二 = 三（七）总计 + 四: 1 vs 2' }];
  // warnings worded as the extractor words them (src/extract/match/table2.ts, table3.ts): one names a cell, one a row
  e.warnings.push(
    { code: 'placeholder-zero', message: 'table 2 regulations.issued: "-" read as 0' },
    { code: 'row-short', message: 'table 3 granted: 5 cells for 7 columns; the missing cells are blank' },
  );
  // its page as archived: a table printed as a picture (archived with it), and references to the portal's own files
  const html = Buffer.from(
    `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/css/site.css"><script src="http://example.invalid/a.js"></script></head>` +
      `<body><h1>海宁市人民政府2022年政府信息公开工作年度报告</h1><img src="../../picture/t3.png" alt="表三"><img src="http://example.invalid/logo.png"><a href="/">首页</a></body></html>`,
  );
  const input = {
    ...loadInput(e, '', { regionCode: HAINING, level: 'county' }),
    document: { sha256: putBlob(dir, html), size: html.length, mediaType: 'text/html', url: `${PORTAL}/art/2023/report.html` },
    parts: [{ url: `${PORTAL}/picture/t3.png`, sha256: putBlob(dir, png), size: png.length, mediaType: 'image/png' }],
  };
  loadExtraction(data, input);
  closeDatabase(data);

  const result = await exportSnapshot(dbPath, { outDir: join(dir, 'snapshots'), now: new Date('2026-01-15T08:00:00Z') });
  snapshot = result.dir;
  site = (await buildSite(snapshot, { archiveDirs: [dir] })).dir;
  db = new Database(join(snapshot, 'ogi.sqlite'), { readonly: true });
  ({ server, url: served } = await serveSnapshot(snapshot, { port: 0, host: '127.0.0.1' }));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** a page of the site opened from disk (file://), or from ogi serve; console errors are collected */
async function open(path: string, over: 'file' | 'http' = 'file'): Promise<Page> {
  const page = await browser.newPage({ acceptDownloads: true, locale: 'en-US' });
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://') && !r.url().startsWith(served) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) outside.push(`${path}: ${r.url()}`);
  });
  const base = over === 'file' ? pathToFileURL(`${site}/`).href : `${served}site/`;
  await page.goto(base + path);
  await page.locator('main .loading').waitFor({ state: 'detached' });
  return page;
}

const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
const agencyId = (name: string) => one<{ id: number }>('SELECT id FROM agencies WHERE name = ?', name).id;
const currentReport = (name: string, year: number) =>
  one<{ id: number }>('SELECT r.id FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE a.name = ? AND r.year = ? AND r.is_current = 1', name, year).id;

describe('the dataset website (ogi site), in Chromium', () => {
  it('home: counts, downloads with sizes and SHA-256 equal to the files, citation, licence, changes', async () => {
    const page = await open('index.html');
    const count = (name: string) => page.locator(`[data-count="${name}"]`).innerText();
    expect(await count('reports')).toBe(String(one<{ n: number }>('SELECT count(*) AS n FROM reports WHERE ok = 1 AND is_current = 1').n));
    expect(await count('agencies')).toBe('5');
    expect(await count('failed-checks')).toBe('1');
    expect(await count('regions')).toBe('1');
    const row = page.locator('table.downloads tr', { hasText: 'ogi.sqlite' });
    const bytes = readFileSync(join(snapshot, 'ogi.sqlite'));
    expect(await row.locator('code').innerText()).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await row.locator('td.num').innerText()).toBe(`${(bytes.length / 1024).toFixed(1)} KB`);
    expect(await page.locator('a[href="../parquet/table3.parquet"]').count()).toBe(1);
    expect(await page.locator('a[href="CITATION.cff"]').count()).toBe(1);
    expect(readFileSync(join(site, 'CITATION.cff'), 'utf8')).toContain('cff-version: 1.2.0');
    expect(await page.locator('main').innerText()).toContain('CC-BY-4.0');
    expect(await page.locator('section.changes').innerText()).not.toBe('');
    await page.close();
  });

  it('coverage: the region × year cell of the hand-built report is inconsistent, and lists that report', async () => {
    const page = await open('coverage.html');
    const cell = page.locator(`td[data-cell="${HAINING}|2022"]`);
    expect(await cell.getAttribute('data-status')).toBe('inconsistent');
    // a year without a report for 海宁市 is missing, the seeds (no region) are listed apart
    expect(await page.locator(`td[data-cell="${HAINING}|2020"]`).getAttribute('data-status')).toBe('missing');
    await cell.locator('button').focus();
    await page.keyboard.press('Enter');
    const link = page.locator('#cell-reports a');
    expect(await link.innerText()).toBe('海宁市人民政府');
    await link.click();
    await page.waitForURL(/report\.html\?id=/);
    expect(page.url()).toContain(`id=${currentReport('海宁市人民政府', 2022)}`);
    await page.close();
  });

  it('agency: the outcome chart and the table-4 table show the values of the database', async () => {
    const id = agencyId('海宁市人民政府');
    const page = await open(`agency.html?id=${id}`);
    const titles = await page.locator('figure[data-chart="outcomes"] svg title').allTextContents();
    const groups: [string, string][] = [
      ['granted', "row_code = 'granted'"],
      ['partially granted', "row_code = 'partially_granted'"],
      ['withheld', "row_code LIKE 'withheld.%'"],
      ['unavailable', "row_code LIKE 'unavailable.%'"],
      ['not processed', "row_code LIKE 'not_processed.%'"],
      ['other handling', "(row_code = 'other' OR row_code LIKE 'other.%')"],
      ['new applications received', "row_code = 'new_received'"],
    ];
    const expected: string[] = [];
    for (const year of [2022, 2023]) {
      const report = currentReport('海宁市人民政府', year);
      for (const [label, where] of groups) {
        const v = one<{ v: number | null }>(`SELECT sum(value) AS v FROM table3_cells WHERE report_id = ? AND applicant_code = 'total' AND ${where}`, report).v;
        if (v !== null) expected.push(`${year} ${label}: ${v}`);
      }
    }
    expect(titles.sort()).toEqual(expected.sort());
    expect(titles.length).toBeGreaterThanOrEqual(12);

    const table4 = page.locator('table[data-table="table4"]');
    const review = await table4.locator('tr', { hasText: 'administrative review · total' }).locator('td').allInnerTexts();
    const stored = all<{ value: number | null }>(
      `SELECT c.value FROM reports r LEFT JOIN table4_cells c ON c.report_id = r.id AND c.group_code = 'review' AND c.outcome_code = 'total'
       WHERE r.agency_id = ? AND r.is_current = 1 ORDER BY r.year`,
      id,
    );
    expect(review).toEqual(stored.map((s) => (s.value === null ? '—' : s.value.toLocaleString('en-US'))));
    // the agency's reports, each with its check status
    expect(await page.locator('table[data-table="reports"] .badge.inconsistent').count()).toBe(1);
    await page.close();
  });

  it('report: every table cell equals the stored value, shows its printed text on hover, and failed checks and warnings are marked at their cells', async () => {
    const report = currentReport('海宁市人民政府', 2022);
    const page = await open(`report.html?id=${report}`);
    const cells = await page.locator('td[data-cell]:not(.absent)').evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-cell'), td.textContent, td.getAttribute('title')]));
    const stored = all<{ key: string; value: number | null; raw: string | null }>(
      `SELECT 'table2|' || row_code || '|' || col_code AS key, value, raw_text AS raw FROM table2_cells WHERE report_id = @id
       UNION ALL SELECT 'table3|' || row_code || '|' || applicant_code, value, raw_text FROM table3_cells WHERE report_id = @id
       UNION ALL SELECT 'table4|' || group_code || '|' || outcome_code, value, raw_text FROM table4_cells WHERE report_id = @id`,
      { id: report },
    );
    expect(cells.length).toBe(stored.length);
    const shown = new Map(cells.map(([key, text, title]) => [key, { text, title }]));
    for (const s of stored) {
      expect(shown.get(s.key)?.text, s.key).toBe(s.value === null ? '—' : s.value.toLocaleString('en-US', { maximumFractionDigits: 6 }));
      expect(shown.get(s.key)?.title, s.key).toContain(`printed: ${JSON.stringify(s.raw)}`);
    }
    // table3.balance.total reads 一、二、（七）总计 and 四 of the total column
    const flagged = await page.locator('td.flagged').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-cell')).sort());
    expect(flagged).toEqual(['table3|carried_forward|total', 'table3|carried_over|total', 'table3|new_received|total', 'table3|total|total']);
    expect(await page.locator('.failed-checks').innerText()).toContain('table3.balance.total');
    expect(await page.locator('.warnings').innerText()).toContain('layout-guessed');
    // the warnings that name a cell or a row are marked there
    const warned = await page.locator('td.warned').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-cell')).sort());
    expect(warned).toEqual(['table2|regulations|issued', ...['commercial_enterprise', 'legal_service_org', 'natural_person', 'other_org', 'research_institution', 'social_welfare_org', 'total'].map((a) => `table3|granted|${a}`)].sort());
    expect(await page.locator('td[data-cell="table2|regulations|issued"]').getAttribute('title')).toContain('Warnings: placeholder-zero');
    // the archived page beside the tables, sandboxed, as a copy that shows the archived picture and loads nothing else
    const frame = page.locator('iframe.source');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const view = page.frameLocator('iframe.source');
    expect(await view.locator('h1').innerText()).toBe('海宁市人民政府2022年政府信息公开工作年度报告');
    const picture = view.locator('img[alt="表三"]');
    expect(await picture.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    const inlined = Buffer.from(((await picture.getAttribute('src')) ?? '').replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(createHash('sha256').update(inlined).digest('hex')).toBe(createHash('sha256').update(png).digest('hex'));
    // the link opens the bytes as archived: their SHA-256 is the one the provenance names
    const sha = await page.locator('#source-sha256').innerText();
    const href = (await page.locator('#source-link').getAttribute('href')) ?? '';
    expect(createHash('sha256').update(readFileSync(join(site, href))).digest('hex')).toBe(sha);
    expect(await page.locator('.provenance').innerText()).toContain(`${PORTAL}/art/2023/report.html`);
    await page.close();
  });

  it('a seed report leads to its source: the file it was loaded from, opened from the report page', async () => {
    const report = currentReport('海宁市人民政府', 2023);
    const page = await open(`report.html?id=${report}`, 'http');
    expect(await page.locator('td[data-cell="table3|new_received|total"]').innerText()).toBe('523');
    const [source] = await Promise.all([page.context().waitForEvent('page'), page.locator('#source-link').click()]);
    await source.waitForLoadState();
    const seed = readFileSync(join(SEEDS, '002_182295efcc30db92.txt'));
    expect(await source.locator('body').innerText()).toContain('海宁市人民政府2023年度政府信息公开工作年度报告');
    const response = await source.request.get(source.url());
    expect(createHash('sha256').update(await response.body()).digest('hex')).toBe(createHash('sha256').update(seed).digest('hex'));
    await source.close();
    await page.close();
  });

  it('compare: the ranked chart of applications received in 2023 equals the query, and its data downloads as CSV', async () => {
    const page = await open('compare.html');
    await page.selectOption('#indicator', 'new_received');
    await page.selectOption('#year', '2023');
    const bars = await page.locator('figure[data-chart="compare"] svg title').allTextContents();
    const expected = all<{ name: string; v: number }>(
      `SELECT a.name, c.value AS v FROM reports r JOIN agencies a ON a.id = r.agency_id
       JOIN table3_cells c ON c.report_id = r.id AND c.row_code = 'new_received' AND c.applicant_code = 'total'
       WHERE r.ok = 1 AND r.is_current = 1 AND r.year = 2023 AND c.value IS NOT NULL ORDER BY c.value DESC, a.name`,
    );
    expect(bars).toEqual(expected.map((e) => `${e.name}: ${e.v}`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const text = readFileSync((await download.path()) ?? '', 'utf8').replace(/^\ufeff/, '');
    expect(text.split('\r\n')[0]).toBe('rank,agency,year,level,region,new_received,report_id');
    expect(text.split('\r\n')[1]).toContain(`${expected[0]?.name},2023`);
    const [svg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download SVG' }).click()]);
    expect(readFileSync((await svg.path()) ?? '', 'utf8')).toContain('<svg');
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()]);
    expect(readFileSync((await png.path()) ?? '').subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });

  it('SQL console (over ogi serve): a canned query runs in the browser with the rows better-sqlite3 returns', async () => {
    const page = await open('sql.html', 'http');
    await page.locator('#sql-status', { hasText: 'The database is loaded.' }).waitFor();
    await page.locator('button[data-query="top_agencies_by_requests"]').click();
    await page.locator('#run').click();
    const shown = await page.locator('table[data-table="sql"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    const query = findCannedQuery('top_agencies_by_requests');
    const expected = db.prepare(query.sql).raw(true).all(cannedParams(query, {})) as unknown[][];
    expect(shown).toEqual(expected.map((r) => r.map((v) => (v === null ? '' : String(v)))));
    expect(shown.length).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    expect(readFileSync((await download.path()) ?? '', 'utf8')).toContain('海宁市人民政府');
    await page.close();
  });

  it('SQL console opened from file:// asks for the snapshot\'s ogi.sqlite and runs a query on it', async () => {
    const page = await open('sql.html');
    await page.locator('#sqlite-file').setInputFiles(join(snapshot, 'ogi.sqlite'));
    await page.locator('#sql-status', { hasText: 'The database is loaded.' }).waitFor();
    await page.locator('#sql').fill('SELECT count(*) AS n FROM reports');
    await page.locator('#sql').press('Control+Enter');
    expect(await page.locator('table[data-table="sql"] td').innerText()).toBe(String(one<{ n: number }>('SELECT count(*) AS n FROM reports').n));
    await page.close();
  });

  it('search: finds the reports ogi search finds, with the words marked in a snippet', async () => {
    for (const q of ['信息处理费', '公开']) {
      const page = await open(`search.html?q=${encodeURIComponent(q)}`);
      await page.locator('#search-results ol, #search-results p').first().waitFor();
      const links = await page.locator('#search-results ol a').evaluateAll((as) => as.map((a) => Number(new URL((a as HTMLAnchorElement).href).searchParams.get('id'))));
      const expected = searchReports(db, q, { limit: 20 }).map((h) => h.reportId);
      expect(links.sort(), q).toEqual(expected.sort());
      const marks = await page.locator('#search-results mark').allInnerTexts();
      expect(marks.length).toBe(links.length);
      for (const m of marks) expect(m).toBe(q);
      await page.close();
    }
  });

  it('switches the interface to Chinese and keeps working from the keyboard', async () => {
    const page = await open('index.html');
    await page.locator('button.lang').focus();
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    await page.locator('main h1').waitFor();
    expect(await page.locator('main h1').innerText()).toBe('政府信息公开工作年度报告数据集');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.close();
  });

  it('no page logged an error or asked for anything outside the site', () => {
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
  });
});

describe('ogi site and ogi serve refuse what they cannot use', () => {
  it('ogi site: a directory without ogi.sqlite is not a snapshot', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ogi-site-empty-'));
    try {
      await expect(buildSite(empty)).rejects.toThrow(OgiError);
      await expect(buildSite(empty)).rejects.toMatchObject({ code: 'not-a-snapshot' });
      // ogi serve: a snapshot without a site says how to write one
      expect(() => serveSnapshot(empty, { port: 0, host: '127.0.0.1' })).toThrow(`${empty}: no site in this snapshot (write it with: ogi site ${empty})`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

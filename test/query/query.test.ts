import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeDatabase, loadExtraction, openDatabase } from '../../src/load/index.ts';
import { cannedParams, findCannedQuery, listCannedQueries, parseCannedQuery } from '../../src/query/canned.ts';
import { registerQueryCommand } from '../../src/query/command.ts';
import { openReadonly, runQuery } from '../../src/query/readonly.ts';
import { searchReports } from '../../src/query/search.ts';
import { failedExtraction, loadInput, makeExtraction } from '../load/extraction-fixture.ts';

let dir: string;
let dbPath: string;
let ro: ReturnType<typeof openReadonly>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-query-'));
  dbPath = join(dir, 'ogi.sqlite');
  const db = openDatabase(dbPath);
  const failing = makeExtraction({ agency: '海盐县人民政府', year: 2022, template: '2021' });
  failing.output.checks.push({ rule: 'table3.balance.natural_person', passed: false, detail: '3 + 0 ≠ 2 + 0' });
  for (const e of [
    makeExtraction({ year: 2022, template: '2021' }),
    makeExtraction({ year: 2023, template: '2021', text: '本机关未收取信息处理费，全年无行政复议。' }),
    makeExtraction({ year: 2023, template: '2021', offset: 5, text: '更正后的报告：本机关未收取信息处理费。' }), // a revised version
    makeExtraction({ agency: '海盐县人民政府', year: 2020, template: '2019' }),
    failing,
    makeExtraction({ agency: null, year: 2023, template: '2021', offset: 9, text: '一张未注明机关的图片。' }), // unidentified
  ]) {
    loadExtraction(db, loadInput(e));
  }
  loadExtraction(db, loadInput(failedExtraction()));
  closeDatabase(db);
  ro = openReadonly(dbPath);
});
afterAll(() => {
  ro.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('canned queries', () => {
  const queries = listCannedQueries();

  it('there are at least eight, each with a title and a description', () => {
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const q of queries) {
      expect(q.title, q.name).not.toBe(q.name);
      expect(q.description.length, q.name).toBeGreaterThan(20);
      expect(q.sql, q.name).toMatch(/^SELECT/);
    }
  });

  it.each(listCannedQueries().map((q) => [q.name]))('%s runs on a loaded database and returns rows', (name) => {
    const q = findCannedQuery(name);
    const result = runQuery(ro, q.sql, cannedParams(q, {}));
    expect(result.columns.length).toBeGreaterThan(1);
    expect(result.rows.length, `${name} returned no rows`).toBeGreaterThan(0);
  });

  it('sums the current reports only', () => {
    const q = findCannedQuery('requests_by_year_level');
    const { columns, rows } = runQuery(ro, q.sql, {});
    const y2023 = rows.find((r) => r[columns.indexOf('year')] === 2023);
    // only the current (second) 2023 version counts
    expect(y2023?.[columns.indexOf('reports')]).toBe(1);
    const expected = ro
      .prepare(
        "SELECT value FROM table3_cells c JOIN reports r ON r.id = c.report_id WHERE r.year = 2023 AND r.is_current = 1 AND c.row_code = 'new_received' AND c.applicant_code = 'total'",
      )
      .get() as { value: number };
    expect(y2023?.[columns.indexOf('new_received')]).toBe(expected.value);
  });

  it('shares of withholding reasons add up to 100 % per year', () => {
    const { columns, rows } = runQuery(ro, findCannedQuery('withheld_reasons').sql, {});
    const byYear = new Map<number, number>();
    for (const r of rows) byYear.set(r[columns.indexOf('year')] as number, (byYear.get(r[columns.indexOf('year')] as number) ?? 0) + (r[columns.indexOf('share_pct')] as number));
    for (const total of byYear.values()) expect(total).toBeCloseTo(100, 0);
    expect(rows[0]?.[columns.indexOf('label')]).toMatch(/^（三）不予公开 /);
  });

  it('finds the failed check and the revised report', () => {
    const failed = runQuery(ro, findCannedQuery('failed_checks').sql, {});
    expect(failed.rows).toHaveLength(1);
    expect(failed.rows[0]?.[failed.columns.indexOf('rules')]).toBe('table3.balance.natural_person');
    const revised = runQuery(ro, findCannedQuery('revised_reports').sql, {});
    expect(revised.rows.map((r) => r[revised.columns.indexOf('version')])).toEqual([1, 2]);
  });

  it('takes parameters from --param and falls back to the declared default', () => {
    const q = findCannedQuery('top_agencies_by_requests');
    expect(cannedParams(q, {})).toEqual({ year: 2023 });
    expect(runQuery(ro, q.sql, cannedParams(q, { year: '2022' })).rows).toHaveLength(2);
    expect(() => cannedParams(q, { yaer: '2022' })).toThrow(/^unknown-param: /);
    expect(() => findCannedQuery('no_such_query')).toThrow(/^unknown-query: /);
  });

  it('parses the header of a query file', () => {
    const q = parseCannedQuery('x', '-- title: T\n-- description: D\n-- param: a = 1\n-- param: b\n\nSELECT :a, :b -- trailing\n');
    expect(q).toEqual({ name: 'x', title: 'T', description: 'D', params: [{ name: 'a', default: '1' }, { name: 'b', default: null }], sql: 'SELECT :a, :b -- trailing' });
    expect(() => cannedParams(q, {})).toThrow(/^missing-param: /);
  });
});

describe('read-only SQL', () => {
  it.each([
    'DELETE FROM reports',
    "UPDATE reports SET year = 1999",
    "INSERT INTO agencies(name) VALUES ('x')",
    'DROP TABLE reports',
    'CREATE TABLE t(x)',
    'PRAGMA user_version = 5',
  ])('refuses %s', (sql) => {
    expect(() => runQuery(ro, sql)).toThrow(/^readonly-query: /);
  });

  it('runs a SELECT and reports SQL errors with a code', () => {
    expect(runQuery(ro, 'SELECT count(*) AS n FROM reports')).toEqual({ columns: ['n'], rows: [[7]] });
    expect(() => runQuery(ro, 'SELECT * FROM nope')).toThrow(/^query-error: no such table: nope/);
    expect(() => runQuery(ro, 'SELECT 1; DELETE FROM reports')).toThrow(/^query-error: /);
  });

  it('ogi query "DELETE FROM reports" is refused and leaves the data alone', async () => {
    const program = new Command().exitOverride();
    registerQueryCommand(program);
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    try {
      await program.parseAsync(['query', 'DELETE FROM reports', '--db', dbPath], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual(['readonly-query: only statements that read are allowed; DELETE would change the database']);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(runQuery(ro, 'SELECT count(*) AS n FROM reports').rows).toEqual([[7]]);
  });
});

describe('full-text search', () => {
  it('finds a term of three or more characters with a marked snippet, current versions only', () => {
    const hits = searchReports(ro, '信息处理费');
    expect(hits.map((h) => [h.agency, h.year])).toEqual(
      expect.arrayContaining([
        ['海宁市人民政府', 2023],
        ['海宁市人民政府', 2022],
      ]),
    );
    expect(hits.every((h) => h.snippet.includes('【信息处理费】'))).toBe(true);
    const current2023 = hits.filter((h) => h.year === 2023);
    expect(current2023).toHaveLength(1);
    expect(current2023[0]?.snippet).not.toContain('全年无行政复议');
    expect(searchReports(ro, '全年无行政复议')).toEqual([]);
    expect(searchReports(ro, '全年无行政复议', { allVersions: true })).toHaveLength(1);
  });

  it('falls back to a substring scan for two-character terms', () => {
    const hits = searchReports(ro, '更正');
    expect(hits).toHaveLength(1);
    expect(hits[0]?.snippet).toContain('【更正】');
  });

  it('treats FTS operators in the query as plain text', () => {
    expect(searchReports(ro, '"信息 OR 处理')).toEqual([]);
    expect(searchReports(ro, 'NEAR(信息处理费)')).toEqual([]);
  });
});

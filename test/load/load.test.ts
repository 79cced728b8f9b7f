import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICANTS, TABLE2, TABLE3_ROWS, TABLE4_GROUPS, TABLE4_OUTCOMES } from '../../src/domain/template.ts';
import { closeDatabase, loadExtraction, openDatabase } from '../../src/load/index.ts';
import type { OgiDatabase } from '../../src/load/index.ts';
import { wideColumnName } from '../../schema/wide.ts';
import { failedExtraction, loadInput, makeExtraction } from './extraction-fixture.ts';

let dir: string;
let db: OgiDatabase;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ogi-load-'));
  db = openDatabase(join(dir, 'nested', 'ogi.sqlite'));
});
afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const TABLES = ['documents', 'agencies', 'reports', 'table2_cells', 'table3_cells', 'table4_cells', 'checks', 'warnings', 'report_texts'];

function counts(): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [t, (db.$client.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
  );
}

function columnsOf(view: string): string[] {
  return (db.$client.prepare(`PRAGMA table_info(${view})`).all() as { name: string }[]).map((c) => c.name);
}

describe('openDatabase', () => {
  it('applies the migrations to a fresh file, in WAL mode with foreign keys on', () => {
    const objects = db.$client.prepare("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as { name: string; type: string }[];
    const names = new Set(objects.map((o) => o.name));
    for (const t of [...TABLES, 'table2_wide', 'table3_wide', 'table4_wide', 'issues', 'report_texts_fts']) expect(names).toContain(t);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('reopens an existing database without re-applying migrations', () => {
    loadExtraction(db, loadInput(makeExtraction()));
    const path = db.$client.name;
    closeDatabase(db);
    db = openDatabase(path);
    expect(counts().reports).toBe(1);
  });
});

describe('loadExtraction', () => {
  it('stores every cell, check, warning and section of a report', () => {
    const extraction = makeExtraction({ template: '2021' });
    const result = loadExtraction(db, loadInput(extraction));
    expect(result.status).toBe('new');
    const c = counts();
    expect(c.table2_cells).toBe(extraction.cells.filter((x) => x.table === 'table2').length);
    expect(c.table3_cells).toBe(25 * 7);
    expect(c.table4_cells).toBe(15);
    expect(c.checks).toBe(2);
    expect(c.warnings).toBe(1);
    expect(c.report_texts).toBe(3); // two sections + full text
    const report = db.$client.prepare('SELECT * FROM reports WHERE id = ?').get(result.reportId) as Record<string, unknown>;
    expect(report).toMatchObject({ year: 2023, template: '2021', version: 1, is_current: 1, ok: 1, extractor_version: 'test-1' });
    const check = db.$client.prepare("SELECT passed, detail FROM checks WHERE rule = 'table4.sum.review'").get();
    expect(check).toEqual({ passed: null, detail: 'a needed cell is null' });
  });

  it('loading the same document twice changes nothing', () => {
    const input = loadInput(makeExtraction());
    const first = loadExtraction(db, input);
    const before = counts();
    const second = loadExtraction(db, input);
    expect(second).toEqual({ status: 'unchanged', reportId: first.reportId });
    expect(counts()).toEqual(before);
    expect(before.reports).toBe(1);
    expect(before.documents).toBe(1);
  });

  it('a changed document for the same agency and year becomes a new version, the old one kept', () => {
    const v1 = loadExtraction(db, loadInput(makeExtraction({ offset: 0 })));
    const v2 = loadExtraction(db, loadInput(makeExtraction({ offset: 100 })));
    expect(v2.status).toBe('new-version');
    const rows = db.$client.prepare('SELECT id, version, is_current FROM reports ORDER BY id').all();
    expect(rows).toEqual([
      { id: v1.reportId, version: 1, is_current: 0 },
      { id: v2.reportId, version: 2, is_current: 1 },
    ]);
    const oldValue = db.$client
      .prepare("SELECT value FROM table3_cells WHERE report_id = ? AND row_code = 'new_received' AND applicant_code = 'natural_person'")
      .get(v1.reportId) as { value: number };
    const newValue = db.$client
      .prepare("SELECT value FROM table3_cells WHERE report_id = ? AND row_code = 'new_received' AND applicant_code = 'natural_person'")
      .get(v2.reportId) as { value: number };
    expect(newValue.value - oldValue.value).toBe(100);
    // reloading the first version again is still a no-op and does not steal is_current
    expect(loadExtraction(db, loadInput(makeExtraction({ offset: 0 }))).status).toBe('unchanged');
    expect(db.$client.prepare('SELECT id FROM reports WHERE is_current = 1').all()).toEqual([{ id: v2.reportId }]);
  });

  it('a different year or agency is a new report, not a new version', () => {
    loadExtraction(db, loadInput(makeExtraction({ year: 2022 })));
    expect(loadExtraction(db, loadInput(makeExtraction({ year: 2023 }))).status).toBe('new');
    expect(loadExtraction(db, loadInput(makeExtraction({ agency: '海盐县人民政府' }))).status).toBe('new');
    expect(db.$client.prepare('SELECT count(*) AS n FROM reports WHERE is_current = 1 AND version = 1').get()).toEqual({ n: 3 });
    expect(counts().agencies).toBe(2);
  });

  it('keeps NULL values as NULL with the raw text, and zero as zero', () => {
    const extraction = makeExtraction();
    const t3 = extraction.output.table3;
    if (!t3?.granted || !t3.carried_over) throw new Error('fixture lacks table 3');
    t3.granted.natural_person = null;
    t3.carried_over.total = 0;
    for (const c of extraction.cells) {
      if (c.table === 'table3' && c.row === 'granted' && c.col === 'natural_person') Object.assign(c, { value: null, raw: '／' });
      if (c.table === 'table3' && c.row === 'carried_over' && c.col === 'total') Object.assign(c, { value: 0, raw: '—' });
    }
    const { reportId } = loadExtraction(db, loadInput(extraction));
    const cell = (row: string, col: string) =>
      db.$client.prepare('SELECT value, raw_text FROM table3_cells WHERE report_id = ? AND row_code = ? AND applicant_code = ?').get(reportId, row, col);
    expect(cell('granted', 'natural_person')).toEqual({ value: null, raw_text: '／' });
    expect(cell('carried_over', 'total')).toEqual({ value: 0, raw_text: '—' });
    const wide = db.$client.prepare('SELECT granted__natural_person AS a, carried_over__total AS b FROM table3_wide WHERE report_id = ?').get(reportId);
    expect(wide).toEqual({ a: null, b: 0 });
  });

  it('stores decimal money values of table 2 as REAL', () => {
    const extraction = makeExtraction({ template: '2021' });
    const fees = extraction.output.table2?.fees;
    if (!fees) throw new Error('fixture lacks fees');
    fees.amount_10k_yuan = 12.35;
    const { reportId } = loadExtraction(db, loadInput(extraction));
    expect(db.$client.prepare('SELECT fees__amount_10k_yuan AS v FROM table2_wide WHERE report_id = ?').get(reportId)).toEqual({ v: 12.35 });
  });

  it('records a failed extraction as its document plus a reports row with ok = 0 and no values', () => {
    const input = loadInput(failedExtraction());
    const result = loadExtraction(db, input);
    expect(result.status).toBe('failed');
    const c = counts();
    expect(c).toMatchObject({ documents: 1, reports: 1, table2_cells: 0, table3_cells: 0, table4_cells: 0 });
    const report = db.$client.prepare('SELECT ok, error, version, is_current FROM reports').get();
    expect(report).toEqual({ ok: 0, error: 'not-a-report: the document has none of the report tables', version: null, is_current: 0 });
    expect(loadExtraction(db, input).status).toBe('unchanged');
    expect(counts()).toEqual(c);
    // a failed document never becomes a version of a report
    expect(loadExtraction(db, loadInput(makeExtraction())).status).toBe('new');
  });

  it('rolls the whole load back when a write fails', () => {
    const extraction = makeExtraction();
    // a template outside the schema's NOT NULL constraint makes the reports insert fail mid-load
    (extraction.output as { template: unknown }).template = null;
    expect(() => loadExtraction(db, loadInput(extraction))).toThrow();
    expect(counts()).toMatchObject({ documents: 0, agencies: 0, reports: 0 });
  });

  it('indexes report text for trigram full-text search', () => {
    loadExtraction(db, loadInput(makeExtraction({ text: '本机关全年收取信息处理费共计0元。' })));
    const hits = db.$client.prepare("SELECT rowid FROM report_texts_fts WHERE report_texts_fts MATCH '信息处理费'").all();
    expect(hits.length).toBeGreaterThan(0);
  });
});

describe('wide views', () => {
  it('have one column per template cell code', () => {
    const expected = {
      table2_wide: [...new Set(Object.values(TABLE2).flatMap((rows) => rows.flatMap((r) => r.columns.map((c) => wideColumnName(r.code, c.code)))))],
      table3_wide: TABLE3_ROWS.flatMap((r) => APPLICANTS.map((a) => wideColumnName(r.code, a.code))),
      table4_wide: TABLE4_GROUPS.flatMap((g) => TABLE4_OUTCOMES.map((o) => wideColumnName(g.code, o.code))),
    };
    for (const [view, codes] of Object.entries(expected)) {
      const columns = columnsOf(view);
      expect(columns.slice(0, 6)).toEqual(['report_id', 'agency', 'year', 'template', 'version', 'is_current']);
      expect(columns.slice(6).sort()).toEqual([...codes].sort());
    }
    expect(columnsOf('table3_wide')).toContain('new_received__natural_person');
    expect(columnsOf('table3_wide')).toContain('withheld_state_secret__total');
  });

  it('are described, column by column, in the codes table', () => {
    const codes = db.$client.prepare('SELECT table_name, column_name, row_zh, col_zh FROM codes').all() as { table_name: string; column_name: string; row_zh: string; col_zh: string }[];
    for (const table of ['table2', 'table3', 'table4']) {
      const described = codes.filter((c) => c.table_name === table).map((c) => c.column_name).sort();
      expect(described, table).toEqual(columnsOf(`${table}_wide`).slice(6).sort());
    }
    expect(codes.find((c) => c.column_name === 'withheld_state_secret__total')).toMatchObject({ row_zh: '（三）不予公开 1.属于国家秘密', col_zh: '总计' });
  });

  it('pivot every stored cell into its column, one row per report', () => {
    const extraction = makeExtraction({ template: '2019' });
    const { reportId } = loadExtraction(db, loadInput(extraction));
    loadExtraction(db, loadInput(makeExtraction({ template: '2021', year: 2022 })));
    for (const table of ['table2', 'table3', 'table4'] as const) {
      const rows = db.$client.prepare(`SELECT * FROM ${table}_wide WHERE report_id = ?`).all(reportId) as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      for (const c of extraction.cells.filter((x) => x.table === table)) {
        expect(rows[0]?.[wideColumnName(c.row, c.col)], `${table} ${c.row} ${c.col}`).toBe(c.value);
      }
    }
    // 2021-only rows are NULL for a 2019 report
    const row = db.$client.prepare('SELECT other_overdue_correction__total AS v FROM table3_wide WHERE report_id = ?').get(reportId);
    expect(row).toEqual({ v: null });
    expect(db.$client.prepare('SELECT count(*) AS n FROM table3_wide').get()).toEqual({ n: 2 });
  });
});

describe('re-extraction by a newer extractor', () => {
  it('redoes the contents of the same report in place, keeping id, version and is_current', () => {
    const input = loadInput(makeExtraction({ offset: 0 }));
    const first = loadExtraction(db, input);
    const cellSql = "SELECT value FROM table3_cells WHERE row_code = 'new_received' AND applicant_code = 'natural_person'";
    const before = db.$client.prepare(cellSql).get() as { value: number };
    const changed = makeExtraction({ offset: 7, text: '新版提取器读出的全文。' });
    const second = loadExtraction(db, { ...input, extraction: changed, extractorVersion: 'test-2' });
    expect(second).toEqual({ status: 're-extracted', reportId: first.reportId });
    expect(db.$client.prepare('SELECT version, is_current, extractor_version FROM reports').all()).toEqual([
      { version: 1, is_current: 1, extractor_version: 'test-2' },
    ]);
    const c = counts();
    expect(c.table3_cells).toBe(25 * 7);
    expect(c.documents).toBe(1);
    const after = db.$client.prepare(cellSql).get() as { value: number };
    expect(after.value - before.value).toBe(7);
    // the old text left the search index with its row
    expect(db.$client.prepare("SELECT count(*) AS n FROM report_texts_fts WHERE report_texts_fts MATCH '工作年度报告'").get()).toEqual({ n: 0 });
    expect(db.$client.prepare("SELECT count(*) AS n FROM report_texts_fts WHERE report_texts_fts MATCH '新版提取器'").get()).toEqual({ n: 1 });
  });

  it('a document that failed before becomes a report when a newer extractor reads it', () => {
    const failed = loadInput(failedExtraction());
    loadExtraction(db, failed);
    const result = loadExtraction(db, { ...failed, extraction: makeExtraction(), extractorVersion: 'test-2' });
    expect(result.status).toBe('re-extracted');
    expect(db.$client.prepare('SELECT ok, version, is_current FROM reports').all()).toEqual([{ ok: 1, version: 1, is_current: 1 }]);
  });
});

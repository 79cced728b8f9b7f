/**
 * OCR readings the consistency rules put in doubt become null, with a warning saying what OCR
 * read and what the rules point to; readings the rules confirm, and everything not OCR'd, stay.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractContent } from '../../src/extract/index.ts';
import { readScannedPdf } from '../../src/extract/readers/ocr.ts';
import { APPLICANT_CODES, table3Rows, TABLE4_GROUPS, TABLE4_OUTCOMES } from '../../src/domain/template.ts';
import type { CellValue, Table } from '../../src/domain/report.ts';
import { table3Checks } from '../../src/domain/rules.ts';
import { distrustOcrReadings } from '../../src/validate/ocr-trust.ts';

/** A consistent 2019-format table 3: natural persons and one company, every rule holding. */
function table3(): Table {
  const t: Table = {};
  for (const row of table3Rows('2019')) t[row.code] = Object.fromEntries(APPLICANT_CODES.map((a) => [a, 0]));
  const set = (row: string, natural: number, company: number) => Object.assign(t[row]!, { natural_person: natural, commercial_enterprise: company, total: natural + company });
  set('new_received', 505, 18);
  set('granted', 369, 13);
  set('partially_granted', 100, 3);
  set('unavailable.not_held', 36, 2);
  set('total', 505, 18);
  return t;
}

function ocrCells(t: Table, confidence = 90): CellValue[] {
  return Object.entries(t).flatMap(([row, cols]) =>
    Object.entries(cols).map(([col, value]): CellValue => ({ table: 'table3', row, col, value, raw: String(value), confidence })),
  );
}

/** What OCR "read": the table with some cells misread (raw text and value alike). */
function misread(t: Table, cells: CellValue[], changes: [row: string, col: string, value: number][]): void {
  for (const [row, col, value] of changes) {
    t[row]![col] = value;
    Object.assign(cells.find((c) => c.row === row && c.col === col)!, { value, raw: String(value) });
  }
}

describe('OCR readings and the consistency rules', () => {
  it('keeps a reading every rule confirms', () => {
    const t = table3();
    expect(distrustOcrReadings({ table3: t, table4: null }, ocrCells(t))).toEqual([]);
    expect(t).toEqual(table3());
  });

  it('nulls one misread total and says what the rules point to', () => {
    const t = table3();
    const cells = ocrCells(t);
    misread(t, cells, [['granted', 'commercial_enterprise', 113]]);
    const warnings = distrustOcrReadings({ table3: t, table4: null }, cells);
    expect(warnings.map((w) => w.code)).toEqual(['ocr-doubtful']);
    expect(warnings[0]!.message).toContain('OCR read "113"');
    expect(warnings[0]!.message).toContain('point to 13');
    expect(t['granted']!['commercial_enterprise']).toBeNull();
    expect(cells.find((c) => c.row === 'granted' && c.col === 'commercial_enterprise')).toMatchObject({ value: null, raw: '113' });
    expect(table3Checks(t).filter((c) => c.passed === false)).toEqual([]);
  });

  it('finds two cells misread alike, though together they pass a rule', () => {
    const t = table3();
    const cells = ocrCells(t);
    // 523 read as 23 twice: 一 + 二 = （七）总计 + 四 still holds (23 = 23)
    misread(t, cells, [['new_received', 'total', 23], ['total', 'total', 23]]);
    const warnings = distrustOcrReadings({ table3: t, table4: null }, cells);
    expect(warnings.map((w) => w.message.split(':')[0]).sort()).toEqual(['table3 new_received.total', 'table3 total.total']);
    expect(t['new_received']!['total']).toBeNull();
    expect(t['total']!['total']).toBeNull();
    expect(t['new_received']!['natural_person']).toBe(505);
  });

  it('nulls every candidate when the rules cannot tell which reading is wrong', () => {
    const t: Table = {};
    for (const g of TABLE4_GROUPS) t[g.code] = Object.fromEntries(TABLE4_OUTCOMES.map((o) => [o.code, 0]));
    Object.assign(t['review']!, { upheld: 3, corrected: 1, total: 5 }); // 3 + 1 + 0 + 0 ≠ 5: 3 or 1 or 5
    const cells = Object.entries(t).flatMap(([row, cols]) =>
      Object.entries(cols).map(([col, value]): CellValue => ({ table: 'table4', row, col, value, raw: String(value), confidence: 90 })),
    );
    const warnings = distrustOcrReadings({ table3: null, table4: t }, cells);
    expect(warnings.every((w) => w.code === 'ocr-doubtful' && w.message.includes('do not say which'))).toBe(true);
    expect(t['review']).toMatchObject({ upheld: null, corrected: null, total: null });
    expect(t['litigation_direct']!['total']).toBe(0);
  });

  it('a table read badly all over: no misread value is kept', () => {
    const t = table3();
    const cells = ocrCells(t);
    const truth = table3();
    const rows = ['new_received', 'granted', 'partially_granted', 'unavailable.not_held', 'total'];
    misread(t, cells, rows.flatMap((row, i): [string, string, number][] => [
      [row, 'natural_person', truth[row]!['natural_person']! * 10 + i + 1],
      [row, 'commercial_enterprise', truth[row]!['commercial_enterprise']! + 3 + i],
    ]));
    const warnings = distrustOcrReadings({ table3: t, table4: null }, cells);
    expect(warnings.length).toBeGreaterThan(0);
    const kept = cells.filter((c) => c.value !== null && c.value !== truth[c.row]![c.col]);
    expect(kept).toEqual([]);
  });

  it("the report's own arithmetic error, which many sets of misreadings could explain, nulls nothing", () => {
    const t = table3();
    t['total']!['total'] = 524; // printed so: the outcome rows add up to 523
    t['total']!['natural_person'] = 506;
    t['new_received']!['natural_person'] = 506;
    t['new_received']!['total'] = 524;
    const cells = ocrCells(t);
    const before = JSON.stringify(t);
    expect(table3Checks(t).filter((c) => c.passed === false).map((c) => c.rule)).toEqual(['table3.outcomes.natural_person', 'table3.outcomes.total']);
    expect(distrustOcrReadings({ table3: t, table4: null }, cells).map((w) => w.code)).toEqual(['ocr-unresolved']);
    expect(JSON.stringify(t)).toBe(before);
  });

  it('leaves values that were not OCR\'d alone, however the rules fail', () => {
    const t = table3();
    const cells = ocrCells(t).map(({ confidence: _c, ...c }) => c);
    misread(t, cells, [['granted', 'commercial_enterprise', 113]]);
    expect(distrustOcrReadings({ table3: t, table4: null }, cells)).toEqual([]);
    expect(t['granted']!['commercial_enterprise']).toBe(113);
  });

  it('lists low-confidence readings no rule can decide', () => {
    const cells: CellValue[] = [
      { table: 'table2', row: 'licensing', col: 'decisions', value: 12, raw: '12', confidence: 23 },
      { table: 'table2', row: 'licensing', col: 'prev_items', value: 4, raw: '4', confidence: 91 },
    ];
    const warnings = distrustOcrReadings({ table3: null, table4: null }, cells);
    expect(warnings.map((w) => `${w.code} ${w.message.split(':')[0]}`)).toEqual(['ocr-unverified table2 licensing.decisions']);
    expect(cells[0]!.value).toBe(12);
  });

  it('a born-digital PDF OCR\'d: no misread number survives', async () => {
    const rel = 'documents/report-2021.pdf';
    const fixtures = path.resolve(import.meta.dirname, '../fixtures');
    const expected = JSON.parse(readFileSync(path.join(fixtures, `${rel}.expected.json`), 'utf8')) as Record<string, Record<string, Record<string, number | null>>>;
    const doc = await readScannedPdf(new Uint8Array(readFileSync(path.join(fixtures, rel))), 2);
    const x = extractContent(doc, { file: rel });
    const wrong = x.cells.filter((c) => c.value !== null && c.value !== expected[c.table]?.[c.row]?.[c.col]);
    expect(wrong).toEqual([]);
    expect(x.cells.filter((c) => c.value !== null).length).toBeGreaterThan(150);
    expect(x.output.checks.filter((c) => c.passed === false)).toEqual([]);
  });
});

/**
 * Glued cells (issue 15.2): page texts where a row's numbers ran together
 * ("本年新收政府信息公开申请数量505160011523"). The documents (test/fixtures/glued/PROVENANCE.md)
 * print the hand-read values of two seed reports in that shape; a value the extractor gives must
 * be the seed's, and a run the rules cannot split is null with a warning quoting its digits.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractBytes, extractFile } from '../../src/extract/index.ts';
import { solveTable3Glued, splitTable4Glued } from '../../src/extract/match/glued.ts';
import { APPLICANT_CODES } from '../../src/domain/template.ts';
import type { ExtractOutput, Table } from '../../src/domain/report.ts';
import type { TemplateVersion } from '../../src/domain/template.ts';
import { generateReport } from '../../testkit/reports/generate-report.ts';
import { renderText } from '../../testkit/reports/report-text.ts';
import { REPO, SEEDS } from '../support/paths.ts';

const GLUED = join(REPO, 'test/fixtures/glued');

interface Seed {
  table2: Table;
  table3: Table;
  table4: Table;
}
const seed = (name: string): Seed => JSON.parse(readFileSync(join(SEEDS, `${name}.expected.json`), 'utf8')) as Seed;
/** seed 002: 海宁市人民政府 2023 (2021 template); seed 004: 海盐县人民政府 2020 (2019 template) */
const HAINING = seed('002_182295efcc30db92');
const HAIYAN = seed('004_21925bfca89cb37b');

const blankRow = (table: Table, row: string): Record<string, null> => Object.fromEntries(Object.keys(table[row]!).map((c) => [c, null]));
const warningsOf = (output: ExtractOutput, code: string): string[] => output.warnings.filter((w) => w.startsWith(`${code}:`));

describe('glued cells, 2021 template (seed 002 printed as saved page text)', () => {
  it('splits every run of tables 3 and 4 the rules leave one reading of, and each value is the printed one', async () => {
    const { output, cells } = await extractFile(join(GLUED, 'glued-2021.txt'));
    expect(output.ok, output.error ?? '').toBe(true);
    expect({ agency: output.agency, year: output.year, template: output.template }).toEqual({ agency: '海宁市人民政府', year: 2023, template: '2021' });
    // "505160011523" alone reads 505 16 0 0 1 1 523 or 505 1 6 0 0 11 523; the column identities decide
    expect(output.table3).toEqual(HAINING.table3);
    // "20529 50005 10001": its spaces are not the cell boundaries
    expect(output.table4).toEqual(HAINING.table4);
    expect(output.checks.filter((c) => c.passed !== true)).toEqual([]);
    // every split is told, with the digits and the reading chosen
    expect(warningsOf(output, 'digits-glued-split').join('\n')).toContain('table 3 new_received: the digits "505160011523" ran together; split as 505 16 0 0 1 1 523');
    expect(output.warnings.join('\n')).toContain('the digits "72 2000074" ran together; split as 72 2 0 0 0 0 74');
    // the raw text of a split cell is its own digits
    expect(cells.find((c) => c.table === 'table3' && c.row === 'granted' && c.col === 'commercial_enterprise')).toMatchObject({ value: 13, raw: '13' });
  });

  it('table 2: splits only runs the digits allow one way; a fee printed with decimals is read', async () => {
    const { output } = await extractFile(join(GLUED, 'glued-2021.txt'));
    const t2 = HAINING.table2;
    // "规章000", "行政许可574669", "行政事业性收费86500.00"
    expect(output.table2).toEqual({ ...t2, normative_documents: blankRow(t2, 'normative_documents') });
    // "6888350" is 68 88 350 or 6 88 8350 or …: no arithmetic in table 2 to choose
    const ambiguous = warningsOf(output, 'digits-glued-ambiguous');
    expect(ambiguous).toHaveLength(1);
    expect(ambiguous[0]).toContain('table 2 normative_documents: the digits "6888350" ran together and can be read 15 ways');
  });

  it('leaves runs with several readings null and quotes their digits (a row missing from the page)', async () => {
    const { output } = await extractFile(join(GLUED, 'glued-ambiguous-2021.txt'));
    const t3 = HAINING.table3;
    // without （二）部分公开 the outcome identity is undecided: 新收, 予以公开 and 总计 keep two readings
    const undecided = ['new_received', 'granted', 'total', 'partially_granted'];
    expect(output.table3).toEqual({ ...t3, ...Object.fromEntries(undecided.map((r) => [r, blankRow(t3, r)])) });
    const ambiguous = warningsOf(output, 'digits-glued-ambiguous').join('\n');
    expect(ambiguous).toContain('table 3 new_received: the digits "505160011523" ran together and the consistency rules allow 2 readings (505 1 6 0 0 11 523; 505 16 0 0 1 1 523)');
    expect(ambiguous).toContain('table 3 granted: the digits "369130010383"');
    expect(ambiguous).toContain('table 3 total: the digits "505160011523"');
    expect(output.warnings.join('\n')).toContain('row-missing: table 3 row partially_granted');
    // stray spaces that split cells apart ("2052 9 500 05 100 01") still give the one reading
    expect(output.table4).toEqual(HAINING.table4);
    // "规章 0 0 0" is an ordinary row
    expect(output.table2?.['regulations']).toEqual(HAINING.table2['regulations']);
  });

  it('reads the same text pasted into a page, one paragraph per line', async () => {
    const text = readFileSync(join(GLUED, 'glued-2021.txt'), 'utf8');
    const html = `<html><head><meta charset="utf-8"><title>海宁市人民政府2023年度政府信息公开工作年度报告</title></head><body><div id="zoom">${text
      .split('\n')
      .map((l) => `<p>${l}</p>`)
      .join('\n')}</div></body></html>`;
    const { output } = await extractBytes(Buffer.from(html), { file: 'glued-2021.html' });
    expect(output.table3).toEqual(HAINING.table3);
    expect(output.table4).toEqual(HAINING.table4);
  });
});

describe('glued cells in a grid', () => {
  it('splits a table-3 row printed in one cell of an HTML table ("<td>505160011523</td>") as the rules allow', async () => {
    const text = readFileSync(join(GLUED, 'glued-2021.txt'), 'utf8');
    // each row of tables 3 and 4 as a real table row: the label in one cell, the glued digits in the next
    const rows = text.split('\n').map((line) => /^(.*[^\d\s])(\d[\d ]*)$/.exec(line));
    const start = text.split('\n').findIndex((l) => l.startsWith('三、收到和处理'));
    const html = text
      .split('\n')
      .map((line, i) => {
        const m = rows[i];
        return i > start && m ? `<table><tr><td>${m[1]}</td><td>${m[2]}</td></tr></table>` : `<p>${line}</p>`;
      })
      .join('\n');
    const { output } = await extractBytes(Buffer.from(`<html><body>${html}</body></html>`), { file: 'grid.html' });
    expect(output.table3).toEqual(HAINING.table3);
    expect(output.table4).toEqual(HAINING.table4);
  });
});

describe('glued cells, 2019 template (seed 004 printed as saved page text)', () => {
  it('splits tables 3 and 4 to the printed values', async () => {
    const { output } = await extractFile(join(GLUED, 'glued-2019.txt'));
    expect(output.ok, output.error ?? '').toBe(true);
    expect({ agency: output.agency, year: output.year, template: output.template }).toEqual({ agency: '海盐县人民政府', year: 2020, template: '2019' });
    // "18010003184", "22000 0022", "600000262", "（六）其他处理1000001", "17510003179"
    expect(output.table3).toEqual(HAIYAN.table3);
    expect(output.table4).toEqual(HAIYAN.table4);
    expect(output.checks.filter((c) => c.passed !== true)).toEqual([]);
  });

  it('table 2: a negative change is split where the digits allow one reading, the other runs are null with their digits', async () => {
    const { output } = await extractFile(join(GLUED, 'glued-2019.txt'));
    const t2 = HAIYAN.table2;
    const unsplit = ['normative_documents', 'licensing', 'other_admin_services', 'punishment', 'procurement'];
    expect(output.table2).toEqual({ ...t2, ...Object.fromEntries(unsplit.map((r) => [r, blankRow(t2, r)])) });
    // "行政事业性收费270-104": 270 and −104, the only cells those characters make
    expect(output.table2?.['fees']).toEqual({ prev_items: 270, change: -104 });
    expect(warningsOf(output, 'digits-glued-split').join('\n')).toContain('table 2 fees: the digits "270-104" ran together; split as 270 -104');
    // "行政强制76 -3 8844" is three cells already
    expect(output.table2?.['coercion']).toEqual({ prev_items: 76, change: -3, decisions: 8844 });
    const ambiguous = warningsOf(output, 'digits-glued-ambiguous').join('\n');
    for (const digits of ['4747272', '1070142146653', '638908240348', '3907554212618', '2711309486424.00']) expect(ambiguous).toContain(`the digits "${digits}" ran together`);
  });
});

describe('glued cells in generated reports (every value known)', () => {
  /** every line with five or more numbers, its numbers run together after the label */
  const glue = (text: string): string =>
    text
      .split('\n')
      .map((line) => {
        const cells = line.split('\t');
        const at = cells.findIndex((c) => /^\d+$/.test(c));
        return at > 0 && cells.length - at >= 5 ? cells.slice(0, at).join('\t') + cells.slice(at).join('') : line;
      })
      .join('\n');

  for (const subtotal of [false, true]) {
    it(`tables 3 and 4 ${subtotal ? 'with a 小计 column (28×8) ' : ''}read back to the printed values, never another`, async () => {
      let cells = 0;
      let nulls = 0;
      const wrong: string[] = [];
      for (let n = 0; n < 20; n++) {
        const template: TemplateVersion = n % 2 ? '2019' : '2021';
        const v = generateReport(700 + n, template);
        const { output } = await extractBytes(Buffer.from(glue(renderText(v, { join: (c) => c.join('\t'), subtotal }))), { file: 'glued.txt' });
        for (const table of ['table3', 'table4'] as const) {
          for (const [row, columns] of Object.entries(v[table]!)) {
            for (const [column, value] of Object.entries(columns)) {
              cells++;
              const got = output[table]?.[row]?.[column] ?? null;
              if (got === null) nulls++;
              else if (got !== value) wrong.push(`${n} ${table}.${row}.${column}: read ${got}, printed ${value}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(nulls / cells).toBeLessThan(0.01);
    });
  }
});

describe('glued table 4', () => {
  it('leaves a proceeding with two readings null and splits the others', () => {
    // "10101120000000000": 1 0 10 1 12 or 10 1 0 1 12 (both sum to 12), then ten zeros for ten cells
    const reads = splitTable4Glued([['10101120000000000']], 3, 5);
    expect(reads.map((r) => r.reading?.values ?? null)).toEqual([null, [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
    expect(reads[0]!.warning.code).toBe('digits-glued-ambiguous');
    expect(reads[0]!.warning.message).toContain('"10101120000000000"');
    expect(reads[0]!.warning.message).toContain('allow 2 readings');
  });

  it('never splits across the document cells the numbers were printed in', () => {
    // "1 0 10 1 12 …" printed in separate cells ("1", "0", "10", "1", "12" and ten zeros) is one reading only
    const cells = ['1', '0', '10', '1', '12', ...Array<string>(10).fill('0')].map((c) => [c]);
    expect(splitTable4Glued(cells, 3, 5)[0]!.reading?.values).toEqual([1, 0, 10, 1, 12]);
  });
});

describe('glued table 3 row without a column identity to check it', () => {
  it('splits a run that ran together, but not a row printed with all but one boundary (it may have lost a cell)', () => {
    // "0200046": seven digits for seven cells, one each, and 0+2+0+0+0+4 = 6
    const glued = solveTable3Glued(new Map([['granted', [['0200046']]]]), {}, APPLICANT_CODES).get('granted')!;
    expect(glued.reading?.values).toEqual([0, 2, 0, 0, 0, 4, 6]);
    expect(glued.warning.code).toBe('digits-glued-split');
    // "0 2 0 0 0 46" reads the same way, but so would 44 0 2 0 0 0 46 with its first cell lost
    const spaced = solveTable3Glued(new Map([['granted', [['0', '2', '0', '0', '0', '46']]]]), {}, APPLICANT_CODES).get('granted')!;
    expect(spaced.reading).toBeNull();
    expect(spaced.warning.code).toBe('digits-glued-ambiguous');
    expect(spaced.warning.message).toContain('"0 2 0 0 0 46"');
  });
});

/**
 * Converter output where a table's labels and numbers come apart (issue 15.1): the labels as loose
 * lines, then the numbers as unlabelled rows in the same order, with footers, shredded and
 * placeholder headers, group labels as leading cells, labels split over lines or run together.
 * The documents are written by hand in those shapes with the values of two seed reports
 * (test/fixtures/converter/PROVENANCE.md), so every cell is checked against the seed's hand-read values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractBytes, extractFile } from '../../src/extract/index.ts';
import { readText } from '../../src/extract/readers/text.ts';
import { tokenize } from '../../src/extract/match/tokens.ts';
import type { Count, Table } from '../../src/domain/report.ts';
import { expectMatches, type Expected } from '../support/expected.ts';
import { REPO, SEEDS } from '../support/paths.ts';

const CONVERTER = join(REPO, 'test/fixtures/converter');
const seed = (name: string): Expected => JSON.parse(readFileSync(join(SEEDS, `${name}.expected.json`), 'utf8')) as Expected;

describe('labels printed apart from their numbers are matched to them by order and count', () => {
  it('2021 template, markdown (tables 2 and 3 labels apart, table 4 split): every cell is the printed value', async () => {
    const { output } = await extractFile(join(CONVERTER, 'labels-apart-2021.md'));
    expectMatches(output, seed('002_182295efcc30db92'));
    expect(output.checks.filter((c) => c.passed !== true)).toEqual([]);
    // tables 2 and 3 both print their labels apart
    expect(output.warnings.filter((w) => w.startsWith('rows-by-order:')).map((w) => w.split(' prints')[0])).toEqual(['rows-by-order: table 2', 'rows-by-order: table 3']);
    expect(output.warnings.filter((w) => /^(row-unplaced|row-missing|row-labels-merged|table-missing|row-short|row-misaligned):/.test(w))).toEqual([]);
  });

  it('2021 template, the first rows with their labels and the rest apart: every cell is the printed value', async () => {
    const { output } = await extractFile(join(CONVERTER, 'labels-partly-apart-2021.md'));
    expectMatches(output, seed('002_182295efcc30db92'));
    expect(output.warnings.filter((w) => /^(row-unplaced|row-missing|row-labels-merged|table-missing):/.test(w))).toEqual([]);
  });

  it('2019 template, text page by page: every cell is the printed value, the subtotal row told apart by the consistency rules', async () => {
    const { output } = await extractFile(join(CONVERTER, 'labels-apart-2019.txt'));
    expectMatches(output, seed('004_21925bfca89cb37b'));
    expect(output.checks.filter((c) => c.passed !== true)).toEqual([]);
    // the subtotal row is left out, and said so
    const unplaced = output.warnings.filter((w) => w.startsWith('row-unplaced:'));
    expect(unplaced).toHaveLength(1);
    expect(unplaced[0]).toContain('"5 0 0 0 0 0 5"');
  });

  it('one table split in several with placeholder and wrong headers, labels in the rows: every cell is the printed value', async () => {
    const { output } = await extractFile(join(CONVERTER, 'split-tables-2021.md'));
    expectMatches(output, seed('002_182295efcc30db92'));
    expect(output.checks.filter((c) => c.passed !== true)).toEqual([]);
    expect(output.warnings.filter((w) => /^(rows-by-order|row-unplaced|row-missing|table-missing):/.test(w))).toEqual([]);
  });

  it('the same document with its sub-rows numbered (1) and １．, and with a 小计 column: the same values', async () => {
    const text = readFileSync(join(CONVERTER, 'labels-apart-2019.txt'), 'utf8');
    const expected = seed('004_21925bfca89cb37b');
    const numbered = text.replace(/^([1-4])\./gm, '($1)').replace(/^([5-8])\./gm, (_, d: string) => `${String.fromCharCode(0xff10 + Number(d))}．`);
    expect(numbered).toContain('(1)属于国家秘密');
    expect(numbered).toContain('５．属于三类内部事务信息');
    expectMatches((await extractBytes(Buffer.from(numbered), { file: 'numbered.txt' })).output, expected);
    // a 小计 column (the five organisation columns summed) before 总计
    let inTable3 = false;
    const subtotal = text.split('\n').map((line) => {
      if (line.startsWith('三、收到')) inTable3 = true;
      if (line.startsWith('四、政府信息公开行政复议')) inTable3 = false;
      if (line.startsWith('商业企业\t')) return `${line}\t小计`;
      const cells = line.split('\t');
      const numbers = cells.filter((c) => /^\d+$/.test(c));
      if (!inTable3 || numbers.length !== 7) return line;
      const lead = cells.slice(0, cells.length - 7);
      const orgs = numbers.slice(1, 6).reduce((sum, c) => sum + Number(c), 0);
      return [...lead, ...numbers.slice(0, 6), String(orgs), numbers[6]].join('\t');
    });
    expect(subtotal).toContain('180\t1\t0\t0\t0\t3\t4\t184');
    const { output } = await extractBytes(Buffer.from(subtotal.join('\n')), { file: 'subtotal.txt' });
    expectMatches(output, expected);
    expect(output.warnings.some((w) => w.startsWith('subtotal-column:'))).toBe(true);
  });

  it('a row of numbers missing: the rows that cannot be placed in exactly one way are blank and named, never guessed', async () => {
    const { output } = await extractFile(join(CONVERTER, 'labels-apart-2019-row-missing.txt'));
    const printed = seed('004_21925bfca89cb37b').table3 as Table;
    const table3 = output.table3!;
    expect(Object.keys(table3)).toEqual(Object.keys(printed));
    const blank: string[] = [];
    for (const [row, cells] of Object.entries(table3)) {
      for (const [col, value] of Object.entries(cells) as [string, Count][]) {
        // a value given is the value printed for that row
        if (value !== null) expect({ row, col, value }).toEqual({ row, col, value: printed[row]![col] });
        else if (!blank.includes(row)) blank.push(row);
      }
    }
    // the row whose numbers are missing is blank, and every blank row is named in a warning
    expect(blank).toContain('not_processed.duplicate');
    for (const row of blank) expect(output.warnings.some((w) => w.startsWith(`row-unplaced: table 3 row ${row} `))).toBe(true);
    // the first page, whose labels and rows agree, is read whole
    for (const row of Object.keys(printed).slice(0, 12)) expect(table3[row]).toEqual(printed[row]);
    expect(output.warnings.some((w) => w.startsWith('row-missing:'))).toBe(false);
    // nothing else of the document is lost
    expect(output.table2).toEqual(seed('004_21925bfca89cb37b').table2);
    expect(output.table4).toEqual(seed('004_21925bfca89cb37b').table4);
  });

  it('labels apart and rows of numbers glued (2019 text): each glued row is placed by order, split where the rules leave one reading, every cell the printed value', async () => {
    const text = readFileSync(join(CONVERTER, 'labels-apart-2019.txt'), 'utf8');
    // the first row with a stray space, then two rows in a row glued with and without one
    const glued = text
      .replace(/^180\t1\t0\t0\t0\t3\t184$/m, '1801000 3184')
      .replace(/^84\t1\t0\t0\t0\t1\t86$/m, '841000186')
      .replace(/^22\t0\t0\t0\t0\t0\t22$/m, '22000 0022');
    for (const run of ['1801000 3184', '841000186', '22000 0022']) expect(glued).toContain(`\n${run}\n`);
    const { output } = await extractBytes(Buffer.from(glued), { file: 'glued-apart.txt' });
    expectMatches(output, seed('004_21925bfca89cb37b'));
    expect(output.checks.filter((c) => c.passed !== true)).toEqual([]);
    const split = output.warnings.filter((w) => w.startsWith('digits-glued-split:'));
    expect(split.map((w) => w.split(':')[1]!.trim())).toEqual(['table 3 new_received', 'table 3 granted', 'table 3 partially_granted']);
    // the subtotal row is still told apart, and is the only row left out
    const unplaced = output.warnings.filter((w) => w.startsWith('row-unplaced:'));
    expect(unplaced).toHaveLength(1);
    expect(unplaced[0]).toContain('"5 0 0 0 0 0 5"');
  });

  it('labels apart and a table-2 row glued (2021 markdown): split where the digits allow one reading, else blank with the digits shown', async () => {
    const text = readFileSync(join(CONVERTER, 'labels-apart-2021.md'), 'utf8');
    const glued = text.replace('| 0 | 0 | 0 |', '| 000 |').replace('| 68 | 88 | 350 |', '| 6888350 |');
    expect(glued).toContain('| 6888350 |');
    const { output } = await extractBytes(Buffer.from(glued), { file: 'glued-apart.md' });
    const printed = seed('002_182295efcc30db92');
    // 000 is 0 0 0 only; 6888350 splits in three many ways (68 88 350, 6 888 350 …): blank, never guessed
    expect(output.table2).toEqual({ ...(printed.table2 as Table), normative_documents: { issued: null, repealed: null, in_force: null } });
    expect(output.warnings.filter((w) => w.startsWith('digits-glued-split:'))).toEqual([expect.stringContaining('table 2 regulations')]);
    expect(output.warnings.filter((w) => w.startsWith('digits-glued-ambiguous:'))).toEqual([expect.stringMatching(/table 2 normative_documents: the digits "6888350"/)]);
    expect(output.table3).toEqual(printed.table3);
    expect(output.table4).toEqual(printed.table4);
  });

  it('a placeholder header (数据1) is a header, not a label and a number; a page footer (- 3 -) is not a list item', () => {
    const tokens = tokenize(readText('数据1\t数据2\t列8\n- 3 -\n行政强制 76\n').rows);
    expect(tokens.map((t) => [t.kind, t.raw])).toEqual([
      ['label', '数据1'],
      ['label', '数据2'],
      ['label', '列8'],
      ['label', '行政强制'],
      ['value', '76'],
    ]);
  });
});

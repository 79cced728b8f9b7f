/**
 * Converters damage tables in ways no fixture can list: cells merged or lost, a stray number
 * among the cells, a label run into its first number, a row's numbers pushed onto the next line, rows out of order. Whatever the
 * damage, a value the extractor gives must be the value printed; what it cannot place is null.
 * Generated reports (every value known) are rendered as tab-separated text, damaged once each
 * by a seeded random choice, and every non-null value read back is compared.
 */
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../src/extract/index.ts';
import type { TemplateVersion } from '../../src/domain/template.ts';
import { generateReport, rng as random } from '../../testkit/reports/generate-report.ts';
import { renderText } from '../../testkit/reports/report-text.ts';


const isNumber = (cell: string) => /^\d+$/.test(cell);
const cellsOf = (line: string) => line.split('\t');
const labelThenNumber = /^[^\t]*[\u4e00-\u9fff][^\t]*\t\d/;

type Damage = (lines: string[], pick: <T>(items: T[]) => T) => void;

/** Lines with at least `n` number cells, and positions of the number cells in a line. */
const rowsWith = (lines: string[], n: number) => lines.flatMap((l, k) => (cellsOf(l).filter(isNumber).length >= n ? [k] : []));
const numberAt = (cells: string[]) => cells.flatMap((c, k) => (isNumber(c) ? [k] : []));

const DAMAGE: Record<string, Damage> = {
  'two number cells merged into one': (lines, pick) => {
    const i = pick(rowsWith(lines, 3));
    const cells = cellsOf(lines[i]!);
    const j = pick(numberAt(cells).slice(0, -1));
    cells.splice(j, 2, `${cells[j]} ${cells[j + 1]}`);
    lines[i] = cells.join('\t');
  },
  'a label run into its first number': (lines, pick) => {
    const i = pick(lines.flatMap((l, k) => (labelThenNumber.test(l) ? [k] : [])));
    lines[i] = lines[i]!.replace('\t', ' ');
  },
  'a number cell lost': (lines, pick) => {
    const i = pick(rowsWith(lines, 3));
    const cells = cellsOf(lines[i]!);
    cells.splice(pick(numberAt(cells)), 1);
    lines[i] = cells.join('\t');
  },
  'an empty cell put among the numbers': (lines, pick) => {
    const i = pick(rowsWith(lines, 3));
    const cells = cellsOf(lines[i]!);
    cells.splice(pick(numberAt(cells)), 0, '');
    lines[i] = cells.join('\t');
  },
  'a stray number among the cells (a footnote mark, a digit of the rule above)': (lines, pick) => {
    const i = pick(rowsWith(lines, 3));
    const cells = cellsOf(lines[i]!);
    cells.splice(pick(numberAt(cells)), 0, String(pick([0, 1, 2, 3, 7, 10, 25])));
    lines[i] = cells.join('\t');
  },
  'a number unreadable (blank)': (lines, pick) => {
    const i = pick(rowsWith(lines, 1));
    const cells = cellsOf(lines[i]!);
    cells[pick(numberAt(cells))] = '';
    lines[i] = cells.join('\t');
  },
  "a row's numbers on the next line": (lines, pick) => {
    const i = pick(lines.flatMap((l, k) => (labelThenNumber.test(l) ? [k] : [])));
    const cells = cellsOf(lines[i]!);
    const at = cells.findIndex(isNumber);
    lines.splice(i, 1, cells.slice(0, at).join('\t'), cells.slice(at).join('\t'));
  },
  'two rows swapped': (lines, pick) => {
    const rows = rowsWith(lines, 3);
    const i = pick(rows);
    const j = pick(rows);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  },
};

describe('damaged text renderings', () => {
  it('never give a value other than the one printed', async () => {
    const next = random(20261130);
    const pick = <T,>(items: T[]): T => items[Math.floor(next() * items.length)]!;
    const wrong: string[] = [];
    const seen = new Map<string, number>();
    let cells = 0;
    let nulls = 0;
    for (let n = 0; n < 400; n++) {
      const template = pick<TemplateVersion>(['2019', '2021']);
      const v = generateReport(Math.floor(next() * 10_000), template);
      const lines = renderText(v, { join: (c) => c.join('\t') }).split('\n');
      const damage = pick(Object.keys(DAMAGE));
      seen.set(damage, (seen.get(damage) ?? 0) + 1);
      DAMAGE[damage]!(lines, pick);
      const { output } = await extractBytes(Buffer.from(lines.join('\n')), { file: 'damaged.txt' });
      for (const table of ['table2', 'table3', 'table4'] as const) {
        const printed = v[table]!;
        const read = output[table] ?? {};
        for (const [row, columns] of Object.entries(printed)) {
          for (const [column, value] of Object.entries(columns)) {
            cells++;
            const got = read[row]?.[column] ?? null;
            if (got === null) nulls++;
            else if (got !== value) wrong.push(`${damage}: ${table}.${row}.${column} read ${got}, printed ${value}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    // every kind of damage was tried, and most values still come through
    expect([...seen.keys()].sort()).toEqual(Object.keys(DAMAGE).sort());
    expect(nulls / cells).toBeLessThan(0.05);
  });
});

describe('two row labels run together', () => {
  it('give neither row the numbers, with a warning', async () => {
    const v = generateReport(31, '2021');
    const lines = renderText(v, { join: (c) => c.join('\t') }).split('\n');
    const notHeld = lines.findIndex((l) => l.startsWith('1.本机关不掌握相关政府信息\t'));
    const needsCreation = lines.findIndex((l) => l.startsWith('2.没有现成信息需要另行制作\t'));
    // the first line of the next row's label ran into this row's label cell
    lines[notHeld] = lines[notHeld]!.replace('1.本机关不掌握相关政府信息', '1.本机关不掌握相关政府信息2.没有现成');
    lines[needsCreation] = lines[needsCreation]!.replace('2.没有现成信息需要另行制作', '信息需要另行制作');
    const { output } = await extractBytes(Buffer.from(lines.join('\n')), { file: 'merged.txt' });
    expect(Object.values(output.table3!['unavailable.not_held']!).every((x) => x === null)).toBe(true);
    expect(output.table3!['unavailable.needs_creation']).toEqual(v.table3!['unavailable.needs_creation']);
    expect(output.warnings.some((w) => w.startsWith('row-labels-merged:'))).toBe(true);
  });

  it('a cell ending in a numbered label is that row: the text before it was left over from the row above', async () => {
    const v = generateReport(32, '2021');
    const lines = renderText(v, { join: (c) => c.join('\t') }).split('\n');
    const fee = lines.findIndex((l) => l.startsWith('2.申请人逾期未按收费通知要求缴纳费用'));
    const other = lines.findIndex((l) => l.startsWith('3.其他\t'));
    lines[fee] = lines[fee]!.replace('2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处');
    lines[other] = lines[other]!.replace('3.其他', '理其政府信息公开申请3.其他');
    const { output } = await extractBytes(Buffer.from(lines.join('\n')), { file: 'leftover.txt' });
    expect(output.table3!['other.unpaid_fee']).toEqual(v.table3!['other.unpaid_fee']);
    expect(output.table3!['other.other']).toEqual(v.table3!['other.other']);
  });
});

/**
 * PDF tables come in every geometry: font sizes, column widths that wrap labels anywhere, top
 * or middle alignment, group labels written vertically or centred in their rowspan, blank
 * cells, page breaks. Generated reports (every value known) are laid out as the text runs of
 * such a PDF (test/support/table-geometry.ts) and read by layout.ts and the matchers: a value
 * read must be the value printed, and few may be lost.
 */
import { describe, expect, it } from 'vitest';
import { extractContent } from '../../src/extract/index.ts';
import { layoutRows } from '../../src/extract/readers/layout.ts';
import type { TemplateVersion } from '../../src/domain/template.ts';
import type { Table } from '../../src/domain/report.ts';
import { generateReport, rng as random } from '../../testkit/reports/generate-report.ts';
import type { ReportValues } from '../../testkit/reports/report-html.ts';
import { layoutReport, randomGeometry, type Geometry } from '../support/table-geometry.ts';


interface Compared {
  cells: number;
  lost: number;
  wrong: string[];
}

function read(v: ReportValues, g: Geometry, next: () => number): Compared {
  const { pages, expected } = layoutReport(v, g, next);
  const { output } = extractContent({ mediaType: 'application/pdf', rows: layoutRows(pages), meta: {}, warnings: [] }, { file: 'report.pdf' });
  const result: Compared = { cells: 0, lost: 0, wrong: [] };
  for (const table of ['table2', 'table3', 'table4'] as const) {
    const got: Table = output[table] ?? {};
    for (const [row, columns] of Object.entries(expected[table]!)) {
      for (const [column, value] of Object.entries(columns)) {
        result.cells++;
        const x = got[row]?.[column] ?? null;
        if (x === null) result.lost += value === null ? 0 : 1;
        else if (x !== value) result.wrong.push(`${table}.${row}.${column} read ${x}, printed ${value} (${JSON.stringify(g)})`);
      }
    }
  }
  return result;
}

describe('PDF tables in random geometries', () => {
  it('never give a value other than the one printed, and lose few', () => {
    const next = random(20261130);
    const total: Compared = { cells: 0, lost: 0, wrong: [] };
    for (let n = 0; n < 400; n++) {
      const template: TemplateVersion = next() < 0.5 ? '2019' : '2021';
      const r = read(generateReport(Math.floor(next() * 10_000), template), randomGeometry(next), next);
      total.cells += r.cells;
      total.lost += r.lost;
      total.wrong.push(...r.wrong);
    }
    expect(total.wrong).toEqual([]);
    expect(total.lost / total.cells).toBeLessThan(0.0005);
  });

  for (const template of ['2019', '2021'] as TemplateVersion[]) {
    it(`a plainly set ${template} table is read whole, vertical group label and all`, () => {
      const plain: Geometry = {
        size: 10.5, leading: 1.3, top: 17, group: 42, label: 105, column: 40,
        labelAlign: 'middle', numberAlign: 'middle', labelPlace: 'left', numberPlace: 'center', verticalTop: true, table4: 475, blankRate: 0,
        pageNumbers: true, repeatHeader: false, jitter: 0.3, glyphs: false, subtotal: false,
      };
      const r = read(generateReport(template === '2019' ? 21 : 22, template), plain, random(7));
      expect(r.wrong).toEqual([]);
      expect(r.lost).toBe(0);
    });
  }
});

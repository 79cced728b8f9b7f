/**
 * Text layouts seen in the wild, built around generated reports whose every value is known:
 * markdown pipe tables, column-aligned text (pdftotext -layout), a 小计 column with group
 * subtotal rows (the 28×8 variant), table 4 split into three small tables, row labels
 * wrapped onto two lines with the numbers on the second, and markdown whose tables are HTML.
 */
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../src/extract/index.ts';
import type { TemplateVersion } from '../../src/domain/template.ts';
import { generateReport } from '../../testkit/reports/generate-report.ts';
import { renderTableHtml, reportTitle, type ReportValues } from '../../testkit/reports/report-html.ts';
import { renderText, type Layout } from '../../testkit/reports/report-text.ts';

const layouts: Record<string, Layout> = {
  'markdown pipe table': { join: (c) => `| ${c.join(' | ')} |` },
  'column-aligned (pdftotext -layout)': { join: (c) => c.join('    ') },
  'single spaces (pdftotext without -layout, OCR lines)': { join: (c) => c.join(' ') },
  '小计 column and group subtotal rows': { join: (c) => c.join('\t'), subtotal: true },
  'table 4 split into three tables': { join: (c) => c.join('\t'), splitTable4: true },
  'labels wrapped onto two lines': { join: (c) => c.join('\t'), wrapLabels: true },
  'labels wrapped around their numbers (the rest on the line after them)': { join: (c) => c.join('\t'), wrapAround: true },
  'merged cells filled in every row they span': { join: (c) => c.join('\t'), fillDown: true },
  'table 3 broken by a page, its header repeated': { join: (c) => c.join('\t'), pageBreak: true },
  'table 4 as a labelled row per proceeding': { join: (c) => c.join('\t'), table4Rows: true },
};

describe('text layouts extract to the generated values', () => {
  for (const [name, layout] of Object.entries(layouts)) {
    for (const template of ['2019', '2021'] as TemplateVersion[]) {
      it(`${name}, ${template} template`, async () => {
        const v = generateReport(template === '2019' ? 11 : 12, template);
        const { output } = await extractBytes(Buffer.from(renderText(v, layout)), { file: 'layout.txt' });
        expect(output.ok, output.error ?? '').toBe(true);
        expect({ agency: output.agency, year: output.year, template: output.template }).toEqual({ agency: v.agency, year: v.year, template });
        expect(output.table2).toEqual(v.table2);
        expect(output.table3).toEqual(v.table3);
        expect(output.table4).toEqual(v.table4);
        expect(output.checks.filter((c) => c.passed !== true)).toEqual([]);
      });
    }
  }
});

describe('markdown whose tables are HTML (PDF-to-markdown converters)', () => {
  const markdown = (v: ReportValues, wrap: (table: string) => string) => {
    // the bare <table> element, without the page renderTableHtml puts it in
    const table = (t: 'table2' | 'table3' | 'table4') => wrap(renderTableHtml(v, t).replace(/^[\s\S]*?(<table)/, '$1').replace(/(<\/table>)[\s\S]*$/, '$1').replace(/\n/g, ''));
    return [
      `# ${reportTitle(v)}`, '## 一、总体情况', '本年度依法做好政府信息公开工作。',
      '## 二、主动公开政府信息情况', table('table2'),
      '## 三、收到和处理政府信息公开申请情况', table('table3'),
      '## 四、政府信息公开行政复议、行政诉讼情况', table('table4'),
      '## 五、存在的主要问题及改进情况', '无。',
    ].join('\n\n');
  };
  const styles: Record<string, (table: string) => string> = {
    'a bare <table> per table': (t) => t,
    'an <html><body> of its own per table (MinerU)': (t) => `<html><body>${t}</body></html>`,
  };
  for (const [name, wrap] of Object.entries(styles)) {
    it(name, async () => {
      const v = generateReport(13, '2021');
      const { output } = await extractBytes(Buffer.from(markdown(v, wrap)), { file: 'report.md' });
      expect(output.ok, output.error ?? '').toBe(true);
      expect({ agency: output.agency, year: output.year, template: output.template }).toEqual({ agency: v.agency, year: v.year, template: '2021' });
      expect({ table2: output.table2, table3: output.table3, table4: output.table4 }).toEqual({ table2: v.table2, table3: v.table3, table4: v.table4 });
    });
  }
});

describe('an HTML grid with a 小计 column', () => {
  it('leaves the 小计 column out of a row that ends early, its missing cell blank', async () => {
    const v = generateReport(14, '2021');
    const lines = renderText(v, { join: (c) => c.join('\t'), subtotal: true }).split('\n');
    const cells = (line: string) => line.split('\t');
    const granted = lines.findIndex((l) => l.startsWith('（一）予以公开\t'));
    // the row's last cell (总计) is left out of the page
    lines[granted] = cells(lines[granted]!).slice(0, -1).join('\t');
    const html = `<html><body><div id="zoom">${lines
      .map((l) => (l.includes('\t') ? `<table><tr>${cells(l).map((c) => `<td>${c}</td>`).join('')}</tr></table>` : `<p>${l}</p>`))
      .join('\n')}</div></body></html>`;
    const { output } = await extractBytes(Buffer.from(html), { file: 'subtotal.html' });
    const printed = v.table3!.granted!;
    expect(output.table3!.granted).toEqual({ ...printed, total: null });
  });
});

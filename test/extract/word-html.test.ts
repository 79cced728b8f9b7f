/**
 * Word-exported report pages (MsoNormalTable, a <span> per run, labels split across runs, <o:p> in
 * every cell, mso styles), as real report pages are: every value comes back, as from the compact
 * page of the same report. The values are the generator's (testkit/reports/report-word-html.ts).
 */
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../src/extract/index.ts';
import { generateWordReport } from '../../testkit/reports/report-word-html.ts';

describe('Word-exported report pages', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: about 100 KB of Word HTML, every cell of tables 2, 3 and 4 read exactly`, async () => {
      const { values, html } = generateWordReport(seed);
      expect(html).toContain('class=MsoNormalTable');
      expect(html).toContain('<o:p></o:p>');
      expect(Buffer.byteLength(html)).toBeGreaterThan(90_000);
      const { output } = await extractBytes(Buffer.from(html), { file: `word-${seed}.html` });
      expect(output.ok, output.error ?? '').toBe(true);
      expect(output.agency).toBe(values.agency);
      expect(output.year).toBe(values.year);
      expect(output.template).toBe(values.template);
      expect(output.table2).toEqual(values.table2);
      expect(output.table3).toEqual(values.table3);
      expect(output.table4).toEqual(values.table4);
    });
  }

  it('a run split inside a label is read as one label (本年新收 / 政府信息公开申请数量 split across <span>s)', async () => {
    const { values, html } = generateWordReport(7);
    // the generator cuts every label into runs: the label is not in the page as one piece
    expect(html).not.toContain('本年新收政府信息公开申请数量');
    const { output } = await extractBytes(Buffer.from(html), { file: 'word-7.html' });
    expect(output.table3?.['new_received']).toEqual(values.table3!['new_received']);
  });
});

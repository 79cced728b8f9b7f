/**
 * The three real Jiangsu PDFs (expected values read off their rendered pages) extract exactly:
 * tables across page breaks, vertical group labels, wrapped labels, misprinted labels, table 4
 * as one row of 15 numbers, a 2021-format report printing one （六）其他处理 row.
 */
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../../src/extract/index.ts';
import { compared, expected, load } from './expected.ts';

describe('real PDFs', () => {
  for (const name of ['hongze-2023', 'hongze-2024', 'huaian-2024']) {
    it(`${name}.pdf extracts to its hand-read values`, async () => {
      const rel = `real/${name}.pdf`;
      const x = await extractBytes(load(rel), { file: rel });
      expect(x.output.ok, x.output.error ?? '').toBe(true);
      expect(compared(x.output)).toEqual(expected(rel));
      expect(x.mediaType).toBe('application/pdf');
      expect(x.ocr).toBe(false);
      // every value traces back to a cell of the document
      expect(x.cells.filter((c) => c.value !== null).every((c) => c.raw !== null)).toBe(true);
    });
  }

  it('the misprinted label 其他法律行政止公开 is still the prohibited-by-law row', async () => {
    const x = await extractBytes(load('real/hongze-2023.pdf'), { file: 'hongze-2023.pdf' });
    const cell = x.cells.find((c) => c.row === 'withheld.prohibited_by_law' && c.col === 'natural_person');
    expect(cell?.raw).toBe('0');
    expect(x.output.table3?.['withheld.state_secret']?.natural_person).toBe(1);
  });
});

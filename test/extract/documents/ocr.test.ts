/**
 * Scans: a 2019-format report printed, rasterised and bound as an image-only PDF, and a
 * photo-like PNG (tinted, noisy, blurred, rotated 0.3°) of a 2021 table 3. Both are read by
 * tesseract and extract exactly; the values are marked as OCR'd with a confidence.
 */
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../../src/extract/index.ts';
import { compared, expected, load } from './expected.ts';

describe('OCR', () => {
  it('an image-only PDF is OCR\'d and extracts exactly', async () => {
    const rel = 'documents/scanned-2019.pdf';
    const x = await extractBytes(load(rel), { file: rel });
    expect(x.output.ok, x.output.error ?? '').toBe(true);
    expect(compared(x.output)).toEqual(expected(rel));
    expect(x.ocr).toBe(true);
    expect(x.cells.filter((c) => c.value !== null).every((c) => typeof c.confidence === 'number')).toBe(true);
  });

  it('a photo of a ruled table extracts exactly', async () => {
    const rel = 'documents/photo-2021.png';
    const x = await extractBytes(load(rel), { file: rel });
    expect(x.output.ok, x.output.error ?? '').toBe(true);
    expect(compared(x.output)).toEqual(expected(rel));
    expect(x.ocr).toBe(true);
    expect(x.mediaType).toBe('image/png');
  });
});

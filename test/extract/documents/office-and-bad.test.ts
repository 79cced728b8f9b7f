/**
 * Generated fixtures (scripts/make-fixtures.ts: the seed reports as DOCX, DOC, Word-format WPS,
 * XLS, XLSX and LibreOffice PDFs; the HTML fixtures as Chromium prints them) extract exactly through extractBytes, whatever the file is
 * called; malformed files give an error code and the batch goes on.
 */
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../../src/extract/index.ts';
import { compared, expected, load } from './expected.ts';
import { zipArchive } from './zip-builder.ts';

describe('generated document fixtures', () => {
  const cases: [string, string][] = [
    ['documents/report-2021.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['documents/report-2019.doc', 'application/msword'],
    ['documents/report-2021.wps', 'application/msword'],
    ['documents/report-2021.xls', 'application/vnd.ms-excel'],
    ['documents/report-2019.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['documents/report-2021.pdf', 'application/pdf'],
    ['documents/report-2019.pdf', 'application/pdf'],
    ['documents/blanks-2019.pdf', 'application/pdf'],
    ['documents/printed-2019.pdf', 'application/pdf'],
    ['documents/printed-2021.pdf', 'application/pdf'],
    ['documents/printed-variants-2019.pdf', 'application/pdf'],
    ['documents/printed-blanks-2019.pdf', 'application/pdf'],
  ];
  for (const [rel, mediaType] of cases) {
    it(`${rel} extracts to the seed's values`, async () => {
      const x = await extractBytes(load(rel), { file: rel });
      expect(x.output.ok, x.output.error ?? '').toBe(true);
      expect(compared(x.output)).toEqual(expected(rel));
      expect(x.mediaType).toBe(mediaType);
    });
  }

  it('the type comes from the bytes, not the name', async () => {
    const x = await extractBytes(load('documents/report-2021.docx'), { file: 'download.pdf' });
    expect(compared(x.output)).toEqual(expected('documents/report-2021.docx'));
  });
});

describe('malformed files', () => {
  const codeOf = async (bytes: Uint8Array, file: string) => {
    const x = await extractBytes(bytes, { file });
    expect(x.output.ok).toBe(false);
    expect(x.output.table3).toBeNull();
    return x.output.error?.split(':')[0];
  };

  it('give stable error codes without throwing', async () => {
    const pdf = load('real/huaian-2024.pdf');
    expect(await codeOf(pdf.subarray(0, Math.floor(pdf.length * 0.6)), 'cut.pdf')).toBe('pdf-corrupt');
    expect(await codeOf(load('documents/malformed/encrypted.pdf'), 'locked.pdf')).toBe('pdf-encrypted');
    expect(await codeOf(new Uint8Array(0), 'empty.pdf')).toBe('empty-file');
    const bomb = zipArchive({ '[Content_Types].xml': '<Types/>', 'word/document.xml': new Uint8Array(50_000_000) }, { 'word/document.xml': { declaredSize: 2000 } });
    expect(await codeOf(bomb, 'bomb.docx')).toBe('zip-bomb');
    const docx = load('documents/report-2021.docx');
    expect(await codeOf(docx.subarray(0, docx.length - 200), 'cut.docx')).toBe('zip-corrupt');
  });
});

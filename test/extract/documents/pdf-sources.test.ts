/**
 * The two PDF text sources — poppler's pdftohtml (the fast default) and pdfjs (where poppler
 * is not installed) — read every PDF fixture to the same values, fail alike on damaged files,
 * and the reader falls back to pdfjs by itself when poppler is missing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ExtractError } from '../../../src/extract/errors.ts';
import { extractContent } from '../../../src/extract/index.ts';
import { DEFAULT_PDF_LIMITS, pdfText, pdfTextSource, readPdf, type PdfTextSource } from '../../../src/extract/readers/pdf.ts';
import { parsePdfXml } from '../../../src/extract/readers/poppler.ts';
import { compared, expected, load } from './expected.ts';
import { handWrittenPdf } from './pdf-builder.ts';

const SOURCES: PdfTextSource[] = ['poppler', 'pdfjs'];
const root = path.resolve(import.meta.dirname, '../../..');

async function extractWith(rel: string, source: PdfTextSource) {
  const doc = await readPdf(load(rel), DEFAULT_PDF_LIMITS, source);
  return extractContent(doc, { file: rel });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ExtractError) return err.code;
    throw err;
  }
  return 'no error';
}

describe('PDF text sources', () => {
  it('poppler is the source on a machine set up by scripts/setup.sh', async () => {
    expect(await pdfTextSource()).toBe('poppler');
  });

  for (const rel of ['real/hongze-2023.pdf', 'real/hongze-2024.pdf', 'real/huaian-2024.pdf', 'documents/report-2021.pdf', 'documents/report-2019.pdf', 'documents/blanks-2019.pdf', 'documents/rotated-2021.pdf',
    'documents/printed-2019.pdf', 'documents/printed-2021.pdf', 'documents/printed-variants-2019.pdf', 'documents/printed-blanks-2019.pdf']) {
    it(`${rel}: both sources extract its expected values`, async () => {
      for (const source of SOURCES) {
        const x = await extractWith(rel, source);
        expect(x.output.ok, `${source}: ${x.output.error ?? ''}`).toBe(true);
        expect(compared(x.output), source).toEqual(expected(rel));
      }
    });
  }

  it('both read the printed title, and fall back to the info title', async () => {
    for (const source of SOURCES) {
      const doc = await readPdf(load('real/hongze-2023.pdf'), DEFAULT_PDF_LIMITS, source);
      expect(doc.meta.title, source).toBe('洪泽区人民政府2023年政府信息公开工作年度报告');
      const text = await pdfText(load('real/hongze-2024.pdf'), DEFAULT_PDF_LIMITS, source);
      // the info dictionary's title is UTF-16 in this file: poppler's pdfinfo decodes it
      expect(await text.infoTitle(), source).toBe('政府信息公开工作年度报告');
    }
  });

  it('both cut a document at the page limit with a warning', async () => {
    for (const source of SOURCES) {
      const text = await pdfText(load('real/huaian-2024.pdf'), { maxPages: 2, minCharsPerPage: 20 }, source);
      expect(text.pages, source).toHaveLength(2);
      expect(text.warnings.map((w) => w.code), source).toEqual(['pdf-pages-cut']);
    }
  });

  it('both give the same error codes for truncated and encrypted PDFs', async () => {
    const pdf = load('real/hongze-2024.pdf');
    for (const source of SOURCES) {
      expect(await codeOf(readPdf(pdf.subarray(0, pdf.length / 2), DEFAULT_PDF_LIMITS, source)), source).toBe('pdf-corrupt');
      expect(await codeOf(readPdf(pdf.subarray(0, 2000), DEFAULT_PDF_LIMITS, source)), source).toBe('pdf-corrupt');
      expect(await codeOf(readPdf(new TextEncoder().encode('%PDF-1.7\nnot a pdf'), DEFAULT_PDF_LIMITS, source)), source).toBe('pdf-corrupt');
      expect(await codeOf(readPdf(load('documents/malformed/encrypted.pdf'), DEFAULT_PDF_LIMITS, source)), source).toBe('pdf-encrypted');
    }
  });

  it('text turned on the page is left out, level text kept, by both', async () => {
    const pdf = handWrittenPdf([
      { text: 'Level line 12', matrix: [1, 0, 0, 1, 72, 700], size: 12 },
      { text: 'SIDEWAYS STAMP', matrix: [0, 1, -1, 0, 500, 300], size: 12 },
    ]);
    for (const source of SOURCES) {
      const { pages } = await pdfText(pdf, DEFAULT_PDF_LIMITS, source);
      expect(pages[0]!.items.map((i) => i.text.trim()), source).toEqual(['Level line 12']);
    }
  });

  it('without poppler on the PATH the reader falls back to pdfjs', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/run-ts.js', 'test/extract/documents/pdf-source-child.ts'], {
      cwd: root,
      env: { ...process.env, PATH: '/nonexistent', OGI_PDF_TEXT: '' },
    });
    expect(JSON.parse(stdout)).toEqual({ source: 'pdfjs', ok: true, year: 2024 });
  });
});

describe("pdftohtml's XML", () => {
  const xml = (texts: string) =>
    `<pdf2xml><page number="1" position="absolute" top="0" left="0" height="2526" width="1785">
	<fontspec id="0" size="36" family="SimSun" color="#000000"/>
	<fontspec id="1" size="90" family="SimSun" color="#c0c0c0"/>
${texts}</page></pdf2xml>`;

  it('reads runs in PDF points, y up from the bottom, with the font size; markup and entities undone', () => {
    const [page] = parsePdfXml(xml('<text top="300" left="216" width="108" height="36" font="0"><b>A&amp;B &lt;1&gt;</b></text>\n'));
    expect(page).toEqual({ width: 595, height: 842, items: [{ text: 'A&B <1>', x: 72, y: 730, width: 36, size: 12 }] });
  });

  it('drops a diagonal watermark and sideways Latin, keeps squeezed table text and vertical labels', () => {
    const [page] = parsePdfXml(
      xml(
        [
          // 30 pt, six characters 0.7 em apart across the page: a 45° watermark
          '<text top="900" left="300" width="378" height="90" font="1">仅供参考使用</text>',
          // 12 pt at 80% character scaling: a label squeezed into its cell
          '<text top="600" left="300" width="173" height="36" font="0">属于国家秘密</text>',
          // one glyph per line, no width: a vertical label
          '<text top="1200" left="300" width="0" height="36" font="0">本年度</text>',
          '<text top="1500" left="300" width="0" height="36" font="0">STAMP</text>',
        ].join('\n'),
      ),
    );
    expect(page!.items.map((i) => i.text)).toEqual(['属于国家秘密', '本年度']);
  });
});

/**
 * A report page whose table 3 is a picture: the page is read with its image (OCR), each value
 * names the document it came from, and an unreadable or missing image leaves the table out with
 * a warning instead of failing the page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { extractPage } from '../../../src/extract/index.ts';
import { compared, load } from './expected.ts';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures');
const PAGE_URL = 'https://www.haining.gov.cn/art/2024/1/20/art_1229_1.html';
const IMAGE_URL = 'https://www.haining.gov.cn/picture/0/t3.png';

/** The 2021-format HTML fixture with its table 3 replaced by a picture of it. */
function pageWithPicture(): Uint8Array {
  const $ = cheerio.load(readFileSync(path.join(fixtures, 'html/jcms-2021-split-numbers.html'), 'utf8'));
  const table3 = $('table').filter((_, t) => $(t).text().includes('本年新收') && $(t).find('table').length === 0);
  expect(table3).toHaveLength(1);
  table3.replaceWith('<p><img src="/picture/0/t3.png#zoom" alt="表3"></p>');
  return new TextEncoder().encode($.html());
}

const expected = JSON.parse(readFileSync(path.join(fixtures, 'html/jcms-2021-split-numbers.expected.json'), 'utf8')) as Record<string, unknown>;

describe('report pages with tables as pictures', () => {
  it('reads table 3 from the picture and the rest from the page, each value naming its document', async () => {
    const x = await extractPage(pageWithPicture(), [{ url: IMAGE_URL, bytes: load('documents/photo-2021.png') }], { file: PAGE_URL, url: PAGE_URL });
    expect(x.output.ok, x.output.error ?? '').toBe(true);
    const { notes: _n, ...values } = expected;
    expect(compared(x.output)).toEqual(values);
    expect(x.ocr).toBe(true);
    expect(new Set(x.cells.filter((c) => c.table === 'table3').map((c) => c.source))).toEqual(new Set([IMAGE_URL]));
    expect(x.cells.filter((c) => c.table !== 'table3').every((c) => c.source === undefined)).toBe(true);
  });

  it('without its picture the page is read with table 3 missing', async () => {
    const x = await extractPage(pageWithPicture(), [], { file: PAGE_URL, url: PAGE_URL });
    expect(x.output.ok).toBe(true);
    expect(x.output.table3).toBeNull();
    expect(x.output.table2).toEqual(expected['table2']);
    expect(x.output.warnings.some((w) => w.startsWith('table-missing: table 3'))).toBe(true);
  });

  it('an image that is not one is a warning, not a failure', async () => {
    const x = await extractPage(pageWithPicture(), [{ url: IMAGE_URL, bytes: new TextEncoder().encode('<html>404</html>') }], { file: PAGE_URL, url: PAGE_URL });
    expect(x.output.ok).toBe(true);
    expect(x.output.warnings.some((w) => w.startsWith(`image-unreadable: ${IMAGE_URL}`))).toBe(true);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractBytes, extractFile } from '../../src/extract/index.ts';
import { readHtml } from '../../src/extract/readers/html.ts';
import { expectMatches, type Expected } from '../support/expected.ts';
import { REPO } from '../support/paths.ts';

const DIR = join(REPO, 'test/fixtures/html');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.html')).sort();

describe('HTML fixtures (jcms/TRS article pages, both templates) extract to their expected values', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(5));
  for (const f of fixtures) {
    it(f, async () => {
      const expected = JSON.parse(readFileSync(join(DIR, f.replace(/\.html$/, '.expected.json')), 'utf8')) as Expected;
      const { output } = await extractFile(join(DIR, f));
      expectMatches(output, expected);
    });
  }

  it('keeps blank cells null (never 0) and leaves the rules they feed undecided', async () => {
    const { output, cells } = await extractFile(join(DIR, 'blanks-2019.html'));
    expect(output.table3!['granted']!['commercial_enterprise']).toBeNull();
    expect(cells.find((c) => c.row === 'granted' && c.col === 'commercial_enterprise')).toMatchObject({ value: null });
    expect(output.checks.find((c) => c.rule === 'table3.applicants.granted')?.passed).toBeNull();
    expect(output.checks.find((c) => c.rule === 'table3.applicants.new_received')?.passed).toBe(true);
  });

  it('reads the site-standard meta tags', async () => {
    const e = await extractFile(join(DIR, 'jcms-2021-split-numbers.html'));
    expect(e.publishedAt).toBe('2024-01-20 09:30');
    expect(e.contentSource).toBe('海宁市人民政府');
    expect(e.title).toBe('海宁市人民政府2023年度政府信息公开工作年度报告');
  });

  it('normalises dashes, full-width digits, separators and units, with warnings', async () => {
    const { output, cells } = await extractFile(join(DIR, 'variants-2019.html'));
    expect(output.warnings.some((w) => w.startsWith('placeholder-zero:'))).toBe(true);
    expect(output.warnings.some((w) => w.startsWith('unit-converted:'))).toBe(true);
    expect(cells.find((c) => c.row === 'procurement' && c.col === 'amount_yuan')).toMatchObject({ value: 2510000, raw: '251万元' });
  });

  it('expands rowspan/colspan into an exact grid', () => {
    const doc = readHtml(
      '<div id="zoom"><table><tr><td rowspan="2">A</td><td colspan="2">B</td></tr><tr><td>1</td><td></td></tr></table></div>',
    );
    expect(doc.rows.map((r) => r.cells.map((c) => (c.copy ? `(${c.text})` : c.text)))).toEqual([
      ['A', 'B', '(B)'],
      ['(A)', '1', ''],
    ]);
    expect(doc.rows.every((r) => r.exact)).toBe(true);
  });

  it('reads tables that a page template put outside the text container', async () => {
    const html = readFileSync(join(DIR, 'trs-2019.html'), 'utf8')
      .replace('<div class="TRS_Editor">', '<div class="TRS_Editor"><p>正文见下表。</p></div><div class="tables">');
    const { output } = await extractBytes(Buffer.from(html), { file: 'outside.html' });
    const expected = JSON.parse(readFileSync(join(DIR, 'trs-2019.expected.json'), 'utf8')) as Expected;
    expectMatches(output, expected);
  });

  it('takes the agency from ContentSource when the title names none', async () => {
    const html = readFileSync(join(DIR, 'jcms-2021-split-numbers.html'), 'utf8').replace(/海宁市人民政府(?=2023年度)/g, '');
    const { output } = await extractBytes(Buffer.from(html), { file: 'no-agency.html' });
    expect(output.agency).toBe('海宁市人民政府');
    expect(output.warnings.some((w) => w.startsWith('agency-from-source:'))).toBe(true);
  });

  it('finds the body container and ignores navigation outside it', async () => {
    const html = readFileSync(join(DIR, 'trs-2019.html'), 'utf8').replace('<div class="header">', '<div class="header"><table><tr><td>规章</td><td>99</td></tr></table>');
    const { output } = await extractBytes(Buffer.from(html), { file: 'nav.html' });
    expect(output.table2!['regulations']).toEqual({ new_made: 0, new_published: 0, total_published: 0 });
  });

  it('reads a page nested thousands of levels deep (unclosed tags) without overflowing the stack', async () => {
    const page = readFileSync(join(DIR, 'jcms-2021-split-numbers.html'), 'utf8');
    const expected = JSON.parse(readFileSync(join(DIR, 'jcms-2021-split-numbers.expected.json'), 'utf8')) as Expected;
    for (const depth of [5_000, 50_000]) {
      // the report's tables inside `depth` unclosed <font> tags, as broken editors leave them
      const deep = page.replace('<body>', `<body>${'<div><font>'.repeat(depth / 2)}`);
      expect(deep.length).toBeGreaterThan(page.length);
      const { output } = await extractBytes(Buffer.from(deep), { file: `deep-${depth}.html` });
      expect(output.error).toBeNull();
      expectMatches(output, expected);
    }
  });
});

/**
 * Report pages as editors leave them: numbers wrapped in paragraphs and spans, thousands
 * separators, dashes for zero, a trailing cell left out, an empty cell added, rows out of order,
 * a rowspan or colspan lost. Generated reports (every value known) are rendered as jcms article
 * pages, damaged once each by a seeded random choice, and every non-null value read back is
 * compared with the printed one.
 */
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../src/extract/index.ts';
import type { TemplateVersion } from '../../src/domain/template.ts';
import { generateReport, rng as random } from '../../testkit/reports/generate-report.ts';
import { renderReportHtml } from '../../testkit/reports/report-html.ts';

type Pick = <T>(items: T[]) => T;
type Damage = ($: cheerio.CheerioAPI, pick: Pick, next: () => number) => void;

const isNumber = (text: string) => /^\s*-?\d+(\.\d+)?\s*$/.test(text);
const numberCells = ($: cheerio.CheerioAPI) => $('td').toArray().filter((el) => isNumber($(el).text()));

const DAMAGE: Record<string, Damage> = {
  'numbers wrapped in a paragraph and a span': ($, _pick, next) => {
    for (const el of numberCells($)) if (next() < 0.3) $(el).html(`<p style="text-align:center"><span style="font-family:宋体">${$(el).html()}</span></p>`);
  },
  'thousands separators': ($, _pick, next) => {
    for (const el of numberCells($)) {
      const text = $(el).text().trim();
      if (/^\d{4,}$/.test(text) && next() < 0.5) $(el).text(Number(text).toLocaleString('en-US'));
    }
  },
  'a dash for zero': ($, pick, next) => {
    for (const el of numberCells($)) if ($(el).text().trim() === '0' && next() < 0.3) $(el).text(pick(['—', '-', '－']));
  },
  'the last cell of a row left out': ($, pick) => {
    const row = pick($('tr').toArray().filter((tr) => $(tr).children('td').length >= 5));
    const last = $(row).children('td').last();
    if (isNumber(last.text())) last.remove();
  },
  'an empty cell added to a row': ($, pick) => {
    $(pick($('tr').toArray())).append('<td>&nbsp;</td>');
  },
  'two rows of one shape swapped': ($, pick) => {
    // rows out of order: two rows whose cells line up alike (same count, same spans); the rows
    // that open and close table 3 (一、 二、 四、) stay where the template has them
    const shape = (tr: Parameters<typeof $>[0]) => $(tr).children('td').toArray().map((td) => `${$(td).attr('colspan') ?? 1}`).join(',');
    const rows = $('tr')
      .toArray()
      .filter((tr) => $(tr).children('td').length >= 7 && $(tr).find('[rowspan]').length === 0 && !/^[一二四]、/.test($(tr).children('td').first().text().trim()));
    const a = pick(rows);
    const b = pick(rows.filter((tr) => shape(tr) === shape(a)));
    const html = $(a).html()!;
    $(a).html($(b).html()!);
    $(b).html(html);
  },
  'a rowspan lost': ($, pick) => {
    $(pick($('td[rowspan]').toArray())).removeAttr('rowspan');
  },
  'a colspan lost': ($, pick) => {
    $(pick($('td[colspan]').toArray())).removeAttr('colspan');
  },
};

describe('damaged report pages', () => {
  it('never give a value other than the one printed, and lose few', async () => {
    const next = random(20261130);
    const pick: Pick = (items) => items[Math.floor(next() * items.length)]!;
    const wrong: string[] = [];
    const seen = new Set<string>();
    let cells = 0;
    let lost = 0;
    for (let n = 0; n < 300; n++) {
      const template = pick<TemplateVersion>(['2019', '2021']);
      const v = generateReport(Math.floor(next() * 100_000), template);
      const $ = cheerio.load(renderReportHtml(v, { splitNumbers: next() < 0.3 }));
      const damage = pick(Object.keys(DAMAGE));
      seen.add(damage);
      DAMAGE[damage]!($, pick, next);
      const { output } = await extractBytes(Buffer.from($.html()), { file: 'damaged.html' });
      for (const table of ['table2', 'table3', 'table4'] as const) {
        for (const [row, columns] of Object.entries(v[table]!)) {
          for (const [column, value] of Object.entries(columns)) {
            cells++;
            const got = output[table]?.[row]?.[column] ?? null;
            if (got === null) lost++;
            else if (got !== value) wrong.push(`${damage}: ${table}.${row}.${column} read ${got}, printed ${value}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect([...seen].sort()).toEqual(Object.keys(DAMAGE).sort());
    expect(lost / cells).toBeLessThan(0.005);
  });
});

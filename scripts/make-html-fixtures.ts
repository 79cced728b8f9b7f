/**
 * Writes the HTML fixtures under test/fixtures/html: jcms article pages carrying real report
 * values (the hand-read seed values of test/fixtures/seeds) in the template's real table layout,
 * with the variants seen in the wild. Each fixture's expected output is written from the values put into the page,
 * never from the extractor. Run: node bin/run-ts.js scripts/make-html-fixtures.ts [SEEDS_DIR]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { renderReportHtml, type ReportValues } from '../testkit/reports/report-html.ts';

const seeds = resolve(process.argv[2] ?? join(import.meta.dirname, '../test/fixtures/seeds'));
const out = resolve('test/fixtures/html');
mkdirSync(out, { recursive: true });

const seed = (id: string): ReportValues => {
  const v = JSON.parse(readFileSync(join(seeds, `${id}.expected.json`), 'utf8')) as ReportValues & { notes?: string };
  delete v.notes;
  return v;
};
const write = (name: string, html: string | Buffer, expected: ReportValues): void => {
  writeFileSync(join(out, `${name}.html`), html);
  writeFileSync(join(out, `${name}.expected.json`), JSON.stringify(expected, null, 2) + '\n');
};

// 1. 2021 template, jcms #zoom, numbers split across <span>/<font>
write('jcms-2021-split-numbers', renderReportHtml(seed('002_182295efcc30db92'), { splitNumbers: true }), seed('002_182295efcc30db92'));

// 2. 2019 template in a TRS_Editor container
write('trs-2019', renderReportHtml(seed('004_21925bfca89cb37b'), { container: 'TRS_Editor' }), seed('004_21925bfca89cb37b'));

// 3. blank cells (Shanghai leaves zero cells blank): blanks are null, never 0
const blanks = seed('001_8fc14f64dbb32946');
for (const row of ['carried_over', 'granted', 'withheld.state_secret', 'other']) {
  for (const a of ['commercial_enterprise', 'research_institution', 'social_welfare_org']) blanks.table3![row]![a] = null;
}
blanks.table3!['carried_over']!['total'] = null;
blanks.table2!['coercion']!['decisions'] = null;
blanks.table4!['review']!['pending'] = null;
write('blanks-2019', renderReportHtml(blanks, { container: 'ivs_content' }), blanks);

// 4. a GBK page (declared gb2312) whose article sits inside a layout table
const gbk = seed('003_5937ca3af0d8f695');
const gbkHtml = renderReportHtml(gbk)
  .replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
  .replace('<div class="article">', '<table width="100%"><tr><td class="layout"><div class="article">')
  .replace('<div class="footer">', '</td></tr></table><div class="footer">');
write('gbk-layout-table-2021', iconv.encode(gbkHtml, 'gb18030'), gbk);

// 5. hand-written 2019 page with the label and number variants seen in the wild
const variants: ReportValues = {
  agency: '嘉兴市经济和信息化局',
  year: 2020,
  template: '2019',
  table2: {
    regulations: { new_made: 0, new_published: 0, total_published: 0 },
    normative_documents: { new_made: 12, new_published: 12, total_published: 1024 },
    licensing: { prev_items: 35, change: -8, decisions: 1520 },
    other_admin_services: { prev_items: 4, change: 0, decisions: 86 },
    punishment: { prev_items: 210, change: 3, decisions: 96 },
    coercion: { prev_items: 5, change: 0, decisions: 0 },
    fees: { prev_items: 2, change: 0 },
    procurement: { items: 14, amount_yuan: 2510000 },
  },
  table3: null,
  table4: null,
};
const t3 = seed('004_21925bfca89cb37b').table3!;
variants.table3 = t3;
variants.table4 = seed('004_21925bfca89cb37b').table4;
const variantsHtml = renderReportHtml(variants, { title: '（图文）嘉兴市经济和信息化局2020年度政府信息公开工作年度报告' })
  // header notes in brackets and line breaks, as local editions print them
  .replace(/<td>上一年项目数量<\/td>/g, '<td>上一年项目数量<br>(指2019年事项数)</td>')
  .replace(/<td>本年<br>增\/减<\/td>/g, '<td>本年增/减<br>（减用负值表示，如-8）</td>')
  .replace('<td>采购总金额</td>', '<td>采购总金额（万元）</td>')
  // full-width digits, thousands separator, dash meaning zero, units in cells, non-breaking spaces
  .replace('<td>规范性文件</td><td>12</td><td>12</td><td>1024</td>', '<td>规范性文件（含行政规范性文件）</td><td>１２</td><td>&nbsp;12&nbsp;</td><td>1,024</td>')
  .replace('<td>行政强制</td><td>5</td><td>0</td><td>0</td>', '<td>行政强制</td><td>5</td><td>—</td><td>-</td>')
  .replace('<td>政府集中采购</td><td>14</td><td colspan="2">2510000</td>', '<td>政府集中采购</td><td>14</td><td colspan="2">251万元</td>')
  .replace('<td>行政许可</td><td>35</td><td>-8</td>', '<td>行政许可</td><td>35</td><td>－8</td>')
  .replace('3.危及“三安全一稳定”', '3.危及"三安全一稳定"');
write('variants-2019', variantsHtml, variants);

console.log(`wrote fixtures to ${out}`);

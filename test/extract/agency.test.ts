/**
 * The agency's true name, through the public path (document bytes → extraction): labels that page
 * savers add are stripped, official short forms written out where the long form is the body's
 * official name, a county misprinted by one character corrected with a warning, and the printed
 * name kept beside the canonical one. Expected names are the ones the documents print (title,
 * footer) and the GB/T 2260 names of the places they name.
 */
import { describe, expect, it } from 'vitest';
import { extractBytes } from '../../src/extract/index.ts';
import { generateReport } from '../../testkit/reports/generate-report.ts';
import { renderReportHtml, reportTitle } from '../../testkit/reports/report-html.ts';
import { renderText } from '../../testkit/reports/report-text.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
const values = (agency: string) => ({ ...generateReport(1501, '2021'), agency, year: 2021 });

/** a report page whose title, publisher and body print the agency as given */
async function page(title: string, opts: { contentSource?: string; agency?: string } = {}) {
  const v = values(opts.agency ?? '');
  return extractBytes(utf8(renderReportHtml(v, { title, ...opts })), { file: 'page.html' });
}

/** a page text saved by another crawler: labelled title and publisher lines, then the report */
async function savedText(head: string[], agency: string) {
  const body = renderText(values(agency), { join: (cells) => cells.join('\t') }).split('\n').slice(1);
  return extractBytes(utf8([...head, ...body].join('\n')), { file: 'saved.txt' });
}

describe('the agency: labels a page saver adds are not part of it', () => {
  it('标题： before the title', async () => {
    const v = values('海宁市人民政府');
    const { output, agencyPrinted } = await savedText([`标题：${reportTitle(v)}`, '发布机构：海宁市人民政府'], '海宁市人民政府');
    expect(output.ok).toBe(true);
    expect(output.agency).toBe('海宁市人民政府');
    expect(output.year).toBe(2021);
    expect(output.agency_printed).toBeUndefined();
    expect(agencyPrinted).toBe('海宁市人民政府');
    expect(output.table3?.['new_received']?.['total']).toBe(v.table3!['new_received']!['total']);
  });

  it('a title naming no agency takes the labelled publisher line (发布机构：…), up to the next label', async () => {
    const { output } = await savedText(['标题：2021年度政府信息公开工作年度报告', '发布机构：海宁市司法局　发布日期：2022-01-20'], '海宁市司法局');
    expect(output.agency).toBe('海宁市司法局');
    expect(output.warnings.some((w) => w.startsWith('agency-unknown'))).toBe(false);
  });

  it('or from an information line that names it among other labels (发布日期：… 信息来源：X 浏览次数：…)', async () => {
    const { output } = await savedText(['2021年度政府信息公开工作年度报告', '发布日期：2022-01-20 09:30　信息来源：海宁市司法局　浏览次数：12'], '海宁市司法局');
    expect(output.agency).toBe('海宁市司法局');
  });

  it('来源： in the page publisher (ContentSource) is stripped', async () => {
    const { output } = await page('2021年度政府信息公开工作年度报告', { contentSource: '来源：海盐县人民政府', agency: '海盐县人民政府' });
    expect(output.agency).toBe('海盐县人民政府');
    expect(output.warnings.some((w) => w.startsWith('agency-from-source'))).toBe(true);
  });
});

describe('the agency: official short forms written out, the printed form kept', () => {
  it.each([
    ['海宁市政府', '海宁市人民政府'],
    ['浙江省政府办公厅', '浙江省人民政府办公厅'],
    ['杭州市卫健委', '杭州市卫生健康委员会'],
    ['北京市朝阳区发改委', '北京市朝阳区发展和改革委员会'],
    ['海宁市卫健局', '海宁市卫生健康局'],
    ['嘉兴市人社局', '嘉兴市人力资源和社会保障局'],
    ['北京市科委', '北京市科学技术委员会'],
    ['上海市教委', '上海市教育委员会'],
    ['北京市海淀区教委', '北京市海淀区教育委员会'],
  ])('%s → %s', async (printed, canonical) => {
    const e = await page(`${printed}2021年度政府信息公开工作年度报告`, { agency: printed });
    expect(e.output.agency).toBe(canonical);
    expect(e.output.agency_printed).toBe(printed);
    expect(e.agencyPrinted).toBe(printed);
  });

  it.each([
    // 科委 and 教委 are kept where the body is no longer (or never was) a commission: 杭州市科学技术局, 天津市科学技术局, 上海市浦东新区教育局
    '杭州市科委',
    '天津市科委',
    '上海市浦东新区教委',
    // no place before the short form: which body it is cannot be told
    '卫健委',
    // zones keep their printed names
    '宁波国家高新区管委会',
    '海盐县百步经济开发区（百步镇）',
  ])('%s is kept as printed', async (printed) => {
    const e = await page(`${printed}2021年度政府信息公开工作年度报告`, { agency: printed });
    expect(e.output.agency).toBe(printed);
    expect(e.output.agency_printed).toBeUndefined();
  });
});

describe('the agency: a place misprinted by one character', () => {
  it('is corrected inside the city printed before it, with a warning naming both', async () => {
    const e = await page('杭州市桐芦县人民政府2021年度政府信息公开工作年度报告', { agency: '杭州市桐芦县人民政府' });
    expect(e.output.agency).toBe('杭州市桐庐县人民政府');
    expect(e.output.agency_printed).toBe('杭州市桐芦县人民政府');
    const warning = e.output.warnings.find((w) => w.startsWith('agency-place-corrected:'));
    expect(warning).toContain('"桐芦县"');
    expect(warning).toContain('"桐庐县" (330122)');
  });

  it('is corrected by the division printed after it (抗州市西湖区: 杭州市, not 沧州市)', async () => {
    const e = await page('抗州市西湖区人民政府2021年度政府信息公开工作年度报告', { agency: '抗州市西湖区人民政府' });
    expect(e.output.agency).toBe('杭州市西湖区人民政府');
  });

  it('at the start of the name, by the one candidate the document names correctly elsewhere', async () => {
    // 海宇市 is one character off 海宁市, 海口市, 海安市 …: the page's body names 海宁市
    const v = values('海宁市人民政府');
    const html = renderReportHtml(v, { title: '海宇市人民政府2021年度政府信息公开工作年度报告' });
    const e = await extractBytes(utf8(html), { file: 'page.html' });
    expect(e.output.agency).toBe('海宁市人民政府');
    expect(e.output.agency_printed).toBe('海宇市人民政府');
    expect(e.output.warnings.some((w) => w.startsWith('agency-place-corrected:'))).toBe(true);
  });

  it('is left as printed when several divisions fit and the document names none of them', async () => {
    // 桐芦县: 桐庐县 (浙江), 桐柏县 (河南), 桐梓县 (贵州)
    const e = await page('桐芦县人民政府2021年度政府信息公开工作年度报告', { agency: '桐芦县人民政府' });
    expect(e.output.agency).toBe('桐芦县人民政府');
    expect(e.output.warnings.some((w) => w.startsWith('agency-place-corrected:'))).toBe(false);
  });

  it('leaves zones and towns alone (高新区 is not a misprinted 高港区)', async () => {
    for (const name of ['高新区管委会', '宁波市高新区管委会', '百步镇人民政府', '淮安市洪泽区人民政府', '下城区人民政府']) {
      const e = await page(`${name}2021年度政府信息公开工作年度报告`, { agency: name });
      expect(e.output.agency, name).toBe(name);
      expect(e.output.warnings.some((w) => w.startsWith('agency-place-corrected:')), name).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { decodeBody as decodeText } from '../../src/util/charset.ts';
import { matchLabel } from '../../src/extract/match/labels.ts';
import { findTitle } from '../../src/extract/match/title.ts';
import { normLabel, parseNumber } from '../../src/extract/normalize.ts';
import { TABLE2, TABLE3_ROWS } from '../../src/domain/template.ts';
import iconv from 'iconv-lite';

const row3 = (label: string) => matchLabel(normLabel(label), TABLE3_ROWS)?.item.code ?? null;

describe('number normalisation', () => {
  it.each([
    ['0', 0],
    [' 12 ', 12],
    ['１２３', 123],
    ['1,024', 1024],
    ['-8', -8],
    ['－8', -8],
    ['−3', -3],
    ['86500', 86500],
    ['0.5', 0.5],
    ['1054900元', 1054900],
    ['309486424 元', 309486424],
    ['—', 0],
    ['-', 0],
    ['无', 0],
  ])('%s → %s', (raw, value) => expect(parseNumber(raw)?.value).toBe(value));

  it('blank and not-applicable cells are null, never 0', () => {
    expect(parseNumber('')).toEqual({ value: null, kind: 'blank' });
    expect(parseNumber('\u00a0 ')).toEqual({ value: null, kind: 'blank' });
    expect(parseNumber('/')).toEqual({ value: null, kind: 'na' });
  });

  it('labels and text are not numbers', () => {
    expect(parseNumber('1.属于国家秘密')).toBeNull();
    expect(parseNumber('规章')).toBeNull();
    expect(parseNumber('12件事')).toBeNull();
  });

  it('keeps the unit printed in a cell', () => expect(parseNumber('251万元')).toEqual({ value: 251, kind: 'number', unit: '万元' }));
});

describe('label matching', () => {
  it.each([
    ['一、本年新收政府信息公开申请数量', 'new_received'],
    ['二、上年结转政府信息公开申请数量(须与2020年度年报结转数一致)', 'carried_over'],
    ['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 'partially_granted'],
    ['(二) 部分公开(区分处理的,只计这一情形,不计其他情形)', 'partially_granted'],
    ['3.危及“三安全一稳定”', 'withheld.security_stability'],
    ['3.危及"三安全一稳定"', 'withheld.security_stability'],
    ['2.其他法律行政止公开', 'withheld.prohibited_by_law'],
    ['(三) 不予公开1.属于国家秘密', 'withheld.state_secret'],
    ['三、本 年度办 理结果(四)无法提供1. 本机关不掌握相关', 'unavailable.not_held'],
    ['(六)其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', 'other.overdue_correction'],
    ['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', 'other.unpaid_fee'],
    ['（六）其他处理', 'other'],
    ['（七）总计', 'total'],
    ['四、结转下年度继续办理', 'carried_forward'],
    ['四、结转下一年度继续办理', 'carried_forward'],
    ['二、上一年度结转政府信息公开申请数量', 'carried_over'],
    ['一、本年度新收政府信息公开申请数量', 'new_received'],
    ['（七）合计', 'total'],
    ['申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量', 'new_received'],
  ])('%s → %s', (label, code) => expect(row3(label)).toBe(code));

  it('does not match unrelated text', () => {
    expect(row3('三、本年度办理结果')).toBeNull();
    expect(row3('（三）不予公开')).toBeNull();
  });

  it('matches table 2 rows with notes and 行政规范性文件 vs 规范性文件', () => {
    expect(matchLabel(normLabel('行政规范性文件'), TABLE2['2021'])?.item.code).toBe('normative_documents');
    expect(matchLabel(normLabel('规范性文件（含行政规范性文件）'), TABLE2['2019'])?.item.code).toBe('normative_documents');
    expect(matchLabel(normLabel('其他对外管理服务事项(指…)'), TABLE2['2019'])?.item.code).toBe('other_admin_services');
  });

  it('folds widths, quotes and spaces', () => expect(normLabel('（一） 予以\n公开 “x”')).toBe('(一)予以公开x'));
});

describe('agency and year from the title', () => {
  it.each([
    [['(图文)海宁市人民政府2023年度政府信息公开工作年度报告'], '海宁市人民政府', 2023],
    [['# 苍台镇人民政府 2023 年政府信息公开工作年度报 告'], '苍台镇人民政府', 2023],
    [['# 海盐县人民政府', '## 2020 年度政府信息公开工作年度报告'], '海盐县人民政府', 2020],
    [['# 2023年度政府信息公开 工作年度报告', '海盐县百步经济开发区（百步镇）'], '海盐县百步经济开发区（百步镇）', 2023],
    [['2022年度嘉兴市经济和信息化局政府信息公开工作年度报告'], '嘉兴市经济和信息化局', 2022],
    [['当前位置：首页 >> 政府信息公开年报 >> 2023年政府信息公开年报', '桐乡市人民政府２０２３年度政府信息公开工作年度报告'], '桐乡市人民政府', 2023],
    // a title wrapped in a narrow column (pdftotext -layout of a printed page)
    [['首页 >> 政府信息公开年报 >> 2020年政府信息公开年报', '', '海盐县人民政府2020年度政府信息公', '开工作年度报告', '发布日期：2021-01-20'], '海盐县人民政府', 2020],
  ])('%j', (lines, agency, year) => {
    const t = findTitle(lines as string[]);
    expect(t.agency).toBe(agency);
    expect(t.year).toBe(year);
  });

  it('falls back to the statistics period, then the publication year', () => {
    expect(findTitle(['某某局政府信息公开工作年度报告', '本报告所列数据的统计期限自2021年1月1日至2021年12月31日。']).year).toBe(2021);
    expect(findTitle(['某某局政府信息公开工作年度报告'], undefined, '2024-01-30 10:00')).toMatchObject({ year: 2023, yearSource: 'published' });
  });
});

describe('decoding', () => {
  it('decodes GBK pages declared as gb2312 with GB18030', () => {
    const bytes = iconv.encode('<meta charset="gb2312"><p>政府信息公开𠀀</p>', 'gb18030');
    expect(decodeText(bytes)).toContain('政府信息公开𠀀');
  });
  it('does not believe a declared charset the bytes contradict', () => {
    const gbkDeclaredUtf8 = iconv.encode('<meta charset="utf-8"><p>政府信息公开工作年度报告</p>', 'gb18030');
    expect(decodeText(gbkDeclaredUtf8)).toContain('政府信息公开工作年度报告');
    const utf8DeclaredGbk = Buffer.from('<meta charset="gbk"><p>政府信息公开工作年度报告</p>');
    expect(decodeText(utf8DeclaredGbk)).toContain('政府信息公开工作年度报告');
  });
  it('detects undeclared GBK', () => {
    expect(decodeText(iconv.encode('海宁市人民政府2023年度政府信息公开工作年度报告，本年新收政府信息公开申请数量', 'gbk'))).toContain('海宁市人民政府');
  });
});

import { describe, expect, it } from 'vitest';
import { recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';

describe('report titles', () => {
  it.each([
    ['(图文)海宁市人民政府2023年度政府信息公开工作年度报告', 2023, '海宁市人民政府'],
    ['海盐县沈荡镇2023年度政府信息公开工作年度报告(含图解)', 2023, '海盐县沈荡镇'],
    ['百步经济开发区(百步镇)2024年度政府信息公开工作年度报告', 2024, '百步经济开发区(百步镇)'],
    ['嘉兴市经济和信息化局2022年度政府信息公开工作年度报告', 2022, '嘉兴市经济和信息化局'],
    ['2023年上海市人民政府政府信息公开工作年度报告', 2023, '上海市人民政府'],
    ['浙江省2014年度政府信息公开工作报告', 2014, '浙江省'],
    ['杭州市人民政府 2017 年政府信息公开年度报告（图片版）', 2017, '杭州市人民政府'],
    ['宿州市2019年政府信息公开年报', 2019, '宿州市'],
  ])('recognises %s', (title, year, agency) => {
    const r = recogniseReportTitle(title);
    expect(r).not.toBeNull();
    expect(r?.year).toBe(year);
    expect(r?.agency).toBe(agency);
  });

  it.each([
    '关于做好2023年度政府信息公开工作年度报告编制发布工作的通知',
    '图解：海盐县人民政府2020年度政府信息公开工作年度报告',
    '政策解读：浙江省政府信息公开工作年度报告怎么看',
    '上海市2023年度区级政府信息公开工作年度报告汇总表',
    '浙江省2024年国民经济和社会发展统计公报',
    '海宁市政府信息公开工作年度报告', // no year: not guessed
    '杭州市2023年法治政府建设情况报告',
  ])('rejects %s', (title) => {
    expect(recogniseReportTitle(title)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { isOtherKindOfReport, recogniseReportTitle } from '../../../src/crawl/adapters/titles.ts';

// E = shared/evidence/zhejiang/pages-text/ (real report pages: URL + title), O = shared/evidence/other-provinces/
describe('report titles', () => {
  it.each([
    // [title, year, agency, evidence]
    ['(图文)海宁市人民政府2023年度政府信息公开工作年度报告', 2023, '海宁市人民政府', 'E/haining-2023.txt'],
    ['（图文）海宁市人民政府2023年度政府信息公开工作年度报告', 2023, '海宁市人民政府', 'E/haining-2023.txt, full-width brackets'],
    ['海盐县沈荡镇2023年度政府信息公开工作年度报告(含图解)', 2023, '海盐县沈荡镇', 'E/haiyan-shendang-2023.txt'],
    ['永嘉县人民政府2024年政府信息公开工作年度报告(图解版本)', 2024, '永嘉县人民政府', 'E/wenzhou-depts.txt'],
    ['2023年台州市投资促进中心政府信息公开工作年度报告(图文版)', 2023, '台州市投资促进中心', 'E/taizhou.txt'],
    ['舟山市人民政府政府信息公开工作年度报告(2020年度)', 2020, '舟山市人民政府', 'E/zhoushan-single-article-columns.txt'],
    ['舟山市人民政府政府信息公开工作年度报告（2020年度）', 2020, '舟山市人民政府', 'E/zhoushan-single-article-columns.txt, full-width'],
    ['舟山市人民政府2024年政府信息公开工作年度报告', 2024, '舟山市人民政府', 'E/zhoushan-single-article-columns.txt'],
    ['温州市人民政府2023年政府信息公开工作年度报告', 2023, '温州市人民政府', 'E/wenzhou-2023.txt'],
    ['温州市人力资源和社会保障局2023年政府信息公开工作年度报告', 2023, '温州市人力资源和社会保障局', 'E/wenzhou-depts.txt'],
    ['2024年丽水市政府信息公开工作年度报告', 2024, '丽水市', 'E/lishui-2024.txt'],
    ['宁波市2020年政府信息公开工作年度报告', 2020, '宁波市', 'E/ningbo-2020-mirror.txt'],
    ['浙江省水利厅2023年政府信息公开工作年度报告', 2023, '浙江省水利厅', 'E/province.txt'],
    ['浙江省2014年度政府信息公开工作报告', 2014, '浙江省', 'E/province.txt'],
    ['百步经济开发区(百步镇)2024年度政府信息公开工作年度报告', 2024, '百步经济开发区(百步镇)', 'notes portals-and-templates.md (haiyan col 1229449092)'],
    ['嘉兴市经济和信息化局2022年度政府信息公开工作年度报告', 2022, '嘉兴市经济和信息化局', 'E/jiaxing-2022.txt'],
    ['嘉兴市民政局2024年度政府信息公开工作年度报告', 2024, '嘉兴市民政局', 'E/jiaxing-2024.txt'],
    ['2023年上海市人民政府政府信息公开工作年度报告', 2023, '上海市人民政府', 'issue 12 / brief (year before the agency)'],
    ['杭州市人民政府 2017 年政府信息公开年度报告（图片版）', 2017, '杭州市人民政府', 'notes (spaces, 图片版)'],
    ['宿州市2019年政府信息公开年报', 2019, '宿州市', 'notes (年报)'],
    ['平潭综合实验区地方税务局2013年信息公开年度报告', 2013, '平潭综合实验区地方税务局', 'O/fujian-trs-fjdzapp.md (Pingtan column)'],
    ['平潭综合实验区2024年度政府信息公开工作年度报告', 2024, '平潭综合实验区', 'O/fujian-trs-fjdzapp.md'],
    // agencies whose names contain words of other report kinds are still reporting organs
    ['嘉兴市统计局2023年度政府信息公开工作年度报告', 2023, '嘉兴市统计局', 'agency name with 统计'],
    ['温州市审计局2023年政府信息公开工作年度报告', 2023, '温州市审计局', 'agency name with 审计'],
    ['中共杭州市委机构编制委员会办公室2023年度政府信息公开工作年度报告', 2023, '中共杭州市委机构编制委员会办公室', 'agency name with 编制'],
  ])('recognises %s (year %i, agency %s; %s)', (title, year, agency) => {
    const r = recogniseReportTitle(title);
    expect(r).not.toBeNull();
    expect(r?.year).toBe(year);
    expect(r?.agency).toBe(agency);
  });

  it.each([
    ['关于做好2023年度政府信息公开工作年度报告编制发布工作的通知', 'notice about reports'],
    ['关于2014年政府信息公开工作要点落实情况的函', 'O/fujian-trs-fjdzapp.md: noise in the Pingtan 年报 column'],
    ['图解：海盐县人民政府2020年度政府信息公开工作年度报告', 'infographic article (notes: 图解 as a separate article)'],
    ['一图读懂海宁市人民政府2023年度政府信息公开工作年度报告', 'infographic article'],
    ['政策解读：浙江省政府信息公开工作年度报告怎么看', 'interpretation'],
    ['上海市2023年度区级政府信息公开工作年度报告汇总表', 'summary table'],
    ['浙江省2024年国民经济和社会发展统计公报', 'statistics bulletin (replica filler news)'],
    ['海宁市政府信息公开工作年度报告', 'no year: not guessed'],
    ['杭州市2023年法治政府建设情况报告', '法治政府建设 (issue 12)'],
    ['温州市人民政府2023年度法治政府建设年度报告', '法治政府建设年度报告 (issue 12: columns mix them in) [title assumed]'],
    ['2023年度法治政府建设和政府信息公开工作年度报告', 'a combined report is another kind [assumed title]'],
    ['嘉兴市2024年政务公开工作要点', '政务公开工作要点 [assumed title; the kind: O/fujian-trs-fjdzapp.md]'],
    ['丽水市2023年政务公开工作年度报告及2024年工作要点', '工作要点 [assumed title; the kind: O/fujian-trs-fjdzapp.md]'],
    ['2023年政府信息公开统计年报', '统计年报 [assumed: no capture]'],
    ['嘉兴市民政局2023年度部门决算', '部门决算 [assumed: no capture]'],
    ['2024年度政府信息公开工作预决算公开', '预决算 [assumed: no capture]'],
    ['2023年政府信息公开工作总结', '工作总结 [assumed: no capture]'],
    ['2023年度政府信息公开工作绩效自评报告', '绩效 [assumed: no capture]'],
    ['关于2023年度政府信息公开工作年度报告的更正说明', 'correction notice [assumed: no capture]'],
    ['2023年度政府信息公开工作年度报告社会评议结果', 'evaluation [assumed: no capture]'],
  ])('rejects %s (%s)', (title) => {
    expect(recogniseReportTitle(title)).toBeNull();
  });

  it('names other kinds of annual report without rejecting agencies named after them', () => {
    expect(isOtherKindOfReport('温州市人民政府2023年度法治政府建设年度报告')).toBe(true);
    expect(isOtherKindOfReport('嘉兴市统计局2023年度政府信息公开工作年度报告')).toBe(false);
  });
});

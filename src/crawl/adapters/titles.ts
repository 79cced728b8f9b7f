/**
 * Recognising annual-report links by their titles. Portals list reports among news, notices about
 * reports, infographics and other kinds of annual report, so the title decides: it must name
 * (政府)信息公开, a report (年度报告 / 年报 / 工作报告) and a year, and must not be one of the other
 * kinds of report that annual-report columns mix in (OTHER_KIND below); the year and the agency
 * are read from it. Titles state the report year (统计期限), not the publish year, so no
 * "publish year − 1" guess is needed when a year is printed.
 *
 * Title forms seen on real portals (evidence: shared/evidence/zhejiang/pages-text/, notes
 * portals-and-templates.md "Titles"):
 *   〈机关〉〈YYYY〉年度政府信息公开工作年度报告        jiaxing-2022.txt, haiyan-shendang-2023.txt
 *   〈机关〉〈YYYY〉年政府信息公开工作年度报告          wenzhou-2023.txt, province.txt (浙江省水利厅)
 *   〈YYYY〉年〈机关〉政府信息公开工作年度报告          lishui-2024.txt, taizhou.txt, 上海 2023
 *   〈机关〉政府信息公开工作年度报告(〈YYYY〉年度)      zhoushan-single-article-columns.txt
 *   〈机关〉〈YYYY〉年度政府信息公开工作报告 / …年报    province.txt (浙江省2014年度…), notes (宿州 2019)
 *   〈机关〉〈YYYY〉年信息公开年度报告                  Pingtan column (other-provinces/fujian-trs-fjdzapp.md)
 * with decorations in front or behind: (图文) haining-2023.txt, (含图解) haiyan-shendang-2023.txt,
 * (图解版本) wenzhou-depts.txt, (图文版) taizhou.txt, （图片版） notes (宿州), （超链版） notes (黄浦).
 */

export interface ReportTitle {
  /** the title as listed, whitespace collapsed */
  title: string;
  year: number;
  agency: string | null;
}

const OPEN = '[（(【\\[〔［]';
const CLOSE = '[）)】\\]〕］]';
// "(图文)" "（图片版）" "【超链版】" "(图解版本)" … in front of or behind the title: a report published
// with an infographic is still the report (a bare "图解：…" article is not, see NOT_A_REPORT)
const DECORATION = new RegExp(`${OPEN}\\s*(?:图文版?|图片版|超链版|超链接版|含图解|附图解|图解版本?|文字版|PDF版|pdf版|全文|正式版|修订版|更正版|最新)\\s*${CLOSE}`, 'g');
// "…年度报告(2020年度)": the year in a bracket behind the report word (zhoushan-single-article-columns.txt)
const TRAILING_YEAR = new RegExp(`${OPEN}\\s*((?:19|20)\\d{2})\\s*年度?\\s*${CLOSE}$`);
const REPORT_WORD = /信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开(?:工作)?年度报告/;
// an article about a report, not the report
const NOT_A_REPORT = /图解|解读|一图读懂|读懂|关于.*(?:通知|函|公告|说明|意见)$|专题|汇总表|统计表$|目录$|征集|评议|考核|通报|排名|抽查|报送|撤回|更正说明|勘误|附件\d*$/;
/**
 * Other kinds of annual report that annual-report columns and listings mix in. Each phrase is
 * specific enough not to hit an agency's name (统计局, 审计局, 国资委, 信访局, 编办 publish real
 * reports: 统计, 审计, 信访, 编制 alone are not reasons).
 * Evidence: issue 12 (法治政府建设年度报告 in report columns), other-provinces/PLATFORMS.md and
 * fujian-trs-fjdzapp.md (Pingtan column: 关于2014年政府信息公开工作要点落实情况的函), the existing
 * test of 杭州市2023年法治政府建设情况报告; the rest are the yearly reports a government publishes
 * in the same 法定主动公开内容 tree (budgets, statistics, performance, work summaries) [assumed:
 * no capture shows them inside an annual-report column].
 */
const OTHER_KIND =
  /法治政府建设|依法行政|法治建设|工作要点|政务公开要点|统计年报|统计公报|统计年鉴|统计报表|国民经济和社会发展|预算|决算|预决算|绩效|工作总结|述职|审计(?:工作)?报告|审计结果|国有资产管理情况|环境状况公报|社会责任报告|企业年报|年报公示|年度报告公示|人大代表建议|政协提案/;

export function normaliseTitle(s: string): string {
  return s.replace(/[\s\u3000\u00a0]+/g, '').trim();
}

/** Whether a title names another kind of annual report (法治政府建设, 决算, 统计年报…). */
export function isOtherKindOfReport(raw: string): boolean {
  return OTHER_KIND.test(normaliseTitle(raw));
}

export function recogniseReportTitle(raw: string): ReportTitle | null {
  const title = normaliseTitle(raw);
  if (!title.includes('信息公开') && !title.includes('政务公开')) return null;
  let bare = title.replace(DECORATION, '');
  if (!REPORT_WORD.test(bare)) return null;
  if (NOT_A_REPORT.test(bare) || OTHER_KIND.test(bare)) return null;
  const trailing = TRAILING_YEAR.exec(bare);
  if (trailing) {
    // 〈机关〉政府信息公开工作年度报告(〈YYYY〉年度)
    bare = bare.slice(0, trailing.index);
    const cut = bare.search(/政府信息公开|政务公开|信息公开/);
    return { title, year: Number(trailing[1]), agency: cut > 0 ? bare.slice(0, cut) : null };
  }
  const m = /((?:19|20)\d{2})\s*年度?/.exec(bare);
  if (!m) return null;
  const year = Number(m[1]);
  const before = bare.slice(0, m.index).replace(/[：:、，,\-—_\s]+$/, '');
  let agency: string | null = before || null;
  if (!agency) {
    // 〈YYYY〉年度〈机关〉政府信息公开…
    const after = bare.slice(m.index + m[0].length);
    const cut = after.search(/政府信息公开|政务公开|信息公开/);
    agency = cut > 0 ? after.slice(0, cut) : null;
  }
  return { title, year, agency };
}

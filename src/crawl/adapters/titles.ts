/**
 * Recognising annual-report links by their titles. Portals list reports among news, notices about
 * reports and infographics, so the title decides: it must name 政府信息公开, a report (年度报告 /
 * 年报 / 工作报告) and a year; the year and the agency are read from it. Titles state the report
 * year (统计期限), not the publish year, so no "publish year − 1" guess is needed when a year is printed.
 */

export interface ReportTitle {
  /** the title as listed, whitespace collapsed */
  title: string;
  year: number;
  agency: string | null;
}

// "(图文)" "（图片版）" "【超链版】" … in front of or behind the title
const DECORATION = /[（(【\[〔](?:图文|图片版|超链版|含图解|图解版|文字版|PDF版|pdf版|全文)[）)】\]〕]/g;
const REPORT_WORD = /政府信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开(?:工作)?年度报告/;
const NOT_A_REPORT = /图解|解读|一图读懂|关于.*(?:通知|函|公告)$|专题|汇总表|目录$|征集/;

export function normaliseTitle(s: string): string {
  return s.replace(/[\s\u3000\u00a0]+/g, '').trim();
}

export function recogniseReportTitle(raw: string): ReportTitle | null {
  const title = normaliseTitle(raw);
  if (!title.includes('政府信息公开') && !title.includes('政务公开')) return null;
  const bare = title.replace(DECORATION, '');
  if (!REPORT_WORD.test(bare)) return null;
  if (NOT_A_REPORT.test(bare)) return null;
  const m = /((?:19|20)\d{2})\s*年度?/.exec(bare);
  if (!m) return null;
  const year = Number(m[1]);
  const before = bare.slice(0, m.index).replace(/[：:、，,\-—_\s]+$/, '');
  let agency: string | null = before || null;
  if (!agency) {
    // 〈YYYY〉年度〈机关〉政府信息公开…
    const after = bare.slice(m.index + m[0].length);
    const cut = after.search(/政府信息公开|政务公开/);
    agency = cut > 0 ? after.slice(0, cut) : null;
  }
  return { title, year, agency };
}

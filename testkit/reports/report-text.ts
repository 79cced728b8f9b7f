/**
 * A generated report rendered as a converter prints it to text: one line per table row, cells
 * joined by the layout's separator, with the artefacts a layout asks for.
 */
import { APPLICANT_CODES, TABLE2, TABLE4_GROUPS, TABLE4_OUTCOMES, table3Rows } from '../../src/domain/template.ts';
import { reportTitle, type ReportValues } from './report-html.ts';

export interface Layout {
  join: (cells: string[]) => string;
  subtotal?: boolean;
  splitTable4?: boolean;
  wrapLabels?: boolean;
  /** long row labels broken around their numbers: first line, the numbers, the rest of the label */
  wrapAround?: boolean;
  /** rowspan labels repeated in every row they span, as converters that fill merged cells print them */
  fillDown?: boolean;
  /** table 3 broken by a page: footer, page number and the repeated header between its halves */
  pageBreak?: boolean;
  /** table 4 as one labelled row per proceeding under one header of the five outcomes */
  table4Rows?: boolean;
}

export function renderText(v: ReportValues, layout: Layout): string {
  const out: string[] = [reportTitle(v), '一、总体情况', '本年度依法做好政府信息公开工作。', '二、主动公开政府信息情况'];
  const row = (cells: (string | number | null | undefined)[]) => out.push(layout.join(cells.map((c) => String(c ?? ''))));
  let item = '';
  for (const r of TABLE2[v.template]) {
    if (r.item !== item) {
      item = r.item;
      row([`第二十条第${item}项`]);
      row(['信息内容', ...r.columns.map((c) => c.label)]);
    }
    row([r.label, ...r.columns.map((c) => v.table2![r.code]![c.code])]);
  }
  out.push('三、收到和处理政府信息公开申请情况');
  row(['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况']);
  row(['自然人', '法人或其他组织', '总计']);
  row(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', ...(layout.subtotal ? ['小计'] : [])]);
  const t3 = v.table3!;
  const values = (code: string) => {
    const vals = APPLICANT_CODES.map((a) => t3[code]![a]!);
    if (!layout.subtotal) return vals;
    return [...vals.slice(0, 6), vals.slice(1, 6).reduce((s, x) => s + x, 0), vals[6]!];
  };
  let group = '';
  const header = () => {
    row(['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况']);
    row(['自然人', '法人或其他组织', '总计']);
    row(['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他']);
  };
  for (const r of table3Rows(v.template)) {
    if (layout.pageBreak && r.code === 'unavailable.not_held') {
      out.push('- 3 -', `${v.agency}政府信息公开工作年度报告`);
      header();
    }
    if (layout.fillDown) {
      const groups = r.group ? (r.group.startsWith('（') ? ['三、本年度办理结果', r.group] : [r.group]) : [];
      row([...groups, r.label, ...values(r.code)]);
      continue;
    }
    if (layout.subtotal && r.group?.startsWith('（') && r.group !== group) {
      group = r.group;
      const members = table3Rows(v.template).filter((m) => m.group === group).map((m) => values(m.code));
      row([group, ...members[0]!.map((_, k) => members.reduce((s, m) => s + m[k]!, 0))]);
    }
    if (layout.wrapAround && r.label.length > 12) {
      row([r.label.slice(0, 11)]);
      row(['', ...values(r.code)]);
      row([r.label.slice(11)]);
    } else if (layout.wrapLabels && r.label.length > 12) {
      row([r.label.slice(0, 8)]);
      row([r.label.slice(8), ...values(r.code)]);
    } else {
      row([r.label, ...values(r.code)]);
    }
  }
  out.push('四、政府信息公开行政复议、行政诉讼情况');
  const t4 = v.table4!;
  if (layout.table4Rows) {
    row(['', ...TABLE4_OUTCOMES.map((o) => o.label)]);
    for (const g of TABLE4_GROUPS) row([g.label, ...TABLE4_OUTCOMES.map((o) => t4[g.code]![o.code])]);
  } else if (layout.splitTable4) {
    for (const g of TABLE4_GROUPS) {
      row([g.label]);
      row(TABLE4_OUTCOMES.map((o) => o.label));
      row(TABLE4_OUTCOMES.map((o) => t4[g.code]![o.code]));
    }
  } else {
    row(['行政复议', '行政诉讼']);
    row(['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '未经复议直接起诉', '复议后起诉']);
    row([...TABLE4_OUTCOMES, ...TABLE4_OUTCOMES].map((o) => o.label));
    row(TABLE4_GROUPS.flatMap((g) => TABLE4_OUTCOMES.map((o) => t4[g.code]![o.code])));
  }
  out.push('五、存在的主要问题及改进情况', '解读形式有待丰富。', '六、其他需要报告的事项', '无。');
  return out.join('\n');
}

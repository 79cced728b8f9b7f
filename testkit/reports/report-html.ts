/**
 * Renders report values as a Hanweb jcms article page with the template's tables laid out as
 * the real pages lay them out (rowspan/colspan, band rows, header line breaks): the replica
 * portals, the HTML fixtures and the benchmark all publish reports through this one function.
 */
import {
  APPLICANTS,
  TABLE2,
  TABLE4_GROUPS,
  TABLE4_OUTCOMES,
  table3OutcomeRows,
  table3Rows,
  type TemplateVersion,
} from '../../src/domain/template.ts';

export interface ReportValues {
  agency: string;
  year: number;
  template: TemplateVersion;
  table2: Record<string, Record<string, number | null>> | null;
  table3: Record<string, Record<string, number | null>> | null;
  table4: Record<string, Record<string, number | null>> | null;
}

export interface RenderOptions {
  title?: string;
  agency?: string;
  publishedAt?: string;
  contentSource?: string;
  attachments?: { href: string; name: string }[];
  /** write numbers split across inline tags, as some editors do: <span>5</span><font>05</font> */
  splitNumbers?: boolean;
  /** body container id/class: real sites use #zoom, .TRS_Editor, #ivs_content … */
  container?: 'zoom' | 'TRS_Editor' | 'ivs_content';
  /** leave tables out (e.g. the tables are in an attachment) */
  omitTables?: boolean;
  /** show the tables as these pictures instead (src of tables 2, 3 and 4) */
  tableImages?: [string, string, string];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function num(v: number | null | undefined, split: boolean): string {
  if (v === null || v === undefined) return '&nbsp;';
  const s = String(v);
  if (!split || s.length < 2) return s;
  const cut = Math.ceil(s.length / 2);
  return `<span>${s.slice(0, cut)}</span><font>${s.slice(cut)}</font>`;
}

const td = (content: string, attrs = ''): string => `<td${attrs ? ' ' + attrs : ''}>${content}</td>`;
const tr = (cells: string[]): string => `<tr>${cells.join('')}</tr>`;

function table2Html(v: ReportValues, split: boolean): string {
  const rows = TABLE2[v.template];
  const t = v.table2 ?? {};
  const width = 4;
  const out: string[] = [];
  let item = '';
  for (const row of rows) {
    if (row.item !== item) {
      item = row.item;
      out.push(tr([td(`第二十条第${item}项`, `colspan="${width}"`)]));
      const heads = row.columns.map((c) => c.label.replace(/^本年/, '本年<br>'));
      const span = width - 1 - heads.length;
      out.push(tr([td('信息内容'), ...heads.map((h, i) => td(h, i === heads.length - 1 && span > 0 ? `colspan="${span + 1}"` : ''))]));
    }
    const values = row.columns.map((c) => num(t[row.code]?.[c.code], split));
    const span = width - 1 - values.length;
    out.push(tr([td(row.label), ...values.map((h, i) => td(h, i === values.length - 1 && span > 0 ? `colspan="${span + 1}"` : ''))]));
  }
  return `<table border="1" cellspacing="0">${out.join('\n')}</table>`;
}

function table3Html(v: ReportValues, split: boolean): string {
  const t = v.table3 ?? {};
  const rows = table3Rows(v.template);
  const out: string[] = [];
  out.push(tr([
    td('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', 'colspan="3" rowspan="3"'),
    td('申请人情况', 'colspan="7"'),
  ]));
  out.push(tr([td('自然人', 'rowspan="2"'), td('法人或其他组织', 'colspan="5"'), td('总计', 'rowspan="2"')]));
  out.push(tr(APPLICANTS.slice(1, 6).map((a) => td(a.label))));
  const vals = (code: string) => APPLICANTS.map((a) => td(num(t[code]?.[a.code], split)));
  // 三、本年度办理结果 spans every row from （一）予以公开 to （七）总计
  const outcomeCount = table3OutcomeRows(v.template).length + 1;
  let group: string | undefined;
  for (const row of rows) {
    const cells: string[] = [];
    if (row.code === 'granted') cells.push(td('三、本年度办理结果', `rowspan="${outcomeCount}"`));
    if (row.code === 'new_received' || row.code === 'carried_over' || row.code === 'carried_forward') {
      out.push(tr([td(row.label, 'colspan="3"'), ...vals(row.code)]));
      continue;
    }
    const sub = row.group && row.group.startsWith('（') ? row.group : undefined;
    if (sub) {
      if (sub !== group) {
        group = sub;
        const n = rows.filter((r) => r.group === sub).length;
        cells.push(td(sub, `rowspan="${n}"`));
      }
      cells.push(td(row.label));
    } else {
      group = undefined;
      cells.push(td(row.label, 'colspan="2"'));
    }
    out.push(tr([...cells, ...vals(row.code)]));
  }
  return `<table border="1" cellspacing="0">${out.join('\n')}</table>`;
}

function table4Html(v: ReportValues, split: boolean): string {
  const t = v.table4 ?? {};
  const out: string[] = [];
  out.push(tr([td('行政复议', 'colspan="5"'), td('行政诉讼', 'colspan="10"')]));
  out.push(tr([...TABLE4_OUTCOMES.map((o) => td(o.label.replace(/^(..)/, '$1<br>'), 'rowspan="2"')), td('未经复议直接起诉', 'colspan="5"'), td('复议后起诉', 'colspan="5"')]));
  out.push(tr([...TABLE4_OUTCOMES, ...TABLE4_OUTCOMES].map((o) => td(o.label))));
  out.push(tr(TABLE4_GROUPS.flatMap((g) => TABLE4_OUTCOMES.map((o) => td(num(t[g.code]?.[o.code], split))))));
  return `<table border="1" cellspacing="0">${out.join('\n')}</table>`;
}

export function reportTitle(v: ReportValues): string {
  return `${v.agency}${v.year}年度政府信息公开工作年度报告`;
}

/** One table alone on a page, ruled, for rendering as a picture of the table. */
export function renderTableHtml(v: ReportValues, table: 'table2' | 'table3' | 'table4'): string {
  const html = table === 'table2' ? table2Html(v, false) : table === 'table3' ? table3Html(v, false) : table4Html(v, false);
  // small type, so that table 3 fits one page and no number wraps in its column
  const ruled = html
    .replace('<table border="1" cellspacing="0">', '<table border="1" cellspacing="0" cellpadding="3" width="100%" style="border-collapse:collapse">')
    .replace(/<td/g, '<td style="font-size:8pt"');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${ruled}</body></html>`;
}

export function renderReportHtml(v: ReportValues, opts: RenderOptions = {}): string {
  const title = opts.title ?? reportTitle(v);
  const split = opts.splitNumbers ?? false;
  const agency = opts.agency ?? v.agency;
  const pub = opts.publishedAt ?? `${v.year + 1}-01-20 09:30`;
  const container = opts.container ?? 'zoom';
  const open = container === 'TRS_Editor' ? '<div class="TRS_Editor">' : `<div id="${container}">`;
  const attachments = (opts.attachments ?? [])
    .map((a) => `<p><a href="${esc(a.href)}">${esc(a.name)}</a></p>`)
    .join('\n');
  const picture = (i: number) => `<p style="text-align:center"><img src="${esc(opts.tableImages![i]!)}" alt="表${i + 2}" border="0"></p>`;
  const tables = opts.omitTables
    ? ''
    : `<p>二、主动公开政府信息情况</p>
${opts.tableImages ? picture(0) : table2Html(v, split)}
<p>三、收到和处理政府信息公开申请情况</p>
${opts.tableImages ? picture(1) : v.table3 ? table3Html(v, split) : ''}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
${opts.tableImages ? picture(2) : v.table4 ? table4Html(v, split) : ''}`;
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<meta name="ArticleTitle" content="${esc(title)}">
<meta name="PubDate" content="${esc(pub)}">
<meta name="ContentSource" content="${esc(opts.contentSource ?? agency)}">
<meta name="ColumnName" content="政府信息公开年报">
</head>
<body>
<div class="header"><a href="/">首页</a> &gt;&gt; 政府信息公开年报 &gt;&gt; ${v.year}年政府信息公开年报</div>
<div class="article">
<h1 class="title">${esc(title)}</h1>
<div class="info">发布日期：${esc(pub)} 信息来源：${esc(agency)} 浏览次数：<span id="c">12</span></div>
${open}
<p>本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限自${v.year}年1月1日至${v.year}年12月31日。</p>
<p>一、总体情况</p>
<p>${v.year}年，${esc(agency)}认真贯彻落实政务公开工作部署。</p>
${tables}
<p>五、存在的主要问题及改进情况</p>
<p>政策解读形式仍需丰富。</p>
<p>六、其他需要报告的事项</p>
<p>本年度未收取信息处理费。</p>
${attachments}
</div>
</div>
<div class="footer">主办单位：${esc(agency)}</div>
</body>
</html>
`;
}

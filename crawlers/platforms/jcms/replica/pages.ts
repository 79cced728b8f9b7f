/**
 * HTML and XML of the replica portals, written the way the real Hanweb pages are (notes A.1): jcms column pages embed the first group of records in a `<datastore>` inside
 * `<script type="text/xml">`, followed by the jpage initialiser that names the data proxy and its
 * parameters; proxy responses are `<datastore>` XML; jpaas columns are JS shells.
 */
import { reportsIn, reportTitleOf, type Mode, type ReplicaReport } from '../../../../testkit/replay/replica-reports.ts';
import type { ExtraLink, ReplicaColumn, ReplicaHost } from './schema.ts';

export interface ListEntry {
  href: string;
  title: string;
  date: string;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const FILLER_TITLES = [
  '关于印发〈{c}数字政府建设实施方案〉的通知',
  '{c}2024年国民经济和社会发展统计公报',
  '关于做好{y}年度政府信息公开工作年度报告编制发布工作的通知',
  '{c}人民政府办公室关于调整部分议事协调机构的通知',
  '{c}政务公开工作要点',
  '政策解读：{c}政府信息公开工作年度报告怎么看',
  '{c}{y}年法治政府建设情况报告',
  '{c}重大行政决策事项目录',
];

/** Dates going back from mid-2025 in 9-day steps: newer than most reports, so reports sit behind the first group. */
function fillerDate(i: number): string {
  const d = new Date(Date.UTC(2025, 5, 30) - i * 9 * 86400_000);
  return d.toISOString().slice(0, 10);
}

function artPath(date: string, col: string, id: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return `/art/${y}/${m}/${d}/art_${col}_${id}.html`;
}

/** The column's listing, newest first: reports, extra links and filler news. */
export function columnEntries(host: ReplicaHost, col: ReplicaColumn, mode: Mode): ListEntry[] {
  const city = host.siteName.replace(/门户网站$/, '').replace(/人民政府$/, '');
  const entries: ListEntry[] = [];
  for (const r of reportsIn(col.reports, mode)) entries.push({ href: r.listedPath ?? r.path, title: reportTitleOf(r), date: r.pub.slice(0, 10) });
  for (const e of col.extra ?? []) entries.push({ href: e.href, title: e.title, date: e.date });
  for (let i = 0; i < col.fillers; i++) {
    const date = fillerDate(i);
    const tpl = FILLER_TITLES[i % FILLER_TITLES.length] ?? '';
    entries.push({ href: artPath(date, col.id, 7_000_000 + i), title: tpl.replace('{c}', city).replace('{y}', date.slice(0, 4)), date });
  }
  return entries.sort((a, b) => b.date.localeCompare(a.date));
}

function shortText(title: string): string {
  return title.length > 24 ? `${title.slice(0, 22)}...` : title;
}

export function recordHtml(e: ListEntry, style: ReplicaColumn['records']): string {
  const a = `<a href='${esc(e.href)}' title='${esc(e.title)}' target='_blank'>${esc(shortText(e.title))}</a>`;
  if (style === 'tr') return `<table width="100%" cellspacing="0"><tr><td class="bt_link">${a}</td><td width="90" class="bt_time">[${e.date}]</td></tr></table>`;
  if (style === 'li.clearfix') return `<li class="clearfix">${a}<span class="time">${e.date}</span></li>`;
  return `<li>${a}<span>${e.date}</span></li>`;
}

function recordset(entries: ListEntry[], style: ReplicaColumn['records']): string {
  return `<recordset>\n${entries.map((e) => `<record><![CDATA[\n${recordHtml(e, style)}\n]]></record>`).join('\n')}\n</recordset>`;
}

export function nextgroupHref(host: ReplicaHost, col: ReplicaColumn, page: number): string {
  return `/module/web/jpage/dataproxy.jsp?page=${page}&appid=1&webid=${host.webid}&path=/&columnid=${col.id}&unitid=${col.unitid}&webname=${encodeURIComponent(host.siteName)}&permissiontype=0`;
}

function shell(title: string, body: string, host: ReplicaHost): string {
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="SiteName" content="${esc(host.siteName)}">
<meta name="SiteDomain" content="${host.host}">
<meta name="ColumnName" content="${esc(title)}">
<title>${esc(title)}_${esc(host.siteName)}</title>
</head>
<body>
<div class="top"><a href="/">首页</a> <a href="/col/col${host.xxgkCol}/index.html">政府信息公开</a> <a href="/col/col1229000001/index.html">新闻中心</a></div>
${body}
<div class="footer">主办：${esc(host.siteName.replace(/门户网站$/, '办公室'))}</div>
</body>
</html>
`;
}

export function homePage(host: ReplicaHost): string {
  const nav =
    host.discovery === 'two-step'
      ? `<a href="/col/col${Number(host.xxgkCol) - 1}/index.html">政务公开</a>`
      : `<a href="/col/col${host.xxgkCol}/index.html">政府信息公开</a>`;
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(host.siteName)}</title></head>
<body>
<div class="nav"><a href="/">首页</a> <a href="/col/col1229000001/index.html">要闻动态</a> ${nav} <a href="/col/col1229000003/index.html">办事服务</a> <a href="/col/col1229000004/index.html">互动交流</a></div>
<div class="banner"><a href="/art/2025/6/1/art_1229000001_9000001.html" title="深入推进数字化改革">深入推进数字化改革</a></div>
</body></html>
`;
}

/** 政务公开 page of two-step portals: links on to 政府信息公开. */
export function openGovPage(host: ReplicaHost): string {
  return shell('政务公开', `<div class="left"><a href="/col/col${host.xxgkCol}/index.html">政府信息公开</a> <a href="/col/col1229000010/index.html">政策文件</a> <a href="/col/col1229000011/index.html">新闻发布会</a></div>`, host);
}

/** 政府信息公开 page: the directory whose links lead to the annual-report column(s). */
export function disclosurePage(host: ReplicaHost): string {
  const cols = host.columns.filter((c) => !c.child).map((c) => `<li><a href="/col/col${c.id}/index.html">${esc(/年报|报告/.test(c.name) ? c.name : `政府信息公开年报（${c.name}）`)}</a></li>`).join('\n');
  return shell(
    '政府信息公开',
    `<div class="xxgk-nav"><ul>
<li><a href="/col/col1229000020/index.html">政府信息公开指南</a></li>
<li><a href="/col/col1229000021/index.html">政府信息公开制度</a></li>
<li><a href="/col/col1229000022/index.html">法定主动公开内容</a></li>
${cols}
<li><a href="/col/col1229000023/index.html">依申请公开</a></li>
</ul></div>`,
    host,
  );
}

/** records per GET proxy page and per jpaas page (gxt: 940 records on 63 pages, i.e. 15: jiangsu-gxt-dataproxy-excerpt.xml) */
export function perPageOf(col: ReplicaColumn): number {
  return col.perPage ?? 15;
}

export const JPAAS_TPLSET = 'a7f0c3d2e1b94c5d8e6f';
/** the unit scripts of a jpaas shell: header, list, footer (miit-jpaas-shell.html shows the script; the framing units are assumed) */
export const JPAAS_UNITS = [
  { tag: '页头', list: false },
  { tag: '分页列表', list: true },
  { tag: '页脚', list: false },
];

function jpaasUnitScript(host: ReplicaHost, col: ReplicaColumn, tag: string, i: number): string {
  const q = `{'parseType':'bulidstatic','webId':'${host.webid}','tplSetId':'${JPAAS_TPLSET}','pageType':'column','tagId':'${tag}','editType':'null','pageId':'${col.id}'}`;
  return `<script id="unit${col.id}${i}" src="/cms_files/default/script/AuthorizedRead/unitbuild.js?v=3.1.3" webId="${host.webid}" parseType="bulidstatic" url="/api-gateway/jpaas-publish-server/front/page/build/unit" queryData="${q}"></script>`;
}

export function columnPage(host: ReplicaHost, col: ReplicaColumn, mode: Mode): string {
  const entries = columnEntries(host, col, mode);
  const nav = col.nav ? `<div class="left-nav">${col.nav.map((n) => `<a href="/col/col${n.id}/index.html">${esc(n.name)}</a>`).join(' ')}</div>` : '';
  // sub-columns whatever their names (pages-text/wenzhou-2023.txt, wenzhou-depts.txt)
  const sub = col.sub ? `<ul class="sub-columns">${col.sub.map((n) => `<li><a href="/col/col${n.id}/index.html">${esc(n.name)}</a></li>`).join('')}</ul>` : '';
  const crumb = col.crumb
    ? `<div class="crumb">您现在的位置:<a href="/">首页</a> &gt; ${col.crumb.map(esc).join(' &gt; ')}</div>`
    : `<div class="crumb"><a href="/">首页</a> &gt; 政务公开 &gt; 政府信息公开 &gt; ${esc(col.name)}</div>`;
  if (col.paging === 'jpaas') {
    // a JS shell with one unit script per unit: header, list, footer (miit-jpaas-shell.html)
    return shell(
      col.name,
      `${crumb}
${sub}
<div class="head-unit">${jpaasUnitScript(host, col, JPAAS_UNITS[0]!.tag, 0)}</div>
<div class="clist_con">${jpaasUnitScript(host, col, JPAAS_UNITS[1]!.tag, 1)}</div>
<div class="foot-unit">${jpaasUnitScript(host, col, JPAAS_UNITS[2]!.tag, 2)}</div>`,
      host,
    );
  }
  const first = entries.slice(0, col.group);
  // the column page's <nextgroup> is a page=1 template of the GET proxy (dingxi-column-datastore.xml)
  const next = col.paging === 'nextgroup' ? `<nextgroup><![CDATA[<a href="${nextgroupHref(host, col, 1)}"></a>]]></nextgroup>\n` : '';
  // upgraded: the page's jpage call does not name its proxy (assumed), the host has only the web path (jshrss-dataproxy-writeup.md)
  const proxy = col.paging === 'nextgroup' ? `proxyUrl: '/module/web/jpage/dataproxy.jsp', ` : col.paging === 'upgraded' ? '' : `proxyUrl: '/module/jpage/dataproxy.jsp', `;
  return shell(
    col.name,
    `${crumb}
${nav}
${sub}
<div class="lm-list"><div id="${col.unitid}"><script type="text/xml"><datastore>
${next}${recordset(first, col.records)}
</datastore></script></div></div>
<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>
<script language="javascript">
$(document).ready(function () {
  $('#${col.unitid}').jpage({
    ${col.hideTotal ? '' : `totalRecord: ${entries.length}, `}perPage: 15, groupSize: 3, ${proxy}dataStore: dataStore,
    ajaxParam: { col: 1, appid: 1, webid: ${host.webid}, path: '/', columnid: ${col.id}, sourceContentType: 1, unitid: ${col.unitid}, webname: '${esc(host.siteName)}', permissiontype: 0 }
  });
});
</script>`,
    host,
  );
}

/** Classic proxy answer: records from..to (1-based, inclusive). */
export function classicProxyXml(host: ReplicaHost, col: ReplicaColumn, mode: Mode, from: number, to: number, perpage: number): string {
  const entries = columnEntries(host, col, mode);
  const pages = Math.max(1, Math.ceil(entries.length / Math.max(1, perpage)));
  return `<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>${entries.length}</totalrecord>
<totalpage>${pages}</totalpage>
${recordset(entries.slice(Math.max(0, from - 1), Math.max(0, to)), col.records)}
</datastore>
`;
}

/**
 * GET proxy answer for `page` (1-based): perPage records, `<totalrecord>`/`<totalpage>` and no
 * `<nextgroup>` (jiangsu-gxt-dataproxy-excerpt.xml, jshrss-dataproxy-writeup.md). Past the last page: an empty recordset (assumed).
 */
export function groupProxyXml(host: ReplicaHost, col: ReplicaColumn, mode: Mode, page: number): string {
  const entries = columnEntries(host, col, mode);
  const per = perPageOf(col);
  const start = (page - 1) * per;
  return `<?xml version="1.0" encoding="UTF-8"?>
<datastore><totalrecord>${entries.length}</totalrecord><totalpage>${Math.max(1, Math.ceil(entries.length / per))}</totalpage>
${recordset(entries.slice(start, start + per), col.records)}
</datastore>
`;
}

/**
 * A jpaas unit answer: JSON {"success":true,"data":{"html":…}} (miit-jpaas-unit-response.json). The
 * list unit serves page pageNo of pageSize (paramJson, zj-request-evidence.md); past the end an empty
 * list (assumed); the framing units a fragment without articles (assumed).
 */
export function jpaasUnitJson(host: ReplicaHost, col: ReplicaColumn, mode: Mode, tag: string, pageNo: number, pageSize: number): string {
  const unit = JPAAS_UNITS.find((u) => u.tag === tag);
  if (!unit) return JSON.stringify({ success: false, message: 'unit not found' });
  if (!unit.list) return JSON.stringify({ success: true, data: { html: `<div class="unit"><a href="/">首页</a> <a href="/col/col${host.xxgkCol}/index.html">政府信息公开</a></div>` } });
  const entries = columnEntries(host, col, mode).slice((pageNo - 1) * pageSize, pageNo * pageSize);
  return JSON.stringify({ success: true, data: { html: `<ul class="list">\n${entries.map((e) => recordHtml(e, 'li')).join('\n')}\n</ul>\n` } });
}

/** The legacy (pre-2019, free text) report page, as a GBK-era page declares itself. */
export function legacyPage(link: ExtraLink, { agency, pub }: NonNullable<ExtraLink['legacy']>): string {
  const year = /((?:19|20)\d{2})年/.exec(link.title)?.[1] ?? '';
  return `<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>${esc(link.title)}</title>
<meta name="ArticleTitle" content="${esc(link.title)}">
<meta name="PubDate" content="${pub}">
<meta name="ContentSource" content="${esc(agency)}">
</head>
<body>
<table width="100%"><tr><td>首页 &gt;&gt; 省政府部门信息公开目录 &gt;&gt; 年度工作报告 &gt;&gt; ${year}年度政府信息公开年度报告</td></tr></table>
<div id="zoom">
<p>本报告根据《中华人民共和国政府信息公开条例》要求，由${esc(agency)}编制。</p>
<p>一、概述</p>
<p>${year}年，全省各级行政机关认真贯彻落实《条例》，进一步深化政府信息公开工作。</p>
<p>二、主动公开政府信息情况</p>
<p>${year}年，省政府主动公开政府信息12306条。</p>
<p>三、依申请公开政府信息情况</p>
<p>${year}年，省政府办公厅共受理政府信息公开申请187件，均已按期答复。</p>
<p>四、政府信息公开的收费及减免情况</p>
<p>未收取任何费用。</p>
<p>五、因政府信息公开申请行政复议、提起行政诉讼的情况</p>
<p>全年发生行政复议案件3件，行政诉讼案件1件。</p>
<p>六、存在的主要问题和改进措施</p>
<p>公开内容的针对性有待提高。</p>
</div>
</body>
</html>
`;
}

/** A bare page with a listed link's title (a module page robots.txt disallows). */
export function stubPage(link: ExtraLink): string {
  return `<html><head><meta charset="utf-8"><title>${esc(link.title)}</title></head><body><div id="zoom"><p>一、概述</p></div></body></html>`;
}

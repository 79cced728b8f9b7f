/**
 * Replica pages of the Hanweb xxgk modules (../xxgk.ts):
 *
 * - `GET /module/xxgk/xxgkAnnualReport.jsp?area=<organ>&fbtime=<year>`: one organ's report for one
 *   year, rendered in the module's page [seen as page text: pages-text/xxgk-annualreport-module.txt,
 *   notes "renders one organ's report for one year"]. Three answer shapes:
 *   `report` (the report's text in the page; its markup — an h1 title and the report HTML in a
 *   div — is assumed), `links` (a list of the organ's report articles — assumed: linhai's URL
 *   carries showType=2&artId=…, which suggests the module can also point at an article), and
 *   `absent` (暂无, for a year without a report — assumed wording).
 * - `POST /module/xxgk/search.jsp` (form: infotypeId, jdid, area, divid, currpage, …) [seen: the
 *   request shape in zj-request-evidence.md and the notes]: rows of the directory under one 组配分类,
 *   as `<a href="/art/…" title="…">` with a date, paged by currpage with a 共N页 pager [assumed markup;
 *   the zj.gov.cn spider reads rows in `.zcwj-con-right_list`, which the rows here imitate].
 *
 * Everything is in this file so that the replay server can mount it (`handleXxgk`) and tests can
 * use it without a server (`xxgkFetcher`).
 */
import { createHash } from 'node:crypto';
import type { PageFetcher } from '../../../../src/crawl/context.ts';
import type { FetchRequest, FetchResult } from '../../../../src/crawl/fetch/index.ts';
import { renderReportHtml, type ReportValues } from '../../../../testkit/reports/report-html.ts';

export interface ModuleAnswerSpec {
  area: string;
  year: number;
  shape: 'report' | 'links' | 'absent';
  /** report: its title as the module shows it; links: the articles listed */
  title?: string;
  values?: ReportValues;
  links?: { href: string; title: string; date: string }[];
}

export interface SearchSpec {
  divid: string;
  infotypeId: string;
  rows: { href: string; title: string; date: string }[];
  perPage: number;
}

export interface XxgkReplica {
  /** host name the pages answer on (www.wenzhou.gov.cn) */
  host: string;
  modules: ModuleAnswerSpec[];
  searches: SearchSpec[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<link rel="stylesheet" href="/module/xxgk/css/xxgk.css"></head>
<body><div class="xxgk-top">政府信息公开</div>${body}<div class="footer">主办单位 版权所有</div></body></html>`;
}

export function moduleAnswerHtml(spec: ModuleAnswerSpec): string {
  if (spec.shape === 'absent') return page('政府信息公开年报', `<div class="nb-con"><p class="nodata">暂无信息</p></div>`);
  if (spec.shape === 'links') {
    const rows = (spec.links ?? []).map((l) => `<li><a href="${esc(l.href)}" title="${esc(l.title)}" target="_blank">${esc(l.title)}</a><span>${l.date}</span></li>`).join('\n');
    return page('政府信息公开年报', `<div class="nb-con"><ul>${rows}</ul></div>`);
  }
  const title = spec.title ?? `${spec.values?.agency ?? ''}${spec.year}年政府信息公开工作年度报告`;
  // the module page carries the report itself: the article page's body, under the module's title
  const article = spec.values ? renderReportHtml(spec.values, { title }) : `<p>一、总体情况</p><p>…</p>`;
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(article)?.[1] ?? article;
  return page(`${title}`, `<div class="nb-con"><h1 class="nb-title">${esc(title)}</h1>${body}</div>`);
}

export function searchAnswerHtml(spec: SearchSpec, currpage: number): string {
  const pages = Math.max(1, Math.ceil(spec.rows.length / spec.perPage));
  const rows = spec.rows
    .slice((currpage - 1) * spec.perPage, currpage * spec.perPage)
    .map((r) => `<tr><td class="xxgk_title"><a href="${esc(r.href)}" target="_blank" title="${esc(r.title)}">${esc(r.title)}</a></td><td class="xxgk_date">${r.date}</td></tr>`)
    .join('\n');
  return `<div class="zcwj-con-right_list"><table>${rows}</table></div>
<div class="xxgk_page">共${spec.rows.length}条 共${pages}页 当前第${currpage}页 <a href="javascript:gotoPage(${Math.min(currpage + 1, pages)})">下一页</a></div>`;
}

/** The replica's answer to one request, or null when the request is not one of its pages. */
export function handleXxgk(r: XxgkReplica, method: string, rawUrl: string, form: Record<string, string> = {}): { status: number; contentType: string; body: string } | null {
  const u = new URL(rawUrl);
  if (u.hostname !== r.host) return null;
  const html = (body: string, status = 200) => ({ status, contentType: 'text/html; charset=UTF-8', body });
  if (u.pathname === '/module/xxgk/xxgkAnnualReport.jsp' && method === 'GET') {
    const area = u.searchParams.get('area') ?? '';
    const year = Number(u.searchParams.get('fbtime'));
    const spec = r.modules.find((m) => m.area === area && m.year === year) ?? { area, year, shape: 'absent' as const };
    return html(moduleAnswerHtml(spec));
  }
  if (u.pathname === '/module/xxgk/search.jsp') {
    // the module reads its POST form (evidence: spiders POST it); a GET has no rows
    if (method !== 'POST') return html('<div class="zcwj-con-right_list"></div>');
    const spec = r.searches.find((s) => s.divid === form.divid && s.infotypeId === form.infotypeId);
    if (!spec) return html('<div class="zcwj-con-right_list"><p>暂无信息</p></div>');
    return html(searchAnswerHtml(spec, Math.max(1, Number(form.currpage ?? '1') || 1)));
  }
  return null;
}

/** A PageFetcher answering from the replica (tests without a server); other URLs answer 404. */
export function xxgkFetcher(r: XxgkReplica, log: { method: string; url: string; form?: Record<string, string> }[] = []): PageFetcher {
  return {
    async fetch(req: FetchRequest): Promise<FetchResult> {
      const method = req.method ?? (req.form ? 'POST' : 'GET');
      const url = req.url.replace(/#.*$/, '');
      log.push({ method, url, ...(req.form ? { form: req.form } : {}) });
      const a = handleXxgk(r, method, url, req.form) ?? { status: 404, contentType: 'text/html', body: '<html><body>404</body></html>' };
      const body = Buffer.from(a.body, 'utf8');
      return {
        url: req.url,
        finalUrl: url,
        status: a.status,
        ok: a.status < 400,
        headers: { 'content-type': a.contentType },
        contentType: a.contentType,
        body,
        sha256: createHash('sha256').update(body).digest('hex'),
        text: () => a.body,
        notModified: false,
        changed: true,
        viaBrowser: false,
      };
    },
  };
}

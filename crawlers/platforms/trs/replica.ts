/**
 * The replica of a TRS WCM site (platform `trs`), served by the replay server: static column pages
 * whose rows link `./YYYYMM/tYYYYMMDD_<docid>.<ext>` documents and whose further pages are named by
 * the pager script in one of the two numberings, year and organ sub-columns listed on a column
 * page, redirect shells, big5 and `_wap` twins, commented-out duplicate rows, report pages with
 * TRS meta and a TRS_Editor body (attachments named `P0…`). Every behaviour cites its evidence in
 * shared/evidence/other-provinces/ (PLATFORMS.md §2.2, §2.7, §2.10, §3; central-ministries-annual-
 * report-crawlers.md; cms-dialects-china-governance.md; misc-url-shapes-pages.md) or says assumed.
 *
 * A site with a `replica.yml` beside its site.yml gets the replica it describes (TrsReplicaSchema
 * below); any other trs site gets one generated from its site.yml (generatedTrsReplica).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { z } from 'zod';
import type { Site } from '../../../src/crawl/registry.ts';
import type { PlatformReplica, Reply, ReplicaRequest, Served, ServedReplica } from '../../../testkit/replay/platform-replica.ts';
import { GENERATED_YEARS, idHash, ReportSchema, reportArticlePage, reportsIn, reportTitleOf, reportValues, SEEDS, type ExpectedReport, type Mode, type ReplicaReport, type SeedId } from '../../../testkit/replay/replica-reports.ts';

const ColumnSchema = z
  .object({
    /** another host of the site (an origin such as http://zwgk.mwr.gov.cn), when the column is not on the first start's host */
    origin: z.string().regex(/^https?:\/\/[^/]+$/).optional(),
    /** the first page: a directory (`/gongkai/zfxxgk/gknb/`, also served as `index.<ext>`) or a named page (`/csrc/c100028/common_zfxxgknb.shtml`) */
    path: z.string().regex(/^\/\S*$/),
    /** the page's ColumnName meta and the text of links to it */
    name: z.string(),
    /**
     * how further pages are named (PLATFORMS.md §2.2): classic — `createPageHTML(n, i, "index", ext)`,
     * page N = index_{N-1} (stats, Wuhan, NDRC, MOF); create-page — Chongqing's `createPage(n, i, "index",
     * "html")` after a `//wcm分页，总记录：N` line, same numbering; count-page — the classic template's
     * `var countPage = N` beside a commented-out stale `//createPageHTML(9, 0, …)` (退役军人部 年报, the
     * blog template); six-arg — `createPageHTML('page_div', n, i, prefix, ext, records)`, page N =
     * prefix_N (CSRC, Kunshan); client — every row on page 1, sliced by a script (Beijing
     * `.default_news li`): no other page exists; single — one page, no pager (水利部, 教育部)
     */
    paging: z.enum(['classic', 'create-page', 'count-page', 'six-arg', 'client', 'single']),
    /** rows as anchors, or written by an inline script (Wuhan: `var url = "./…shtml"`, cms-dialects §wuhan.py) */
    rows: z.enum(['anchors', 'script']).default('anchors'),
    /** extension of the pages and documents (default: the first page's, else html) */
    ext: z.enum(['html', 'shtml', 'htm']).optional(),
    perPage: z.number().int().positive().default(10),
    /** filler news rows (never fetched) */
    fillers: z.number().int().min(0).default(0),
    reports: z.array(ReportSchema).default([]),
    /** sub-columns listed on the page: paths of other columns or shells of this replica, with their link text */
    sub: z.array(z.object({ path: z.string().regex(/^\/\S*\/$/), name: z.string() }).strict()).optional(),
    /** every report row also links its /gate/big5/ twin, which is served too (Beijing, misc-url-shapes-pages.md) */
    big5: z.boolean().optional(),
    /** every report row has a commented-out duplicate naming a stale docid, which is not served (PLATFORMS.md §2.8) */
    commented: z.boolean().optional(),
    /** rows link the `_wap` twin of each document (Chongqing 石柱, misc-url-shapes-pages.md); both are served */
    wap: z.boolean().optional(),
  })
  .strict();

const ShellSchema = z
  .object({
    /** a column directory whose page is a ~160-byte JS redirect shell (PLATFORMS.md §2.7, antibot-other-sources.md §8) */
    path: z.string().regex(/^\/\S*\/$/),
    /** the `location.replace` target, a column of this replica */
    target: z.string().regex(/^\/\S*$/),
  })
  .strict();

export const TrsReplicaSchema = z
  .object({
    siteName: z.string(),
    columns: z.array(ColumnSchema).min(1),
    shells: z.array(ShellSchema).optional(),
    /** the home page links 政府信息公开 (/zwgk/), which links the first column by its name (assumed layout) */
    discovery: z.boolean().optional(),
    robotsDisallow: z.array(z.string()).optional(),
    /** every page is GBK-encoded and says gb2312 in its meta, with no charset in Content-Type (Beijing 朝阳: antibot-other-sources.md §8) */
    encoding: z.enum(['utf-8', 'gbk']).optional(),
  })
  .strict();

export type TrsReplica = z.infer<typeof TrsReplicaSchema>;
type Column = z.infer<typeof ColumnSchema>;

const HTML = 'text/html; charset=UTF-8';
const EPOCH = new Date(Date.UTC(2025, 5, 30, 8, 0, 0));
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const dirOf = (path: string): string => path.replace(/[^/]*$/, '');
function nameOf(c: Column): { prefix: string; ext: string } {
  const file = /\/([^/]+)\.(s?html?)$/.exec(c.path);
  return { prefix: file?.[1] ?? 'index', ext: c.ext ?? file?.[2] ?? 'html' };
}

interface Entry {
  path: string;
  title: string;
  date: string;
  report?: ReplicaReport;
}

const FILLER_TITLES = ['关于印发{s}政务公开工作要点的通知', '{s}{y}年法治政府建设年度报告', '{s}关于调整行政权力事项的公告', '政策解读：{s}政府信息公开工作年度报告怎么看', '{s}{y}年部门决算'];

/** The column's rows, newest first: its reports and filler news (dated mid-2025 backwards, so reports sit on later pages). */
function entries(r: TrsReplica, c: Column, mode: Mode): Entry[] {
  const { ext } = nameOf(c);
  const out: Entry[] = reportsIn(c.reports, mode).map((x) => ({ path: x.path, title: reportTitleOf(x), date: x.pub.slice(0, 10), report: x }));
  const h = idHash(c.path);
  for (let i = 0; i < c.fillers; i++) {
    const d = new Date(Date.UTC(2025, 5, 28) - i * 11 * 86400_000).toISOString().slice(0, 10);
    const ymd = d.replace(/-/g, '');
    const title = (FILLER_TITLES[i % FILLER_TITLES.length] ?? '').replace('{s}', r.siteName).replace('{y}', d.slice(0, 4));
    out.push({ path: `${dirOf(c.path)}${ymd.slice(0, 6)}/t${ymd}_${(h % 9_000_000) + 1_000_000 + i}.${ext}`, title, date: d });
  }
  return out.sort((a, b) => b.date.localeCompare(a.date));
}

function pageCount(c: Column, n: number): number {
  return c.paging === 'client' || c.paging === 'single' ? 1 : Math.max(1, Math.ceil(n / c.perPage));
}

/** The path of page `n` (1-based) of a column, in its numbering. */
export function pagePath(c: Column, n: number): string {
  if (n <= 1) return c.path;
  const { prefix, ext } = nameOf(c);
  return `${dirOf(c.path)}${prefix}_${c.paging === 'six-arg' ? n : n - 1}.${ext}`;
}

/** A link from the column page to a path: `./…` below the column's directory (TRS rows are relative: PLATFORMS.md §2.2). */
function rel(c: Column, path: string): string {
  const dir = dirOf(c.path);
  return path.startsWith(dir) ? `./${path.slice(dir.length)}` : path;
}

function wapOf(path: string): string {
  return path.replace(/(\.s?html?)$/, '_wap$1');
}

function rowHtml(c: Column, e: Entry, host: string): string {
  const href = rel(c, c.wap ? wapOf(e.path) : e.path);
  const date = e.date;
  const main =
    c.rows === 'script'
      ? // Wuhan's JS rows (cms-dialects §wuhan.py): url, title, FILENUM, document.writeln
        `<script>
var url = "${href}";
var title = "";
title = "${e.title}";
var FILENUM = "";
document.writeln("<li><a href="+url+" target='_blank'>"+title+"</a>");
document.writeln("<span>${date} 10:00</span></li>");
</script>`
      : `<li><a href="${esc(href)}" target="_blank" title="${esc(e.title)}">${esc(e.title)}</a><span>${date}</span></li>`;
  const big5 = c.big5 && e.report ? `\n<li><a href="/gate/big5/${host}${e.path}" target="_blank" title="${esc(e.title)}">${esc(e.title)}</a><span>${date}</span></li>` : '';
  // a commented-out duplicate naming a stale docid (not served)
  const stale = c.commented && e.report ? `\n<!-- <li><a href="${esc(rel(c, e.path.replace(/_(\d+)(\.s?html?)$/, (_, id: string, x: string) => `_${Number(id) + 1}${x}`)))}" title="${esc(e.title)}">${esc(e.title)}</a><span>${date}</span></li> -->` : '';
  return main + big5 + stale;
}

function pagerHtml(c: Column, n: number, pages: number, records: number): string {
  const { prefix, ext } = nameOf(c);
  switch (c.paging) {
    case 'classic':
      return `<div class="page"><script>createPageHTML(${pages}, ${n - 1}, "${prefix}", "${ext}");</script></div>`;
    case 'create-page':
      // Chongqing (central-ministries-annual-report-crawlers.md §9, public file id 56114329353)
      return `<div class="page"><script>
//wcm分页，总记录：${records}
createPage(${pages}, ${n - 1}, "${prefix}", "${ext}");
</script></div>`;
    case 'count-page':
      // the classic template (central-ministries-annual-report-crawlers.md §9), its stale first line commented out
      return `<div class="page"><script>
//createPageHTML(9, 0, "${prefix}", "${ext}");
var currentPage = ${n - 1};//所在页从0开始
var prevPage = currentPage-1;//上一页
var nextPage = currentPage+1;//下一页
var countPage = ${pages};//共多少页
for (var i = 1; i < countPage; i++) { document.write("<td><a class='num' href=\\"${prefix}"+"_" + i + "."+"${ext}\\">"+(i+1)+"</a></td>"); }
</script></div>`;
    case 'six-arg':
      return `<div id="page_div"></div><script>createPageHTML('page_div', ${pages}, ${n}, '${prefix}', '${ext}', ${records});</script>`;
    case 'client':
      // every row is on this page; the script shows 15 at a time (cms-dialects §beijing.py)
      return `<div class="pagination"></div><script>
var $list = $('.default_news li');
var pageSize = 15;
$list.hide().slice(0, pageSize).show();
</script>`;
    case 'single':
      return '';
  }
}

function shellPage(target: string): string {
  return `<html><head><meta charset="utf-8"><script>location.replace("${target}");</script></head><body></body></html>`;
}

function columnPage(r: TrsReplica, c: Column, n: number, host: string, mode: Mode): string | null {
  const all = entries(r, c, mode);
  const pages = pageCount(c, all.length);
  if (n < 1 || n > pages) return null;
  const rows = c.paging === 'client' || c.paging === 'single' ? all : all.slice((n - 1) * c.perPage, n * c.perPage);
  const sub = c.sub?.length ? `<div class="sub-columns">${c.sub.map((s) => `<a href="${esc(rel(c, s.path))}">${esc(s.name)}</a>`).join(' ')}</div>` : '';
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="SiteName" content="${esc(r.siteName)}">
<meta name="SiteDomain" content="${host}">
<meta name="ColumnName" content="${esc(c.name)}">
<meta name="ColumnType" content="${esc(c.name)}">
<title>${esc(c.name)}_${esc(r.siteName)}</title></head>
<body>
<div class="top"><a href="/">首页</a> <a href="/gate/big5/${host}${c.path}">繁体</a> <a href="/zwgk/">政府信息公开</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; ${esc(c.name)}</div>
${sub}
<ul class="default_news list">
${rows.map((e) => rowHtml(c, e, host)).join('\n')}
</ul>
${pagerHtml(c, n, pages, all.length)}
</body></html>
`;
}

const homePage = (r: TrsReplica): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(r.siteName)}</title></head><body><div class="nav"><a href="/">首页</a> <a href="/xwzx/">新闻中心</a> <a href="/zwgk/">政府信息公开</a> <a href="/bsfw/">办事服务</a></div></body></html>`;

function disclosurePage(r: TrsReplica): string {
  const first = r.columns[0];
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ColumnName" content="政府信息公开"><title>政府信息公开_${esc(r.siteName)}</title></head><body>
<ul><li><a href="./zfxxgkzn/">政府信息公开指南</a></li><li><a href="./fdzdgknr/">法定主动公开内容</a></li>${first ? `<li><a href="${esc(first.path)}">${esc(first.name)}</a></li>` : ''}</ul></body></html>`;
}

/** The replica a site's replica.yml (or generated shape) describes, served at `served`. */
export function serveTrs(r: TrsReplica, served: Served, site: string): ServedReplica {
  const originOf = (c: Column): URL => new URL(c.origin ?? `${served.scheme}://${served.host}`);
  const hosts = [...new Set([served.host, ...r.columns.map((c) => originOf(c).hostname)])];
  const pubDate = (x: ReplicaReport): Date => new Date(`${x.pub.replace(' ', 'T')}:00+08:00`);
  const page = (body: string, modified = EPOCH): Reply => ({ status: 200, body, type: HTML, modified });

  function answer(req: ReplicaRequest): Reply | null {
    const host = req.url.hostname;
    let path = req.url.pathname;
    // the big5 proxy serves the same document (a duplicate the crawler must skip: misc-url-shapes-pages.md)
    const big5 = new RegExp(`^/gate/big5/${host.replace(/\./g, '\\.')}(/.*)$`).exec(path);
    if (big5) path = big5[1] ?? path;
    if (r.discovery && host === served.host && (path === '/' || path === '/index.html')) return page(homePage(r));
    if (r.discovery && host === served.host && path === '/zwgk/') return page(disclosurePage(r));
    for (const s of r.shells ?? []) {
      if (host === served.host && (path === s.path || path === `${s.path}index.html`)) return page(shellPage(s.target));
    }
    for (const c of r.columns.filter((x) => originOf(x).hostname === host)) {
      const { ext } = nameOf(c);
      const pages = pageCount(c, entries(r, c, req.mode).length);
      for (let n = 1; n <= pages; n++) {
        const p = pagePath(c, n);
        if (path === p || (n === 1 && p.endsWith('/') && path === `${p}index.${ext}`)) {
          const body = columnPage(r, c, n, host, req.mode);
          return body ? page(body) : null;
        }
      }
      for (const x of reportsIn(c.reports, req.mode)) {
        if (path === x.path || (c.wap && path === wapOf(x.path))) return page(reportArticlePage(x, req.mode, 'TRS_Editor'), pubDate(x));
        if ((x.format === 'pdf' || x.format === 'doc') && x.file && path === new URL(x.attachment ?? '', `http://h${x.path}`).pathname) {
          return { status: 200, body: readFileSync(join(served.files, x.file)), type: x.format === 'pdf' ? 'application/pdf' : 'application/msword', modified: pubDate(x) };
        }
      }
    }
    return null;
  }

  return {
    site,
    hosts,
    robots: () => `User-agent: *\n${(r.robotsDisallow ?? []).map((d) => `Disallow: ${d}`).join('\n') || 'Disallow:'}\n`,
    route(req: ReplicaRequest): Reply | null {
      const reply = answer(req);
      if (r.encoding !== 'gbk' || reply?.type !== HTML || typeof reply.body !== 'string') return reply;
      // a GBK page declares gb2312 in its markup only (朝阳: antibot-other-sources.md §8)
      return { ...reply, type: 'text/html', body: iconv.encode(reply.body.replace(/<meta charset="utf-8">/i, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'), 'gbk') };
    },
    expected(mode: Mode): ExpectedReport[] {
      return r.columns.flatMap((c) =>
        reportsIn(c.reports, mode).map((x) => {
          const origin = originOf(c);
          const articleUrl = `${origin.protocol}//${origin.host}${x.path}`;
          const url = x.format === 'pdf' || x.format === 'doc' ? new URL(x.attachment ?? '', articleUrl).href : articleUrl;
          return { host: origin.hostname, url, articleUrl, title: reportTitleOf(x), values: reportValues(x, mode), format: x.format };
        }),
      );
    },
  };
}

const YEAR_SLUGS = [(y: number) => `${y}n`, (y: number) => `gknb${y}`, (y: number) => `${y}nb`];

/**
 * The replica of a trs site without a replica.yml (assumed shapes, one per site, chosen by its id):
 * each non-home start URL is a column holding one report per year of GENERATED_YEARS among filler
 * news, paged in one of the evidenced numberings; the oldest report of the first column sits in a
 * year sub-column (`<YYYY>n/`, `gknb<YYYY>/` or `<YYYY>nb/`) listed on it. A site that starts from
 * its home page gets a 政府信息公开年报 column at /zwgk/zfxxgknb/ found by discovery. The agency is the
 * site's name; values are the seed reports × a per-site scale.
 */
export function generatedTrsReplica(site: Site): TrsReplica {
  const h = idHash(site.id);
  const seeds = Object.keys(SEEDS) as SeedId[];
  const starts = site.start.filter((u) => !/^\/(?:index\.s?html?)?$/.test(new URL(u).pathname));
  const first = new URL(site.start[0] ?? '');
  const paths = starts.length > 0 ? starts.map((u) => new URL(u)) : [new URL('/zwgk/zfxxgknb/', first)];
  const columns: Column[] = [];
  paths.forEach((u, ci) => {
    const named = /\/([^/]+)\.(s?html?)$/.exec(u.pathname);
    // a directory column's documents take the extension of its evidence document (…/t20250321_3781562.shtml), else html
    const evidence = site.starts.find((s) => s.url === u.href)?.evidence ?? '';
    const ext = (named?.[2] ?? /\/t\d{8}_\d+(?:_wap)?\.(s?html?)$/.exec(evidence)?.[1] ?? 'html') as NonNullable<Column['ext']>;
    const named0 = named && named[1] !== 'index';
    const paging = named0 ? (['classic', 'six-arg'] as const)[(h + ci) % 2]! : (['classic', 'count-page', 'six-arg'] as const)[(h + ci) % 3]!;
    const dir = dirOf(u.pathname);
    const years = GENERATED_YEARS.filter((_, i) => i % paths.length === ci);
    const report = (year: number, i: number, under: string): ReplicaReport => {
      const day = 10 + ((h >>> 3) % 15) + i;
      const ymd = `${year + 1}01${String(day).padStart(2, '0')}`;
      return {
        seed: seeds[(h + i + ci) % seeds.length] ?? 'seed000',
        scale: 1 + ((h >>> 5) % 7),
        agency: site.name,
        year,
        pub: `${year + 1}-01-${String(day).padStart(2, '0')} 10:00`,
        path: `${under}${ymd.slice(0, 6)}/t${ymd}_${200_000 + ((h >>> 7) % 700_000) + i + ci * 10}.${ext}`,
        format: 'html',
      };
    };
    const subYear = ci === 0 && years.length > 1 ? years[0] : undefined;
    const slug = subYear !== undefined ? (YEAR_SLUGS[h % YEAR_SLUGS.length] ?? YEAR_SLUGS[0]!)(subYear) : '';
    const origin = `${u.protocol}//${u.host}`;
    columns.push({
      ...(u.host !== first.host ? { origin } : {}),
      path: u.pathname,
      name: '政府信息公开年报',
      paging,
      rows: ext === 'shtml' && h % 2 === 1 ? 'script' : 'anchors',
      ext,
      perPage: 6,
      fillers: 10 + (h % 6),
      reports: years.filter((y) => y !== subYear).map((y) => report(y, GENERATED_YEARS.indexOf(y as (typeof GENERATED_YEARS)[number]), dir)),
      ...(subYear !== undefined ? { sub: [{ path: `${dir}${slug}/`, name: `${subYear}年` }] } : {}),
    });
    if (subYear !== undefined) {
      columns.push({ ...(u.host !== first.host ? { origin } : {}), path: `${dir}${slug}/`, name: `${subYear}年政府信息公开年报`, paging: 'single', rows: 'anchors', ext, perPage: 10, fillers: 0, reports: [report(subYear, 0, `${dir}${slug}/`)] });
    }
  });
  return { siteName: site.name, columns, ...(starts.length === 0 ? { discovery: true } : {}) };
}

export const trsReplica: PlatformReplica = {
  platform: 'trs',
  load(site: Site, yml: unknown, served: Served, file: string): ServedReplica {
    if (yml === null) return serveTrs(generatedTrsReplica(site), served, site.id);
    const r = TrsReplicaSchema.safeParse(yml);
    if (!r.success) throw new Error(`replica-invalid: ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return serveTrs(r.data, served, site.id);
  },
};

/**
 * The replica of a gkmlpt site for the replay server (PlatformReplica): `/gkmlpt/index` with
 * `window._CONFIG` (SID, TREE), the 年报 view `/gkmlpt/annualreport`, the list API
 * `/gkmlpt/api/all/<category>?page=N&sid=<SID>` in either paging behaviour, report pages
 * `/gkmlpt/content/<a>/<b>/post_<id>.html` with the report as HTML or as an attachment under
 * `/attachment/…`, all under the site's base (host plus optional path prefix). Each behaviour cites
 * its evidence in shared/evidence/other-provinces/ or says assumed. A site without replica.yml
 * gets one generated from its site.yml (generatedGkmlptReplica).
 */
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { z } from 'zod';
import type { Site } from '../../../src/crawl/registry.ts';
import { renderReportHtml } from '../../../testkit/reports/report-html.ts';
import type { PlatformReplica, Reply, Served, ServedReplica } from '../../../testkit/replay/platform-replica.ts';
import { GENERATED_YEARS, idHash, ReportSchema, reportsIn, reportTitleOf, reportValues, SEEDS, type ExpectedReport, type Mode, type ReplicaReport, type SeedId } from '../../../testkit/replay/replica-reports.ts';
import { readFileSync } from 'node:fs';
import { attachmentUrl, gkmlptBase, postIdOf, postPageUrl } from './adapter.ts';

const CategorySchema = z
  .object({
    id: z.string().regex(/^\d+$/),
    name: z.string().default('政府信息公开年报'),
    /**
     * where the site names its 年报 category: tree (a node of /gkmlpt/index's TREE, assumed: the
     * inferred lookup of PLATFORMS.md §2.1), annualreport (only the 年报 view /gkmlpt/annualreport
     * names it: gkmlpt-other-sources.md §C shows the view and its id; that the view's _CONFIG names
     * it is assumed), none (the site has no 年报 category: discovery must end in column-not-found)
     */
    shownIn: z.enum(['tree', 'annualreport', 'none']),
  })
  .strict();

export const GkmlptReplicaSchema = z
  .object({
    siteName: z.string(),
    sid: z.string().regex(/^\d+$/),
    category: CategorySchema,
    /**
     * the list API's paging: batches — page 0 and 1 the same, page N the next perPage posts, an
     * empty list past the end (gkmlpt-china-governance-excerpts.md "100 items per page"; the empty
     * end is that crawler's stop condition); single — one page, page ≥ 2 answers 404
     * (gkmlpt-other-sources.md §A, 肇庆); repeat — every page answers page 1 (assumed: a server that
     * ignores page)
     */
    paging: z.enum(['batches', 'single', 'repeat']),
    perPage: z.number().int().positive(),
    /** posts counted by classify.post_count but never served ("served count << classify.post_count": gkmlpt-china-governance-excerpts.md) */
    hiddenPosts: z.number().int().min(0).default(0),
    /** titles (and publishers) %u-escaped in the API (zfcxjst, gdaudit, zhxz: gkmlpt-other-sources.md §I) */
    escapeTitles: z.boolean().default(false),
    /**
     * the API's `url` is the post's NFCMS column page (`<column>/content/post_<id>.html`, served too) and
     * `post_url` its gkmlpt page (guangdong-report-pages.md §2–§5: the same post id on both templates)
     */
    nfcmsColumn: z.string().regex(/^\/[\w/-]+$/).optional(),
    /** the first report shows again at the top of page 2, as when a post is published between two requests (assumed) */
    relist: z.boolean().default(false),
    /** other posts of the category (assumed: kinds of report that are not ours), listed after the reports */
    fillers: z.number().int().min(0).default(0),
    reports: z.array(ReportSchema).min(1),
  })
  .strict();

export type GkmlptReplica = z.infer<typeof GkmlptReplicaSchema>;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** a JSON value inside an inline script: `</` would end the script */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/<\//g, '<\\/');
const escapeU = (s: string): string => [...s].map((c) => (c.charCodeAt(0) > 0x7f ? `%u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : c)).join('');

const FILLER_TITLES = ['{n}{y}年法治政府建设年度报告', '{n}{y}年度部门决算', '{n}{y}年政务公开工作要点', '关于{n}{y}年政府信息公开工作年度报告的说明'];

interface Post {
  id: string;
  title: string;
  /** YYYY-MM-DD HH:mm, Beijing time */
  pub: string;
  report: ReplicaReport | null;
}

/** unix seconds of a Beijing 'YYYY-MM-DD HH:mm' */
const unix = (pub: string): number => Math.floor(new Date(`${pub.replace(' ', 'T')}:00+08:00`).getTime() / 1000);

/** A replica report's post id: its path is `{prefix}/gkmlpt/content/<a>/<b>/post_<id>.html` by the post-id rule (PLATFORMS.md §2.1). */
function postOf(r: ReplicaReport, prefix: string): string {
  const id = postIdOf(r.path);
  if (!id || r.path !== new URL(postPageUrl(`http://h${prefix}`, id)).pathname) {
    throw new Error(`replica-invalid: report path ${r.path} is not ${prefix}/gkmlpt/content/<⌊id/1e6⌋>/<⌊id/1e3⌋>/post_<id>.html`);
  }
  return id;
}

/** A pdf/doc report's attachment is `{prefix}/attachment/{⌊att/1e6⌋}/{⌊att/1e3⌋}/{att}/{post}.{ext}` (PLATFORMS.md §2.1 "Attachments"). */
function checkAttachment(r: ReplicaReport, prefix: string): void {
  const att = attachmentHref(r);
  if (att === null) return;
  const m = /\/(\d+)\/(\d+)\.(\w+)$/.exec(att);
  if (!m || att !== new URL(attachmentUrl(`http://h${prefix}`, m[1] ?? '', postOf(r, prefix), m[3] ?? '')).pathname) {
    throw new Error(`replica-invalid: attachment ${att} of ${r.path} is not ${prefix}/attachment/<⌊att/1e6⌋>/<⌊att/1e3⌋>/<att>/<post id>.<ext>`);
  }
}

/** The category's posts, newest first: the reports, then the fillers (older: the served window ends in the past, gkmlpt-china-governance-excerpts.md). */
function posts(rep: GkmlptReplica, prefix: string, mode: Mode): Post[] {
  const reports = reportsIn(rep.reports, mode)
    .map((r): Post => ({ id: postOf(r, prefix), title: reportTitleOf(r), pub: r.pub, report: r }))
    .sort((a, b) => b.pub.localeCompare(a.pub));
  const name = rep.siteName;
  const fillers = Array.from({ length: rep.fillers }, (_, i): Post => {
    const y = 2018 - Math.floor(i / FILLER_TITLES.length);
    return { id: String(900_000 + i), title: (FILLER_TITLES[i % FILLER_TITLES.length] ?? '').replace('{n}', name).replace('{y}', String(y)), pub: `${y + 1}-02-${String(10 + (i % 15)).padStart(2, '0')} 09:00`, report: null };
  });
  return [...reports, ...fillers];
}

function tree(rep: GkmlptReplica, withAnnual: boolean): unknown[] {
  // TREE nodes carry id, name, children, post_count, jump_url (PLATFORMS.md §2.1); the other categories are assumed
  const other = (id: number, name: string, children: unknown[] = []): unknown => ({ id, name, parent: 0, post_count: 12, jump_url: null, children });
  const nodes: unknown[] = [other(1001, '政府信息公开指南'), other(1002, '政府信息公开制度'), other(1003, '法定主动公开内容', [other(1004, '规范性文件'), other(1005, '政策解读')])];
  if (withAnnual) nodes.push({ id: Number(rep.category.id), name: rep.category.name, parent: 0, post_count: rep.reports.length, jump_url: null, children: [] });
  return nodes;
}

/** A gkmlpt view: the SPA shell, no list in the HTML, `window._CONFIG` inline (PLATFORMS.md §2.1 "The index page is an SPA"). */
function shellPage(rep: GkmlptReplica, prefix: string, view: string, withAnnual: boolean): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(rep.siteName)}政府信息公开</title>
<link href="${prefix}/gkmlpt/gkml/pc/css/app.css" rel="stylesheet"></head>
<body><div id="app"></div>
<script>window._CONFIG = { APP_URL: '${prefix}', SID: '${rep.sid}', VIEW: '${view}', TREE: ${scriptJson(tree(rep, withAnnual))}, SERVICE_AREA_ID: '${rep.sid.slice(0, 3)}' };</script>
<script src="${prefix}/gkmlpt/gkml/pc/js/chunk-common.c1553651.js"></script>
</body></html>
`;
}

/** The post's attachment link of a pdf/doc report (`a.nfw-cms-attachment`: gkmlpt-other-sources.md §D). */
function attachmentHref(r: ReplicaReport): string | null {
  return r.format === 'pdf' || r.format === 'doc' ? (r.attachment ?? null) : null;
}

/**
 * A report page: the 8-field metadata block (guangdong-report-pages.md §1), h1.content-title and
 * div.content (gkmlpt-other-sources.md §C), the body again as `window._CONFIG.DETAIL` before TREE (§B).
 */
function contentPage(rep: GkmlptReplica, post: Post, r: ReplicaReport, mode: Mode): string {
  const values = reportValues(r, mode);
  const att = attachmentHref(r);
  const rendered = renderReportHtml(values, { title: post.title, publishedAt: r.pub, contentSource: r.agency, omitTables: att !== null });
  const body = `${cheerio.load(rendered)('#zoom').html() ?? ''}${att ? `\n<p><a class="nfw-cms-attachment" href="${esc(att)}" alt="${esc(post.title)}.${r.format}">${esc(post.title)}.${r.format}</a></p>` : ''}`;
  const date = r.pub.slice(0, 10);
  const detail = { id: Number(post.id), title: post.title, publisher: r.agency, date: unix(r.pub), content: body };
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(post.title)}</title></head>
<body>
<div class="header"><span>无障碍</span> <span>长者助手</span> <span>政府信息公开</span> <span>规章库</span></div>
<div class="classify">
<div><span>索引号: ${rep.sid}/${date.slice(0, 4)}-${post.id.slice(-5)}</span> <span>分类:</span></div>
<div><span>发布机构: ${esc(r.agency)}</span> <span>成文日期: ${date}</span></div>
<div><span>名称: ${esc(post.title)}</span></div>
<div><span>文号:</span> <span>发布日期: ${date}</span></div>
<div><span>主题词:</span></div>
</div>
<div class="article">
<h1 class="content-title">${esc(post.title)}</h1>
<div class="content-desc"><span>发布日期:${date}</span> <span>浏览次数:-</span></div>
<div class="content">
${body}
</div>
</div>
<script>window._CONFIG = { SID: '${rep.sid}', DETAIL: ${scriptJson(detail)}, TREE: [], SERVICE_AREA_ID: '${rep.sid.slice(0, 3)}' };</script>
</body></html>
`;
}

function apiArticle(rep: GkmlptReplica, p: Post, origin: string, prefix: string): Record<string, unknown> {
  const gkmlpt = postPageUrl(`${origin}${prefix}`, p.id);
  const nfcms = rep.nfcmsColumn ? `${origin}${prefix}${rep.nfcmsColumn}/content/post_${p.id}.html` : null;
  const att = p.report ? attachmentHref(p.report) : null;
  const publisher = p.report?.agency ?? rep.siteName;
  return {
    id: Number(p.id),
    title: rep.escapeTitles ? escapeU(p.title) : p.title,
    date: unix(p.pub),
    created_at: `${p.pub}:00`,
    publisher: rep.escapeTitles ? escapeU(publisher) : publisher,
    classify_main_name: rep.category.name,
    url: nfcms ?? gkmlpt,
    post_url: gkmlpt,
    // attachment[] = {id,name,type,mime,size,url} (gkmlpt-china-governance-excerpts.md)
    attachment: att ? [{ id: Number(/\/(\d+)\/\d+\.\w+$/.exec(att)?.[1] ?? 0), name: `${p.title}.${p.report?.format}`, type: p.report?.format, mime: 'application/pdf', size: '1', url: new URL(att, origin).href }] : [],
  };
}

/** One answer of the list API for `page` (page 0 is page 1). */
function apiAnswer(rep: GkmlptReplica, all: Post[], page: number, origin: string, prefix: string): Reply {
  const n = Math.max(1, page);
  let slice: Post[];
  if (rep.paging === 'single') {
    if (n >= 2) return { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', type: 'text/html; charset=utf-8' };
    slice = all.slice(0, rep.perPage);
  } else if (rep.paging === 'repeat') slice = all.slice(0, rep.perPage);
  else {
    slice = all.slice((n - 1) * rep.perPage, n * rep.perPage);
    const first = all[0];
    if (rep.relist && n === 2 && first) slice = [first, ...slice];
  }
  const classify = { id: Number(rep.category.id), name: rep.category.name, parent: 0, post_count: all.length + rep.hiddenPosts, theme_count: all.length + rep.hiddenPosts };
  return { status: 200, body: JSON.stringify({ classify, articles: slice.map((p) => apiArticle(rep, p, origin, prefix)) }), type: 'application/json; charset=utf-8' };
}

/** The replica of one site, ready to serve. */
export function serveGkmlpt(site: Site, rep: GkmlptReplica, served: Served): ServedReplica {
  const base = gkmlptBase(site.start[0] ?? '');
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  const origin = `${served.scheme}://${served.host}`;
  const files = new Map<string, Buffer>();
  const fileBytes = (name: string): Buffer => {
    if (!files.has(name)) files.set(name, readFileSync(join(served.files, name)));
    return files.get(name)!;
  };
  for (const r of rep.reports) checkAttachment(r, prefix);
  for (const r of rep.reports) postOf(r, prefix);
  return {
    site: site.id,
    hosts: [served.host],
    files: rep.reports.filter((r) => r.file).map((report) => ({ report, dir: served.files })),
    route(req) {
      const path = req.url.pathname;
      if (!path.startsWith(`${prefix}/`)) return null;
      const rest = path.slice(prefix.length);
      const html = (body: string): Reply => ({ status: 200, body, type: 'text/html; charset=utf-8' });
      if (rest === '/gkmlpt/index' || rest === '/gkmlpt/mindex') return html(shellPage(rep, prefix, 'index', rep.category.shownIn === 'tree'));
      if (rest === '/gkmlpt/annualreport') return html(shellPage(rep, prefix, 'annualreport', rep.category.shownIn !== 'none'));
      const api = /^\/gkmlpt\/api\/all\/(\d+)$/.exec(rest);
      if (api) {
        const sid = req.url.searchParams.get('sid');
        // a wrong sid is refused (assumed); none is accepted (Dongguan towns call without it: gkmlpt-other-sources.md §E)
        if (sid !== null && sid !== rep.sid) return { status: 400, body: '{"errcode":-1}', type: 'application/json' };
        if (api[1] !== rep.category.id || rep.category.shownIn === 'none') return { status: 404, body: 'not found', type: 'text/plain' };
        return apiAnswer(rep, posts(rep, prefix, req.mode), Number(req.url.searchParams.get('page') ?? 1), origin, prefix);
      }
      const id = postIdOf(path);
      const post = id ? posts(rep, prefix, req.mode).find((p) => p.id === id && p.report) : undefined;
      if (post?.report && (path === new URL(postPageUrl(origin + prefix, post.id)).pathname || (rep.nfcmsColumn && rest === `${rep.nfcmsColumn}/content/post_${post.id}.html`))) {
        return { ...html(contentPage(rep, post, post.report, req.mode)), modified: new Date(unix(post.report.pub) * 1000) };
      }
      const att = reportsIn(rep.reports, req.mode).find((r) => r.attachment && new URL(r.attachment, origin).pathname === path);
      if (att?.file) return { status: 200, body: fileBytes(att.file), type: att.format === 'doc' ? 'application/msword' : 'application/pdf', modified: new Date(unix(att.pub) * 1000) };
      return null;
    },
    expected(mode: Mode): ExpectedReport[] {
      if (rep.category.shownIn === 'none') return [];
      return reportsIn(rep.reports, mode).map((r) => {
        const articleUrl = `${origin}${r.path}`;
        const att = attachmentHref(r);
        return { host: served.host, url: att ? new URL(att, origin).href : articleUrl, articleUrl, title: reportTitleOf(r), values: reportValues(r, mode), format: r.format };
      });
    },
  };
}

/**
 * The replica of a gkmlpt site without replica.yml, from its site.yml: its SID (params) or a made-up
 * one, its evidenced category (start `#<id>`, params) or a made-up one in TREE, one HTML report per
 * year of GENERATED_YEARS on one page of 100 (the page size china-governance saw), no fillers.
 */
export function generatedGkmlptReplica(site: Site): GkmlptReplica {
  const h = idHash(site.id);
  const base = gkmlptBase(site.start[0] ?? '');
  const prefix = new URL(base).pathname.replace(/\/$/, '');
  const p = site.params.gkmlpt ?? {};
  const named = site.start.map((u) => /#(\d+)$/.exec(u)?.[1]).find(Boolean) ?? p.category;
  const seeds = Object.keys(SEEDS) as SeedId[];
  return {
    siteName: site.name,
    sid: p.sid ?? String(100 + (h % 900_000)),
    category: { id: named ?? String(2000 + (h % 8000)), name: '政府信息公开年报', shownIn: 'tree' },
    paging: 'batches',
    perPage: 100,
    hiddenPosts: 0,
    escapeTitles: false,
    relist: false,
    fillers: 0,
    reports: GENERATED_YEARS.map((year, i) => {
      const id = String(5_000_000 + ((h >>> 4) % 4_000_000) + i * 1013);
      const day = 10 + ((h >>> 3) % 15) + i;
      return {
        seed: seeds[(h + i) % seeds.length] ?? 'seed000',
        scale: 1 + ((h >>> 5) % 7),
        agency: site.name,
        year,
        pub: `${year + 1}-01-${String(day).padStart(2, '0')} 10:00`,
        path: new URL(postPageUrl(`http://h${prefix}`, id)).pathname,
        format: 'html' as const,
      };
    }),
  };
}

export const gkmlptReplica: PlatformReplica = {
  platform: 'gkmlpt',
  load(site: Site, yml: unknown, served: Served, file: string): ServedReplica {
    if (yml === null) return serveGkmlpt(site, generatedGkmlptReplica(site), served);
    const r = GkmlptReplicaSchema.safeParse(yml);
    if (!r.success) throw new Error(`replica-invalid: ${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    return serveGkmlpt(site, r.data, served);
  },
};

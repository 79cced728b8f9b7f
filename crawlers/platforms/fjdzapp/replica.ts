/**
 * The replica of a Fujian TRS portal (platform fjdzapp) for the replay server: its annual-report
 * column as a static first page plus the `POST /fjdzapp/search` JSON API, report pages, and the
 * portal's quirks. Evidence for each behaviour: shared/evidence/other-provinces/fujian-trs-fjdzapp.md
 * (cited below as §n) and PLATFORMS.md §2.3; what is not in the evidence says `assumed`.
 *
 * replica.yml beside site.yml (all optional but `reports`; a site without one gets a generated
 * replica from its site.yml):
 *   siteName     <meta name="SiteName">                                  (§1)
 *   chnlid       the column id, <meta name="ChnlId"> and classsql           (§1: 1813)
 *   searchId     the SiteInfo document library, the API's channelid        (§1: 200210; §4: 229105)
 *   column       the column's directory on the host (default: the start URL's)
 *   discovery    the column is reached from the home page through 政府信息公开 (assumed path)
 *   prepage      rows of the static first page                             (§1: 10)
 *   reports      seed reports (testkit/replay/replica-reports.ts); a path ending in .pdf is listed
 *                as the document itself, its docpuburl a PDF (PLATFORMS.md §3 "Attachments")
 *   others       non-report documents of the column                         (§1: 关于2014年…工作要点落实情况的函)
 *   removed      listed documents whose page is the removed-document stub   (§3: meta refresh to ../)
 *   blip         paths the firewall answers with 2 bytes until the home page was visited (§3)
 *   fillers      more non-report rows, so the column runs past its static page (assumed titles)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Site } from '../../../src/crawl/registry.ts';
import type { PlatformReplica, Reply, ReplicaRequest, Served, ServedReplica } from '../../../testkit/replay/platform-replica.ts';
import {
  GENERATED_YEARS,
  idHash,
  ReportSchema,
  reportsIn,
  reportTitleOf,
  reportValues,
  type ExpectedReport,
  type Mode,
  type ReplicaReport,
  type SeedId,
} from '../../../testkit/replay/replica-reports.ts';
import { renderReportHtml } from '../../../testkit/reports/report-html.ts';

const ItemSchema = z
  .object({
    title: z.string().min(1),
    pub: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
    path: z.string().startsWith('/'),
  })
  .strict();

export const FjReplicaSchema = z
  .object({
    siteName: z.string().min(1),
    chnlid: z.string().regex(/^\d+$/),
    searchId: z.string().regex(/^\d+$/),
    column: z.string().regex(/^\/(?:.*\/)?$/).optional(),
    discovery: z.boolean().default(false),
    prepage: z.number().int().positive().default(10),
    reports: z.array(ReportSchema),
    others: z.array(ItemSchema).default([]),
    removed: z.array(ItemSchema).default([]),
    blip: z.array(z.string().startsWith('/')).default([]),
    fillers: z.number().int().min(0).default(0),
  })
  .strict();

export type FjReplica = z.infer<typeof FjReplicaSchema>;

const HTML = 'text/html; charset=utf-8';
/** a Fujian portal cookie (§4 "Cookies seen in Fujian spiders"), set by the home page here */
const HOME_COOKIE = '_gscu_1267028586';
/** §3, verbatim from the Pingtan crawler's comment */
const REMOVED_STUB = '<meta http-equiv="refresh" content="0;URL=../" />';
const OPEN_GOV_PATH = '/zwgk/zfxxgk/'; // assumed
const DEFAULT_COLUMN = '/zwgk/zfxxgk/zfxxgknb/'; // the Pingtan column's path (§2 Url meta); assumed on other hosts
const FILLER_TITLES = ['关于{y}年政府信息公开工作要点落实情况的函', '{y}年政务公开工作要点', '关于公布{y}年度政府信息公开工作考核结果的通知']; // assumed

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Entry {
  title: string;
  pub: string;
  path: string;
  docid: string;
}

function docidOf(path: string): string {
  return /_(\d+)\.\w+$/.exec(path)?.[1] ?? String(idHash(path) % 1_000_000);
}

/** Every row of the column, newest first (the API's sortfield -docorderpri,-docreltime; §1). */
function entries(rep: FjReplica, column: string, mode: Mode): Entry[] {
  const out: Entry[] = [
    ...reportsIn(rep.reports, mode).map((r) => ({ title: reportTitleOf(r), pub: r.pub, path: r.path, docid: docidOf(r.path) })),
    ...[...rep.others, ...rep.removed].map((i) => ({ ...i, docid: docidOf(i.path) })),
  ];
  for (let i = 0; i < rep.fillers; i++) {
    const y = 2024 - Math.floor(i / 3);
    const docid = String(60_000 + i * 37);
    const day = `${y}${String(1 + (i % 12)).padStart(2, '0')}15`;
    out.push({ title: (FILLER_TITLES[i % FILLER_TITLES.length] ?? '').replace('{y}', String(y)), pub: `${day.slice(0, 4)}-${day.slice(4, 6)}-15 10:00`, path: `${column}${day.slice(0, 6)}/t${day}_${docid}.htm`, docid });
  }
  return out.sort((a, b) => b.pub.localeCompare(a.pub) || a.path.localeCompare(b.path));
}

function columnPage(rep: FjReplica, column: string, mode: Mode): string {
  const all = entries(rep, column, mode);
  const rows = all
    .slice(0, rep.prepage)
    .map((e) => {
      const href = e.path.startsWith(column) ? `./${e.path.slice(column.length)}` : e.path;
      // the static row of §1
      return `<dl>
    <dd class="trt-col-sm-24 slb-trt-col-24 text_align_left">
        <a href="${esc(href)}" target="_blank" title="${esc(e.title)}">${esc(e.title)}</a>
    </dd>
    <dd class="trt-col-4 trt-col-sm-24 slb-trt-col-24 text_align_left">
        ${e.pub.slice(0, 10)}
    </dd>
</dl>`;
    })
    .join('\n');
  // head meta, SiteInfo and the listModel call of §1
  return `<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<meta name="SiteName" content="${esc(rep.siteName)}"/>
<meta name="ColumnName" content="政府信息公开年报"/>
<meta name="ColumnType" content="政府信息公开年报"/>
<meta name="ChnlId" content="${rep.chnlid}">
<title>政府信息公开年报_${esc(rep.siteName)}</title>
<script>var SiteInfo = { searchId: ${rep.searchId}, defaultPgTemp: "pgBar_pt.html" };</script>
</head><body>
<div class="header"><a href="/">首页</a> &gt; <a href="${OPEN_GOV_PATH}">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="list">
${rows}
<dl ms-if="list.length>0" ms-repeat="list" ms-if-loop="$index<10">
    <dd class="trt-col-sm-24 slb-trt-col-24 text_align_left"><a ms-attr-href="el.chnldocurl" ms-attr-title="el.doctitle" ms-text="el.doctitle|html" target="_blank"></a></dd>
</dl>
</div>
<script>
require(["list2.trsapi", "tools"], function(listModel, tools) {
    listModel({
        quickMode: "动静结合",
        maxStaticIndex: 1,
        listArgs: { channelid: SiteInfo.searchId, classsql: "" || "chnlid=${rep.chnlid}", sortfield: "-docorderpri,-docreltime" },
        pagebar: { prepage: ${rep.prepage}, recordCount: '${all.length}', pgTemp: "pgBar_xxgk.html", pgCountMode: "recordCount", displayNum: 2 }
    });
});
</script>
</body></html>
`;
}

/** The API's answer (§3, §4): data[] with doctitle, docpuburl, chnldocurl, docreltime, docid, chnlid; pageCount. */
async function searchAnswer(rep: FjReplica, served: Served, column: string, req: ReplicaRequest): Promise<Reply> {
  if (req.method !== 'POST') return { status: 405, body: 'Request method GET not supported', type: 'text/plain' };
  const form = new URLSearchParams((await req.body()).toString('utf8'));
  const page = Number(form.get('page') ?? 1);
  const prepage = Number(form.get('prepage') ?? 15);
  const mine = form.get('channelid') === rep.searchId && form.get('classsql') === `chnlid=${rep.chnlid}`;
  // another library or column holds other documents, none of this column's (assumed: an empty answer)
  const all = mine ? entries(rep, column, req.mode) : [];
  const ok = Number.isInteger(page) && page >= 1 && Number.isInteger(prepage) && prepage >= 1;
  const rows = ok ? all.slice((page - 1) * prepage, page * prepage) : [];
  const data = rows.map((e) => {
    const url = `${served.scheme}://${served.host}${e.path}`;
    return { docid: e.docid, chnlid: rep.chnlid, doctitle: e.title, docpuburl: url, chnldocurl: url, docreltime: `${e.pub}:00`, pubdate: `${e.pub}:00` };
  });
  return { status: 200, body: JSON.stringify({ data, pageCount: ok ? Math.ceil(all.length / prepage) : 0 }), type: 'application/json;charset=UTF-8' };
}

function plainArticle(title: string, pub: string, siteName: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="ArticleTitle" content="${esc(title)}"><meta name="PubDate" content="${pub}"><title>${esc(title)}</title></head>
<body><h1>${esc(title)}</h1><div class="TRS_Editor"><p>${esc(siteName)}。</p></div></body></html>`;
}

function served(rep: FjReplica, s: Served, site: Site): ServedReplica {
  const start = new URL(site.start[0] ?? `${s.scheme}://${s.host}/`);
  const column = rep.column ?? (rep.discovery ? DEFAULT_COLUMN : start.pathname.replace(/[^/]*$/, ''));
  const files = new Map<string, Buffer>();
  const fileBytes = (name: string): Buffer => {
    if (!files.has(name)) files.set(name, readFileSync(join(s.files, name)));
    return files.get(name)!;
  };
  return {
    site: s.site,
    hosts: [s.host],
    async route(req: ReplicaRequest): Promise<Reply | null> {
      const path = req.url.pathname;
      if (path === '/fjdzapp/search') return searchAnswer(rep, s, column, req);
      if (path === '/' || path === '/index.htm' || path === '/index.html') {
        const nav = rep.discovery ? `<a href="${OPEN_GOV_PATH}">政府信息公开</a>` : '';
        return { status: 200, body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(rep.siteName)}</title></head><body><div class="nav"><a href="/">首页</a> ${nav}</div></body></html>`, type: HTML, headers: { 'Set-Cookie': `${HOME_COOKIE}=${s.site}; Path=/` } };
      }
      if (rep.discovery && path === OPEN_GOV_PATH) {
        return { status: 200, body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开</title></head><body><ul><li><a href="${column}">政府信息公开年报</a></li><li><a href="${OPEN_GOV_PATH}zfxxgkzn/">政府信息公开指南</a></li></ul></body></html>`, type: HTML };
      }
      if (path === column || path === `${column}index.htm` || path === `${column}index.html`) return { status: 200, body: columnPage(rep, column, req.mode), type: HTML };
      if (rep.blip.includes(path) && req.cookie(HOME_COOKIE) === null) return { status: 200, body: '\r\n', type: HTML };
      if (rep.removed.some((r) => r.path === path)) return { status: 200, body: REMOVED_STUB, type: HTML };
      const r = reportsIn(rep.reports, req.mode).find((x) => x.path === path);
      if (r) {
        const pub = new Date(`${r.pub.replace(' ', 'T')}:00+08:00`);
        if (r.format === 'pdf') return { status: 200, body: fileBytes(r.file ?? ''), type: 'application/pdf', modified: pub };
        const v = reportValues(r, req.mode);
        return { status: 200, body: renderReportHtml(v, { title: reportTitleOf(r), publishedAt: r.pub, contentSource: r.agency, container: 'TRS_Editor' }), type: HTML, modified: pub };
      }
      const other = entries(rep, column, req.mode).find((e) => e.path === path);
      return other ? { status: 200, body: plainArticle(other.title, other.pub, rep.siteName), type: HTML } : null;
    },
    files: rep.reports.filter((r) => r.file).map((report) => ({ report, dir: s.files })),
    expected(mode: Mode): ExpectedReport[] {
      return reportsIn(rep.reports, mode).map((r) => {
        const url = `${s.scheme}://${s.host}${r.path}`;
        return { host: s.host, url, articleUrl: url, title: reportTitleOf(r), values: reportValues(r, mode), format: r.format };
      });
    },
  };
}

const GENERATED_SEEDS: SeedId[] = ['seed000', 'seed002', 'seed003'];

/** A replica from site.yml alone: one report a year (2022–2024) among filler rows past the static page. */
export function generatedFjReplica(site: Site): FjReplica {
  const h = idHash(site.id);
  const discovery = site.starts[0]?.evidence === null;
  const start = new URL(site.start[0] ?? '');
  const column = discovery ? DEFAULT_COLUMN : start.pathname.replace(/[^/]*$/, '');
  const reports: ReplicaReport[] = GENERATED_YEARS.map((year, i) => {
    const docid = 100_000 + ((h >>> 5) % 800_000) + i;
    const day = `${year + 1}0${3 - (i % 2)}1${i}`;
    return {
      seed: GENERATED_SEEDS[i % GENERATED_SEEDS.length] ?? 'seed002',
      scale: 2 + ((h >>> (3 * i)) % 7),
      agency: site.name,
      year,
      pub: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)} 09:30`,
      path: `${column}${day.slice(0, 6)}/t${day}_${docid}.htm`,
      format: 'html',
    };
  });
  return FjReplicaSchema.parse({
    siteName: site.name,
    chnlid: String(1000 + (h % 90_000)),
    searchId: site.params.fjdzapp?.channelid ?? String(200_000 + ((h >>> 7) % 1000)),
    discovery,
    reports,
    fillers: 9 + (h % 5),
  });
}

export const fjdzappReplica: PlatformReplica = {
  platform: 'fjdzapp',
  load(site: Site, yml: unknown, s: Served, file: string): ServedReplica {
    if (yml === null) return served(generatedFjReplica(site), s, site);
    const r = FjReplicaSchema.safeParse(yml);
    if (!r.success) throw new Error(`replica-invalid: ${file}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return served(r.data, s, site);
  },
};

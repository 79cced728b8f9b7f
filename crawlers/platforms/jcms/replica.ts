/**
 * The jcms replica shapes for the replay server (PlatformReplica, `jcmsReplica` below): the Zhejiang
 * portal shapes (replica/schema.ts, replica/pages.ts, served by replica/portal.ts), and here the
 * replicas of Hanweb portals outside Zhejiang: the deltas of
 * shared/evidence/other-provinces/PLATFORMS.md §2.4 to the Zhejiang jcms shapes, one `variant` each:
 *
 * - `ranges` (Jiangsu, www.jiangsu.gov.cn): the column page shows its first records as HTML rows
 *   `ul.RcontUl li.clearfix > a[title] + span.time` and names the GET proxy in its jpage call; the
 *   rest comes from `GET /module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=&columnid=&unitid=&webid=`,
 *   whose rows carry dates split across lines ("2026-\n01-\n23") (sichuan-hubei-shandong-jiangsu.md,
 *   cms-dialects-china-governance.md crawlers/jiangsu.py).
 * - `html` (Shandong): the /col/ index HTML lists its /art/ links directly and the data proxy
 *   returns empty (sichuan-hubei-shandong-jiangsu.md, crawlers/govcms.py note). That the page keeps an
 *   empty jpage `<datastore>` is assumed.
 * - `encrypted` (国家医保局, 广电总局): the column page embeds its first group (page 0, ~45 records)
 *   and a `<nextgroup>` with encrypted parameters that answers an empty 54-byte body
 *   (cms-dialects-china-governance.md crawlers/trs.py). The replica's reports are all on page 0; older
 *   filler records lie behind the broken proxy (assumed).
 * - `jpaas` (工信部): a JS shell whose unit script calls
 *   `/api-gateway/jpaas-publish-server/front/page/build/unit` with `parseType=buildstatic`, 32-hex
 *   webId/tplSetId/pageId and `tagId=栏目1板块`, paged by `paramJson={"pageNo":N,"pageSize":M}`; the
 *   answer is `{success, data:{html}}` with `count="N"` in the html, rows `<p><a>…</a><span>date</span></p>`,
 *   reports at `<column dir>/art/<year>/art_<32 hex>.html` (central-ministries-annual-report-crawlers.md §4).
 *   A misspelt parseType is refused (assumed), so the crawler must read it from the shell.
 *
 * The column is the site's first start URL when it is a column (a /col/ page, or for jpaas any
 * page); a site that starts from its home page gets home → 政府信息公开 page → 政府信息公开年报 column
 * (a made-up id), as jcms discovery expects. Reports: one per year of GENERATED_YEARS (agency: the
 * site's name), or those replica.yml lists. Sites without a replica.yml (or whose replica.yml has no
 * `variant`) get the jcms portal replica of the Zhejiang shapes (replica/schema.ts, replica/portal.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { columnIdOf, type Site } from '../../../src/crawl/registry.ts';
import { renderReportHtml } from '../../../testkit/reports/report-html.ts';
import type { PlatformReplica, Reply, Served, ServedReplica } from '../../../testkit/replay/platform-replica.ts';
import { GENERATED_YEARS, idHash, ReportSchema, reportsIn, reportTitleOf, reportValues, SEEDS, type ExpectedReport, type Mode, type ReplicaReport, type SeedId } from '../../../testkit/replay/replica-reports.ts';
import { JcmsPortalReplica } from './replica/portal.ts';
import { generatedReplica, JcmsReplicaSchema } from './replica/schema.ts';

export { challengeAnswer, CHALLENGE_COOKIE, JcmsPortalReplica } from './replica/portal.ts';

const VARIANTS = ['ranges', 'html', 'encrypted', 'jpaas'] as const;
type Variant = (typeof VARIANTS)[number];

export const HanwebReplicaSchema = z
  .object({
    variant: z.enum(VARIANTS),
    siteName: z.string().optional(),
    /** jpage webid (ranges: www.jiangsu.gov.cn uses 1), or the jpaas 32-hex webId */
    webid: z.string().regex(/^(\d+|[0-9a-f]{32})$/).optional(),
    /** jpaas tplSetId and pageId (32 hex: miit's are in central-ministries-annual-report-crawlers.md §4) */
    tplSetId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
    pageId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
    /** jpage unitid (ranges: www.jiangsu.gov.cn uses 356383) */
    unitid: z.string().regex(/^\d+$/).optional(),
    /** the 政府信息公开 column a home-page start reaches first (ranges: www.jiangsu.gov.cn col84239) */
    xxgkCol: z.string().regex(/^\d+$/).optional(),
    /** records per page: ranges 20 (jiangsu.py `_PAGE_SIZE = 20  # jpage default perPage`), encrypted page 0 45, jpaas 15 */
    perPage: z.number().int().positive().optional(),
    /** other records of the column besides the reports */
    fillers: z.number().int().min(0).optional(),
    reports: z.array(ReportSchema).min(1).optional(),
  })
  .strict();

export type HanwebReplicaYml = z.infer<typeof HanwebReplicaSchema>;

interface Entry {
  href: string;
  title: string;
  date: string;
}

const HTML = 'text/html; charset=UTF-8';
const XML = 'text/xml;charset=UTF-8';
const JSON_TYPE = 'application/json;charset=UTF-8';
export const WEB_PROXY = '/module/web/jpage/dataproxy.jsp';
export const JPAAS_UNIT = '/api-gateway/jpaas-publish-server/front/page/build/unit';
/** the list unit's tag on miit's 年报 column (central-ministries-annual-report-crawlers.md §4) */
export const JPAAS_LIST_TAG = '栏目1板块';
/** the answer of the encrypted nextgroup: "often returns an empty 54-byte body" (crawlers/trs.py); its bytes are assumed */
export const EMPTY_54 = `${' '.repeat(52)}\r\n`;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const hex32 = (s: string): string => createHash('md5').update(s).digest('hex');

const FILLER_TITLES = ['关于印发{c}数字政府建设实施方案的通知', '{c}{y}年国民经济和社会发展统计公报', '{c}政务公开工作要点', '{c}{y}年法治政府建设情况报告', '{c}重大行政决策事项目录'];

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** One served Hanweb replica of the variants above. */
export class HanwebReplica implements ServedReplica {
  readonly site: string;
  readonly hosts: string[];
  readonly variant: Variant;
  readonly name: string;
  readonly webid: string;
  readonly unitid: string;
  readonly tplSetId: string;
  readonly perPage: number;
  /** the column page's path and its id (jpaas: its 32-hex pageId) */
  readonly columnPath: string;
  readonly columnId: string;
  /** home-page start: the 政府信息公开 page that links the column */
  readonly xxgkPath: string | null;
  readonly reports: ReplicaReport[];
  private readonly fillers: number;
  private readonly served: Served;

  constructor(site: Site, yml: HanwebReplicaYml, served: Served) {
    const h = idHash(site.id);
    const start = new URL(site.start[0] ?? '');
    this.served = served;
    this.site = site.id;
    this.hosts = [served.host];
    this.variant = yml.variant;
    this.name = yml.siteName ?? site.name;
    this.webid = yml.webid ?? (this.variant === 'jpaas' ? hex32(`${site.id}/web`) : String(1 + (h % 900)));
    this.unitid = yml.unitid ?? String(300_000 + (h % 600_000));
    this.tplSetId = yml.tplSetId ?? hex32(`${site.id}/tplset`);
    this.perPage = yml.perPage ?? { ranges: 20, html: 20, encrypted: 45, jpaas: 15 }[this.variant];
    this.fillers = yml.fillers ?? { ranges: 47, html: 12, encrypted: 60, jpaas: 20 }[this.variant];
    const isColumn = this.variant === 'jpaas' ? start.pathname !== '/' : columnIdOf(start.href) !== null;
    this.columnPath = isColumn ? start.pathname : `/col/col${1_000_000 + ((h >>> 9) % 8_000_000)}/index.html`;
    this.columnId = this.variant === 'jpaas' ? (yml.pageId ?? hex32(`${site.id}/page`)) : (columnIdOf(`${start.origin}${this.columnPath}`) ?? '0');
    this.xxgkPath = isColumn ? null : `/col/col${yml.xxgkCol ?? String(900_000 + ((h >>> 5) % 90_000))}/index.html`;
    this.reports = yml.reports ?? this.generatedReports(h);
  }

  private generatedReports(h: number): ReplicaReport[] {
    const seeds = Object.keys(SEEDS) as SeedId[];
    const dir = this.columnPath.replace(/[^/]*$/, '');
    return GENERATED_YEARS.map((year, i) => {
      const d = 10 + ((h >>> 3) % 15) + i;
      const path = this.variant === 'jpaas' ? `${dir}art/${year + 1}/art_${hex32(`${this.site}/${year}`)}.html` : `/art/${year + 1}/1/${d}/art_${this.columnId}_${100_000 + ((h >>> 7) % 800_000) + i}.html`;
      return { seed: seeds[(h + i) % seeds.length] ?? 'seed000', scale: 1 + ((h >>> 5) % 7), agency: this.name, year, pub: `${year + 1}-01-${String(d).padStart(2, '0')} 10:00`, path, format: 'html' as const };
    });
  }

  /**
   * The column's records, newest first: reports among filler news. encrypted: the fillers are split
   * so that page 0 (the first perPage records) holds every report and older fillers lie behind the proxy.
   */
  entries(mode: Mode): Entry[] {
    const out: Entry[] = reportsIn(this.reports, mode).map((r) => ({ href: r.path, title: reportTitleOf(r), date: r.pub.slice(0, 10) }));
    const reportDates = out.map((e) => e.date).sort();
    const newest = reportDates[reportDates.length - 1] ?? '2025-01-01';
    const oldest = reportDates[0] ?? '2023-01-01';
    const city = this.name.replace(/门户网站$/, '').replace(/人民政府$/, '');
    const dir = this.columnPath.replace(/[^/]*$/, '');
    const newer = this.variant === 'encrypted' ? Math.min(this.fillers, Math.max(0, this.perPage - out.length - 5)) : this.fillers;
    for (let i = 0; i < this.fillers; i++) {
      // newer fillers go back from mid-2025, the others back from before the oldest report
      const from = i < newer ? Date.UTC(2025, 5, 30) : Date.parse(`${oldest}T00:00:00Z`) - 86400_000 * 30;
      const k = i < newer ? i : i - newer;
      const step = i < newer && this.variant === 'encrypted' ? Math.max(1, Math.floor((from - Date.parse(`${newest}T00:00:00Z`)) / 86400_000 / (newer + 1))) : 9;
      const date = day(new Date(from - k * step * 86400_000));
      const title = (FILLER_TITLES[i % FILLER_TITLES.length] ?? '').replace('{c}', city).replace('{y}', date.slice(0, 4));
      const [y, m, d] = date.split('-').map(Number);
      const href = this.variant === 'jpaas' ? `${dir}art/${y}/art_${hex32(`${this.site}/filler/${i}`)}.html` : `/art/${y}/${m}/${d}/art_${this.columnId}_${7_000_000 + i}.html`;
      out.push({ href, title, date });
    }
    return out.sort((a, b) => b.date.localeCompare(a.date));
  }

  /** a Jiangsu row: `li.clearfix > a[title] + span.time`, the date split across lines as in the proxy answers */
  private jiangsuRow(e: Entry): string {
    const [y, m, d] = e.date.split('-');
    return `<li class="clearfix">\n<a href="${esc(e.href)}" title="${esc(e.title)}" target="_blank">${esc(e.title)}</a>\n<span class="time">\n            ${y}-\n            ${m}-\n            ${d}\n        </span>\n<span class="jds">${esc(this.name)}</span>\n</li>`;
  }

  private page(title: string, body: string): string {
    return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="SiteName" content="${esc(this.name)}"><meta name="ColumnName" content="${esc(title)}"><title>${esc(title)}_${esc(this.name)}</title></head>
<body>
<div class="top"><a href="/">首页</a> ${this.xxgkPath ? `<a href="${this.xxgkPath}">政府信息公开</a>` : ''}</div>
${body}
<div class="footer">主办：${esc(this.name)}</div>
</body></html>
`;
  }

  private columnPage(mode: Mode): string {
    const entries = this.entries(mode);
    const crumb = `<div class="crumb"><a href="/">首页</a> &gt; 政府信息公开 &gt; 政府信息公开年报</div>`;
    const jpage = (extra: string): string => `<script language="javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>
<script language="javascript">
$(document).ready(function () {
  $('#${this.unitid}').jpage({ ${extra}proxyUrl: '${WEB_PROXY}', dataStore: dataStore,
    ajaxParam: { columnid: ${this.columnId}, unitid: ${this.unitid}, webid: ${this.webid} } });
});
</script>`;
    if (this.variant === 'ranges') {
      const rows = entries.slice(0, this.perPage).map((e) => this.jiangsuRow(e)).join('\n');
      return this.page('政府信息公开年报', `${crumb}\n<div id="${this.unitid}"><ul class="RcontUl">\n${rows}\n</ul></div>\n${jpage(`totalRecord: ${entries.length}, perPage: ${this.perPage}, `)}`);
    }
    if (this.variant === 'html') {
      const rows = entries.map((e) => `<li><a href="${esc(e.href)}" title="${esc(e.title)}" target="_blank">${esc(e.title)}</a><span>${e.date}</span></li>`).join('\n');
      return this.page('政府信息公开年报', `${crumb}\n<div id="${this.unitid}"><script type="text/xml"><datastore><recordset></recordset></datastore></script></div>\n<div class="list"><ul>\n${rows}\n</ul></div>\n${jpage('')}`);
    }
    if (this.variant === 'encrypted') {
      const first = entries.slice(0, this.perPage);
      const records = first.map((e) => `<record><![CDATA[\n<li><a href="${esc(e.href)}" title="${esc(e.title)}" target="_blank">${esc(e.title)}</a><span>${e.date}</span></li>\n]]></record>`).join('\n');
      const next = `${WEB_PROXY}?page=1&webid=${this.cipher('webid')}&columnid=${this.cipher('columnid')}&unitid=${this.cipher('unitid')}&permissiontype=0`;
      return this.page('政府信息公开年报', `${crumb}\n<div id="${this.unitid}"><script type="text/xml"><datastore>\n<nextgroup><![CDATA[<a href="${esc(next)}"></a>]]></nextgroup>\n<recordset>\n${records}\n</recordset>\n</datastore></script></div>`);
    }
    const q = `{'parseType':'buildstatic','webId':'${this.webid}','tplSetId':'${this.tplSetId}','pageType':'column','tagId':'${JPAAS_LIST_TAG}','editType':'null','pageId':'${this.columnId}'}`;
    return this.page(
      '政府信息公开年报',
      `${crumb}\n<div class="clist_con">\n  <script id="${hex32(`${this.site}/unit`)}" src="/cms_files/default/script/AuthorizedRead/unitbuild.js?v=3.1.3-GXB" webId="${this.webid}" parseType="buildstatic" url="${JPAAS_UNIT}" queryData="${q}">\n  </script>\n</div>`,
    );
  }

  /** an encrypted proxy parameter (its cipher is assumed: the evidence only says the values are encrypted) */
  private cipher(name: string): string {
    return Buffer.from(hex32(`${this.site}/${name}`), 'hex').toString('base64').replace(/=+$/, '');
  }

  private proxy(url: URL, mode: Mode): Reply {
    if (this.variant === 'encrypted') return { status: 200, body: EMPTY_54, type: XML };
    const q = url.searchParams;
    if (q.get('columnid') !== this.columnId || q.get('unitid') !== this.unitid || q.get('webid') !== this.webid) return { status: 400, body: 'columnid/unitid/webid missing or wrong', type: 'text/plain' };
    // Shandong: "dataproxy.jsp returns empty"
    if (this.variant === 'html') return { status: 200, body: '<?xml version="1.0" encoding="UTF-8"?>\n<datastore><recordset></recordset></datastore>\n', type: XML };
    if (this.variant !== 'ranges') return { status: 404, body: 'not found', type: 'text/plain' };
    const from = Number(q.get('startrecord'));
    const to = Number(q.get('endrecord'));
    // the Jiangsu request names record ranges (jiangsu.py), not page=N
    if (!(from >= 1 && to >= from)) return { status: 400, body: 'startrecord/endrecord required', type: 'text/plain' };
    const entries = this.entries(mode);
    const per = Number(q.get('perpage') ?? this.perPage) || this.perPage;
    const rows = entries.slice(from - 1, to).map((e) => `<record><![CDATA[\n${this.jiangsuRow(e)}\n]]></record>`).join('\n');
    return { status: 200, body: `<?xml version="1.0" encoding="UTF-8"?>\n<datastore><totalrecord>${entries.length}</totalrecord><totalpage>${Math.max(1, Math.ceil(entries.length / per))}</totalpage><recordset>\n${rows}\n</recordset></datastore>\n`, type: XML };
  }

  private jpaasUnit(url: URL, mode: Mode): Reply {
    const q = url.searchParams;
    if (q.get('parseType') !== 'buildstatic' || q.get('webId') !== this.webid || q.get('tplSetId') !== this.tplSetId || q.get('pageId') !== this.columnId || q.get('tagId') !== JPAAS_LIST_TAG) {
      return { status: 400, body: '{"success":false,"message":"参数错误"}', type: JSON_TYPE };
    }
    let pj: { pageNo?: unknown; pageSize?: unknown } = {};
    try {
      pj = JSON.parse(q.get('paramJson') ?? '{}') as typeof pj;
    } catch {
      return { status: 400, body: '{"success":false,"message":"paramJson"}', type: JSON_TYPE };
    }
    const pageNo = Math.max(1, Number(pj.pageNo ?? 1) || 1);
    const pageSize = Math.max(1, Number(pj.pageSize ?? this.perPage) || this.perPage);
    const entries = this.entries(mode);
    const rows = entries.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((e) => `<p><a href="${esc(e.href)}" target="_blank">${esc(e.title)}</a><span>${e.date}</span></p>`);
    const html = `<div class="page-list" count="${entries.length}" pageSize="${pageSize}">\n${rows.join('\n')}\n</div>`;
    return { status: 200, body: JSON.stringify({ success: true, data: { html } }), type: JSON_TYPE };
  }

  route(req: { method: string; url: URL; mode: Mode }): Reply | null {
    const path = req.url.pathname;
    if (path === '/' || path === '/index.html') {
      return { status: 200, body: this.page(this.name, `<div class="nav"><a href="/">首页</a> ${this.xxgkPath ? `<a href="${this.xxgkPath}">政府信息公开</a>` : ''} <a href="/col/col1/index.html">要闻动态</a></div>`), type: HTML };
    }
    if (this.xxgkPath && path === this.xxgkPath) {
      return { status: 200, body: this.page('政府信息公开', `<ul><li><a href="/col/col2/index.html">政府信息公开指南</a></li><li><a href="${this.columnPath}">政府信息公开年报</a></li></ul>`), type: HTML };
    }
    if (path === this.columnPath) return { status: 200, body: this.columnPage(req.mode), type: HTML };
    if (path === WEB_PROXY && this.variant !== 'jpaas') return this.proxy(req.url, req.mode);
    if (path === JPAAS_UNIT && this.variant === 'jpaas') return this.jpaasUnit(req.url, req.mode);
    const r = reportsIn(this.reports, req.mode).find((x) => x.path === path);
    if (r) return { status: 200, body: renderReportHtml(reportValues(r, req.mode), { title: reportTitleOf(r), publishedAt: r.pub, contentSource: r.agency }), type: HTML, modified: new Date(`${r.pub.replace(' ', 'T')}:00+08:00`) };
    return null;
  }

  expected(mode: Mode): ExpectedReport[] {
    return reportsIn(this.reports, mode).map((r) => {
      const url = `${this.served.scheme}://${this.served.host}${r.path}`;
      return { host: this.served.host, url, articleUrl: url, title: reportTitleOf(r), values: reportValues(r, mode), format: r.format };
    });
  }
}

/**
 * The jcms platform's replica shapes: a replica.yml with a `variant` (above, Hanweb outside
 * Zhejiang); any other replica.yml is a jcms portal (replica/schema.ts, served by
 * replica/portal.ts), and a site without one gets the portal generated from its site.yml.
 */
export const jcmsReplica: PlatformReplica = {
  platform: 'jcms',
  load(site: Site, yml: unknown, served: Served, file: string): ServedReplica {
    if (yml !== null && typeof yml === 'object' && 'variant' in yml) {
      const r = HanwebReplicaSchema.safeParse(yml);
      if (!r.success) throw invalid(file, r.error);
      if (r.data.reports?.some((x) => x.format !== 'html')) throw new Error(`replica-invalid: ${file}: reports: only html reports are served by the ${r.data.variant} variant`);
      return new HanwebReplica(site, r.data, served);
    }
    const portal = JcmsReplicaSchema.safeParse(yml ?? generatedReplica(site));
    if (!portal.success) throw invalid(file, portal.error);
    return new JcmsPortalReplica({ ...portal.data, ...served });
  },
};

function invalid(file: string, error: z.ZodError): Error {
  return new Error(`replica-invalid: ${file}: ${error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
}

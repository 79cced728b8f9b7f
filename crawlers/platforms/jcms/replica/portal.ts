/**
 * One served jcms portal replica (replica/schema.ts): its pages (replica/pages.ts) on the site's
 * host, and the behaviours a polite crawler must handle there: robots.txt, a 429 with Retry-After
 * on the data proxy once per replay server, a host behind a JavaScript cookie challenge (412 until
 * a browser has run the page's script), redirects, attachments served as octet-stream, table
 * pictures. Its listed extra links add hosts: pre-2019 GBK-encoded pages on an old platform's own
 * host, and attachments on a file mirror (an absolute URL on another host, which other sites'
 * replicas may share: the replay server asks each in turn).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Reply, ReplicaRequest, ServedReplica } from '../../../../testkit/replay/platform-replica.ts';
import { reportArticlePage, reportsIn, reportTitleOf, reportValues, type ExpectedReport, type Mode, type ReplicaReport } from '../../../../testkit/replay/replica-reports.ts';
import { classicProxyXml, columnPage, disclosurePage, groupProxyXml, homePage, jpaasUnitJson, legacyPage, openGovPage, perPageOf, stubPage } from './pages.ts';
import type { ExtraLink, ReplicaHost } from './schema.ts';

const HTML = 'text/html; charset=UTF-8';
const XML = 'text/xml;charset=UTF-8';
/** Last-Modified of the portal's pages (the replicas' epoch) */
const SITE_EPOCH = new Date(Date.UTC(2025, 5, 30, 8, 0, 0));
export const CHALLENGE_COOKIE = 'FSSBBIl1UgzbN7N80T';

function pubDate(r: ReplicaReport): Date {
  return new Date(`${r.pub.replace(' ', 'T')}:00+08:00`);
}

/** What the challenge script computes from the page's token: the cookie value a browser ends up with. */
export function challengeAnswer(token: string): string {
  let v = '';
  for (let i = token.length - 1; i >= 0; i--) v += String.fromCharCode(token.charCodeAt(i) ^ 7);
  return v;
}

function challengePage(token: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta id="9DhefwqGPrzGxEp9hPaoag" content="${token}"><script r="m">(function(){var n=document.getElementById('9DhefwqGPrzGxEp9hPaoag').getAttribute('content');var v='';for(var i=n.length-1;i>=0;i--){v+=String.fromCharCode(n.charCodeAt(i)^7);}document.cookie='${CHALLENGE_COOKIE}='+encodeURIComponent(v)+'; path=/';location.reload();})();</script></head><body></body></html>`;
}

function robots(host: { robotsDisallow?: string[] } | undefined): string {
  const rules = ['/module/search/', ...(host?.robotsDisallow ?? [])];
  return `User-agent: *\n${[...new Set(rules)].map((r) => `Disallow: ${r}`).join('\n')}\n`;
}

export class JcmsPortalReplica implements ServedReplica {
  readonly site: string;
  readonly hosts: string[];
  /** the portal: its replica.yml (or the one generated from its site.yml) and where it is served */
  readonly portal: ReplicaHost;
  /** pre-2019 pages on an old platform's own host, by host and path */
  private readonly legacy: Map<string, ExtraLink>;
  private readonly stubs: Map<string, ExtraLink>;
  /** attachments on a file mirror, by host and path */
  private readonly mirrored: Map<string, ReplicaReport>;
  private readonly mirrorHosts: Set<string>;
  private readonly legacyHosts: Set<string>;
  private readonly bytes = new Map<string, Buffer>();

  constructor(portal: ReplicaHost) {
    this.portal = portal;
    this.site = portal.site;
    const extras = portal.columns.flatMap((c) => (c.extra ?? []).map((e) => ({ link: e, url: new URL(e.href, `${portal.scheme}://${portal.host}/`) })));
    this.legacy = new Map(extras.filter((e) => e.link.legacy).map((e) => [`${e.url.hostname}${e.url.pathname}`, e.link]));
    this.legacyHosts = new Set(extras.filter((e) => e.link.legacy).map((e) => e.url.hostname));
    this.stubs = new Map(extras.filter((e) => e.link.stub).map((e) => [`${e.url.hostname}${e.url.pathname}`, e.link]));
    this.mirrored = new Map(
      portal.columns.flatMap((c) => c.reports).flatMap((r) => (r.attachment?.startsWith('http') ? [[`${new URL(r.attachment).hostname}${new URL(r.attachment).pathname}`, r] as const] : [])),
    );
    this.mirrorHosts = new Set([...this.mirrored.keys()].map((k) => k.slice(0, k.indexOf('/'))));
    this.hosts = [...new Set([portal.host, ...this.legacyHosts, ...this.mirrorHosts])];
  }

  private fileBytes(name: string): Buffer {
    const path = join(this.portal.files, name);
    if (!this.bytes.has(path)) this.bytes.set(path, readFileSync(path));
    return this.bytes.get(path)!;
  }

  robots(host: string): string | null {
    if (host === this.portal.host) return robots(this.portal);
    if (this.legacyHosts.has(host)) return robots(undefined);
    return null;
  }

  async route(req: ReplicaRequest): Promise<Reply | null> {
    const hostName = req.url.hostname;
    if (hostName === this.portal.host) {
      if (this.portal.challenge && req.cookie(CHALLENGE_COOKIE) !== challengeAnswer(req.server.token)) {
        return { status: 412, body: challengePage(req.server.token), type: HTML, headers: { 'Set-Cookie': `FSSBBIl1UgzbN7N80S=${req.server.token.slice(0, 16)}; Path=/; HttpOnly` } };
      }
      return this.portalReply(req);
    }
    const old = this.legacy.get(`${hostName}${req.url.pathname}`);
    if (old) return { status: 200, body: iconv.encode(legacyPage(old, old.legacy!), 'gbk'), type: 'text/html', modified: new Date(`${old.date}T00:00:00Z`) };
    const m = this.mirrored.get(`${hostName}${req.url.pathname}`);
    if (m) return { status: 200, body: this.fileBytes(m.file ?? ''), type: m.format === 'doc' ? 'application/msword' : 'application/pdf', modified: pubDate(m) };
    return null;
  }

  private async portalReply(req: ReplicaRequest): Promise<Reply | null> {
    const host = this.portal;
    const { url, mode } = req;
    const path = url.pathname;
    if (path === '/' && host.redirectHome) return { status: 302, body: '', headers: { Location: '/index.html' } };
    if (path === '/' || path === '/index.html') return { status: 200, body: homePage(host), type: HTML, modified: SITE_EPOCH };
    const col = /^\/col\/col(\d+)\/index\.html$/.exec(path)?.[1];
    if (col) {
      if (col === host.xxgkCol) return { status: 200, body: disclosurePage(host), type: HTML, modified: SITE_EPOCH };
      if (host.discovery === 'two-step' && col === String(Number(host.xxgkCol) - 1)) return { status: 200, body: openGovPage(host), type: HTML, modified: SITE_EPOCH };
      const c = host.columns.find((x) => x.id === col);
      if (!c) return null;
      // a single-article column: the column page is the report (pages-text/zhoushan-single-article-columns.txt)
      const single = c.single ? reportsIn(c.reports, mode)[0] : undefined;
      if (single) return { status: 200, body: reportArticlePage(single, mode), type: HTML, modified: pubDate(single) };
      return { status: 200, body: columnPage(host, c, mode), type: HTML, modified: SITE_EPOCH };
    }
    if (path === '/module/jpage/dataproxy.jsp' || path === '/module/web/jpage/dataproxy.jsp') {
      if (host.rateLimitProxyOnce && req.server.once(`429:${host.host}`)) {
        return { status: 429, body: 'Too Many Requests', type: 'text/plain', headers: { 'Retry-After': '1' } };
      }
      const classic = path === '/module/jpage/dataproxy.jsp';
      const params = classic ? new URLSearchParams((await req.body()).toString('utf8')) : url.searchParams;
      const c = host.columns.find((x) => x.id === params.get('columnid') && x.unitid === params.get('unitid'));
      // a build serves one proxy generation: the other path answers 404 (jshrss-dataproxy-writeup.md)
      const web = c?.paging === 'nextgroup' || c?.paging === 'upgraded';
      if (!c || web === classic) return null;
      if (params.get('webid') !== host.webid) return { status: 400, body: 'webid missing or wrong', type: 'text/plain' };
      if (classic) {
        if (req.method !== 'POST') return { status: 405, body: 'POST only', type: 'text/plain' };
        const from = Number(url.searchParams.get('startrecord'));
        const to = Number(url.searchParams.get('endrecord'));
        if (!(from >= 1 && to >= from)) return { status: 400, body: 'startrecord/endrecord required', type: 'text/plain' };
        return { status: 200, body: classicProxyXml(host, c, mode, from, to, Number(url.searchParams.get('perpage') ?? 15)), type: XML };
      }
      const page = Number(url.searchParams.get('page'));
      if (!(page >= 1)) return { status: 400, body: 'page required', type: 'text/plain' };
      return { status: 200, body: groupProxyXml(host, c, mode, page), type: XML };
    }
    if (path === '/api-gateway/jpaas-publish-server/front/page/build/unit') {
      const q = url.searchParams;
      const c = host.columns.find((x) => x.paging === 'jpaas' && x.id === q.get('pageId'));
      if (!c || q.get('parseType') !== 'bulidstatic' || q.get('webId') !== host.webid || !q.get('tplSetId') || !q.get('tagId')) {
        return { status: 400, body: '{"code":400,"msg":"参数错误"}', type: 'application/json' };
      }
      // paging by paramJson={"pageNo":N,"pageSize":M} (zj-request-evidence.md: hhtz, jinhua ggzy); JSON answer (miit-jpaas-unit-response.json)
      let pj: { pageNo?: unknown; pageSize?: unknown } = {};
      try {
        pj = JSON.parse(q.get('paramJson') ?? '{}') as typeof pj;
      } catch {
        return { status: 400, body: '{"success":false,"message":"paramJson"}', type: 'application/json' };
      }
      const pageNo = Number(pj.pageNo ?? 1) >= 1 ? Number(pj.pageNo ?? 1) : 1;
      const pageSize = Number(pj.pageSize ?? perPageOf(c)) >= 1 ? Number(pj.pageSize ?? perPageOf(c)) : perPageOf(c);
      return { status: 200, body: jpaasUnitJson(host, c, mode, q.get('tagId') ?? '', pageNo, pageSize), type: 'application/json;charset=UTF-8' };
    }
    if (path === '/module/download/downfile.jsp') {
      const file = url.searchParams.get('filename') ?? '';
      const r = host.columns.flatMap((c) => c.reports).find((x) => x.attachment?.includes(`filename=${file}`));
      if (!r) return null;
      return { status: 200, body: this.fileBytes(r.file ?? ''), type: 'application/octet-stream', headers: { 'Content-Disposition': `attachment; filename="${file}"` }, modified: pubDate(r) };
    }
    const stub = this.stubs.get(`${host.host}${path}`);
    if (stub) return { status: 200, body: stubPage(stub), type: HTML };
    const picture = /^(.*)-t[234]\.png$/.exec(path);
    const pictured = picture ? host.columns.flatMap((c) => c.reports).find((x) => x.pictures === picture[1]) : undefined;
    if (pictured) return { status: 200, body: this.fileBytes(path.split('/').pop()!), type: 'image/png', modified: pubDate(pictured) };
    for (const c of host.columns) {
      for (const r of reportsIn(c.reports, mode)) {
        if (r.path === path) return { status: 200, body: reportArticlePage(r, mode), type: HTML, modified: pubDate(r) };
        if (r.listedPath === path) return { status: 301, body: '', headers: { Location: r.path } };
      }
    }
    return null;
  }

  expected(mode: Mode): ExpectedReport[] {
    const h = this.portal;
    return h.columns.flatMap((c) =>
      c.reports.flatMap((r) => {
        if (r.updatedOnly && mode !== 'updated') return [];
        const articleUrl = `${h.scheme}://${h.host}${r.path}`;
        const url = r.format === 'html' || r.format === 'images' ? articleUrl : new URL(r.attachment ?? '', articleUrl).href;
        return [{ host: h.host, url, articleUrl, title: reportTitleOf(r), values: reportValues(r, mode), format: r.format }];
      }),
    );
  }

  /** the reports published as a file or as table pictures, rendered by testkit/replay/build-data.ts */
  get files(): { report: ReplicaReport; dir: string }[] {
    return this.portal.columns.flatMap((c) => c.reports.filter((r) => r.file || r.pictures).map((report) => ({ report, dir: this.portal.files })));
  }
}

/**
 * Replay server: a real HTTP server on 127.0.0.1 that answers for the real portal hostnames. The
 * crawler keeps real URLs and sends each request here with the original Host header (the Fetcher's
 * `via` option), so the same site configs crawl the live portals and the replicas.
 *
 * It serves the replica of every site — its replica.yml, or one generated from its site.yml
 * (testkit/replay/replicas.ts) — routed by
 * the site's host. Besides the pages (testkit/replay/pages.ts) it reproduces the behaviours a polite crawler must
 * handle: robots.txt, ETag/Last-Modified with 304, a 429 with Retry-After on a data proxy, a host
 * behind a JavaScript cookie challenge (412 until a browser has run the page's script), redirects,
 * a GBK-encoded legacy page, and attachments served as octet-stream or from a file mirror.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import {
  articlePage,
  classicProxyXml,
  columnPage,
  disclosurePage,
  groupProxyXml,
  homePage,
  jpaasUnitJson,
  perPageOf,
  legacyPage,
  openGovPage,
  stubPage,
} from './pages.ts';
import { defaultReplicas, reportsIn, type ExtraLink, type Mode, type ReplicaHost, type ReplicaReport, type Replicas } from './replicas.ts';
import type { Reply, ServedReplica } from './platform-replica.ts';

export interface ReplayOptions {
  port?: number;
  mode?: Mode;
  /** what to serve (default: the replica of every site in crawlers/) */
  replicas?: Replicas;
}

export interface ReplayRequest {
  host: string;
  method: string;
  path: string;
  status: number;
  at: number;
  headers: Record<string, string | string[] | undefined>;
}

export interface ReplayServer {
  url: string;
  port: number;
  /** every request answered, in order (tests assert on it) */
  requests: ReplayRequest[];
  setMode(mode: Mode): void;
  close(): Promise<void>;
}

const HTML = 'text/html; charset=UTF-8';
const XML = 'text/xml;charset=UTF-8';
const SITE_EPOCH = new Date(Date.UTC(2025, 5, 30, 8, 0, 0));
export const CHALLENGE_COOKIE = 'FSSBBIl1UgzbN7N80T';

const notFound = (): Reply => ({ status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', type: HTML });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

function pubDate(r: ReplicaReport): Date {
  return new Date(`${r.pub.replace(' ', 'T')}:00+08:00`);
}

function robots(host: { robotsDisallow?: string[] } | undefined): string {
  const rules = ['/module/search/', ...(host?.robotsDisallow ?? [])];
  return `User-agent: *\n${[...new Set(rules)].map((r) => `Disallow: ${r}`).join('\n')}\n`;
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

function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      try {
        return decodeURIComponent(v.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

function findArticle(host: ReplicaHost, path: string, mode: Mode): { report?: ReplicaReport; redirect?: string } {
  for (const c of host.columns) {
    for (const r of reportsIn(c.reports, mode)) {
      if (r.path === path) return { report: r };
      if (r.listedPath === path) return { redirect: r.path };
    }
  }
  return {};
}

export async function startReplayServer(opts: ReplayOptions = {}): Promise<ReplayServer> {
  let mode: Mode = opts.mode ?? 'initial';
  const requests: ReplayRequest[] = [];
  const token = randomBytes(12).toString('hex');
  const rateLimited = new Set<string>();
  const replicas = opts.replicas ?? defaultReplicas();
  const jcmsHosts = new Map(replicas.jcms.map((h) => [h.host, h]));
  // other platforms' replicas (crawlers/platforms/<platform>/replica.ts), by every host they answer for
  const otherHosts = new Map<string, ServedReplica>(replicas.others.flatMap((o) => o.hosts.map((h) => [h, o] as const)));
  const extras = replicas.jcms.flatMap((h) => h.columns.flatMap((c) => (c.extra ?? []).map((e) => ({ link: e, url: new URL(e.href, `${h.scheme}://${h.host}/`) }))));
  // pre-2019 pages on an old platform's own host, by host and path
  const legacy = new Map(extras.filter((e) => e.link.legacy).map((e) => [`${e.url.hostname}${e.url.pathname}`, e.link]));
  const legacyHosts = new Set(extras.filter((e) => e.link.legacy).map((e) => e.url.hostname));
  const stubs = new Map(extras.filter((e) => e.link.stub).map((e) => [`${e.url.hostname}${e.url.pathname}`, e.link]));
  // attachments on a file mirror (an absolute URL on another host), by host and path
  const mirrored = new Map(
    replicas.jcms.flatMap((h) =>
      h.columns.flatMap((c) => c.reports).flatMap((r) => (r.attachment?.startsWith('http') ? [[`${new URL(r.attachment).hostname}${new URL(r.attachment).pathname}`, { host: h, r }] as const] : [])),
    ),
  );
  const mirrorHosts = new Set([...mirrored.keys()].map((k) => k.slice(0, k.indexOf('/'))));
  const files = new Map<string, Buffer>();
  const fileBytes = (host: ReplicaHost, name: string): Buffer => {
    const path = join(host.files, name);
    if (!files.has(path)) files.set(path, readFileSync(path));
    return files.get(path)!;
  };

  async function jcms(host: ReplicaHost, req: IncomingMessage, url: URL): Promise<Reply> {
    const path = url.pathname;
    if (path === '/' && host.redirectHome) return { status: 302, body: '', headers: { Location: '/index.html' } };
    if (path === '/' || path === '/index.html') return { status: 200, body: homePage(host), type: HTML, modified: SITE_EPOCH };
    const col = /^\/col\/col(\d+)\/index\.html$/.exec(path)?.[1];
    if (col) {
      if (col === host.xxgkCol) return { status: 200, body: disclosurePage(host), type: HTML, modified: SITE_EPOCH };
      if (host.discovery === 'two-step' && col === String(Number(host.xxgkCol) - 1)) return { status: 200, body: openGovPage(host), type: HTML, modified: SITE_EPOCH };
      const c = host.columns.find((x) => x.id === col);
      if (!c) return notFound();
      // a single-article column: the column page is the report (pages-text/zhoushan-single-article-columns.txt)
      const single = c.single ? reportsIn(c.reports, mode)[0] : undefined;
      if (single) return { status: 200, body: articlePage(single, mode), type: HTML, modified: pubDate(single) };
      return { status: 200, body: columnPage(host, c, mode), type: HTML, modified: SITE_EPOCH };
    }
    if (path === '/module/jpage/dataproxy.jsp' || path === '/module/web/jpage/dataproxy.jsp') {
      if (host.rateLimitProxyOnce && !rateLimited.has(host.host)) {
        rateLimited.add(host.host);
        return { status: 429, body: 'Too Many Requests', type: 'text/plain', headers: { 'Retry-After': '1' } };
      }
      const classic = path === '/module/jpage/dataproxy.jsp';
      const params = classic ? await readForm(req) : url.searchParams;
      const c = host.columns.find((x) => x.id === params.get('columnid') && x.unitid === params.get('unitid'));
      // a build serves one proxy generation: the other path answers 404 (jshrss-dataproxy-writeup.md)
      const web = c?.paging === 'nextgroup' || c?.paging === 'upgraded';
      if (!c || web === classic) return notFound();
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
      if (!r) return notFound();
      return { status: 200, body: fileBytes(host, r.file ?? ''), type: 'application/octet-stream', headers: { 'Content-Disposition': `attachment; filename="${file}"` }, modified: pubDate(r) };
    }
    const stub = stubs.get(`${host.host}${path}`);
    if (stub) return { status: 200, body: stubPage(stub), type: HTML };
    const picture = /^(.*)-t[234]\.png$/.exec(path);
    const pictured = picture ? host.columns.flatMap((c) => c.reports).find((x) => x.pictures === picture[1]) : undefined;
    if (pictured) return { status: 200, body: fileBytes(host, path.split('/').pop()!), type: 'image/png', modified: pubDate(pictured) };
    const art = findArticle(host, path, mode);
    if (art.redirect) return { status: 301, body: '', headers: { Location: art.redirect } };
    if (art.report) return { status: 200, body: articlePage(art.report, mode), type: HTML, modified: pubDate(art.report) };
    return notFound();
  }

  function legacyReply(link: ExtraLink): Reply {
    return { status: 200, body: iconv.encode(legacyPage(link, link.legacy!), 'gbk'), type: 'text/html', modified: new Date(`${link.date}T00:00:00Z`) };
  }

  async function platformReply(replica: ServedReplica, req: IncomingMessage, url: URL, hostName: string): Promise<Reply> {
    let body: Promise<Buffer> | undefined;
    if (url.pathname === '/robots.txt') return { status: 200, body: replica.robots?.(hostName) ?? 'User-agent: *\nDisallow:\n', type: 'text/plain; charset=utf-8' };
    const reply = await replica.route({
      method: req.method ?? 'GET',
      url,
      headers: req.headers,
      body: () => (body ??= readBody(req)),
      cookie: (name) => cookieValue(req, name),
      mode,
    });
    return reply ?? notFound();
  }

  async function route(req: IncomingMessage, url: URL, hostName: string): Promise<Reply> {
    const other = otherHosts.get(hostName);
    if (other) return platformReply(other, req, url, hostName);
    const jcmsHost = jcmsHosts.get(hostName);
    if (url.pathname === '/robots.txt') {
      if (jcmsHost || legacyHosts.has(hostName)) return { status: 200, body: robots(jcmsHost), type: 'text/plain; charset=utf-8' };
      return notFound();
    }
    if (jcmsHost?.challenge && cookieValue(req, CHALLENGE_COOKIE) !== challengeAnswer(token)) {
      return { status: 412, body: challengePage(token), type: HTML, headers: { 'Set-Cookie': `FSSBBIl1UgzbN7N80S=${token.slice(0, 16)}; Path=/; HttpOnly` } };
    }
    if (jcmsHost) return jcms(jcmsHost, req, url);
    const old = legacy.get(`${hostName}${url.pathname}`);
    if (old) return legacyReply(old);
    if (mirrorHosts.has(hostName)) {
      const m = mirrored.get(`${hostName}${url.pathname}`);
      return m ? { status: 200, body: fileBytes(m.host, m.r.file ?? ''), type: m.r.format === 'doc' ? 'application/msword' : 'application/pdf', modified: pubDate(m.r) } : notFound();
    }
    return { status: 404, body: `no replica for host ${hostName}`, type: 'text/plain' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', `http://${hostName || 'localhost'}`);
    let reply: Reply;
    try {
      reply = await route(req, url, hostName);
    } catch (e) {
      reply = { status: 500, body: `replay error: ${(e as Error).message}`, type: 'text/plain' };
    }
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (reply.type) headers['Content-Type'] = reply.type;
    let status = reply.status;
    if (status === 200 && (req.method === 'GET' || req.method === 'HEAD')) {
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
      headers.ETag = etag;
      const modified = reply.modified ?? SITE_EPOCH;
      headers['Last-Modified'] = modified.toUTCString();
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      if (inm ? inm.split(/\s*,\s*/).includes(etag) : ims ? Date.parse(ims) >= Math.floor(modified.getTime() / 1000) * 1000 : false) status = 304;
    }
    requests.push({ host: hostName, method: req.method ?? 'GET', path: url.pathname + url.search, status, at: Date.now(), headers: req.headers });
    if (status === 304) {
      res.writeHead(304, { ETag: headers.ETag ?? '', 'Last-Modified': headers['Last-Modified'] ?? '' });
      res.end();
      return;
    }
    headers['Content-Length'] = String(body.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setMode(m: Mode) {
      mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

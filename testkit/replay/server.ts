/**
 * Replay server: a real HTTP server on 127.0.0.1 that answers for the real portal hostnames. The
 * crawler keeps real URLs and sends each request here with the original Host header (the Fetcher's
 * `via` option), so the same site configs crawl the live portals and the replicas.
 *
 * It serves the replica of every site (testkit/replay/replicas.ts), routed by host: the replica
 * shapes and their behaviours (pages, proxies, robots.txt rules, challenges, rate limits, mirrors)
 * live in the platform folders, crawlers/platforms/<platform>/replica.ts. The server adds what
 * every host has: ETag/Last-Modified with 304, a 404 for what no replica answers, and a per-server
 * state (ServerState) for behaviours that last as long as the server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultReplicas, type Mode, type Replicas } from './replicas.ts';
import type { Reply, ServedReplica, ServerState } from './platform-replica.ts';

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
/** Last-Modified of a reply that names none (the replicas' epoch) */
const SITE_EPOCH = new Date(Date.UTC(2025, 5, 30, 8, 0, 0));
const ALLOW_ALL = 'User-agent: *\nDisallow:\n';

const notFound = (): Reply => ({ status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', type: HTML });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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

export async function startReplayServer(opts: ReplayOptions = {}): Promise<ReplayServer> {
  let mode: Mode = opts.mode ?? 'initial';
  const requests: ReplayRequest[] = [];
  const asked = new Set<string>();
  const state: ServerState = {
    token: randomBytes(12).toString('hex'),
    once(key) {
      if (asked.has(key)) return false;
      asked.add(key);
      return true;
    },
  };
  // every host's replicas, in site order: a host several replicas name (a shared file mirror) asks each in turn
  const byHost = new Map<string, ServedReplica[]>();
  for (const r of opts.replicas ?? defaultReplicas()) {
    for (const h of new Set(r.hosts)) byHost.set(h, [...(byHost.get(h) ?? []), r]);
  }

  async function route(req: IncomingMessage, url: URL, hostName: string): Promise<Reply> {
    const served = byHost.get(hostName);
    if (url.pathname === '/robots.txt') {
      for (const r of served ?? []) {
        const text = r.robots ? r.robots(hostName) : ALLOW_ALL;
        if (text !== null) return { status: 200, body: text, type: 'text/plain; charset=utf-8' };
      }
      return notFound();
    }
    if (!served) return { status: 404, body: `no replica for host ${hostName}`, type: 'text/plain' };
    let body: Promise<Buffer> | undefined;
    for (const r of served) {
      const reply = await r.route({
        method: req.method ?? 'GET',
        url,
        headers: req.headers,
        body: () => (body ??= readBody(req)),
        cookie: (name) => cookieValue(req, name),
        mode,
        server: state,
      });
      if (reply) return reply;
    }
    return notFound();
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

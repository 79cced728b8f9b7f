/**
 * Fault mode for the replay server: a proxy on 127.0.0.1 placed between the crawler and the
 * replay server (the crawler's `via` URL points at the proxy; the Host header routes as usual).
 * Rules pick requests by host and path and make them fail the way real portals and networks fail:
 *
 *   timeout        accept the request and never answer
 *   reset          drop the connection (TCP RST) before answering
 *   truncate       promise the whole body (Content-Length), send half of it, close
 *   status         answer with a status (bursts of 5xx, 429 with Retry-After)
 *   redirect-loop  302 to the same URL, forever
 *   oversize       a body of `bytes` bytes (larger than the crawler's limit), with or without Content-Length
 *   charset        the real body under a wrong declared charset (Content-Type header and <meta>)
 *   replace        another body: an HTML error page, a malformed document
 *   waf-redirect   an openresty CT6T-style WAF: 302 to the same URL setting a cookie, until the request
 *                  carries it (shared/evidence/other-provinces/antibot-china-governance.md, "cookie-jar
 *                  fix for openresty CT6T WAF"; PLATFORMS.md §3 "Transport")
 *   jsl-challenge  a 加速乐-style challenge: 521 and a script that computes __jsl_clearance and reloads,
 *                  until the request carries that cookie (antibot-other-sources.md §3, §6;
 *                  antibot-china-governance.md "Jiasule __jsl_clearance JS challenge"; PLATFORMS.md §3)
 *   empty          a firewall's empty answer: 200 with two bytes (fujian-trs-fjdzapp.md §3)
 *
 * The gates (waf-redirect, jsl-challenge) count only the requests they stop: a request that carries
 * the cookie passes through and does not use up `times`.
 * A rule applies `times` times (default: until cleared), so a burst can end within one crawl
 * (the crawler's retries recover) or outlast it (the failure is recorded and retried next run).
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { type: 'timeout' }
  | { type: 'reset' }
  | { type: 'truncate' }
  | { type: 'status'; status: number; retryAfter?: string }
  | { type: 'redirect-loop' }
  | { type: 'oversize'; bytes: number; chunked?: boolean }
  | { type: 'charset'; charset: string }
  | { type: 'replace'; body: Buffer | string; contentType: string }
  | { type: 'waf-redirect' }
  | { type: 'jsl-challenge' }
  | { type: 'empty' };

const WAF_COOKIE = 'CT6T';
const WAF_VALUE = '312900';
// the clearance value is computed by the script, so only a client that runs it gets it
const JSL_VALUE = '1700000000.1|0|ok';
const JSL_PAGE =
  '<html><head><script>var c=[111,107].map(function(x){return String.fromCharCode(x)}).join("");' +
  'document.cookie="__jsl_clearance=1700000000.1|0|"+c+"; path=/";location.href=location.pathname+location.search;</script></head><body></body></html>';

function hasCookie(req: IncomingMessage, name: string, value: string): boolean {
  return (req.headers.cookie ?? '').split(/;\s*/).some((c) => c === `${name}=${value}`);
}

/** Whether a gate lets the request through (it carries what the gate asks for). */
function passesGate(f: Fault, req: IncomingMessage): boolean {
  if (f.type === 'waf-redirect') return hasCookie(req, WAF_COOKIE, WAF_VALUE);
  if (f.type === 'jsl-challenge') return hasCookie(req, '__jsl_clearance', JSL_VALUE);
  return false;
}

export interface FaultRule {
  host: string;
  /** exact path with query, or a pattern tested against it */
  path: string | RegExp;
  fault: Fault;
  times?: number;
}

export interface FaultHit {
  host: string;
  path: string;
  fault: Fault['type'];
}

export interface FaultProxy {
  url: string;
  /** faults applied, in order */
  hits: FaultHit[];
  /** requests passed through unharmed */
  passed: number;
  setRules(rules: FaultRule[]): void;
  close(): Promise<void>;
}

function matches(rule: FaultRule, host: string, path: string): boolean {
  if (rule.host !== host) return false;
  return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const up = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = v;
          resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      },
    );
    up.on('error', reject);
    up.end(body);
  });
}

export async function startFaultProxy(target: string, rules: FaultRule[] = []): Promise<FaultProxy> {
  const upstream = new URL(target);
  let active = rules.map((r) => ({ ...r }));
  const hits: FaultHit[] = [];
  const held = new Set<Socket>();
  const proxy: FaultProxy = {
    url: '',
    hits,
    passed: 0,
    setRules(next) {
      active = next.map((r) => ({ ...r }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of held) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const path = req.url ?? '/';
    const body = await readBody(req);
    const rule = active.find((r) => (r.times ?? Infinity) > 0 && matches(r, host, path) && !passesGate(r.fault, req));
    if (!rule) {
      const up = await forward(upstream, req, body);
      proxy.passed++;
      res.writeHead(up.status, up.headers);
      res.end(up.body);
      return;
    }
    if (rule.times !== undefined) rule.times--;
    const f = rule.fault;
    hits.push({ host, path, fault: f.type });
    switch (f.type) {
      case 'timeout':
        held.add(req.socket);
        req.socket.once('close', () => held.delete(req.socket));
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'status':
        res.writeHead(f.status, { 'Content-Type': 'text/html; charset=utf-8', ...(f.retryAfter ? { 'Retry-After': f.retryAfter } : {}) });
        res.end(`<html><body><h1>${f.status}</h1></body></html>`);
        return;
      case 'redirect-loop':
        res.writeHead(302, { Location: path, 'Content-Length': '0' });
        res.end();
        return;
      case 'oversize': {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', ...(f.chunked ? {} : { 'Content-Length': String(f.bytes) }) });
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        let left = f.bytes;
        // write until the client hangs up (it should, once the limit is passed)
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            const n = Math.min(left, chunk.length);
            left -= n;
            if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
        return;
      }
      case 'waf-redirect':
        res.writeHead(302, { Location: path, 'Set-Cookie': `${WAF_COOKIE}=${WAF_VALUE}; Path=/; HttpOnly`, 'Content-Length': '0' });
        res.end();
        return;
      case 'jsl-challenge':
        res.writeHead(521, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(JSL_PAGE)) });
        res.end(JSL_PAGE);
        return;
      case 'empty':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '2' });
        res.end('\r\n');
        return;
      case 'replace':
        res.writeHead(200, { 'Content-Type': f.contentType, 'Content-Length': String(Buffer.byteLength(f.body)) });
        res.end(f.body);
        return;
      case 'truncate':
      case 'charset': {
        const up = await forward(upstream, req, body);
        const headers = { ...up.headers };
        if (f.type === 'charset') {
          headers['content-type'] = `text/html; charset=${f.charset}`;
          const head = up.body.subarray(0, 2048).toString('latin1').replace(/(<meta[^>]+charset\s*=\s*["']?)[\w-]+/i, `$1${f.charset}`);
          const body = Buffer.concat([Buffer.from(head, 'latin1'), up.body.subarray(2048)]);
          headers['content-length'] = String(body.length);
          res.writeHead(up.status, headers);
          res.end(body);
          return;
        }
        res.writeHead(up.status, headers);
        res.write(up.body.subarray(0, Math.floor(up.body.length / 2)));
        // let the half body reach the client before the connection drops
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

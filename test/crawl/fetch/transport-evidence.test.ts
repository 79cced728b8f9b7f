// Issue 14 point 3, the transport behaviours the evidence asks for (shared/evidence/other-provinces/
// PLATFORMS.md §3 "Transport" and "Anti-bot map", antibot-china-governance.md, antibot-other-sources.md,
// fujian-trs-fjdzapp.md §3): a WAF's 302→self that sets a cookie, IPv4 first, http where the TLS
// handshake fails, a firewall's empty answer retried after a home-page visit, a removed document's
// meta-refresh stub, a 521 加速乐 challenge passed in the browser (needs /usr/bin/chromium).
import { execFileSync } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedLookup } from '../../../src/crawl/fetch/addresses.ts';
import { Fetcher, isEmptyAnswer, removedDocumentTarget } from '../../../src/crawl/fetch/index.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;
const PAGE = (path: string): string => `<html><body><div id="zoom">page ${path} 政府信息公开工作年度报告</div></body></html>`;
// the removed-document stub, verbatim from the Pingtan crawler's comment (fujian-trs-fjdzapp.md §3)
const STUB = '<html><head><meta http-equiv="refresh" content="0;URL=../" /></head><body></body></html>';
// 加速乐: 521 and a script that computes __jsl_clearance and reloads (antibot-other-sources.md §3, §6)
const JSL_PAGE =
  '<html><head><script>var c=[111,107].map(function(x){return String.fromCharCode(x)}).join("");' +
  'document.cookie="__jsl_clearance=1700000000.1|0|"+c+"; path=/";location.href=location.pathname+location.search;</script></head><body></body></html>';
const emptyTimes = new Map<string, number>();

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const host = req.headers.host ?? '';
    const cookie = req.headers.cookie ?? '';
    if (req.url === '/robots.txt') return send(res, 404, '');
    // openresty CT6T WAF: 302 to the same URL setting a cookie, the page once it comes back
    if (host === 'www.moj.gov.cn' && !/CT6T=/.test(cookie)) return send(res, 302, '', { location: req.url ?? '/', 'set-cookie': 'CT6T=312900; path=/; HttpOnly' });
    if (host === 'jsl.gov.cn' && !/__jsl_clearance=1700000000\.1\|0\|ok/.test(cookie)) return send(res, 521, JSL_PAGE);
    if (host === 'www.pingtan.gov.cn' && req.url === '/zwgk/zfxxgk/zfxxgknb/201412/t20141201_80787.htm') return send(res, 200, STUB);
    if (host === 'www.pingtan.gov.cn' && req.url?.startsWith('/blip/')) {
      // the firewall answers two bytes until the home page was visited (its cookie), or always on /blip/always
      if (req.url === '/blip/always' || !/visited=1/.test(cookie)) {
        emptyTimes.set(req.url, (emptyTimes.get(req.url) ?? 0) + 1);
        return send(res, 200, '\r\n');
      }
    }
    if (host === 'www.pingtan.gov.cn' && req.url === '/') return send(res, 200, PAGE('/'), { 'set-cookie': 'visited=1; path=/' });
    send(res, 200, PAGE(req.url ?? ''));
  });
});
afterAll(() => server.close());

const onHost = (host: string) => server.requests.filter((r) => r.host === host);

describe('a WAF that sets its cookie on a 302 to the same URL (openresty CT6T)', () => {
  it('sends the cookie set on the redirect with the next hop and gets the page', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    const r = await f.fetch({ url: 'http://www.moj.gov.cn/pub/sfbgw/zwgk/index.html' });
    await f.close();
    expect(r).toMatchObject({ status: 200, finalUrl: 'http://www.moj.gov.cn/pub/sfbgw/zwgk/index.html' });
    expect(r.text()).toContain('page /pub/sfbgw/zwgk/index.html');
    const hops = onHost('www.moj.gov.cn').filter((q) => q.path === '/pub/sfbgw/zwgk/index.html');
    expect(hops.map((q) => q.headers.cookie)).toEqual([undefined, 'CT6T=312900']);
  });
});

describe('IPv4 first', () => {
  const fake =
    (byFamily: Record<number, LookupAddress[]>, calls: number[]) =>
    (_h: string, o: { family?: number | string }, cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void): void => {
      calls.push(Number(o.family ?? 0));
      const list = o.family === 4 ? (byFamily[4] ?? []) : [...(byFamily[6] ?? []), ...(byFamily[4] ?? [])];
      if (list.length === 0) return cb(Object.assign(new Error('no data'), { code: 'ENODATA' }), []);
      cb(null, list);
    };
  const lookupAll = (l: ReturnType<typeof guardedLookup>, host: string) =>
    new Promise<LookupAddress[]>((ok, no) => l(host, { all: true }, (err, a) => (err ? no(err) : ok(a as LookupAddress[]))));

  it('connects to the A records of a host that also has AAAA records', async () => {
    const calls: number[] = [];
    const l = guardedLookup(fake({ 4: [{ address: '202.109.195.35', family: 4 }], 6: [{ address: '240e:f7:4f01::35', family: 6 }] }, calls));
    expect(await lookupAll(l, 'www.fujian.gov.cn')).toEqual([{ address: '202.109.195.35', family: 4 }]);
    expect(calls).toEqual([4]);
  });

  it('falls back to IPv6 for a host without an A record', async () => {
    const calls: number[] = [];
    const l = guardedLookup(fake({ 6: [{ address: '240e:f7:4f01::36', family: 6 }] }, calls));
    expect(await lookupAll(l, 'v6only.gov.cn')).toEqual([{ address: '240e:f7:4f01::36', family: 6 }]);
    expect(calls).toEqual([4, 0]);
  });

  it('keeps the SSRF guard on the IPv4 answer', async () => {
    const l = guardedLookup(fake({ 4: [{ address: '10.0.0.8', family: 4 }] }, []));
    await expect(lookupAll(l, 'rebind.gov.cn')).rejects.toMatchObject({ code: 'ERR_OGI_ADDRESS_NOT_ALLOWED' });
  });
});

describe('http where the TLS handshake fails', () => {
  // Two honest TLS failures on loopback: a port that speaks only plain HTTP (the handshake gets an
  // HTTP answer: "wrong version number"), and a port whose TLS side presents a certificate that does
  // not verify (self-signed) while plain HTTP on it is answered. Evidence: PLATFORMS.md §3
  // "Transport" (Shenzhen BAD_ECPOINT, 朝阳 only over http), antibot-other-sources.md §8.
  let plainOnly: Server;
  let mux: NetServer;
  let httpSide: Server;
  const seen: Array<{ port: number; path: string }> = [];

  const listen = async (s: Server | NetServer): Promise<number> => {
    await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
    return (s.address() as AddressInfo).port;
  };

  beforeAll(async () => {
    const handler = (port: () => number) =>
      createHttpServer((req, res) => {
        seen.push({ port: port(), path: req.url ?? '' });
        if (req.url === '/robots.txt') return send(res, 404, '');
        // a host whose http only redirects to its (failing) https
        if (req.url === '/to-https.html') return send(res, 301, '', { location: `https://127.0.0.1:${port()}/to-https.html` });
        send(res, 200, PAGE(req.url ?? ''));
      });
    plainOnly = handler(() => plainPort);
    plainPort = await listen(plainOnly);
    const keys = newDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(keys, 'k.pem'), '-out', join(keys, 'c.pem'), '-days', '2', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const tls = createTlsServer({ key: readFileSync(join(keys, 'k.pem')), cert: readFileSync(join(keys, 'c.pem')) }, (s) => s.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nno'));
    httpSide = handler(() => muxPort);
    // one port for both: a TLS ClientHello (first byte 0x16) goes to the TLS server, anything else to HTTP
    mux = createNetServer((sock: Socket) => {
      sock.once('readable', () => {
        const first = sock.read(1) as Buffer | null;
        if (!first) return sock.destroy();
        sock.unshift(first);
        (first[0] === 0x16 ? tls : httpSide).emit('connection', sock);
      });
    });
    muxPort = await listen(mux);
  });
  let plainPort = 0;
  let muxPort = 0;
  afterAll(async () => {
    for (const s of [plainOnly, httpSide]) s.closeAllConnections();
    await Promise.all([plainOnly, mux].map((s) => new Promise((ok) => s.close(ok))));
  });

  it.each([
    ['a port that answers plain HTTP only', () => plainPort, /wrong version number|ssl|tls/i],
    ['a certificate that does not verify', () => muxPort, /self[- ]signed|certificate/i],
  ])('retries the URL over http once and keeps the host on http: %s', async (_what, port, why) => {
    const dir = newDir();
    // a real loopback address without via needs the test-only escape from the SSRF guard
    const f = new Fetcher({ dataDir: dir, delayMs: 10, allowHosts: ['127.0.0.1'], allowPrivateAddresses: true, runId: 'tls' });
    const p = port();
    const first = await f.fetch({ url: `https://127.0.0.1:${p}/zwgk/a.html`, site: 'gd-sz' });
    expect(first).toMatchObject({ status: 200, url: `https://127.0.0.1:${p}/zwgk/a.html`, finalUrl: `http://127.0.0.1:${p}/zwgk/a.html` });
    expect(first.text()).toContain('page /zwgk/a.html');
    const second = await f.fetch({ url: `https://127.0.0.1:${p}/zwgk/b.html`, site: 'gd-sz' });
    expect(second.finalUrl).toBe(`http://127.0.0.1:${p}/zwgk/b.html`);
    // http that only sends the reader back to https fails at once instead of looping
    await expect(f.fetch({ url: `https://127.0.0.1:${p}/to-https.html` })).rejects.toMatchObject({ code: 'tls', message: expect.stringMatching(/redirects http to https/) as unknown as string });
    const fallback = f.stats().httpFallbackHosts;
    await f.close();
    expect(fallback).toEqual([{ host: `127.0.0.1:${p}`, url: `https://127.0.0.1:${p}/robots.txt`, error: expect.stringMatching(/^tls: the TLS handshake failed: /) as unknown as string, sites: ['gd-sz'] }]);
    expect(fallback[0]?.error).toMatch(why);
    // one failed handshake in the run (robots.txt came first), then plain http only
    expect(seen.filter((s) => s.port === p).map((s) => s.path)).toEqual(['/robots.txt', '/zwgk/a.html', '/zwgk/b.html', '/to-https.html']);
    const s = openCrawlState(dir);
    const log = s.fetchLog.entries({ runId: 'tls' }).map((e) => [e.url, e.status, e.error?.split(':')[0] ?? null]);
    s.close();
    expect(log.slice(0, 4)).toEqual([
      [`https://127.0.0.1:${p}/robots.txt`, null, 'tls'],
      [`http://127.0.0.1:${p}/robots.txt`, 404, null],
      [`http://127.0.0.1:${p}/zwgk/a.html`, 200, null],
      [`http://127.0.0.1:${p}/zwgk/b.html`, 200, null],
    ]);
  });
});

describe('a firewall’s empty answer (Fujian www: 2 bytes)', () => {
  it('recognises an empty or two-byte blank page, not a short answer or a stub', () => {
    expect(isEmptyAnswer(Buffer.from('\r\n'))).toBe(true);
    expect(isEmptyAnswer(Buffer.alloc(0))).toBe(true);
    expect(isEmptyAnswer(Buffer.from('{}'))).toBe(false);
    expect(isEmptyAnswer(Buffer.from('hi'))).toBe(false);
    expect(isEmptyAnswer(Buffer.from(STUB))).toBe(false);
  });

  it('visits the home page once and asks again', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10, runId: 'blip' });
    const r = await f.fetch({ url: 'https://www.pingtan.gov.cn/blip/t20250310_97791.htm', kind: 'article' });
    expect(r.text()).toContain('page /blip/t20250310_97791.htm');
    await f.close();
    expect(onHost('www.pingtan.gov.cn').filter((q) => q.path === '/' || q.path.startsWith('/blip/t2025')).map((q) => q.path)).toEqual([
      '/blip/t20250310_97791.htm',
      '/',
      '/blip/t20250310_97791.htm',
    ]);
  });

  it('fails with "empty-page" when the second answer is empty too: one retry, no more', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    await expect(f.fetch({ url: 'https://www.pingtan.gov.cn/blip/always', kind: 'article' })).rejects.toMatchObject({ code: 'empty-page', status: 200 });
    await f.close();
    expect(emptyTimes.get('/blip/always')).toBe(2);
  });
});

describe('a removed document’s meta-refresh stub', () => {
  it('recognises a refresh to the parent listing, not a refresh elsewhere or a page with content', () => {
    const url = 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201412/t20141201_80787.htm';
    expect(removedDocumentTarget(Buffer.from(STUB), url)).toBe('https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/');
    expect(removedDocumentTarget(Buffer.from(STUB.replace('../', './')), url)).toBe('https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201412/');
    // a shell that forwards to a column elsewhere (Beijing 街镇 pages, antibot-other-sources.md §8) is followed, not gone
    expect(removedDocumentTarget(Buffer.from(STUB.replace('../', '/zwgk/xxgk/index.htm')), url)).toBeNull();
    expect(removedDocumentTarget(Buffer.from(STUB.replace('<body>', '<body><p>正文</p>')), url)).toBeNull();
  });

  it('fails a report page with "gone" at once (no retry), but leaves listings alone', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    const url = 'https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201412/t20141201_80787.htm';
    await expect(f.fetch({ url, kind: 'article' })).rejects.toMatchObject({ code: 'gone', message: "gone: the page is a removed document's stub: it only refreshes to https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/" });
    expect((await f.fetch({ url, kind: 'listing' })).status).toBe(200);
    await f.close();
    expect(onHost('www.pingtan.gov.cn').filter((q) => q.path.endsWith('_80787.htm'))).toHaveLength(2);
  });
});

describe('a 521 加速乐 challenge', () => {
  it('is passed in the browser; plain HTTP carries the __jsl_clearance cookie afterwards', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    const first = await f.fetch({ url: 'http://jsl.gov.cn/gk/nb/index.html' });
    expect(first).toMatchObject({ status: 200, viaBrowser: true });
    const second = await f.fetch({ url: 'http://jsl.gov.cn/gk/nb/2.html' });
    expect(second).toMatchObject({ status: 200, viaBrowser: false });
    await f.close();
    const s = openCrawlState(dir);
    expect(s.hosts.get('jsl.gov.cn')).toMatchObject({ needsBrowser: true, reason: 'status-521' });
    s.close();
    expect(onHost('jsl.gov.cn').find((q) => q.path === '/gk/nb/2.html')?.headers.cookie).toContain('__jsl_clearance=1700000000.1|0|ok');
  });

  it('with the browser off, blocks the host: the run reports it once, with the status', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10, browser: 'never' });
    await expect(f.fetch({ url: 'http://jsl.gov.cn/off/1.html', site: 'cn-mps' })).rejects.toMatchObject({ code: 'challenge', status: 521 });
    await expect(f.fetch({ url: 'http://jsl.gov.cn/off/2.html', site: 'cn-mps' })).rejects.toMatchObject({ code: 'blocked' });
    expect(f.stats().blockedHosts).toEqual([{ host: 'jsl.gov.cn', url: 'http://jsl.gov.cn/off/1.html', reason: 'status-521; the browser is off', sites: ['cn-mps'] }]);
    await f.close();
  });
});

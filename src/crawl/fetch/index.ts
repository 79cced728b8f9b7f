// The fetch layer every crawler goes through. Per host: one request at a time, a delay (with
// jitter that only lengthens it) between requests, robots.txt, cookies, retries with backoff and
// Retry-After, conditional GET, and a switch to a real browser when the host answers with an
// anti-bot challenge. Every response body is archived (content-addressed) and every exchange is
// written to the fetch log before the caller sees it.
import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import robotsParserModule from 'robots-parser';
import { Agent } from 'undici';
import { getBlob, hasBlob, putBlobAsync } from '../../archive/index.ts';
import { type CacheValidators, type CrawlState, type FrontierKind, openCrawlState } from '../state/index.ts';
import { addressRefusal, checkHostAddresses, guardedLookup, isIpLiteral } from './addresses.ts';
import { BrowserPool } from './browser.ts';
import { detectBlockPage, detectChallenge } from './challenge.ts';
import { decodeBody } from '../../util/charset.ts';
import { HostCookies } from './cookies.ts';
import { FetchError } from './errors.ts';
import { isHostAllowed } from './hosts.ts';
import { type HttpExchange, httpExchange } from './http.ts';
import { backoffMs, isRetryableStatus, parseRetryAfter } from './retry.ts';
import { isEmptyAnswer, removedDocumentTarget } from './stubs.ts';

export { FetchError } from './errors.ts';
export type { FetchErrorCode } from './errors.ts';
export { decodeBody, detectCharset } from '../../util/charset.ts';
export { isHostAllowed } from './hosts.ts';
export { detectBlockPage, detectChallenge } from './challenge.ts';
export { isEmptyAnswer, removedDocumentTarget } from './stubs.ts';

/** per-host delay between requests (ms) when neither the site nor the caller sets one */
export const DEFAULT_DELAY_MS = 1000;

export const DEFAULT_USER_AGENT = 'ogi/0.1 (+https://github.com/ogi-data/ogi; open government information research crawler)';

export interface FetcherOptions {
  dataDir: string; // archive + crawl.sqlite live here
  userAgent?: string;
  delayMs?: number; // per-host delay between requests, default 1000
  jitter?: number; // the delay is lengthened by up to this fraction at random, default 0.1
  hostDelays?: Record<string, number>; // per host (or host:port, or site id) override of delayMs
  allowHosts?: string[]; // full host names allowed beyond *.gov.cn, each matched exactly
  via?: string; // e.g. 'http://127.0.0.1:4567': every request goes there, Host header = the real host
  runId?: string;
  timeoutMs?: number; // per exchange, default 30 s
  maxBodyBytes?: number; // default 64 MiB
  maxRetries?: number; // default 3
  retryBaseMs?: number; // first backoff, doubled per retry; default 1000
  maxRetryAfterMs?: number; // a longer Retry-After fails the request instead of stalling the host; default 120 s
  maxRedirects?: number; // default 10
  browser?: 'auto' | 'never'; // auto: switch a host to the browser on challenge
  state?: CrawlState; // share an open state DB (otherwise the Fetcher opens and closes its own)
  /**
   * TEST ONLY: switch the SSRF guard off, so tests can fetch a server on 127.0.0.1 without `via`.
   * Never set from the CLI or a site.yml (nothing there reaches it); crawls always keep the guard.
   */
  allowPrivateAddresses?: boolean;
}

export interface FetchRequest {
  url: string;
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  headers?: Record<string, string>;
  site?: string;
  kind?: FrontierKind;
  /**
   * A data API's answer (a jcms data proxy): an empty body is the API saying "no more records" (the
   * encrypted nextgroup's 54 blank bytes, shared/evidence/other-provinces/PLATFORMS.md §2.4), not a
   * firewall's blank page, so it is returned as it is, without the warm-up visit and second ask.
   */
  blankIsAnswer?: boolean;
}

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  ok: boolean;
  headers: Record<string, string>;
  contentType: string | null;
  body: Buffer; // raw bytes (from the archive when 304)
  sha256: string;
  text(): string; // decoded: header charset → BOM/<meta> → detection → GB18030 for the GB family
  notModified: boolean;
  changed: boolean; // sha256 differs from the last fetch of this URL (true on first fetch)
  viaBrowser: boolean;
}

export interface FetcherStats {
  requests: number;
  byHost: Record<string, number>;
  browserHosts: string[];
  robotsSkipped: number;
  /** hosts that blocked the crawler in this run, sorted by host */
  blockedHosts: BlockedHost[];
  /** hosts whose https failed in the TLS handshake and that were read over http instead, sorted by host */
  httpFallbackHosts: HttpFallbackHost[];
}

/** A host whose TLS handshake failed: the rest of the run asks it over http (same URL, scheme http). */
export interface HttpFallbackHost {
  host: string;
  /** the https URL whose handshake failed */
  url: string;
  /** the TLS error, "tls: …" */
  error: string;
  /** the sites whose requests went to the host over http instead, sorted */
  sites: string[];
}

/**
 * A host that answered with a block page (a WAF's 403/405, a 412/521 challenge) and still did after
 * its one browser attempt (or with the browser off): nothing more is sent to it in this run.
 */
export interface BlockedHost {
  host: string;
  /** the URL whose answer blocked the host */
  url: string;
  /** what plain HTTP and the browser met, e.g. "waf-405, then HTTP 405 (waf-405) in the browser" */
  reason: string;
  /** the sites whose requests to the host were blocked or refused, sorted */
  sites: string[];
}

interface HostSlot {
  queue: PQueue;
  nextAt: number; // earliest start of the next exchange (performance.now() ms)
  delayMs: number;
  browserOnly: boolean; // plain HTTP stays challenged even with fresh browser cookies
  browserMinted: boolean; // the browser passed a challenge on this host in this run
  blockedBy: string | null; // why plain HTTP was blocked (challenge or WAF page), while the browser attempt is under way
}

type Outcome = { type: 'redirect'; location: URL; status: number } | { type: 'done'; result: FetchResult };

interface Exchange extends HttpExchange {
  viaBrowser: boolean;
  finalUrl: URL;
}

/** one request of a fetch: the URL it was redirected to so far, with the method and form that go there */
interface Hop {
  url: URL;
  method: 'GET' | 'POST';
  form: Record<string, string> | undefined;
  req: FetchRequest;
}

/** a response body as archived; a 304 to our conditional request stands for the bytes archived before */
interface Stored {
  body: Buffer;
  sha256: string;
  contentType: string | null;
  notModified: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function parseUrl(raw: string): URL {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    u.hash = '';
    return u;
  } catch {
    throw new FetchError('bad-url', raw, `"${raw}" is not an absolute http(s) URL`);
  }
}

/** Where a redirect points (a 304 is not one), or undefined. */
function redirectTarget(ex: Exchange, url: URL): URL | undefined {
  const location = ex.headers.location;
  if (ex.status >= 300 && ex.status < 400 && ex.status !== 304 && location) return parseUrl(new URL(location, url).href);
  return undefined;
}

function fetchResult(req: FetchRequest, ex: Exchange, stored: Stored, changed: boolean): FetchResult {
  let decoded: string | undefined;
  return {
    url: req.url,
    finalUrl: ex.finalUrl.href,
    status: ex.status,
    ok: true,
    headers: ex.headers,
    contentType: stored.contentType,
    body: stored.body,
    sha256: stored.sha256,
    text: () => (decoded ??= decodeBody(stored.body, stored.contentType)),
    notModified: stored.notModified,
    changed,
    viaBrowser: ex.viaBrowser,
  };
}

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS whose typings declare an ES default export; at run time the default
// import is the function itself.
const robotsParser = robotsParserModule as unknown as (url: string, robotstxt: string) => Robot;

export class Fetcher {
  readonly state: CrawlState;
  readonly runId: string;
  readonly userAgent: string;
  private readonly ownsState: boolean;
  private readonly agent: Agent;
  private readonly cookies: HostCookies;
  private readonly browser: BrowserPool;
  private readonly via: URL | undefined;
  private readonly slots = new Map<string, HostSlot>();
  private readonly robots = new Map<string, Promise<Robot | null>>();
  private readonly byHost: Record<string, number> = {};
  private readonly browserHosts = new Set<string>();
  private readonly blocked = new Map<string, { url: string; reason: string; sites: Set<string> }>();
  /** by host (host:port): where https failed in the handshake, so http is used */
  private readonly httpFallback = new Map<string, { url: string; error: string; sites: Set<string> }>();
  private readonly maxRetries: number;
  private readonly retryBaseMs: number; // first backoff, doubled per retry
  private requests = 0;
  private robotsSkipped = 0;

  constructor(private readonly opts: FetcherOptions) {
    this.ownsState = opts.state === undefined;
    this.state = opts.state ?? openCrawlState(opts.dataDir);
    this.runId = opts.runId ?? `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}`;
    this.userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
    this.maxRetries = opts.maxRetries ?? 3;
    this.retryBaseMs = opts.retryBaseMs ?? 1000;
    this.cookies = new HostCookies(this.state.hosts);
    this.via = opts.via === undefined ? undefined : new URL(opts.via);
    // The SSRF guard after DNS: every connection resolves through guardedLookup, so the address
    // checked is the address connected to. With `via` every connection goes to the operator's
    // server (the crawled host is never resolved), so there is nothing to resolve.
    // The lookup also puts IPv4 first (see guardedLookup); the test-only escape keeps that, not the guard.
    const lookup = this.via === undefined ? guardedLookup(undefined, { guard: !opts.allowPrivateAddresses }) : undefined;
    this.agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 15_000, ...(lookup ? { lookup } : {}) } });
    const viaPort = this.via ? Number(this.via.port || (this.via.protocol === 'https:' ? 443 : 80)) : undefined;
    this.browser = new BrowserPool(this.userAgent, viaPort === undefined ? undefined : { port: viaPort, hosts: opts.allowHosts ?? [] }, {
      isAllowed: (host) => isHostAllowed(host, opts.allowHosts),
      isRefusedAddress: (host) => !opts.allowPrivateAddresses && isIpLiteral(host) && addressRefusal(host) !== null,
    });
  }

  async fetch(req: FetchRequest): Promise<FetchResult> {
    let hop: Hop = { url: parseUrl(req.url), method: req.method ?? (req.form ? 'POST' : 'GET'), form: req.form, req };
    const maxRedirects = this.opts.maxRedirects ?? 10;
    for (let redirects = 0; redirects <= maxRedirects; redirects++) {
      this.assertAddressAllowed(hop.url, hop.method, req);
      this.assertAllowed(hop.url, hop.method, req);
      this.assertNotBlocked(hop.url, hop.method, req);
      if (req.kind !== 'robots') await this.assertRobotsAllow(hop.url, req);
      const current = hop;
      const slot = this.slot(current.url, req.site);
      const outcome = await slot.queue.add(() => this.exchangeWithRetries(slot, current));
      if (outcome.type === 'done') return outcome.result;
      this.assertNotBackToHttps(current.url, outcome.location);
      const toGet = outcome.status === 303 || ((outcome.status === 301 || outcome.status === 302) && hop.method === 'POST');
      hop = toGet ? { url: outcome.location, method: 'GET', form: undefined, req } : { ...hop, url: outcome.location };
    }
    throw new FetchError('too-many-redirects', req.url, `more than ${maxRedirects} redirects`);
  }

  stats(): FetcherStats {
    const blockedHosts = [...this.blocked]
      .map(([host, b]) => ({ host, url: b.url, reason: b.reason, sites: [...b.sites].sort() }))
      .sort((a, b) => a.host.localeCompare(b.host));
    const httpFallbackHosts = [...this.httpFallback]
      .map(([host, h]) => ({ host, url: h.url, error: h.error, sites: [...h.sites].sort() }))
      .sort((a, b) => a.host.localeCompare(b.host));
    return { requests: this.requests, byHost: { ...this.byHost }, browserHosts: [...this.browserHosts].sort(), robotsSkipped: this.robotsSkipped, blockedHosts, httpFallbackHosts };
  }

  async close(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => s.queue.onIdle()));
    await this.browser.close();
    await this.agent.close();
    if (this.ownsState) this.state.close();
  }

  // ---- policy checks ----
  /**
   * The SSRF guard on the URL itself: an IP-literal host in a loopback, private, link-local or
   * unspecified range is refused before anything is sent, `via` or not (host names are checked
   * after DNS, when the connection is made).
   */
  private assertAddressAllowed(url: URL, method: 'GET' | 'POST', req: FetchRequest): void {
    if (this.opts.allowPrivateAddresses || !isIpLiteral(url.hostname)) return;
    const why = addressRefusal(url.hostname);
    if (why === null) return;
    this.refuse(new FetchError('address-not-allowed', url.href, `${url.hostname} is ${why}; the crawler does not connect there`), url, method, req);
  }

  private refuse(err: FetchError, url: URL, method: 'GET' | 'POST', req: FetchRequest): never {
    this.log(url, method, req, { started: Date.now(), error: err.message });
    throw err;
  }

  private assertAllowed(url: URL, method: 'GET' | 'POST', req: FetchRequest): void {
    if (isHostAllowed(url.hostname, this.opts.allowHosts)) return;
    this.refuse(new FetchError('host-not-allowed', url.href, `${url.hostname} is neither a gov.cn host nor in the allow-list`), url, method, req);
  }

  /** A host blocked earlier in this run gets no further request (its refusal is logged, not sent). */
  private assertNotBlocked(url: URL, method: 'GET' | 'POST', req: FetchRequest): void {
    const b = this.blocked.get(url.hostname);
    if (!b) return;
    if (req.site !== undefined) b.sites.add(req.site);
    this.refuse(new FetchError('blocked', url.href, `${url.hostname} blocked the crawler earlier in this run (${b.reason}); no further requests go to it`), url, method, req);
  }

  /**
   * Marks a host blocked for the rest of the run and returns the error for the request that found
   * it. Evidence of such hosts: `shared/evidence/other-provinces/PLATFORMS.md` §3 "Anti-bot map"
   * (412/521 challenges, WAF 403 to datacenter and foreign IPs, 清远's 405) — from an overseas
   * network a browser does not get past them either, hence one attempt per host.
   */
  private markBlocked(url: URL, req: FetchRequest, reason: string, status?: number): FetchError {
    let b = this.blocked.get(url.hostname);
    if (!b) {
      b = { url: url.href, reason, sites: new Set() };
      this.blocked.set(url.hostname, b);
    }
    if (req.site !== undefined) b.sites.add(req.site);
    return new FetchError('blocked', url.href, `${url.hostname} blocks the crawler (${reason}); no further requests go to it in this run`, status);
  }

  private async assertRobotsAllow(url: URL, req: FetchRequest): Promise<void> {
    const origin = `${url.protocol}//${url.host}`;
    let robot = this.robots.get(origin);
    if (!robot) {
      robot = this.loadRobots(origin, req.site);
      this.robots.set(origin, robot);
    }
    const parsed = await robot;
    if (parsed?.isAllowed(url.href, this.userAgent) === false) {
      this.robotsSkipped++;
      this.state.fetchLog.recordRobotsSkip(url.href, url.host, req.site ?? null, this.runId);
      throw new FetchError('robots-disallowed', url.href, `robots.txt of ${url.host} disallows this URL for our user agent`);
    }
  }

  // A missing or failing robots.txt allows everything (the common reading of the convention).
  private async loadRobots(origin: string, site: string | undefined): Promise<Robot | null> {
    const robotsUrl = `${origin}/robots.txt`;
    let res: FetchResult;
    try {
      res = await this.fetch({ url: robotsUrl, kind: 'robots', ...(site === undefined ? {} : { site }) });
    } catch (err) {
      if (err instanceof FetchError) return null;
      throw err;
    }
    const robot = robotsParser(robotsUrl, res.text());
    const crawlDelay = robot.getCrawlDelay(this.userAgent);
    if (crawlDelay !== undefined && crawlDelay > 0) {
      const slot = this.slot(new URL(origin), site);
      slot.delayMs = Math.max(slot.delayMs, Math.min(crawlDelay * 1000, 60_000));
    }
    return robot;
  }

  // ---- pacing ----
  private slot(url: URL, site: string | undefined): HostSlot {
    let slot = this.slots.get(url.host);
    if (!slot) {
      const d = this.opts.hostDelays;
      const delayMs = d?.[url.host] ?? d?.[url.hostname] ?? (site === undefined ? undefined : d?.[site]) ?? this.opts.delayMs ?? DEFAULT_DELAY_MS;
      slot = { queue: new PQueue({ concurrency: 1 }), nextAt: 0, delayMs, browserOnly: false, browserMinted: false, blockedBy: null };
      this.slots.set(url.host, slot);
    }
    return slot;
  }

  private pacingDelay(slot: HostSlot): number {
    return slot.delayMs * (1 + (this.opts.jitter ?? 0.1) * Math.random());
  }

  // Timers may fire a little early, so wait in a loop on a monotonic clock.
  private async waitTurn(slot: HostSlot): Promise<void> {
    for (let wait = slot.nextAt - performance.now(); wait > 0; wait = slot.nextAt - performance.now()) await sleep(Math.ceil(wait));
  }

  /** After an exchange, succeeded or not: the host's next turn comes after the delay, and the request counts. */
  private endTurn(slot: HostSlot, url: URL): void {
    slot.nextAt = performance.now() + this.pacingDelay(slot);
    this.requests++;
    this.byHost[url.host] = (this.byHost[url.host] ?? 0) + 1;
  }

  /** Pushes the host's next turn back to at least `ms` from now (backoff, Retry-After). */
  private holdHost(slot: HostSlot, ms: number): void {
    slot.nextAt = Math.max(slot.nextAt, performance.now() + ms);
  }

  // ---- one hop, with retries and the browser switch; runs inside the host's queue ----
  private async exchangeWithRetries(slot: HostSlot, asked: Hop): Promise<Outcome> {
    let useBrowser = slot.browserOnly;
    let warmedUp = false;
    for (let attempt = 0; ; ) {
      const hop = this.overHttpIfNeeded(asked);
      const cacheKey = hop.method === 'GET' ? hop.url.href : `POST ${hop.url.href} ${new URLSearchParams(hop.form ?? {}).toString()}`;
      // a request queued behind the one that found the host blocked is not sent either
      this.assertNotBlocked(hop.url, hop.method, hop.req);
      await this.waitTurn(slot);
      const started = Date.now();
      const validators = hop.method === 'GET' && !useBrowser ? this.state.cache.get(cacheKey) : undefined;
      const conditional = validators?.sha256 && hasBlob(this.opts.dataDir, validators.sha256) ? validators : undefined;
      const ex = await this.exchangeOnce(slot, hop, { useBrowser, conditional, started, attempt });
      if (ex === 'retry') {
        attempt++;
        continue;
      }
      const stored = await this.archive(ex, conditional);
      this.log(hop.url, hop.method, hop.req, { started, status: ex.status, finalUrl: ex.finalUrl.href, contentType: stored.contentType, sha256: stored.sha256, size: stored.body.length, viaBrowser: ex.viaBrowser });
      if (this.switchToBrowser(slot, hop, ex)) {
        useBrowser = true;
        continue;
      }
      if (isRetryableStatus(ex.status)) {
        this.holdForRetry(slot, hop.url, ex, attempt);
        attempt++;
        continue;
      }
      if (this.isFirewallBlip(hop, ex)) {
        if (warmedUp) throw new FetchError('empty-page', hop.url.href, `${hop.url.host} answered with an empty page again after a visit to its home page (a firewall's answer, not the page)`, ex.status);
        warmedUp = true;
        await this.visitHomePage(slot, hop);
        continue;
      }
      this.assertNotRemoved(hop, ex);
      const location = redirectTarget(ex, hop.url);
      if (location) return { type: 'redirect', location, status: ex.status };
      // anything but a 2xx, or the 304 to our own conditional request, fails
      if (ex.status >= 300 && !stored.notModified) throw new FetchError(`http-${ex.status}`, hop.url.href, `HTTP ${ex.status}`, ex.status);
      const changed = this.rememberValidators(cacheKey, validators, ex, stored);
      return { type: 'done', result: fetchResult(hop.req, ex, stored, changed) };
    }
  }

  /** One exchange on the host's turn, logged when it fails; 'retry' when a network failure or timeout may be tried again. */
  private async exchangeOnce(
    slot: HostSlot,
    hop: Hop,
    a: { useBrowser: boolean; conditional: CacheValidators | undefined; started: number; attempt: number },
  ): Promise<Exchange | 'retry'> {
    let ex: Exchange;
    try {
      ex = a.useBrowser ? await this.browserExchange(hop) : await this.plainExchange(hop, a.conditional);
    } catch (err) {
      this.endTurn(slot, hop.url);
      if (!(err instanceof FetchError)) throw err;
      this.log(hop.url, hop.method, hop.req, { started: a.started, error: err.message, viaBrowser: a.useBrowser });
      // The host's one browser attempt did not get past its block (a challenge it could not pass,
      // or a browser that could not load the page before it ever got through on this host).
      if (a.useBrowser && (err.code === 'challenge' || (err.code === 'browser' && !slot.browserMinted))) {
        throw this.markBlocked(hop.url, hop.req, `${slot.blockedBy ?? 'the browser was needed'}, then in the browser: ${err.message}`);
      }
      if (err.code === 'tls' && hop.url.protocol === 'https:' && !a.useBrowser) {
        this.fallBackToHttp(hop, err);
        return 'retry';
      }
      if ((err.code === 'network' || err.code === 'timeout') && a.attempt < this.maxRetries) {
        this.holdHost(slot, backoffMs(a.attempt, this.retryBaseMs, 60_000));
        return 'retry';
      }
      throw err;
    }
    this.endTurn(slot, hop.url);
    return ex;
  }

  /**
   * Remembers that the host's https failed in the TLS handshake: this request and every later one to
   * the host go over http, same host, port and path (evidence: `shared/evidence/other-provinces/
   * PLATFORMS.md` §3 "Transport": "use HTTP where HTTPS fails: Shenzhen (BAD_ECPOINT), gkmlpt hosts,
   * 朝阳"; antibot-other-sources.md §8 "HTTPS 不可用域 … 只服务 http"). The failed handshake is in the
   * fetch log; stats() names the host.
   */
  private fallBackToHttp(hop: Hop, err: FetchError): void {
    let h = this.httpFallback.get(hop.url.host);
    if (!h) {
      h = { url: hop.url.href, error: err.message, sites: new Set() };
      this.httpFallback.set(hop.url.host, h);
    }
    if (hop.req.site !== undefined) h.sites.add(hop.req.site);
  }

  /** A host read over http that redirects to its own https (whose handshake fails) cannot be read: fail instead of looping. */
  private assertNotBackToHttps(from: URL, to: URL): void {
    const h = this.httpFallback.get(to.host);
    // the URL it came from, asked over http: the same path back on https would be asked over http again
    if (!h || to.protocol !== 'https:' || to.host !== from.host || to.pathname + to.search !== from.pathname + from.search) return;
    throw new FetchError('tls', to.href, `${to.host} redirects http to https, whose TLS handshake fails (${h.error})`);
  }

  /** The hop as it is sent: over http when the host's https failed in the handshake earlier. */
  private overHttpIfNeeded(hop: Hop): Hop {
    const h = hop.url.protocol === 'https:' ? this.httpFallback.get(hop.url.host) : undefined;
    if (!h) return hop;
    if (hop.req.site !== undefined) h.sites.add(hop.req.site);
    const url = new URL(hop.url.href);
    url.protocol = 'http:';
    return { ...hop, url };
  }

  /**
   * A firewall's empty answer to a page request (a 2xx page of nothing but whitespace, two bytes in
   * the evidence): the portal's WAF lets the request through after a visit to the home page
   * (evidence: `shared/evidence/other-provinces/fujian-trs-fjdzapp.md` §3, PLATFORMS.md §2.3
   * "Anti-bot"). Attachments, POSTs and robots.txt are taken as they come.
   */
  private isFirewallBlip(hop: Hop, ex: Exchange): boolean {
    const kind = hop.req.kind;
    if (hop.method !== 'GET' || hop.req.blankIsAnswer || kind === 'attachment' || kind === 'robots' || ex.status < 200 || ex.status >= 300) return false;
    return isEmptyAnswer(ex.body);
  }

  /** One visit to the host's home page on the host's turn (its cookies kept, the exchange archived and logged). */
  private async visitHomePage(slot: HostSlot, hop: Hop): Promise<void> {
    const url = new URL('/', hop.url);
    const home: Hop = { url, method: 'GET', form: undefined, req: { url: url.href, kind: 'other', ...(hop.req.site === undefined ? {} : { site: hop.req.site }) } };
    await this.waitTurn(slot);
    const started = Date.now();
    let ex: Exchange | 'retry';
    try {
      ex = await this.exchangeOnce(slot, home, { useBrowser: slot.browserOnly, conditional: undefined, started, attempt: this.maxRetries });
    } catch (err) {
      if (err instanceof FetchError && err.code !== 'blocked') return; // logged; the page is asked again all the same
      throw err;
    }
    if (ex === 'retry') return;
    const stored = await this.archive(ex, undefined);
    this.log(url, 'GET', home.req, { started, status: ex.status, finalUrl: ex.finalUrl.href, contentType: stored.contentType, sha256: stored.sha256, size: stored.body.length, viaBrowser: ex.viaBrowser });
  }

  /**
   * A report page that is a removed document's stub (a small page whose meta refresh sends the reader
   * to its parent listing) fails with `gone`: the document is no longer published, which is not a
   * block and not worth a retry (evidence: `shared/evidence/other-provinces/fujian-trs-fjdzapp.md` §3,
   * "Removed documents redirect to their parent listing with a tiny meta-refresh stub … permanent").
   */
  private assertNotRemoved(hop: Hop, ex: Exchange): void {
    if (hop.req.kind !== 'article' || ex.status < 200 || ex.status >= 300) return;
    const target = removedDocumentTarget(ex.body, ex.finalUrl.href);
    if (target !== null) throw new FetchError('gone', hop.url.href, `the page is a removed document's stub: it only refreshes to ${target}`, ex.status);
  }

  /** Archives the body before anything looks at it; a 304 to our conditional request stands for the archived bytes. */
  private async archive(ex: Exchange, conditional: CacheValidators | undefined): Promise<Stored> {
    const notModified = ex.status === 304 && conditional !== undefined;
    const body = notModified && conditional?.sha256 ? getBlob(this.opts.dataDir, conditional.sha256) : ex.body;
    const sha256 = notModified && conditional?.sha256 ? conditional.sha256 : await putBlobAsync(this.opts.dataDir, body);
    const contentType = ex.headers['content-type'] ?? (notModified ? (conditional?.contentType ?? null) : null);
    return { body, sha256, contentType, notModified };
  }

  /**
   * An anti-bot challenge (412/521, challenge cookies, script-only bodies) or a WAF block page
   * (403/405 naming a firewall or security check) to plain HTTP marks the host and sends the hop to
   * the browser (true), or, with the browser off, blocks the host and fails the hop. A browser
   * answer records that the browser got through — or, when it is still a block, blocks the host for
   * the rest of the run: one browser attempt per host (evidence of such hosts:
   * `shared/evidence/other-provinces/PLATFORMS.md` §3 "Anti-bot map").
   */
  private switchToBrowser(slot: HostSlot, hop: Hop, ex: Exchange): boolean {
    const url = hop.url;
    const contentType = ex.headers['content-type'] ?? null;
    if (ex.viaBrowser) {
      const still = ex.status === 412 || ex.status === 521 ? `status-${ex.status}` : detectBlockPage(ex.status, ex.body, contentType);
      if (still) throw this.markBlocked(url, hop.req, `${slot.blockedBy ?? 'browser only'}, then HTTP ${ex.status} (${still}) in the browser`, ex.status);
      slot.browserMinted = true;
      slot.blockedBy = null;
      return false;
    }
    const challenge = detectChallenge(ex.status, ex.setCookies, ex.body) ?? detectBlockPage(ex.status, ex.body, contentType);
    if (!challenge) return false;
    this.state.hosts.markNeedsBrowser(url.hostname, challenge);
    if (this.opts.browser === 'never') {
      this.markBlocked(url, hop.req, `${challenge}; the browser is off`, ex.status);
      throw new FetchError('challenge', url.href, `${url.host} answered with an anti-bot challenge or block page (${challenge}) and the browser is off`, ex.status);
    }
    this.browserHosts.add(url.hostname);
    slot.blockedBy = challenge;
    // Fresh browser cookies did not satisfy plain HTTP: this host needs the browser for everything.
    if (slot.browserMinted) slot.browserOnly = true;
    return true;
  }

  /**
   * Holds the host for the backoff, or for the server's Retry-After when longer, before a retry of
   * a 429/5xx; throws when no retry is left or Retry-After asks for more than we wait.
   */
  private holdForRetry(slot: HostSlot, url: URL, ex: Exchange, attempt: number): void {
    const retryAfter = parseRetryAfter(ex.headers['retry-after']);
    const tooLong = retryAfter !== null && retryAfter > (this.opts.maxRetryAfterMs ?? 120_000);
    if (attempt < this.maxRetries && !tooLong) {
      this.holdHost(slot, Math.max(backoffMs(attempt, this.retryBaseMs, 60_000), retryAfter ?? 0));
      return;
    }
    const why = tooLong ? `Retry-After asks for ${Math.round((retryAfter ?? 0) / 1000)} s, more than we wait` : `still failing after ${this.maxRetries} retries`;
    throw new FetchError(`http-${ex.status}`, url.href, `HTTP ${ex.status}; ${why}`, ex.status);
  }

  /** Keeps a fresh response's validators for the next conditional request; true when the bytes differ from the last fetch. */
  private rememberValidators(cacheKey: string, validators: CacheValidators | undefined, ex: Exchange, stored: Stored): boolean {
    const previous = validators ?? this.state.cache.get(cacheKey);
    if (!stored.notModified) {
      this.state.cache.put(cacheKey, {
        etag: ex.headers.etag ?? null,
        lastModified: ex.headers['last-modified'] ?? null,
        sha256: stored.sha256,
        contentType: stored.contentType,
        finalUrl: ex.finalUrl.href,
      });
    }
    return previous?.sha256 !== stored.sha256;
  }

  private requestHeaders(req: FetchRequest): Record<string, string> {
    return {
      'user-agent': this.userAgent,
      accept: req.kind === 'attachment' ? '*/*' : 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
      ...req.headers,
    };
  }

  /** Plain HTTP sends what the browser would add itself: compression, the host's cookies, our validators. */
  private plainHeaders({ url, form, req }: Hop, conditional: CacheValidators | undefined): Record<string, string> {
    const headers = this.requestHeaders(req);
    headers['accept-encoding'] = 'gzip, deflate, br';
    const cookie = this.cookies.header(url);
    if (cookie) headers.cookie = cookie;
    if (conditional?.etag) headers['if-none-match'] = conditional.etag;
    if (conditional?.lastModified) headers['if-modified-since'] = conditional.lastModified;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
    return headers;
  }

  private async plainExchange(hop: Hop, conditional: CacheValidators | undefined): Promise<Exchange> {
    const { url, method, form } = hop;
    const headers = this.plainHeaders(hop, conditional);
    const body = form ? new URLSearchParams(form).toString() : undefined;
    let connectUrl = url.href;
    if (this.via) {
      connectUrl = `${this.via.origin}${url.pathname}${url.search}`;
      headers.host = url.host;
    }
    const ex = await httpExchange({
      connectUrl,
      url: url.href,
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      timeoutMs: this.opts.timeoutMs ?? 30_000,
      maxBodyBytes: this.opts.maxBodyBytes ?? 64 * 1024 * 1024,
      dispatcher: this.agent,
    });
    this.cookies.storeSetCookies(url, ex.setCookies);
    return { ...ex, viaBrowser: false, finalUrl: url };
  }

  /** The SSRF guard for the browser, which resolves names itself: the host's addresses are checked first. */
  private async assertBrowserAddress(url: URL): Promise<void> {
    if (this.opts.allowPrivateAddresses) return;
    // With `via`, Chromium maps the crawled hosts to the operator's server; only IP literals count.
    const refusal = this.via === undefined || isIpLiteral(url.hostname) ? await checkHostAddresses(url.hostname) : null;
    if (refusal) throw new FetchError('address-not-allowed', url.href, refusal.message);
  }

  private async browserExchange({ url, method, form, req }: Hop): Promise<Exchange> {
    await this.assertBrowserAddress(url);
    const browserUrl = new URL(url.href);
    if (this.via) browserUrl.protocol = 'http:';
    const ex = await this.browser.fetch({
      url,
      browserUrl,
      method,
      ...(form === undefined ? {} : { form }),
      headers: req.headers ?? {},
      navigate: method === 'GET' && req.kind !== 'attachment',
      cookies: this.cookies.forBrowser(url, browserUrl),
      timeoutMs: Math.max(this.opts.timeoutMs ?? 30_000, 15_000),
    });
    this.cookies.storeFromBrowser(url, ex.cookies);
    const maxBody = this.opts.maxBodyBytes ?? 64 * 1024 * 1024;
    if (ex.body.length > maxBody) throw new FetchError('too-large', url.href, `body exceeds the ${maxBody}-byte limit`);
    // The browser followed redirects itself; map its final URL back to the real scheme.
    const finalUrl = new URL(ex.browserFinalUrl);
    if (this.via) finalUrl.protocol = url.protocol;
    for (const hop of [...(ex.redirectedFrom ?? []), ex.browserFinalUrl]) await this.assertBrowserAddress(new URL(hop));
    if (!isHostAllowed(finalUrl.hostname, this.opts.allowHosts)) {
      throw new FetchError('host-not-allowed', finalUrl.href, `the browser was redirected to ${finalUrl.hostname}, which is not allowed`);
    }
    return { status: ex.status, headers: ex.headers, setCookies: ex.setCookies, body: ex.body, viaBrowser: true, finalUrl };
  }

  private log(
    url: URL,
    method: string,
    req: FetchRequest,
    e: { started: number; status?: number; finalUrl?: string; contentType?: string | null; sha256?: string; size?: number; error?: string; viaBrowser?: boolean },
  ): void {
    this.state.fetchLog.record({
      url: url.href,
      finalUrl: e.finalUrl ?? null,
      method,
      status: e.status ?? null,
      contentType: e.contentType ?? null,
      sha256: e.sha256 ?? null,
      size: e.size ?? null,
      fetchedAt: new Date(e.started).toISOString(),
      elapsedMs: Date.now() - e.started,
      site: req.site ?? null,
      runId: this.runId,
      error: e.error ?? null,
      viaBrowser: e.viaBrowser ?? false,
      kind: req.kind ?? null,
    });
  }
}

// A shared headless Chromium (Debian's /usr/bin/chromium through playwright-core) for hosts that
// answer with an anti-bot challenge. One browser, one context per host (the context's user agent is
// the crawler's own, because clearance cookies are often bound to it). Pages are loaded for real so
// the challenge JavaScript runs; other requests (POST, attachments) are made with fetch() from a
// page on the same origin, so they go through Chromium's network stack and carry its cookies.
// With a `via` base URL every hostname resolves to that server (--host-resolver-rules) and https
// URLs are loaded as http, so this code path is the same as against the real sites.
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { BrowserCookie } from './cookies.ts';
import { FetchError } from './errors.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--no-proxy-server',
];
// How long the main frame must stay without a new navigation before a page counts as settled
// (challenge scripts set a cookie and reload right after load).
const SETTLE_MS = 400;

// Only the hosts we may crawl are sent to the `via` server; Chromium's own background requests
// (e.g. update checks) must not land there.
// gov.cn counts with its subdomains, a declared host exactly (as the allow-list matches them).
function hostResolverRules(via: { port: number; hosts: readonly string[] }): string {
  const patterns = ['gov.cn', '*.gov.cn', ...via.hosts];
  return `--host-resolver-rules=${patterns.map((p) => `MAP ${p} 127.0.0.1:${via.port}`).join(', ')}`;
}

/** What the browser may load: the allow-list for navigations, the SSRF guard for every request. */
export interface BrowserPolicy {
  isAllowed(host: string): boolean;
  /** true for an IP-literal host in a forbidden range (loopback, private, link-local, unspecified) */
  isRefusedAddress(host: string): boolean;
}

export interface BrowserRequest {
  url: URL; // the real URL (for errors and cookies)
  browserUrl: URL; // what Chromium loads (http with a `via` base URL)
  method: 'GET' | 'POST';
  form?: Record<string, string>;
  headers: Record<string, string>;
  navigate: boolean; // false: fetch() from a page on the origin (POST, attachments)
  cookies: BrowserCookie[];
  timeoutMs: number;
}

export interface BrowserExchange {
  status: number;
  headers: Record<string, string>;
  setCookies: string[];
  body: Buffer;
  browserFinalUrl: string;
  /** the URLs the document was redirected through before browserFinalUrl (HTTP redirects Chromium followed) */
  redirectedFrom?: string[];
  cookies: BrowserCookie[];
}

interface PageFetchResult {
  status: number;
  url: string;
  headers: Array<[string, string]>;
  base64: string;
}

export class BrowserPool {
  private browser: Promise<Browser> | undefined;
  private readonly contexts = new Map<string, Promise<BrowserContext>>();

  constructor(
    private readonly userAgent: string,
    private readonly via: { port: number; hosts: readonly string[] } | undefined,
    private readonly policy: BrowserPolicy,
  ) {}

  // playwright-core is loaded only when a host first needs it: most crawls never do.
  private launch(): Promise<Browser> {
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: this.via === undefined ? CHROMIUM_ARGS : [...CHROMIUM_ARGS, hostResolverRules(this.via)],
      }),
    );
    return this.browser;
  }

  private context(host: string): Promise<BrowserContext> {
    let ctx = this.contexts.get(host);
    if (!ctx) {
      ctx = this.launch().then(async (b) => {
        const c = await b.newContext({ userAgent: this.userAgent, locale: 'zh-CN', ignoreHTTPSErrors: true, acceptDownloads: false });
        // The allow-list holds in the browser too: a page must not navigate it to a mirror site.
        // Answering such a navigation with 204 keeps the current document (aborting it would
        // replace the page with an error page). No request at all goes to a forbidden IP literal
        // (the SSRF guard); Chromium follows HTTP redirects without asking the route, so the
        // Fetcher checks every URL of a redirect chain afterwards as well.
        await c.route('**/*', (route) => {
          const req = route.request();
          const host = new URL(req.url()).hostname;
          const refused = this.policy.isRefusedAddress(host);
          if (req.isNavigationRequest() && (refused || !this.policy.isAllowed(host))) return route.fulfill({ status: 204, body: '' });
          return refused ? route.abort('addressunreachable') : route.continue();
        });
        return c;
      });
      this.contexts.set(host, ctx);
    }
    return ctx;
  }

  async fetch(r: BrowserRequest): Promise<BrowserExchange> {
    let page: Page | undefined;
    let refusedHop: string | undefined;
    const refuse = (): FetchError =>
      new FetchError('address-not-allowed', refusedHop ?? r.url.href, `the browser was redirected to ${refusedHop}, a loopback, private or link-local address; its answer is not used`);
    try {
      const ctx = await this.context(r.url.hostname);
      if (r.cookies.length) await ctx.addCookies(r.cookies);
      const opened = await ctx.newPage();
      page = opened;
      // Chromium follows HTTP redirects without asking the route; a hop to a forbidden address is
      // noted here, the page closed at once, and the answer refused whatever became of the load.
      opened.on('request', (q) => {
        if (refusedHop !== undefined || q.redirectedFrom() === null) return;
        if (!this.policy.isRefusedAddress(new URL(q.url()).hostname)) return;
        refusedHop = q.url();
        void opened.close().catch(() => {}); // stop the load at once
      });
      const deadline = Date.now() + r.timeoutMs;
      let ex: Omit<BrowserExchange, 'cookies'>;
      if (r.navigate) {
        ex = await loadSettled(page, r.browserUrl.href, deadline, r.url.href);
      } else {
        await loadSettled(page, new URL('/', r.browserUrl).href, deadline, r.url.href);
        ex = await fetchFromPage(page, r.browserUrl.href, r.method, r.form, r.headers);
      }
      if (refusedHop !== undefined) throw refuse();
      const cookies = (await ctx.cookies(r.browserUrl.href)) as BrowserCookie[];
      return { ...ex, cookies };
    } catch (err) {
      if (refusedHop !== undefined) throw refuse();
      if (err instanceof FetchError) throw err;
      throw new FetchError('browser', r.url.href, `the browser could not load the page: ${(err as Error).message.split('\n')[0]}`);
    } finally {
      await page?.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    this.contexts.clear();
    if (b) await (await b).close();
  }
}

function isChallengeStatus(status: number): boolean {
  return status === 412 || status === 521;
}

/** The main frame's latest document response while a page navigates (challenge reloads included). */
interface MainFrame {
  last: Response | null;
  /** its body, read at once: Chromium drops it when the page starts another navigation */
  lastBody: Promise<Buffer | null>;
  lastAt: number;
  loaded: boolean;
}

function trackMainFrame(page: Page): MainFrame {
  const frame: MainFrame = { last: null, lastBody: Promise.resolve(null), lastAt: Date.now(), loaded: false };
  page.on('response', (resp) => {
    // A 204 never replaces the document (it is how blocked navigations are answered).
    if (resp.request().isNavigationRequest() && resp.frame() === page.mainFrame() && resp.status() !== 204) {
      frame.last = resp;
      frame.lastBody = resp.body().catch(() => null);
      frame.lastAt = Date.now();
      frame.loaded = false;
    }
  });
  page.on('load', () => {
    frame.loaded = true;
  });
  return frame;
}

/**
 * Loads a URL and waits until challenge reloads are over (no new main-frame navigation for
 * SETTLE_MS after a load); returns the last main-frame document response.
 */
async function loadSettled(page: Page, href: string, deadline: number, realUrl: string): Promise<Omit<BrowserExchange, 'cookies'>> {
  const frame = trackMainFrame(page);
  await page.goto(href, { waitUntil: 'commit', timeout: Math.max(1000, deadline - Date.now()) });
  for (;;) {
    const current = frame.last;
    if (current && frame.loaded && Date.now() - frame.lastAt >= SETTLE_MS && !isChallengeStatus(current.status())) {
      return documentExchange(page, current, await frame.lastBody);
    }
    if (Date.now() > deadline) {
      throw new FetchError('challenge', realUrl, `the browser did not get past the challenge (last status ${current?.status() ?? 'none'})`);
    }
    await page.waitForTimeout(50);
  }
}

async function documentExchange(page: Page, doc: Response, body: Buffer | null): Promise<Omit<BrowserExchange, 'cookies'>> {
  // Chromium drops the body when the page starts to navigate away before it was read (e.g. a
  // blocked redirect to a mirror); then the document is fetched again from the page itself.
  const bytes = body ?? (await fetchFromPage(page, doc.url(), 'GET', undefined, {})).body;
  const headers = await doc.allHeaders();
  const setCookies = (await doc.headersArray()).filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
  const redirectedFrom: string[] = [];
  for (let r = doc.request().redirectedFrom(); r; r = r.redirectedFrom()) redirectedFrom.push(r.url());
  return { status: doc.status(), headers, setCookies, body: bytes, browserFinalUrl: doc.url(), redirectedFrom };
}

async function fetchFromPage(
  page: Page,
  href: string,
  method: 'GET' | 'POST',
  form: Record<string, string> | undefined,
  extraHeaders: Record<string, string>,
): Promise<Omit<BrowserExchange, 'cookies'>> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers = { ...extraHeaders, ...(body ? { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } : {}) };
  const res = await page.evaluate(
    async ({ href, method, body, headers }): Promise<PageFetchResult> => {
      const resp = await fetch(href, { method, body, headers, credentials: 'include' });
      const bytes = new Uint8Array(await resp.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { status: resp.status, url: resp.url, headers: [...resp.headers.entries()], base64: btoa(bin) };
    },
    { href, method, body, headers },
  );
  return {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    setCookies: [],
    body: Buffer.from(res.base64, 'base64'),
    browserFinalUrl: res.url,
  };
}

// One tough-cookie jar per host, persisted in the state DB after every change, so cookies minted by
// the browser (challenge clearance) are reused by plain HTTP and by later runs.
import { Cookie, CookieJar } from 'tough-cookie';
import type { HostStore } from '../state/index.ts';

/** The cookie shape playwright-core uses (BrowserContext.cookies / addCookies). */
export interface BrowserCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number; // seconds since epoch, -1 = session
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'Strict' | 'Lax' | 'None';
}

export class HostCookies {
  private readonly jars = new Map<string, CookieJar>();

  constructor(private readonly hosts: HostStore) {}

  private jar(host: string): CookieJar {
    let jar = this.jars.get(host);
    if (!jar) {
      const saved = this.hosts.get(host)?.cookies;
      jar = saved ? CookieJar.deserializeSync(saved) : new CookieJar();
      this.jars.set(host, jar);
    }
    return jar;
  }

  private persist(host: string): void {
    this.hosts.setCookies(host, JSON.stringify(this.jar(host).serializeSync()));
  }

  header(url: URL): string {
    return this.jar(url.hostname).getCookieStringSync(url.href);
  }

  names(url: URL): string[] {
    return this.jar(url.hostname)
      .getCookiesSync(url.href)
      .map((c) => c.key);
  }

  storeSetCookies(url: URL, setCookies: readonly string[]): void {
    if (setCookies.length === 0) return;
    const jar = this.jar(url.hostname);
    for (const sc of setCookies) jar.setCookieSync(sc, url.href, { ignoreError: true });
    this.persist(url.hostname);
  }

  /** Cookies for the browser, addressed to the URL the browser will load (http with a `via` base URL). */
  forBrowser(url: URL, browserUrl: URL): BrowserCookie[] {
    return this.jar(url.hostname)
      .getCookiesSync(url.href)
      .map((c) => ({
        name: c.key,
        value: c.value,
        domain: c.hostOnly ? browserUrl.hostname : `.${c.domain ?? browserUrl.hostname}`,
        path: c.path ?? '/',
        expires: c.expires instanceof Date ? Math.floor(c.expires.getTime() / 1000) : -1,
        httpOnly: c.httpOnly,
        secure: c.secure && browserUrl.protocol === 'https:',
        sameSite: 'Lax' as const,
      }));
  }

  storeFromBrowser(url: URL, cookies: readonly BrowserCookie[]): void {
    const jar = this.jar(url.hostname);
    for (const bc of cookies) {
      const hostOnly = !bc.domain.startsWith('.');
      const domain = bc.domain.replace(/^\./, '');
      if (!(url.hostname === domain || url.hostname.endsWith(`.${domain}`))) continue;
      const cookie = new Cookie({
        key: bc.name,
        value: bc.value,
        domain,
        path: bc.path,
        httpOnly: bc.httpOnly,
        secure: bc.secure,
        hostOnly,
        ...(bc.expires > 0 ? { expires: new Date(bc.expires * 1000) } : {}),
      });
      jar.setCookieSync(cookie, url.href, { ignoreError: true });
    }
    this.persist(url.hostname);
  }
}

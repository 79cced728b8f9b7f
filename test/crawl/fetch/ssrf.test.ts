// Issue 17 point 7: the SSRF guard. A crawled URL must not lead the crawler to loopback, private,
// link-local or unspecified addresses: not the first request, not a redirect hop, not an
// attachment link, not after DNS resolution. The operator's `via` base URL is exempt (the
// connection goes there and the crawled host is not resolved), but a redirect to
// http://127.0.0.1:22/ inside a crawl through `via` is still refused: its host is a forbidden IP.
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressRefusal, guardedLookup } from '../../../src/crawl/fetch/addresses.ts';
import { FetchError, Fetcher } from '../../../src/crawl/fetch/index.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url === '/robots.txt') return send(res, 404, '');
    if (req.url === '/to-ssh') return send(res, 302, '', { location: 'http://127.0.0.1:22/' });
    if (req.url === '/to-metadata') return send(res, 301, '', { location: 'http://169.254.169.254/latest/meta-data/' });
    if (req.url === '/to-mapped') return send(res, 302, '', { location: 'http://[::ffff:7f00:1]:22/' });
    send(res, 200, `<p>${req.headers.host}${req.url}</p>`);
  });
});
afterAll(() => server.close());

describe('forbidden addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['[fe80::1%eth0]', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['100.64.0.1', 'shared'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(addressRefusal(address)).toContain(kind);
  });

  it.each([['202.96.0.1'], ['172.32.0.1'], ['172.15.255.255'], ['8.8.8.8'], ['2400:3200::1'], ['::ffff:202.96.0.1'], ['www.zj.gov.cn']])('allows %s', (address) => {
    expect(addressRefusal(address)).toBeNull();
  });

  it('checks every resolved address at connect time and hands the checked ones to the connection', async () => {
    const fake =
      (list: LookupAddress[]) =>
      (_h: string, _o: unknown, cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void): void =>
        cb(null, list);
    const run = (list: LookupAddress[], all: boolean) =>
      new Promise<{ err: Error | null; address: unknown; family?: number }>((ok) =>
        guardedLookup(fake(list))('portal.example.com', { all }, (err, address, family) => ok({ err, address, ...(family === undefined ? {} : { family }) })),
      );
    const publicOnly = [{ address: '202.96.0.1', family: 4 }];
    expect(await run(publicOnly, false)).toEqual({ err: null, address: '202.96.0.1', family: 4 });
    expect(await run(publicOnly, true)).toEqual({ err: null, address: publicOnly });
    // one private address among public ones refuses the host (a rebinding name is not trusted)
    const mixed = await run([{ address: '202.96.0.1', family: 4 }, { address: '10.0.0.7', family: 4 }], true);
    expect(mixed.err?.message).toMatch(/portal\.example\.com resolves to 10\.0\.0\.7, a private address/);
  });
});

describe('the SSRF guard in the Fetcher', () => {
  it('refuses a redirect to http://127.0.0.1:22/ inside a crawl through via, and records it as a skip', async () => {
    const dir = newDir();
    // Even a host list that names 127.0.0.1 does not open the door (a Fetcher option, not a site.yml).
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10, allowHosts: ['127.0.0.1'] });
    const err = await f.fetch({ url: 'http://www.haining.gov.cn/to-ssh' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect(err).toMatchObject({ code: 'address-not-allowed', url: 'http://127.0.0.1:22/' });
    expect((err as FetchError).message).toMatch(/^address-not-allowed: 127\.0\.0\.1 is a loopback address/);
    await expect(f.fetch({ url: 'http://www.haining.gov.cn/to-metadata' })).rejects.toMatchObject({ code: 'address-not-allowed' });
    await expect(f.fetch({ url: 'http://www.haining.gov.cn/to-mapped' })).rejects.toMatchObject({ code: 'address-not-allowed' });
    await f.close();
    // nothing was sent on for the forbidden hosts (through via they would have reached this server)
    expect(server.requests.filter((r) => !r.host.endsWith('.gov.cn'))).toEqual([]);
    const s = openCrawlState(dir);
    const refused = s.fetchLog.entries().filter((e) => e.error?.startsWith('address-not-allowed: '));
    expect(refused.map((e) => e.url)).toEqual(['http://127.0.0.1:22/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:7f00:1]:22/']);
    s.close();
  });

  it('refuses attachment links and first requests to forbidden IP literals, however they are written', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10, allowHosts: ['127.0.0.1', '10.0.0.1'] });
    for (const url of ['http://127.0.0.1/a.pdf', 'http://0x7f.1/a.pdf', 'http://2130706433/a.pdf', 'http://10.0.0.1/a.pdf', 'http://[::1]/a.pdf', 'http://[fe80::1]/a.pdf', 'http://0.0.0.0/a.pdf']) {
      await expect(f.fetch({ url, kind: 'attachment' }), url).rejects.toMatchObject({ code: 'address-not-allowed' });
    }
    await f.close();
    expect(server.requests.filter((r) => !r.host.endsWith('.gov.cn'))).toEqual([]);
  });

  it('refuses a host name that resolves to a loopback address (checked after DNS, at connect time)', async () => {
    const f = new Fetcher({ dataDir: newDir(), delayMs: 10, allowHosts: ['localhost'] });
    const before = server.requests.length;
    const err = await f.fetch({ url: `http://localhost:${server.port}/page.html` }).catch((e: unknown) => e);
    await f.close();
    expect(err).toMatchObject({ code: 'address-not-allowed' });
    expect((err as FetchError).message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(server.requests.length).toBe(before);
  });

  it('connects to private addresses only with the test-only allowPrivateAddresses option', async () => {
    const f = new Fetcher({ dataDir: newDir(), delayMs: 10, allowHosts: ['localhost'], allowPrivateAddresses: true });
    const r = await f.fetch({ url: `http://localhost:${server.port}/page.html` });
    await f.close();
    expect(r.text()).toBe(`<p>localhost:${server.port}/page.html</p>`);
  });
});

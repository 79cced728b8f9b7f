// What goes over the wire: the real Host in replay mode, UTF-8 form bodies, per-host cookie jars
// persisted across runs, and compressed responses archived as decoded bytes.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBlob } from '../../../src/archive/index.ts';
import { Fetcher } from '../../../src/crawl/fetch/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;
const PAGE = '<html><body><div id="zoom">海盐县2023年度政府信息公开工作年度报告</div></body></html>';

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url === '/robots.txt') return send(res, 404, '');
    if (req.url === '/login') return send(res, 200, 'hi', { 'set-cookie': ['SERVERID=abc|1|2; Path=/', 'JSESSIONID=s1; Path=/; HttpOnly'] });
    if (req.url === '/gzip') return send(res, 200, gzipSync(Buffer.from(PAGE)), { 'content-encoding': 'gzip' });
    if (req.url === '/br') return send(res, 200, brotliCompressSync(Buffer.from(PAGE)), { 'content-encoding': 'br' });
    if (req.method === 'POST') return send(res, 200, `<datastore>${req.headers['content-type']}|${req.body}</datastore>`, { 'content-type': 'text/xml' });
    send(res, 200, PAGE);
  });
});
afterAll(() => server.close());

describe('transport', () => {
  it('sends every request to the replay server with the real host in the Host header', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    await f.fetch({ url: 'https://www.haiyan.gov.cn:8443/col/col1229449092/index.html?uid=1&pageNum=2' });
    await f.close();
    expect(server.requests.at(-1)).toMatchObject({ host: 'www.haiyan.gov.cn:8443', path: '/col/col1229449092/index.html?uid=1&pageNum=2' });
  });

  it('posts forms as UTF-8 urlencoded bodies with the caller’s headers', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    const r = await f.fetch({
      url: 'http://www.zj.gov.cn/module/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15',
      form: { col: '1', webid: '3096', webname: '浙江省人民政府门户网站' },
      headers: { referer: 'http://www.zj.gov.cn/col/col1229019364/index.html', 'x-requested-with': 'XMLHttpRequest' },
    });
    await f.close();
    expect(r.text()).toBe(
      `<datastore>application/x-www-form-urlencoded; charset=UTF-8|col=1&webid=3096&webname=${encodeURIComponent('浙江省人民政府门户网站')}</datastore>`,
    );
    const sent = server.requests.at(-1);
    expect(sent?.method).toBe('POST');
    expect(sent?.headers.referer).toBe('http://www.zj.gov.cn/col/col1229019364/index.html');
    expect(sent?.headers['x-requested-with']).toBe('XMLHttpRequest');
  });

  it('keeps cookies per host, sends them back, and restores them in a later run', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    await f.fetch({ url: 'http://a.cookie.gov.cn/login' });
    await f.fetch({ url: 'http://a.cookie.gov.cn/page' });
    await f.fetch({ url: 'http://b.cookie.gov.cn/page' });
    await f.close();
    const g = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    await g.fetch({ url: 'http://a.cookie.gov.cn/later' });
    await g.close();
    const cookieOf = (host: string, path: string) => server.requests.find((r) => r.host === host && r.path === path)?.headers.cookie;
    expect(cookieOf('a.cookie.gov.cn', '/page')).toBe('SERVERID=abc|1|2; JSESSIONID=s1');
    expect(cookieOf('b.cookie.gov.cn', '/page')).toBeUndefined();
    expect(cookieOf('a.cookie.gov.cn', '/later')).toBe('SERVERID=abc|1|2; JSESSIONID=s1');
  });

  it('decodes gzip and brotli responses and archives the decoded bytes', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    for (const path of ['/gzip', '/br']) {
      const r = await f.fetch({ url: `http://zip.gov.cn${path}` });
      expect(r.text()).toBe(PAGE);
      expect(getBlob(dir, r.sha256).toString()).toBe(PAGE);
    }
    await f.close();
    expect(server.requests.find((r) => r.path === '/gzip')?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });
});

// Only government hosts (gov.cn) and declared extra hosts are fetched; copycat mirrors are refused,
// also when a page redirects to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, isHostAllowed } from '../../../src/crawl/fetch/index.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url === '/robots.txt') return send(res, 404, '');
    if (req.url === '/to-mirror') return send(res, 302, '', { location: 'http://www.haose21.com/art/2024/2/8/art_1229781527_5264708.html' });
    if (req.url === '/to-https') return send(res, 301, '', { location: 'https://www.haining.gov.cn/moved' });
    if (req.url === '/loop') return send(res, 302, '', { location: '/loop' });
    if (req.url === '/post-303') return send(res, 303, '', { location: '/result?id=7' });
    send(res, 200, `<p>${req.headers.host}${req.url}</p>`);
  });
});
afterAll(() => server.close());

describe('host allow-list', () => {
  it('allows gov.cn and its subdomains plus declared hosts, nothing that merely looks similar', () => {
    expect(isHostAllowed('www.zj.gov.cn')).toBe(true);
    expect(isHostAllowed('gov.cn')).toBe(true);
    expect(isHostAllowed('WWW.HAINING.GOV.CN.')).toBe(true);
    expect(isHostAllowed('haose21.com')).toBe(false);
    expect(isHostAllowed('fakegov.cn')).toBe(false);
    expect(isHostAllowed('www.gov.cn.evil.com')).toBe(false);
    expect(isHostAllowed('zjjcmspublic.oss-cn-hangzhou.aliyuncs.com', ['zjjcmspublic.oss-cn-hangzhou.aliyuncs.com'])).toBe(true);
    expect(isHostAllowed('zj.cma.gov.cn', [])).toBe(true);
  });

  it('matches declared hosts exactly: an entry admits neither its subdomains nor a host it is a tail of (issue 17.7)', () => {
    expect(isHostAllowed('zjjcmspublic.oss-cn-hangzhou.aliyuncs.com', ['oss-cn-hangzhou.aliyuncs.com'])).toBe(false);
    expect(isHostAllowed('127.0.0.1', ['0.0.1'])).toBe(false);
    expect(isHostAllowed('10.0.0.1', ['0.1'])).toBe(false);
    expect(isHostAllowed('evil.com', ['com'])).toBe(false);
    expect(isHostAllowed('files.example.com', ['*.example.com'])).toBe(false);
    expect(isHostAllowed('Files.Example.com.', ['files.example.com'])).toBe(true);
    // an IP literal is never a gov.cn host, however it is written
    expect(isHostAllowed('[::ffff:127.0.0.1]')).toBe(false);
  });

  it('refuses a mirror without sending it a request, and a redirect into a mirror', async () => {
    const dir = newDir();
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    await expect(f.fetch({ url: 'http://www.haose21.com/art/x.html' })).rejects.toMatchObject({ code: 'host-not-allowed' });
    await expect(f.fetch({ url: 'http://www.haining.gov.cn/to-mirror' })).rejects.toMatchObject({
      code: 'host-not-allowed',
      url: 'http://www.haose21.com/art/2024/2/8/art_1229781527_5264708.html',
    });
    // Redirects inside the allow-list are followed (here http → https on the same portal).
    const moved = await f.fetch({ url: 'http://www.haining.gov.cn/to-https' });
    expect(moved.finalUrl).toBe('https://www.haining.gov.cn/moved');
    expect(moved.url).toBe('http://www.haining.gov.cn/to-https');
    await f.close();
    expect(server.requests.some((r) => r.host.includes('haose21'))).toBe(false);
    const s = openCrawlState(dir);
    expect(s.fetchLog.entries().filter((e) => e.error?.startsWith('host-not-allowed: ')).map((e) => e.url)).toEqual([
      'http://www.haose21.com/art/x.html',
      'http://www.haose21.com/art/2024/2/8/art_1229781527_5264708.html',
    ]);
    s.close();
  });

  it('turns a POST answered by 303 into a GET, and stops redirect loops', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10, maxRedirects: 3 });
    const r = await f.fetch({ url: 'http://www.haining.gov.cn/post-303', form: { q: '年报' } });
    expect(r.finalUrl).toBe('http://www.haining.gov.cn/result?id=7');
    await expect(f.fetch({ url: 'http://www.haining.gov.cn/loop' })).rejects.toMatchObject({ code: 'too-many-redirects' });
    await f.close();
    const after303 = server.requests.find((q) => q.path === '/result?id=7');
    expect(after303?.method).toBe('GET');
    expect(server.requests.filter((q) => q.path === '/loop')).toHaveLength(4);
  });

  it('fetches hosts a site declares', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10, allowHosts: ['zjjcmspublic.oss-cn-hangzhou.aliyuncs.com'] });
    const r = await f.fetch({ url: 'http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/a.pdf', kind: 'attachment' });
    await f.close();
    expect(r.text()).toBe('<p>zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/a.pdf</p>');
  });
});

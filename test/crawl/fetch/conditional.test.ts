// Conditional GET from stored validators (ETag → If-None-Match, Last-Modified → If-Modified-Since);
// a 304 answers with the archived body; sha256 change detection across fetches and runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBlob } from '../../../src/archive/index.ts';
import { Fetcher } from '../../../src/crawl/fetch/index.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;
let version = 1;
const LAST_MODIFIED = 'Wed, 07 Feb 2024 06:35:00 GMT';

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    if (req.url === '/robots.txt') return send(res, 404, '');
    if (req.url === '/etag') {
      const etag = `"v${version}"`;
      if (req.headers['if-none-match'] === etag) return send(res, 304, '', { etag });
      return send(res, 200, `<p>version ${version}</p>`, { etag });
    }
    if (req.url === '/last-modified') {
      if (req.headers['if-modified-since'] === LAST_MODIFIED) return send(res, 304, '');
      return send(res, 200, '<p>dated</p>', { 'last-modified': LAST_MODIFIED });
    }
    if (req.url === '/plain') return send(res, 200, `<p>plain ${version}</p>`);
    send(res, 404, '');
  });
});
afterAll(() => server.close());

describe('conditional GET', () => {
  it('sends If-None-Match, serves a 304 from the archive and reports changes by sha256', async () => {
    const dir = newDir();
    version = 1;
    const f = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    const first = await f.fetch({ url: 'http://cond.gov.cn/etag' });
    expect(first).toMatchObject({ status: 200, notModified: false, changed: true });
    const second = await f.fetch({ url: 'http://cond.gov.cn/etag' });
    expect(second).toMatchObject({ status: 304, ok: true, notModified: true, changed: false, sha256: first.sha256 });
    expect(second.body.equals(first.body)).toBe(true);
    expect(second.text()).toBe('<p>version 1</p>');
    expect(getBlob(dir, second.sha256).equals(first.body)).toBe(true);
    await f.close();

    // A later run keeps the validators; new content is fetched and flagged as changed.
    version = 2;
    const g = new Fetcher({ dataDir: dir, via: server.origin, delayMs: 10 });
    const third = await g.fetch({ url: 'http://cond.gov.cn/etag' });
    expect(third).toMatchObject({ status: 200, notModified: false, changed: true });
    expect(third.text()).toBe('<p>version 2</p>');
    await g.close();

    const sent = server.requests.filter((r) => r.path === '/etag').map((r) => r.headers['if-none-match'] ?? null);
    expect(sent).toEqual([null, '"v1"', '"v1"']);
    const s = openCrawlState(dir);
    expect(s.fetchLog.entries({ url: 'http://cond.gov.cn/etag' }).map((e) => [e.status, e.sha256])).toEqual([
      [200, first.sha256],
      [304, first.sha256],
      [200, third.sha256],
    ]);
    s.close();
  });

  it('sends If-Modified-Since from Last-Modified', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    await f.fetch({ url: 'http://cond.gov.cn/last-modified' });
    const again = await f.fetch({ url: 'http://cond.gov.cn/last-modified' });
    await f.close();
    expect(again.notModified).toBe(true);
    expect(again.text()).toBe('<p>dated</p>');
    expect(server.requests.filter((r) => r.path === '/last-modified').map((r) => r.headers['if-modified-since'] ?? null)).toEqual([null, LAST_MODIFIED]);
  });

  it('detects unchanged and changed bodies without validators', async () => {
    version = 1;
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    expect((await f.fetch({ url: 'http://cond.gov.cn/plain' })).changed).toBe(true);
    expect((await f.fetch({ url: 'http://cond.gov.cn/plain' })).changed).toBe(false);
    version = 3;
    expect((await f.fetch({ url: 'http://cond.gov.cn/plain' })).changed).toBe(true);
    await f.close();
  });
});

// Retries with exponential backoff for network errors, 429 and 5xx; Retry-After honoured; no retry
// for 404/410; timeouts and the body-size cap end a request with a stable error code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, Fetcher } from '../../../src/crawl/fetch/index.ts';
import { parseRetryAfter } from '../../../src/crawl/fetch/retry.ts';
import { openCrawlState } from '../../../src/crawl/state/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
let server: TestServer;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const path = req.url ?? '/';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    if (path === '/robots.txt') return send(res, 404, 'no robots');
    if (path === '/flaky') return n <= 2 ? send(res, 503, 'busy') : send(res, 200, 'finally');
    if (path === '/always-500') return send(res, 500, 'broken');
    if (path === '/429-seconds') return n === 1 ? send(res, 429, 'slow down', { 'retry-after': '1' }) : send(res, 200, 'ok');
    if (path === '/429-date') {
      return n === 1 ? send(res, 429, 'slow down', { 'retry-after': new Date(Date.now() + 2000).toUTCString() }) : send(res, 200, 'ok');
    }
    if (path === '/429-forever') return send(res, 429, 'come back tomorrow', { 'retry-after': '86400' });
    if (path === '/404') return send(res, 404, 'gone');
    if (path === '/410') return send(res, 410, 'gone for good');
    if (path === '/reset') {
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      return send(res, 200, 'after reset');
    }
    if (path === '/hang') return; // never answers
    if (path === '/big') return send(res, 200, Buffer.alloc(5000, 'x'));
    if (path === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000, 'y'));
      res.end();
      return;
    }
    send(res, 200, 'default');
  });
});
afterAll(() => server.close());

function opts(dataDir: string) {
  return { dataDir, via: server.origin, delayMs: 20, retryBaseMs: 50, maxRetries: 3 };
}
function arrivals(path: string): number[] {
  return server.requests.filter((r) => r.path === path).map((r) => r.at);
}

describe('retries', () => {
  it('retries 5xx with backoff until it succeeds', async () => {
    const f = new Fetcher(opts(newDir()));
    const r = await f.fetch({ url: 'http://retry.gov.cn/flaky' });
    await f.close();
    expect(r.status).toBe(200);
    expect(r.text()).toBe('finally');
    const at = arrivals('/flaky');
    expect(at).toHaveLength(3);
    // Exponential: the second wait is at least twice the base, the first at least the base.
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(50);
    expect((at[2] ?? 0) - (at[1] ?? 0)).toBeGreaterThanOrEqual(100);
  });

  it('gives up after maxRetries with http-<status>, and logs every attempt', async () => {
    const dir = newDir();
    const f = new Fetcher({ ...opts(dir), runId: 'r500' });
    const err = (await f.fetch({ url: 'http://retry.gov.cn/always-500' }).catch((e: unknown) => e)) as FetchError;
    await f.close();
    expect(err).toBeInstanceOf(FetchError);
    expect(err.code).toBe('http-500');
    expect(err.status).toBe(500);
    expect(err.message).toMatch(/^http-500: /);
    expect(arrivals('/always-500')).toHaveLength(4);
    const s = openCrawlState(dir);
    const log = s.fetchLog.entries({ url: 'http://retry.gov.cn/always-500' });
    expect(log.map((e) => e.status)).toEqual([500, 500, 500, 500]);
    expect(log.every((e) => e.sha256 !== null && e.runId === 'r500')).toBe(true);
    s.close();
  });

  it('waits as long as Retry-After says (seconds)', async () => {
    const f = new Fetcher(opts(newDir()));
    expect((await f.fetch({ url: 'http://retry.gov.cn/429-seconds' })).status).toBe(200);
    await f.close();
    const at = arrivals('/429-seconds');
    expect(at).toHaveLength(2);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('waits until the HTTP date of Retry-After', async () => {
    const f = new Fetcher(opts(newDir()));
    expect((await f.fetch({ url: 'http://retry.gov.cn/429-date' })).status).toBe(200);
    await f.close();
    const at = arrivals('/429-date');
    // The date has one-second resolution, so at least 1 s of the 2 s remain.
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:30 GMT'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeNull();
  });

  it('fails at once when Retry-After asks for more than it is willing to wait', async () => {
    const f = new Fetcher(opts(newDir()));
    await expect(f.fetch({ url: 'http://retry.gov.cn/429-forever' })).rejects.toMatchObject({ code: 'http-429', status: 429 });
    await f.close();
    expect(arrivals('/429-forever')).toHaveLength(1);
  });

  it('does not retry 404 or 410', async () => {
    const f = new Fetcher(opts(newDir()));
    await expect(f.fetch({ url: 'http://retry.gov.cn/404' })).rejects.toMatchObject({ code: 'http-404', status: 404 });
    await expect(f.fetch({ url: 'http://retry.gov.cn/410' })).rejects.toMatchObject({ code: 'http-410', status: 410 });
    await f.close();
    expect(arrivals('/404')).toHaveLength(1);
    expect(arrivals('/410')).toHaveLength(1);
  });

  it('retries network errors (connection reset)', async () => {
    const f = new Fetcher(opts(newDir()));
    const r = await f.fetch({ url: 'http://retry.gov.cn/reset' });
    await f.close();
    expect(r.text()).toBe('after reset');
    expect(arrivals('/reset')).toHaveLength(2);
  });
});

describe('limits', () => {
  it('times out a server that never answers, after retrying', async () => {
    const f = new Fetcher({ ...opts(newDir()), timeoutMs: 300, maxRetries: 1 });
    await expect(f.fetch({ url: 'http://retry.gov.cn/hang' })).rejects.toMatchObject({ code: 'timeout' });
    await f.close();
    expect(arrivals('/hang')).toHaveLength(2);
  });

  it('refuses bodies over maxBodyBytes, declared or streamed, without retrying', async () => {
    const f = new Fetcher({ ...opts(newDir()), maxBodyBytes: 2000 });
    await expect(f.fetch({ url: 'http://retry.gov.cn/big' })).rejects.toMatchObject({ code: 'too-large' });
    await expect(f.fetch({ url: 'http://retry.gov.cn/big-chunked' })).rejects.toMatchObject({ code: 'too-large' });
    await f.close();
    expect(arrivals('/big')).toHaveLength(1);
    expect(arrivals('/big-chunked')).toHaveLength(1);
  });
});

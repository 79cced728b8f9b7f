// Charset: header → BOM → <meta>/<?xml?> → strict UTF-8 → detection → GB18030; the GB family is
// always decoded as GB18030 so 4-byte sequences survive.
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, detectCharset, Fetcher } from '../../../src/crawl/fetch/index.ts';
import { send, startTestServer, type TestServer } from './server.ts';
import { tempDirs } from './tmp.ts';

const newDir = tempDirs();
// 𠮷 (U+20BB7) and 㙟 (U+365F) are 4-byte sequences in GB18030 that a GBK decoder garbles.
const TEXT = '海宁市人民政府2023年度政府信息公开工作年度报告 𠮷㙟 主动公开政府信息情况';
const gb = (s: string): Buffer => iconv.encode(s, 'gb18030');

describe('decodeBody', () => {
  it('uses the charset of the Content-Type header, treating gbk/gb2312 as gb18030', () => {
    const body = gb(`<html><body>${TEXT}</body></html>`);
    expect(detectCharset(body, 'text/html; charset=GBK')).toEqual({ charset: 'gb18030', source: 'header' });
    expect(decodeBody(body, 'text/html; charset="gb2312"')).toContain(TEXT);
  });

  it('reads <meta charset>, <meta http-equiv> and <?xml encoding?> when the header has none', () => {
    expect(decodeBody(gb(`<html><head><meta charset="gb2312"></head><body>${TEXT}</body></html>`), 'text/html')).toContain(TEXT);
    const equiv = gb(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body>${TEXT}</body></html>`);
    expect(detectCharset(equiv, null)).toEqual({ charset: 'gb18030', source: 'meta' });
    expect(decodeBody(gb(`<?xml version="1.0" encoding="GBK"?><datastore><record>${TEXT}</record></datastore>`), 'text/xml')).toContain(TEXT);
  });

  it('honours a BOM', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]);
    expect(detectCharset(body, null).source).toBe('bom');
    expect(decodeBody(body, null)).toBe(TEXT);
  });

  it('takes undeclared valid UTF-8 as UTF-8 and undeclared GBK as GB18030', () => {
    expect(detectCharset(Buffer.from(`<p>${TEXT}</p>`), 'text/html')).toEqual({ charset: 'utf-8', source: 'utf8-valid' });
    const page = gb(`<html><body>${TEXT.repeat(20)}</body></html>`);
    expect(detectCharset(page, 'text/html').charset).toBe('gb18030');
    expect(decodeBody(page, 'text/html')).toContain(TEXT);
    // Too short for a detector: still GB18030 by fallback, never windows-125x.
    expect(decodeBody(gb('年度报告'), null)).toBe('年度报告');
  });
});

describe('FetchResult.text()', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      if (req.url === '/robots.txt') return send(res, 404, '');
      if (req.url === '/header-gbk') return send(res, 200, gb(`<p>${TEXT}</p>`), { 'content-type': 'text/html; charset=gbk' });
      if (req.url === '/meta-gb2312') return send(res, 200, gb(`<meta charset=gb2312><p>${TEXT}</p>`), { 'content-type': 'text/html' });
      if (req.url === '/undeclared') return send(res, 200, gb(`<p>${TEXT.repeat(10)}</p>`), { 'content-type': 'text/html' });
      send(res, 200, `<p>${TEXT}</p>`);
    });
  });
  afterAll(() => server.close());

  it('decodes legacy GBK pages served over HTTP, keeping the raw bytes', async () => {
    const f = new Fetcher({ dataDir: newDir(), via: server.origin, delayMs: 10 });
    for (const path of ['/header-gbk', '/meta-gb2312', '/undeclared', '/utf8']) {
      const r = await f.fetch({ url: `http://legacy.gov.cn${path}` });
      expect(r.text(), path).toContain(TEXT);
    }
    const raw = await f.fetch({ url: 'http://legacy.gov.cn/header-gbk' });
    expect(raw.body.equals(gb(`<p>${TEXT}</p>`))).toBe(true);
    await f.close();
  });
});

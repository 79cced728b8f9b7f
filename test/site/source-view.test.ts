import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { offlineHtml } from '../../src/site/source-view.ts';

const PAGE = 'http://www.example.gov.cn/art/2024/2/8/art_1.html';

describe('offlineHtml: the copy of an archived page shown beside its tables', () => {
  const view = (html: string, pictures: Record<string, string> = {}) => offlineHtml(Buffer.from(html), PAGE, (url) => pictures[url] ?? null).toString();

  it('puts the archived picture in place of a relative <img> and renames every other reference a browser would fetch', () => {
    const out = view(
      `<link rel="stylesheet" href="/css/a.css"><script src='http://x.example/a.js'></script><img src="../../../../picture/t3.png" alt="表三">` +
        `<img src=//cdn.example/logo.gif><iframe src="/embed"></iframe><td background="/bg.gif"><a href="/">首页</a><img src="data:image/gif;base64,R0lGOD">`,
      { 'http://www.example.gov.cn/picture/t3.png': 'data:image/png;base64,AAAA' },
    );
    expect(out).toBe(
      `<link rel="stylesheet" data-ogi-href="/css/a.css"><script data-ogi-src='http://x.example/a.js'></script><img src="data:image/png;base64,AAAA" alt="表三">` +
        `<img data-ogi-src=//cdn.example/logo.gif><iframe data-ogi-src="/embed"></iframe><td data-ogi-background="/bg.gif"><a href="/">首页</a><img src="data:image/gif;base64,R0lGOD">`,
    );
  });

  it('keeps a GBK page\'s bytes as they were, apart from the markup it rewrites', () => {
    const gbk = iconv.encode('<meta charset="gbk"><p>政府信息公开工作年度报告</p><img src="/a.png">', 'gbk');
    const out = offlineHtml(gbk, PAGE, () => null);
    expect(iconv.decode(out, 'gbk')).toBe('<meta charset="gbk"><p>政府信息公开工作年度报告</p><img data-ogi-src="/a.png">');
  });
});

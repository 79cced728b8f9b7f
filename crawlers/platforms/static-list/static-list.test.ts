import { describe, expect, it } from 'vitest';
import { ARTICLE } from '../../sh/shanghai/crawler.ts';
import { loadAdapter } from '../../../src/crawl/adapters/index.ts';
import { parseStaticList } from './adapter.ts';
import { loadSites } from '../../../src/crawl/registry.ts';

describe('Shanghai nw12344 list', () => {
  it('reads article links and the next page', () => {
    const html = `<ul class="uli14 pageList"><li><a href="/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html" title="2023年上海市人民政府政府信息公开工作年度报告">…</a><span class="time">2024-03-29</span></li>
<li><a href="/nw12344/20200813/0001-12344_64595.html" title="2019年上海市人民政府政府信息公开工作年度报告">…</a><span class="time">2020-08-13</span></li><li><a href="/nw2/index.html">其他</a></li></ul>
<div class="pagination"><span>1/3</span> <a href="index_2.html">下一页</a></div>`;
    const l = parseStaticList(html, 'https://www.shanghai.gov.cn/nw12344/index.html', ARTICLE);
    expect(l.articles.map((a) => [a.url, a.date])).toEqual([
      ['https://www.shanghai.gov.cn/nw12344/20240329/d7775c906c0b402a93cbebf4e979c002.html', '2024-03-29'],
      ['https://www.shanghai.gov.cn/nw12344/20200813/0001-12344_64595.html', '2020-08-13'],
    ]);
    expect(l.next).toBe('https://www.shanghai.gov.cn/nw12344/index_2.html');
  });
});

describe('static-list platform', () => {
  it('finds the next page by its link text, and every link when no article pattern is given', () => {
    const html = `<ul><li><a href="/a/1.html">一</a></li><li><a href="/b/2.html">二</a></li></ul><a href="index_3.html">下页</a> <a href="/other/index_9.html">更多</a>`;
    const l = parseStaticList(html, 'http://www.example.gov.cn/list/index_2.html');
    expect(l.articles.map((a) => a.url)).toEqual(['http://www.example.gov.cn/a/1.html', 'http://www.example.gov.cn/b/2.html', 'http://www.example.gov.cn/list/index_3.html', 'http://www.example.gov.cn/other/index_9.html']);
    expect(l.next).toBe('http://www.example.gov.cn/list/index_3.html');
  });

  it('crawls sh-shanghai through its crawler.ts, whose first list page is the column head', async () => {
    const site = loadSites().find((s) => s.id === 'sh-shanghai')!;
    expect(site.platform).toBe('static-list');
    expect(site.crawler).toMatch(/crawlers\/sh\/shanghai\/crawler\.ts$/);
    const adapter = await loadAdapter(site);
    expect(adapter.platform).toBe('static-list');
    expect(adapter.start(site)).toEqual([{ url: 'https://www.shanghai.gov.cn/nw12344/index.html', kind: 'listing', meta: { step: 'list', head: true, page: 1 } }]);
  });
});

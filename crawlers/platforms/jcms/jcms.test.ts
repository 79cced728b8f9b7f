import { describe, expect, it } from 'vitest';
import { findAnnualReportColumns, findDisclosureLinks, isJpaasShell, jpaasPageUrl, parseDatastore, parseJpaasParams, parseJpaasUnits, parseJpageParams, parseRecord, pagerStep, startPager, subColumnLinks } from './adapter.ts';
import { linkedAsPdf, parseArticle } from '../../../src/crawl/adapters/article.ts';

const PAGE = 'https://www.hangzhou.gov.cn/col/col1229063379/index.html';

// the shape of a classic jcms column page (notes A.1), abbreviated
const COLUMN = `<html><body>
<div id="6793088"><script type="text/xml"><datastore>
<recordset>
<record><![CDATA[
<li class="clearfix"><a href='/art/2024/3/29/art_1229063379_4245678.html' title='杭州市人民政府2023年度政府信息公开工作年度报告' target='_blank'>杭州市人民政府2023年度政府信息公开工作年...</a><span class="time">2024-03-29</span></li>
]]></record>
<record><![CDATA[
<table><tr><td><a href="/art/2024/1/5/art_1229063379_4100001.html" target="_blank">关于印发工作要点的通知</a></td><td>[2024-01-05]</td></tr></table>
]]></record>
<record>&lt;li&gt;&lt;a href=&quot;/art/2023/12/1/art_1229063379_4000001.html&quot;&gt;新闻&lt;/a&gt;&lt;span&gt;2023/12/1&lt;/span&gt;&lt;/li&gt;</record>
</recordset></datastore></script></div>
<script language="javascript">
$(document).ready(function () { $('#6793088').jpage({ totalRecord: 123, perPage: 15, proxyUrl: '/module/jpage/dataproxy.jsp', dataStore: dataStore,
  ajaxParam: { col: 1, appid: 1, webid: 149, path: '/', columnid: 1229063379, sourceContentType: 3, unitid: 6793088, webname: '杭州市人民政府门户网站', permissiontype: 0 } }); });
</script></body></html>`;

describe('jcms datastore', () => {
  it('reads records from CDATA and escaped records, preferring the title attribute over truncated text', () => {
    const ds = parseDatastore(COLUMN, PAGE);
    expect(ds.records).toEqual([
      { url: 'https://www.hangzhou.gov.cn/art/2024/3/29/art_1229063379_4245678.html', title: '杭州市人民政府2023年度政府信息公开工作年度报告', date: '2024-03-29' },
      { url: 'https://www.hangzhou.gov.cn/art/2024/1/5/art_1229063379_4100001.html', title: '关于印发工作要点的通知', date: '2024-01-05' },
      { url: 'https://www.hangzhou.gov.cn/art/2023/12/1/art_1229063379_4000001.html', title: '新闻', date: '2023-12-01' },
    ]);
    expect(ds.nextgroup).toBeNull();
  });

  it('reads the jpage parameters and turns them into classic POST proxy steps', () => {
    const p = parseJpageParams(COLUMN, PAGE);
    expect(p).toMatchObject({ columnid: '1229063379', unitid: '6793088', webid: '149', webname: '杭州市人民政府门户网站', sourceContentType: '3', totalRecord: 123, perPage: 15 });
    const ds = parseDatastore(COLUMN, PAGE);
    // one request at a time: each answer decides the next (the loop carries its state in the step)
    const pager = startPager(PAGE, ds, p, { step: 45 })!;
    expect(pager).toMatchObject({ method: 'POST', path: '/module/jpage/dataproxy.jsp', offset: 3, total: 123 });
    const steps = [1, 2, 3].map((page) => pagerStep({ ...pager, page }));
    expect(steps.map((s) => s.url)).toEqual([
      'https://www.hangzhou.gov.cn/module/jpage/dataproxy.jsp?startrecord=4&endrecord=48&perpage=15',
      'https://www.hangzhou.gov.cn/module/jpage/dataproxy.jsp?startrecord=49&endrecord=93&perpage=15',
      'https://www.hangzhou.gov.cn/module/jpage/dataproxy.jsp?startrecord=94&endrecord=123&perpage=15',
    ]);
    expect(steps[0]?.meta).toMatchObject({
      method: 'POST',
      form: { col: '1', appid: '1', webid: '149', path: '/', columnid: '1229063379', sourceContentType: '3', unitid: '6793088', webname: '杭州市人民政府门户网站', permissiontype: '0' },
      headers: { Referer: PAGE, Origin: 'https://www.hangzhou.gov.cn' },
    });
  });

  it('reads the GET proxy of the jpage initialiser when its proxyUrl is the upgraded one (jshrss-dataproxy-writeup.md)', () => {
    const page = COLUMN.replace("proxyUrl: '/module/jpage/dataproxy.jsp'", "proxyUrl: '/module/web/jpage/dataproxy.jsp'");
    const pager = startPager(PAGE, parseDatastore(page, PAGE), parseJpageParams(page, PAGE), { step: 45 })!;
    const u = new URL(pagerStep(pager).url);
    expect(u.pathname).toBe('/module/web/jpage/dataproxy.jsp');
    expect(Object.fromEntries(u.searchParams)).toMatchObject({ page: '1', webid: '149', columnid: '1229063379', unitid: '6793088', permissiontype: '0' });
  });

  it('follows the GET proxy template in <nextgroup> and reads proxy XML', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=3&appid=1&webid=3028&path=/&columnid=1229095999&unitid=5832190&webname=%E5%AE%81%E6%B3%A2&permissiontype=0"></a>]]></nextgroup>
<totalrecord>1928</totalrecord><totalpage>129</totalpage>
<recordset><record><![CDATA[<li><a href="/art/2024/3/27/art_1229095999_59012345.html" title="宁波市人民政府2023年度政府信息公开工作年度报告">宁波…</a><span>2024-03-27</span></li>]]></record></recordset></datastore>`;
    const ds = parseDatastore(xml, 'http://www.ningbo.gov.cn/col/col1229095999/index.html');
    expect(ds.totalRecord).toBe(1928);
    expect(ds.nextgroup).toBe('http://www.ningbo.gov.cn/module/web/jpage/dataproxy.jsp?page=3&appid=1&webid=3028&path=/&columnid=1229095999&unitid=5832190&webname=%E5%AE%81%E6%B3%A2&permissiontype=0');
    expect(ds.records).toHaveLength(1);
  });

  it('takes the article link of a record with several links', () => {
    const r = parseRecord(`<li><a href="/col/col1/index.html">[海宁市]</a> <a href="/art/2024/2/8/art_1229781527_5264708.html" title="(图文)海宁市人民政府2023年度政府信息公开工作年度报告">…</a> 2024-02-08</li>`, 'http://www.haining.gov.cn/');
    expect(r).toEqual({ url: 'http://www.haining.gov.cn/art/2024/2/8/art_1229781527_5264708.html', title: '(图文)海宁市人民政府2023年度政府信息公开工作年度报告', date: '2024-02-08' });
  });
});

describe('jpaas shells', () => {
  const shell = `<html><head><script src="/jpaas/jpaas-publish-static/js/jquery.min.js"></script></head><body><div id="jpaas-list"></div>
<script>var jpaasPage = { webId: '3163', tplSetId: 'fc5a7b3e', pageType: 'column', tagId: '分页列表', pageId: '1229506050' };</script></body></html>`;

  it('detects a JS shell and reads the parameters of the jpaas list call', () => {
    expect(isJpaasShell(shell)).toBe(true);
    expect(isJpaasShell(COLUMN)).toBe(false);
    const p = parseJpaasParams(shell, 'https://hrss.hangzhou.gov.cn/col/col1229506050/index.html');
    expect(p).toEqual({ webId: '3163', tplSetId: 'fc5a7b3e', tagId: '分页列表', pageId: '1229506050' });
    // the list call the crawler makes from them (page 1, 15 records): the shell's parameters, the Zhejiang spelling bulidstatic
    const [unit] = parseJpaasUnits(shell, 'https://hrss.hangzhou.gov.cn/col/col1229506050/index.html');
    expect(jpaasPageUrl(unit!, 1, 15)).toBe(
      'https://hrss.hangzhou.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?parseType=bulidstatic&webId=3163&tplSetId=fc5a7b3e&pageType=column&tagId=%E5%88%86%E9%A1%B5%E5%88%97%E8%A1%A8&editType=null&pageId=1229506050&paramJson=%7B%22pageNo%22%3A1%2C%22pageSize%22%3A15%7D',
    );
  });

  it('returns no parameters (so the crawler warns) when the shell does not state them', () => {
    expect(parseJpaasParams('<html><script src="/jpaas/x.js"></script><script>load()</script></html>', 'https://x.gov.cn/col/col1/index.html')).toBeNull();
  });
});

describe('discovery of the annual-report column', () => {
  const base = 'https://www.zj.gov.cn/col/col1229019364/index.html';
  const page = `<ul><li><a href="/col/col1229019370/index.html">政府信息公开指南</a></li><li><a href="/col/col1229019365/index.html">政府信息公开年报</a></li>
<li><a href="/col/col1229019366/index.html">部门政府信息公开年度报告</a></li><li><a href="/art/2024/3/28/art_1229019365_1.html">浙江省人民政府2023年度政府信息公开工作年度报告</a></li>
<li><a href="https://www.other.gov.cn/col/col9/index.html">政府信息公开年报</a></li></ul>`;

  it('finds column links by their text, not article links or other hosts', () => {
    expect(findAnnualReportColumns(page, base).map((l) => l.url)).toEqual([
      'https://www.zj.gov.cn/col/col1229019365/index.html',
      'https://www.zj.gov.cn/col/col1229019366/index.html',
    ]);
  });

  it('finds 政府信息公开 entry links on a home page', () => {
    const home = `<div><a href="/">首页</a><a href="/col/col1229019364/index.html">政府信息公开</a><a href="/col/col2/index.html">新闻中心</a></div>`;
    expect(findDisclosureLinks(home, 'https://www.zj.gov.cn/').map((l) => l.url)).toEqual(['https://www.zj.gov.cn/col/col1229019364/index.html']);
  });
});

describe('article pages', () => {
  it('reads the site-standard meta tags, the #zoom body and its attachments', () => {
    const html = `<html><head><meta name="ArticleTitle" content="湖州市人民政府2023年度政府信息公开工作年度报告"><meta name="PubDate" content="2024-03-26 11:00"><meta name="ContentSource" content="湖州市人民政府"></head>
<body><div class="nav"><a href="/module/download/downfile.jsp?classid=0&filename=nav.pdf">not in body</a></div><div id="zoom"><p>全文见附件</p>
<a href="/module/download/downfile.jsp?classid=0&filename=8f3c.pdf">附件.pdf</a> <a href="http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/jcms1/web3201/site/attach/-1/a.doc">b</a> <a href="/art/2024/1/1/art_1_2.html">相关</a></div></body></html>`;
    const a = parseArticle(html, 'https://www.huzhou.gov.cn/art/2024/3/26/art_1229213367_59123456.html');
    expect(a).toMatchObject({ title: '湖州市人民政府2023年度政府信息公开工作年度报告', publishedAt: '2024-03-26', contentSource: '湖州市人民政府', container: '#zoom' });
    expect(a.attachments.map((x) => x.url)).toEqual([
      'https://www.huzhou.gov.cn/module/download/downfile.jsp?classid=0&filename=8f3c.pdf',
      'http://zjjcmspublic.oss-cn-hangzhou.aliyuncs.com/jcms_files/jcms1/web3201/site/attach/-1/a.doc',
    ]);
  });

  it('knows links that name a PDF, by path or by a filename= parameter', () => {
    expect(linkedAsPdf('https://x.gov.cn/module/download/downfile.jsp?classid=0&filename=a.pdf')).toBe(true);
    expect(linkedAsPdf('https://x.gov.cn/attach/report.PDF')).toBe(true);
    expect(linkedAsPdf('https://x.gov.cn/attach/report.doc')).toBe(false);
  });
});

describe('classic paging without totalRecord on the page', () => {
  it('asks for the first range; the answer’s <totalrecord> decides the rest', () => {
    const page = COLUMN.replace('totalRecord: 123, ', '');
    const p = parseJpageParams(page, PAGE);
    expect(p.totalRecord).toBeNull();
    const pager = startPager(PAGE, parseDatastore(page, PAGE), p, { step: 45 })!;
    expect(pager.total).toBeNull();
    expect(pagerStep(pager).url).toBe('https://www.hangzhou.gov.cn/module/jpage/dataproxy.jsp?startrecord=4&endrecord=48&perpage=15');
  });
});

describe('jpage parameters among other scripts', () => {
  it('ignores same-named variables that are not proxy parameters', () => {
    const page = `<div id="6793088"><script type="text/xml"><datastore><recordset></recordset></datastore></script></div>
<script>var path = window.location.pathname; var webid = getSiteId();</script>`;
    const p = parseJpageParams(page, PAGE);
    expect(p).toMatchObject({ path: null, webid: null, unitid: '6793088', columnid: '1229063379' });
  });
});

describe('sister hosts of the same government', () => {
  // Ningbo's reports live on zfxx.ningbo.gov.cn beside www.ningbo.gov.cn (evidence pages-text/ningbo-2020-mirror.txt)
  const page = `<html><body>
    <a href="http://zfxx.ningbo.gov.cn/col/col1229095999/index.html">政府信息公开年报</a>
    <a href="https://www.zj.gov.cn/col/col1229019365/index.html">政府信息公开年报</a>
    <a href="http://zfxx.ningbo.gov.cn/col/col1229100001/index.html">市级部门单位</a>
    <a href="http://www.cixi.gov.cn/col/col1229100002/index.html">慈溪市</a>
  </body></html>`;
  const base = 'http://www.ningbo.gov.cn/col/col1229095997/index.html';

  it('discovery follows links to other portals of the same government, not to other governments', () => {
    expect(findAnnualReportColumns(page, base).map((l) => l.url)).toEqual(['http://zfxx.ningbo.gov.cn/col/col1229095999/index.html']);
    expect(subColumnLinks(page, base).map((l) => l.url)).toEqual([
      'http://zfxx.ningbo.gov.cn/col/col1229095999/index.html',
      'http://zfxx.ningbo.gov.cn/col/col1229100001/index.html',
    ]);
  });
});

/**
 * The jcms adapter against real captures (crawlers/platforms/jcms/excerpts/, PROVENANCE.md) and against the
 * behaviours they show: GET paging to <totalpage> from a page=1 <nextgroup> template, the classic →
 * upgraded proxy fallback, organ > year column trees, single-article columns, jpaas JSON units.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  columnAsReport,
  jpaasPageUrl,
  listUnitCandidates,
  parseDatastore,
  parseJpaasAnswer,
  parseJpaasUnits,
} from './adapter.ts';
import { parseLinks } from '../../../src/crawl/adapters/links.ts';
import { walkListings } from '../../../src/crawl/adapters/walk.ts';
import { fakeFetcher, siteWith, type Handler } from '../../../testkit/crawl/fake-portal.ts';
import { loadSites, REPO_ROOT, type Site } from '../../../src/crawl/registry.ts';

const EVIDENCE = join(REPO_ROOT, 'crawlers/platforms/jcms/excerpts');
const read = (name: string): string => readFileSync(join(EVIDENCE, name), 'utf8');

describe('real captures parse as expected', () => {
  it('dingxi column datastore: 45 records and a page=1 <nextgroup> template of the GET proxy', () => {
    const ds = parseDatastore(read('dingxi-column-datastore.xml'), 'http://www.dingxi.gov.cn/col/col12377/index.html');
    expect(ds.records).toHaveLength(45);
    expect(ds.linkless).toBe(0);
    expect(new Set(ds.records.map((r) => r.url)).size).toBe(45);
    expect(ds.records[0]).toEqual({ url: 'http://www.dingxi.gov.cn/art/2022/1/20/art_12377_1486865.html', title: '定西市“春节”文明祭祀倡议书', date: '2022-01-20' });
    expect(ds.records[44]).toMatchObject({ url: 'http://www.dingxi.gov.cn/art/2021/9/30/art_12377_1452512.html', date: '2021-09-30' });
    // the title attribute, not the truncated text
    expect(ds.records[1]?.title).toBe('定西市工信局关于对省级第二轮环保督察反馈第四项第十三项问题整改完成情况的公示');
    const ng = new URL(ds.nextgroup ?? '');
    expect(ng.pathname).toBe('/module/web/jpage/dataproxy.jsp');
    expect(ng.searchParams.get('page')).toBe('1');
    expect(ng.searchParams.get('columnid')).toBe('12377');
    expect(ng.searchParams.get('unitid')).toBe('38486');
    expect(ng.searchParams.get('webid')).toBe('110');
    expect(ds.totalRecord).toBeNull();
  });

  it('jiangsu gxt GET proxy answer: totalrecord 940, totalpage 63, no nextgroup, 2 records and 1 linkless row', () => {
    const ds = parseDatastore(read('jiangsu-gxt-dataproxy-excerpt.xml'), 'https://gxt.jiangsu.gov.cn/col/col6278/index.html');
    expect(ds.totalRecord).toBe(940);
    expect(ds.totalPage).toBe(63);
    expect(ds.nextgroup).toBeNull();
    expect(ds.records.map((r) => [r.url, r.date])).toEqual([
      ['https://gxt.jiangsu.gov.cn/art/2026/6/10/art_6278_11783480.html', '2026-06-10'],
      ['https://gxt.jiangsu.gov.cn/art/2026/5/18/art_6278_11772533.html', '2026-05-18'],
    ]);
    expect(ds.linkless).toBe(1);
  });

  it('miit jpaas shell: the unit script, its queryData (buildstatic) and paramJson paging', () => {
    const page = 'https://www.miit.gov.cn/xwfb/xwfbh/index.html';
    const units = parseJpaasUnits(read('miit-jpaas-shell.html'), page);
    expect(units).toHaveLength(1);
    expect(units[0]?.endpoint).toBe('https://www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit');
    expect(Object.fromEntries(units[0]?.query ?? [])).toEqual({
      parseType: 'buildstatic',
      webId: '8d828e408d90447786ddbe128d495e9e',
      tplSetId: '209741b2109044b5b7695700b2bec37e',
      pageType: 'column',
      tagId: '右侧内容',
      editType: 'null',
      pageId: 'ca517c97303b40cf80bd668b35f6148f',
    });
    const u = new URL(jpaasPageUrl(units[0]!, 2, 15));
    expect(u.searchParams.get('parseType')).toBe('buildstatic');
    expect(JSON.parse(u.searchParams.get('paramJson') ?? '')).toEqual({ pageNo: 2, pageSize: 15 });
  });

  it('the zj.gov.cn loader model (not a capture) gives its unit with bulidstatic and pageId', () => {
    const units = parseJpaasUnits(read('zj-gov-jpaas-loader-thirdparty.html'), 'https://www.zj.gov.cn/col/col1554467/index.html');
    expect(units).toHaveLength(1);
    expect(Object.fromEntries(units[0]?.query ?? [])).toMatchObject({ parseType: 'bulidstatic', webId: '3096', tagId: '当前栏目list', pageId: '1554467' });
  });

  it('miit jpaas unit answer is JSON: its data.html is read, never the JSON text as HTML', () => {
    const a = parseJpaasAnswer(read('miit-jpaas-unit-response.json'));
    expect(a.ok).toBe(true);
    const links = parseLinks(a.html, 'https://www.miit.gov.cn/xwfb/xwfbh/index.html');
    expect(links.map((l) => [l.url, l.title, l.date])).toEqual([['http://www.miit.gov.cn/xwfb/xwfbh/bxwfbh/art/2026/art_abc.html', '工业和信息化部举行新闻发布会', '2026-04-02']]);
  });
});

// ---- walks over a fake portal ----

const rec = (href: string, title: string, date: string): string => `<record><![CDATA[<li><a href="${href}" title="${title}" target="_blank">${title}</a><span>${date}</span></li>]]></record>`;

describe('GET paging to <totalpage> from the page=1 <nextgroup> template (dingxi + gxt/jshrss answers)', () => {
  const host = 'http://www.dingxi.gov.cn';
  const column = `${host}/col/col12377/index.html`;
  const dingxi = read('dingxi-column-datastore.xml');
  const embedded = parseDatastore(dingxi, column).records;
  // 45 embedded (one on zwgk.dingxi.gov.cn) + 7 more; the last one is a report
  const extra = Array.from({ length: 7 }, (_, i) => ({ url: `${host}/art/2021/9/${20 - i}/art_12377_14500${i}.html`, title: i === 6 ? '定西市人民政府2020年度政府信息公开工作年度报告' : `通知${i}`, date: `2021-09-${String(20 - i).padStart(2, '0')}` }));
  const all = [...embedded.map((r) => ({ url: r.url, title: r.title, date: r.date ?? '' })), ...extra];

  function portal(total: number, perPage = 15): Handler {
    return (req, u) => {
      if (u.href === column) return { body: `<html><body><div id="38486"><script type="text/xml">${dingxi}</script></div></body></html>` };
      if (u.pathname === '/module/web/jpage/dataproxy.jsp' && req.method !== 'POST') {
        const page = Number(u.searchParams.get('page'));
        const items = all.slice((page - 1) * perPage, page * perPage);
        // a real answer: totalrecord/totalpage, no <nextgroup> (jiangsu-gxt-dataproxy-excerpt.xml)
        return { body: `<datastore><totalrecord>${total}</totalrecord><totalpage>${Math.ceil(total / perPage)}</totalpage><recordset>${items.map((r) => rec(r.url, r.title, r.date)).join('')}</recordset></datastore>` };
      }
      return undefined;
    };
  }

  it('loops page=1..totalpage with the template parameters, dedupes by URL and finds the report on the last page', async () => {
    const f = fakeFetcher(portal(all.length));
    const w = await walkListings(siteWith([column]), f);
    const pages = f.requests.filter((r) => r.url.includes('dataproxy')).map((r) => new URL(r.url));
    expect(pages.map((u) => u.searchParams.get('page'))).toEqual(['1', '2', '3', '4']);
    expect(pages.every((u) => u.searchParams.get('columnid') === '12377' && u.searchParams.get('unitid') === '38486' && u.searchParams.get('webid') === '110')).toBe(true);
    expect(w.reports.map((r) => r.url)).toEqual([`${host}/art/2021/9/14/art_12377_145006.html`]);
    expect(w.warnings.map((x) => x.code)).toEqual([]);
  });

  it('warns listing-short when fewer records were read than the column announces', async () => {
    const f = fakeFetcher(portal(all.length + 3));
    const w = await walkListings(siteWith([column]), f);
    const short = w.warnings.filter((x) => x.code === 'listing-short');
    expect(short).toHaveLength(1);
    expect(short[0]?.message).toContain(`announces ${all.length + 3} records; ${all.length} were read`);
  });

  it('keeps maxPages as a cap, with paging-capped', async () => {
    const f = fakeFetcher(portal(all.length));
    const w = await walkListings(siteWith([column], { maxPages: 2 }), f);
    expect(f.requests.filter((r) => r.url.includes('dataproxy'))).toHaveLength(2);
    expect(w.warnings.map((x) => x.code)).toContain('paging-capped');
  });
});

describe('classic → upgraded proxy fallback (jshrss-dataproxy-writeup.md)', () => {
  const host = 'https://jshrss.jiangsu.gov.cn';
  const column = `${host}/col/col77278/index.html`;
  const records = Array.from({ length: 30 }, (_, i) => ({ url: `/art/2024/1/${i + 1}/art_77278_${1000 + i}.html`, title: i === 29 ? '江苏省人力资源和社会保障厅2023年度政府信息公开工作年度报告' : `通知${i}`, date: `2024-01-${String(i + 1).padStart(2, '0')}` }));
  const page = `<html><body><div id="303271"><script type="text/xml"><datastore><recordset>${records
    .slice(0, 10)
    .map((r) => rec(r.url, r.title, r.date))
    .join('')}</recordset></datastore></script></div>
<script>$('#303271').jpage({ totalRecord: 30, perPage: 10, dataStore: dataStore, ajaxParam: { col: 1, appid: 1, webid: 67, path: '/', columnid: 77278, unitid: 303271, permissiontype: 0 } });</script></body></html>`;

  it('on a 404 of the classic POST proxy, pages the upgraded GET proxy and keeps to it', async () => {
    const f = fakeFetcher((req, u) => {
      if (u.href === column) return { body: page };
      if (u.pathname === '/module/jpage/dataproxy.jsp') return { status: 404, body: '' };
      if (u.pathname === '/module/web/jpage/dataproxy.jsp' && req.method !== 'POST') {
        const n = Number(u.searchParams.get('page'));
        return { body: `<datastore><totalrecord>30</totalrecord><totalpage>3</totalpage><recordset>${records.slice((n - 1) * 10, n * 10).map((r) => rec(r.url, r.title, r.date)).join('')}</recordset></datastore>` };
      }
      return undefined;
    });
    const w = await walkListings(siteWith([column]), f);
    const proxy = f.requests.filter((r) => r.url.includes('dataproxy'));
    expect(proxy.map((r) => `${r.method ?? 'GET'} ${new URL(r.url).pathname}`)).toEqual([
      'POST /module/jpage/dataproxy.jsp',
      'GET /module/web/jpage/dataproxy.jsp',
      'GET /module/web/jpage/dataproxy.jsp',
      'GET /module/web/jpage/dataproxy.jsp',
    ]);
    expect(new URL(proxy[1]!.url).searchParams.get('columnid')).toBe('77278');
    expect(w.reports.map((r) => r.url)).toEqual([`${host}/art/2024/1/30/art_77278_1029.html`]);
    expect(w.warnings.map((x) => x.code)).toEqual([]);
  });
});

describe('organ > year column trees (wenzhou-2023.txt, wenzhou-depts.txt)', () => {
  const host = 'https://www.wenzhou.gov.cn';
  const col = (id: string): string => `${host}/col/col${id}/index.html`;
  const header = `<div class="top"><a href="/">首页</a> <a href="/col/col1/index.html">新闻中心</a> <a href="/col/col2/index.html">政府信息公开</a></div>`;
  const crumb = (...names: string[]): string => `<div class="position">您现在的位置:首页 &gt; ${names.join(' &gt; ')}</div>`;
  const list = (items: string[]): string => `<div id="555"><script type="text/xml"><datastore><recordset>${items.join('')}</recordset></datastore></script></div>`;
  const pages: Record<string, string> = {
    [col('100')]: `${header}${crumb('信息公开年报')}<ul><li><a href="/col/col101/index.html">温州市人民政府</a></li><li><a href="/col/col102/index.html">市级部门单位</a></li></ul>`,
    [col('101')]: `${header}${crumb('信息公开年报', '温州市人民政府')}<ul><li><a href="/col/col1229781587/index.html">2023年度</a></li></ul>`,
    [col('102')]: `${header}${crumb('信息公开年报', '市级部门单位')}<ul><li><a href="/col/col1229850036/index.html">2024</a></li></ul>`,
    [col('1229781587')]: `${header}${crumb('信息公开年报', '温州市人民政府', '2023年度')}${list([rec('/art/2024/3/8/art_1229781587_90896.html', '温州市人民政府2023年政府信息公开工作年度报告', '2024-03-08')])}`,
    [col('1229850036')]: `${header}${crumb('信息公开年报', '市级部门单位', '2024')}${list([rec('/art/2025/1/14/art_1229850036_96940.html', '温州市人民政府办公室2024年政府信息公开工作年度报告', '2025-01-14')])}`,
    [col('1')]: `${header}${list([rec('/art/2025/1/1/art_1_1.html', '某某县2024年政府信息公开工作年度报告', '2025-01-01')])}`,
  };

  it('follows every sub-column whatever its name, down to the year columns, but not the portal navigation', async () => {
    const f = fakeFetcher((_, u) => (pages[u.href] !== undefined ? { body: `<html><body>${pages[u.href]}</body></html>` } : undefined));
    const w = await walkListings(siteWith([col('100')]), f);
    expect(w.reports.map((r) => r.url).sort()).toEqual([`${host}/art/2024/3/8/art_1229781587_90896.html`, `${host}/art/2025/1/14/art_1229850036_96940.html`]);
    expect(f.requests.map((r) => r.url)).not.toContain(col('1'));
    expect(w.failed).toEqual([]);
  });
});

describe('single-article columns (zhoushan-single-article-columns.txt)', () => {
  const url = 'https://www.zhoushan.gov.cn/col/col1229856451/index.html';
  const page = `<html><head><meta name="ArticleTitle" content="舟山市人民政府2024年政府信息公开工作年度报告"><meta name="PubDate" content="2025-03-20 10:00"><title>舟山市人民政府2024年政府信息公开工作年度报告_舟山市人民政府门户网站</title></head>
<body><div class="crumb">首页 &gt; 政府信息公开年报</div><div id="zoom"><p>一、总体情况</p><table><tr><td>主动公开政府信息情况</td></tr></table></div></body></html>`;

  it('takes a column page that carries a report as the report, at its own URL', async () => {
    expect(columnAsReport(page, url)).toMatchObject({ url, year: 2024, agency: '舟山市人民政府', listedDate: '2025-03-20' });
    const f = fakeFetcher((_, u) => (u.href === url ? { body: page } : undefined));
    const w = await walkListings(siteWith([url]), f);
    expect(w.reports.map((r) => [r.url, r.year])).toEqual([[url, 2024]]);
    expect(w.warnings.map((x) => x.code)).toEqual([]);
  });

  it('warns column-empty for a column page with no report, no records and no sub-column', async () => {
    const empty = 'https://www.zhoushan.gov.cn/col/col9/index.html';
    const f = fakeFetcher((_, u) => (u.href === empty ? { body: '<html><body><p>暂无信息</p></body></html>' } : undefined));
    const w = await walkListings(siteWith([empty]), f);
    expect(w.warnings.map((x) => x.code)).toEqual(['column-empty']);
  });
});

describe('jpaas shells with several units and paramJson paging (miit-jpaas-shell.html, miit-jpaas-unit-response.json)', () => {
  const host = 'https://www.hhtz.gov.cn';
  const column = `${host}/col/col1487002/index.html`;
  const unit = (id: string, tag: string): string =>
    `<script id="${id}" src="/cms_files/default/script/AuthorizedRead/unitbuild.js" webId="2945" parseType="bulidstatic" url="/api-gateway/jpaas-publish-server/front/page/build/unit" queryData="{'parseType':'bulidstatic','webId':'2945','tplSetId':'quSyqDUrFfjv1nGRQhEEH','pageType':'column','tagId':'${tag}','editType':'null','pageId':'1487002'}"></script>`;
  const shell = `<html><body><div class="head">${unit('u1', '页头')}</div><div class="main">${unit('u2', '阳光政务_分页列表')}</div><div class="foot">${unit('u3', '页脚')}</div></body></html>`;
  const items = Array.from({ length: 23 }, (_, i) => ({ href: `${host}/col/col1487002/art/2024/art_${(i + 10).toString(16).padStart(32, 'a')}.html`, title: i === 22 ? '杭州高新区（滨江）2023年度政府信息公开工作年度报告' : `公告${i}` }));

  it('calls the list unit, not header or footer, reads data.html and pages with paramJson until no new records', async () => {
    const f = fakeFetcher((_, u) => {
      if (u.href === column) return { body: shell };
      if (u.pathname === '/api-gateway/jpaas-publish-server/front/page/build/unit') {
        const tag = u.searchParams.get('tagId') ?? '';
        const pj = JSON.parse(u.searchParams.get('paramJson') ?? '{"pageNo":1,"pageSize":10}') as { pageNo: number; pageSize: number };
        // past the end the unit repeats its last page (assumed)
        const n = Math.min(pj.pageNo, Math.ceil(items.length / 10));
        const html = /列表/.test(tag) ? `<ul>${items.slice((n - 1) * 10, n * 10).map((x) => `<li><a href="${x.href}" title="${x.title}">${x.title}</a><span>2024-01-01</span></li>`).join('')}</ul>` : '<div class="nav"><a href="/">首页</a></div>';
        return { body: JSON.stringify({ success: true, data: { html } }) };
      }
      return undefined;
    });
    const w = await walkListings(siteWith([column]), f);
    const calls = f.requests.filter((r) => r.url.includes('/api-gateway/')).map((r) => new URL(r.url));
    expect(calls.every((u) => u.searchParams.get('tagId') === '阳光政务_分页列表')).toBe(true);
    expect(calls.map((u) => (JSON.parse(u.searchParams.get('paramJson') ?? '{}') as { pageNo: number }).pageNo)).toEqual([1, 2, 3, 4]);
    expect(w.reports.map((r) => r.url)).toEqual([items[22]?.href]);
    expect(w.reports.some((r) => r.url.includes('%22'))).toBe(false);
  });

  it('keeps framing units out of the list candidates while a list unit remains', () => {
    const units = parseJpaasUnits(shell, column);
    expect(units).toHaveLength(3);
    expect(listUnitCandidates(units).map((u) => u.query.find(([k]) => k === 'tagId')?.[1])).toEqual(['阳光政务_分页列表']);
  });
});

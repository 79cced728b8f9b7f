/**
 * Hanweb outside Zhejiang (shared/evidence/other-provinces/PLATFORMS.md §2.4; copies in
 * excerpts/other-provinces/, PROVENANCE.md): the deltas to the Zhejiang jcms adapter, first over
 * the real excerpts (Jiangsu's row markup and record-range request, Shandong's /art/ lists, MIIT's
 * jpaas parameters, the encrypted nextgroup's empty answer), then crawled end to end from replicas
 * of each shape with other ids and sizes than the sites in crawlers/ (replica.ts), every value
 * loaded compared with the replica's.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkListings } from '../../../src/crawl/adapters/walk.ts';
import { fakeFetcher, siteWith } from '../../../testkit/crawl/fake-portal.ts';
import { loadSites, REPO_ROOT, type Site } from '../../../src/crawl/registry.ts';
import { runCrawl } from '../../../src/crawl/run.ts';
import { closeDatabase, openDatabase } from '../../../src/load/index.ts';
import { expectedReports, loadReplicas } from '../../../testkit/replay/replicas.ts';
import { startReplayServer } from '../../../testkit/replay/server.ts';
import { verifyDatabase } from '../../../testkit/replay/verify.ts';
import { jpaasPageUrl, listUnitCandidates, parseDatastore, parseJpaasAnswer, parseJpaasUnits, parseJpageParams, parseRecord, pagerStep, rangesPager } from './adapter.ts';
import { EMPTY_54, HanwebReplica } from './replica.ts';

const EXCERPTS = join(REPO_ROOT, 'crawlers/platforms/jcms/excerpts/other-provinces');
const excerpt = (name: string): string => readFileSync(join(EXCERPTS, name), 'utf8');

// ---- a fake portal for walks ----

/** The row of the Jiangsu note, with the split date of its proxy answers (jiangsu-jpage.md). */
function jiangsuRowFromExcerpt(href: string, title: string, date: string): string {
  const note = excerpt('jiangsu-jpage.md');
  const row = /<li class="clearfix">[\s\S]*?<\/li>/.exec(note.slice(note.lastIndexOf('Jiangsu uses <ul class="RcontUl">')))?.[0] ?? '';
  const split = /<span class="time">\s*\n\s*2026-\s*\n\s*01-\s*\n\s*23\s*\n\s*<\/span>/.exec(note)?.[0] ?? '';
  const [y, m, d] = date.split('-');
  const out = row
    .replace('href="URL"', `href="${href}"`)
    .replace('title="TITLE"', `title="${title}"`)
    .replace('>TEXT<', `>${title.slice(0, 12)}…<`)
    .replace('<span class="time">YYYY-MM-DD</span>', split.replace('2026-', `${y}-`).replace('01-', `${m}-`).replace('23', d ?? ''));
  if (!split || /URL|TITLE|TEXT|YYYY/.test(out)) throw new Error('jiangsu-jpage.md no longer holds the row markup note');
  return out;
}

describe('Jiangsu: HTML rows, then record ranges of the GET proxy (jiangsu-jpage.md)', () => {
  it('reads a row of the real markup: the title attribute and the date split across lines', () => {
    const note = excerpt('jiangsu-jpage.md');
    const split = /<span class="time">[\s\S]*?<\/span>/g;
    const answerDate = [...note.matchAll(split)].map((m) => m[0]).find((s) => /2026-\s*\n/.test(s)) ?? '';
    expect(answerDate).not.toBe('');
    const row = `<li class="clearfix"><a href="/art/2026/1/23/art_84242_1.html" title="江苏省人民政府2025年政府信息公开工作年度报告">江苏省人民政府2025年…</a>${answerDate}<span class="jds">...</span></li>`;
    expect(parseRecord(row, 'https://www.jiangsu.gov.cn/col/col84242/index.html')).toEqual({
      url: 'https://www.jiangsu.gov.cn/art/2026/1/23/art_84242_1.html',
      title: '江苏省人民政府2025年政府信息公开工作年度报告',
      date: '2026-01-23',
    });
  });

  it('asks the proxy the way jiangsu.py does: startrecord=(page*20)+1, endrecord=(page+1)*20, perpage=20, columnid, unitid=356383, webid=1', () => {
    const column = 'https://www.jiangsu.gov.cn/col/col84242/index.html';
    const rows = Array.from({ length: 20 }, (_, i) => ({ url: `https://www.jiangsu.gov.cn/art/2026/1/${i + 1}/art_84242_${i}.html`, title: `通知${i}`, date: null }));
    // the page's jpage call (its shape is assumed; the values are those of jiangsu.py)
    const html = `<script>$('#356383').jpage({ totalRecord: 5184, perPage: 20, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: { columnid: 84242, unitid: 356383, webid: 1 } });</script>`;
    const pager = rangesPager(column, rows, parseJpageParams(html, column), {});
    expect(pager).not.toBeNull();
    const urls = [1, 2].map((page) => new URL(pagerStep({ ...pager!, page }).url));
    // _section_url(section, page) for page 1 and 2, verbatim formula of the excerpt
    const formula = (page: number): string => `/module/web/jpage/dataproxy.jsp?startrecord=${page * 20 + 1}&endrecord=${(page + 1) * 20}&perpage=20&columnid=84242&unitid=356383&webid=1`;
    expect(urls.map((u) => u.pathname + u.search)).toEqual([formula(1), formula(2)]);
  });

  it('walks a column page of HTML rows and its record ranges to the announced total, finding the report on the last range', async () => {
    const host = 'https://www.jiangsu.gov.cn';
    const column = `${host}/col/col84239/index.html`;
    const all = Array.from({ length: 47 }, (_, i) => ({
      href: `/art/2025/${1 + (i % 12)}/${1 + (i % 28)}/art_84239_${9000 + i}.html`,
      title: i === 45 ? '江苏省人民政府2024年政府信息公开工作年度报告' : `关于印发第${i}号文件的通知`,
      date: `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    }));
    const row = (e: (typeof all)[number]): string => jiangsuRowFromExcerpt(e.href, e.title, e.date);
    const f = fakeFetcher((req, u) => {
      if (u.href === column) {
        return { body: `<html><body><ul class="RcontUl">${all.slice(0, 20).map(row).join('\n')}</ul><script>$('#356383').jpage({ totalRecord: ${all.length}, perPage: 20, proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: { columnid: 84239, unitid: 356383, webid: 1 } });</script></body></html>` };
      }
      if (u.pathname === '/module/web/jpage/dataproxy.jsp' && req.method !== 'POST') {
        const from = Number(u.searchParams.get('startrecord'));
        const to = Number(u.searchParams.get('endrecord'));
        const recs = all.slice(from - 1, to).map((e) => `<record><![CDATA[${row(e)}]]></record>`).join('');
        return { body: `<datastore><totalrecord>${all.length}</totalrecord><totalpage>3</totalpage><recordset>${recs}</recordset></datastore>` };
      }
      return undefined;
    });
    const w = await walkListings(siteWith([column]), f);
    const ranges = f.requests.filter((r) => r.url.includes('dataproxy')).map((r) => `${new URL(r.url).searchParams.get('startrecord')}-${new URL(r.url).searchParams.get('endrecord')}`);
    expect(ranges).toEqual(['21-40', '41-60']);
    expect(w.reports.map((r) => [r.url, r.year, r.listedDate])).toEqual([[`${host}${all[45]!.href}`, 2024, all[45]!.date]]);
    expect(w.warnings).toEqual([]);
  });

  it('asks nothing more when the page shows every record it announces', async () => {
    const column = 'https://www.jiangsu.gov.cn/col/col84239/index.html';
    const f = fakeFetcher((_req, u) =>
      u.href === column ? { body: `<ul class="RcontUl">${jiangsuRowFromExcerpt('/art/2025/1/3/art_84239_1.html', '江苏省人民政府2024年政府信息公开工作年度报告', '2025-01-03')}</ul><script>$('#356383').jpage({ totalRecord: 1, perPage: 20, ajaxParam: { columnid: 84239, unitid: 356383, webid: 1 } });</script>` } : undefined,
    );
    const w = await walkListings(siteWith([column]), f);
    expect(f.requests.map((r) => r.url)).toEqual([column]);
    expect(w.reports).toHaveLength(1);
  });
});

describe('Shandong: the /col/ index HTML lists /art/ links, the data proxy returns empty (shandong-hanweb.md)', () => {
  const column = 'http://gb.shandong.gov.cn/col/col341595/index.html';
  // the real report URL of the excerpt; its title as the portal would list it (assumed)
  const report = { href: '/art/2024/1/29/art_341595_41790.html', title: '山东省人民政府办公厅2023年政府信息公开工作年度报告' };
  const list = `<div class="list"><ul><li><a href="${report.href}" title="${report.title}">${report.title}</a><span>2024-01-29</span></li><li><a href="/art/2024/1/10/art_341595_41001.html">山东省人民政府办公厅关于印发2024年政务公开工作要点的通知</a><span>2024-01-10</span></li></ul></div>`;
  const nav = `<div class="nav"><a href="/col/col341596/index.html">2022年政府信息公开年报</a></div>`;

  it('reads the report links the page lists when its datastore is empty, not its column navigation', async () => {
    const f = fakeFetcher((_req, u) => (u.href === column ? { body: `<html><body>${nav}<div id="1"><script type="text/xml"><datastore><recordset></recordset></datastore></script></div>${list}</body></html>` } : undefined));
    const w = await walkListings(siteWith([column]), f);
    expect(w.reports.map((r) => [r.url, r.year, r.listedDate])).toEqual([[`http://gb.shandong.gov.cn${report.href}`, 2023, '2024-01-29']]);
  });

  it('reads them from a page without a datastore too', async () => {
    const f = fakeFetcher((_req, u) => (u.href === column ? { body: `<html><body>${list}</body></html>` } : undefined));
    const w = await walkListings(siteWith([column]), f);
    expect(w.reports.map((r) => r.url)).toEqual([`http://gb.shandong.gov.cn${report.href}`]);
  });

  it('keeps the page’s links when the proxy it names returns empty, warns once and does not loop', async () => {
    const page = `<html><body><div id="7"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=341595&unitid=7"></a>]]></nextgroup><recordset></recordset></datastore></script></div>${list}</body></html>`;
    const f = fakeFetcher((_req, u) => (u.href === column ? { body: page } : u.pathname === '/module/web/jpage/dataproxy.jsp' ? { body: '<datastore><recordset></recordset></datastore>' } : undefined));
    const w = await walkListings(siteWith([column]), f);
    expect(f.requests.filter((r) => r.url.includes('dataproxy'))).toHaveLength(1);
    expect(w.reports.map((r) => r.url)).toEqual([`http://gb.shandong.gov.cn${report.href}`]);
    expect(w.warnings.map((x) => x.code)).toEqual(['proxy-empty']);
  });
});

describe('central jpaas: 工信部 年报 (miit-annual-report-jpaas.md)', () => {
  // _LIST_PARAMS_BASE of the excerpt, as a shell's unit script carries it (the script shape: excerpts/miit-jpaas-shell.html)
  const base = /_LIST_PARAMS_BASE = (\{[\s\S]*?\n\})/.exec(excerpt('miit-annual-report-jpaas.md'))?.[1] ?? '{}';
  const params = JSON.parse(base.replace(/,\s*\}/, '}')) as Record<string, string>;
  const page = 'https://www.miit.gov.cn/zwgk/zfxxgkzl/zfxxgknb/gyhxxhb/index.html';
  const shell = `<div class="clist_con"><script id="u1" src="/cms_files/default/script/AuthorizedRead/unitbuild.js" webId="${params.webId}" parseType="buildstatic" url="/api-gateway/jpaas-publish-server/front/page/build/unit" queryData="${JSON.stringify(params).replace(/"/g, "'")}"></script></div>`;

  it('keeps the shell’s own parseType spelling (buildstatic), its 32-hex ids and tagId 栏目1板块, and pages with paramJson', () => {
    expect(params.parseType).toBe('buildstatic');
    const [unit] = listUnitCandidates(parseJpaasUnits(shell, page));
    const u = new URL(jpaasPageUrl(unit!, 2, 15));
    expect(u.pathname).toBe('/api-gateway/jpaas-publish-server/front/page/build/unit');
    expect(Object.fromEntries([...u.searchParams].filter(([k]) => k !== 'paramJson'))).toEqual(params);
    expect(JSON.parse(u.searchParams.get('paramJson') ?? '')).toEqual({ pageNo: 2, pageSize: 15 });
  });

  it('reads the parseType a shell states only in its code, not a fixed spelling', () => {
    const code = `<script>var webId = "${params.webId}"; var tplSetId = "${params.tplSetId}"; var tagId = "${params.tagId}"; var pageId = "${params.pageId}"; var parseType = "buildstatic"; /* jpaas-publish-server */</script>`;
    const [unit] = parseJpaasUnits(code, page);
    expect(unit?.query.find(([k]) => k === 'parseType')?.[1]).toBe('buildstatic');
  });

  it('takes the total from count="N" in the answer’s html and the rows from <p><a>…</a><span>date</span></p>', () => {
    // re.search(r'count="(\d+)"', html) and p > a + span in the excerpt; the row values are made up
    const a = parseJpaasAnswer(JSON.stringify({ success: true, data: { html: '<div count="23"><p><a href="/zwgk/zfxxgkzl/zfxxgknb/gyhxxhb/art/2025/art_0123456789abcdef0123456789abcdef.html">工业和信息化部2024年政府信息公开工作年度报告</a><span>2025-01-20</span></p></div>' } }));
    expect(a.total).toBe(23);
    expect(a.html).toContain('art_0123456789abcdef0123456789abcdef');
  });

  it('reads the list of a start page that is itself a jpaas shell (not a /col/ page)', async () => {
    const f = fakeFetcher((_req, u) => {
      if (u.href === page) return { body: `<html><body>${shell}</body></html>` };
      if (u.pathname.endsWith('/build/unit')) {
        const rows = '<p><a href="/zwgk/zfxxgkzl/zfxxgknb/gyhxxhb/art/2025/art_0123456789abcdef0123456789abcdef.html">工业和信息化部2024年政府信息公开工作年度报告</a><span>2025-01-20</span></p>';
        return { body: JSON.stringify({ success: true, data: { html: `<div count="1">${rows}</div>` } }) };
      }
      return undefined;
    });
    const w = await walkListings(siteWith([page]), f);
    expect(w.reports.map((r) => [r.year, r.listedDate])).toEqual([[2024, '2025-01-20']]);
    expect(f.requests.filter((r) => r.url.includes('/build/unit'))).toHaveLength(1);
  });
});

describe('encrypted nextgroup: 医保局, 广电总局 (encrypted-nextgroup-trs.md)', () => {
  const column = 'https://www.nhsa.gov.cn/col/col104/index.html';
  const records = Array.from({ length: 45 }, (_, i) => `<record><![CDATA[<li><a href="/art/2025/1/${1 + (i % 28)}/art_104_${500 + i}.html" title="${i === 44 ? '国家医疗保障局2024年政府信息公开工作年度报告' : `通知${i}`}">x</a><span>2025-01-${String(1 + (i % 28)).padStart(2, '0')}</span></li>]]></record>`);
  // the cipher of the parameters is not in the evidence: any opaque value
  const page = `<div id="x"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=Zm9v&columnid=YmFy&unitid=YmF6"></a>]]></nextgroup><recordset>${records.join('')}</recordset></datastore></script></div>`;

  it('reads page 0 (45 records), asks the encrypted nextgroup once, and on the empty 54-byte body stops with proxy-empty', async () => {
    expect(Buffer.byteLength(EMPTY_54)).toBe(54);
    expect(parseDatastore(page, column).records).toHaveLength(45);
    const f = fakeFetcher((_req, u) => (u.href === column ? { body: page } : u.pathname === '/module/web/jpage/dataproxy.jsp' ? { body: EMPTY_54 } : undefined));
    const w = await walkListings(siteWith([column]), f);
    expect(f.requests.filter((r) => r.url.includes('dataproxy'))).toHaveLength(1);
    expect(w.reports.map((r) => r.year)).toEqual([2024]);
    expect(w.warnings.map((x) => x.code)).toEqual(['proxy-empty']);
    expect(w.warnings[0]?.message).toContain('54 bytes');
  });
});

// ---- replicas of each shape, crawled end to end ----

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Temporary site folders (other ids and sizes than crawlers/), each with its site.yml and replica.yml. */
function sitesFolder(sites: { prov: string; slug: string; site: string; replica: string }[]): string {
  const root = mkdtempSync(join(tmpdir(), 'ogi-hanweb-'));
  dirs.push(root);
  for (const s of sites) {
    mkdirSync(join(root, s.prov, s.slug), { recursive: true });
    writeFileSync(join(root, s.prov, s.slug, 'site.yml'), s.site);
    writeFileSync(join(root, s.prov, s.slug, 'replica.yml'), s.replica);
  }
  return root;
}

const site = (id: string, name: string, start: string, extra = ''): string => `id: ${id}\nname: ${name}\nregion: "320500"\nlevel: city\nplatform: jcms\nstart:\n  - ${start}\n${extra}`;

describe('replicas of the four shapes, crawled through the replay server', () => {
  const root = sitesFolder([
    { prov: 'js', slug: 'suqian', site: site('js-suqian', '宿迁市人民政府', 'https://www.suqian.gov.cn/', 'params: { webid: 37 }\n'), replica: 'variant: ranges\nwebid: "37"\nunitid: "412233"\nperPage: 15\nfillers: 70\n' },
    { prov: 'sd', slug: 'zibo', site: site('sd-zibo', '淄博市人民政府', 'http://www.zibo.gov.cn/col/col19873/index.html'), replica: 'variant: html\nfillers: 30\n' },
    { prov: 'cn', slug: 'cnipa', site: site('cn-cnipa', '国家知识产权局', 'https://www.cnipa.gov.cn/zwgk/zfxxgknb/index.html'), replica: 'variant: jpaas\nperPage: 12\nfillers: 40\n' },
    { prov: 'cn', slug: 'nrta', site: site('cn-nrta', '国家广播电视总局', 'https://www.nrta.gov.cn/col/col2011/index.html'), replica: 'variant: encrypted\nperPage: 40\nfillers: 90\n' },
  ]);
  const sites = loadSites(root);

  it('loads every report each replica publishes with every value equal, reading each shape the way its evidence says', async () => {
    const replicas = loadReplicas(sites);
    expect(replicas.filter((r) => r instanceof HanwebReplica).map((r) => r.site).sort()).toEqual(['cn-cnipa', 'cn-nrta', 'js-suqian', 'sd-zibo']);
    const server = await startReplayServer({ replicas });
    const dir = mkdtempSync(join(tmpdir(), 'ogi-hanweb-crawl-'));
    dirs.push(dir);
    try {
      const summary = await runCrawl({ sites, dataDir: dir, dbPath: join(dir, 'ogi.sqlite'), via: server.url, delayMs: 0 });
      expect(summary.complete).toBe(true);
      const by = Object.fromEntries(summary.sites.map((s) => [s.site, s]));
      for (const id of ['cn-cnipa', 'cn-nrta', 'js-suqian', 'sd-zibo']) expect(by[id], id).toMatchObject({ reportsFound: 3, new: 3, failed: 0 });
      // only the encrypted nextgroup warns: once, and its proxy is asked once
      expect(summary.sites.flatMap((s) => s.warnings.map((w) => `${s.site} ${w.code}`))).toEqual(['cn-nrta proxy-empty']);
      const paths = (host: string): string[] => server.requests.filter((r) => r.host === host).map((r) => r.path);
      expect(paths('www.nrta.gov.cn').filter((p) => p.includes('dataproxy'))).toHaveLength(1);
      // Jiangsu: 73 records, 15 on the page: ranges 16-30 … 61-75, never page=N
      const suqian = paths('www.suqian.gov.cn').filter((p) => p.includes('dataproxy')).map((p) => new URL(p, 'http://x').searchParams);
      expect(suqian.map((q) => `${q.get('startrecord')}-${q.get('endrecord')}`)).toEqual(['16-30', '31-45', '46-60', '61-75']);
      expect(suqian.every((q) => q.get('page') === null && q.get('unitid') === '412233' && q.get('webid') === '37')).toBe(true);
      // Shandong: the page's list, no proxy request
      expect(paths('www.zibo.gov.cn').some((p) => p.includes('dataproxy'))).toBe(false);
      // jpaas: buildstatic as the shell spells it, pages of paramJson until the count
      const units = paths('www.cnipa.gov.cn').filter((p) => p.includes('/build/unit')).map((p) => new URL(p, 'http://x').searchParams);
      expect(units.length).toBeGreaterThanOrEqual(2);
      expect(units.every((q) => q.get('parseType') === 'buildstatic')).toBe(true);

      const expected = expectedReports('initial', replicas);
      expect(expected).toHaveLength(12);
      const db = openDatabase(join(dir, 'ogi.sqlite'));
      try {
        const checks = verifyDatabase(db.$client, expected);
        expect(checks.filter((c) => !c.found).map((c) => c.url)).toEqual([]);
        expect(checks.flatMap((c) => c.mismatches)).toEqual([]);
        expect(checks.every((c) => c.cells > 0 && c.equal === c.cells)).toBe(true);
      } finally {
        closeDatabase(db);
      }
    } finally {
      await server.close();
    }
  });

  it('refuses a replica.yml with an unknown variant, naming the file and the field', () => {
    const bad = sitesFolder([{ prov: 'js', slug: 'bad', site: site('js-bad', '坏市人民政府', 'https://www.bad.gov.cn/'), replica: 'variant: infinite\n' }]);
    expect(() => loadReplicas(loadSites(bad))).toThrow(/replica-invalid: .*js\/bad\/replica\.yml: variant: /);
  });
});
